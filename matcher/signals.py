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

# kwargs: document — a resume's parse moved on (status, progress, current_step); not stored
resume_progressed = Signal()
# kwargs: document — a resume's parse ended (document.status is completed or failed)
resume_parse_finished = Signal()
# kwargs: bulk_import — every file of a bulk import has an outcome
bulk_import_finished = Signal()
# kwargs: record — a company gained a candidate record
candidate_added = Signal()
# kwargs: share
candidate_shared = Signal()
# kwargs: bookmark — sent when a job is newly bookmarked
bookmark_added = Signal()
# kwargs: feedback (a RecommendationFeedback)
recommendation_feedback_given = Signal()
# kwargs: bulk_import — one more file of a bulk import has its outcome; not stored
bulk_import_progressed = Signal()
