"""Domain signals sent by matcher services inside their transaction.

Receivers (the notifications app) store their events in the same transaction,
so an event exists exactly when the change that caused it was committed.
"""

from django.dispatch import Signal

# kwargs: job
job_created = Signal()
# kwargs: job — sent when a job becomes `open` (on creation or by an update)
job_opened = Signal()
# kwargs: application
application_created = Signal()
# kwargs: application, old_status, new_status, changed_by
application_status_changed = Signal()
