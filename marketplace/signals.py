"""The marketplace's domain signals, sent by its services inside their transaction.

Receivers (marketplace/events.py for notifications, other domains for their own
work) run in the same transaction, so an event exists exactly when the change
that caused it was committed.
"""

from django.dispatch import Signal

# kwargs: job — sent when a job becomes `open` (on creation or by an update)
job_opened = Signal()
# kwargs: job, saved_searches — saved searches a newly opened job matches, each owner to be alerted once
saved_searches_matched = Signal()
# kwargs: application
application_created = Signal()
# kwargs: application, old_status, new_status, changed_by
application_status_changed = Signal()
# kwargs: bookmark — sent when a job is newly bookmarked
bookmark_added = Signal()
# kwargs: document — a document was stored (resumes are parsed by the resumes app)
document_uploaded = Signal()
# kwargs: company, member, invited_by — a recruiter joined a company by accepting an invitation
company_member_joined = Signal()
# kwargs: company, member, removed_by — the owner (or an admin) took a recruiter off a company
company_member_removed = Signal()
