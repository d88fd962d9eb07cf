"""Signals of resume import, sent by its services (progress ones are not stored, the others are)."""

from django.dispatch import Signal

# kwargs: document — a resume's parse moved on (status, progress, current_step); not stored
resume_progressed = Signal()
# kwargs: document — a resume's parse ended (document.status is completed or failed)
resume_parse_finished = Signal()
# kwargs: bulk_import — one more file of a bulk import has its outcome; not stored
bulk_import_progressed = Signal()
# kwargs: bulk_import — every file of a bulk import has an outcome
bulk_import_finished = Signal()
# kwargs: record — a company gained a candidate record
candidate_added = Signal()
# kwargs: share
candidate_shared = Signal()
