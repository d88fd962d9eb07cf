"""Matching's domain signals, sent by its services inside their transaction; matcher/events.py receives them."""

from django.dispatch import Signal

# kwargs: feedback (a RecommendationFeedback)
recommendation_feedback_given = Signal()
# kwargs: job, matches — a newly opened job's good matches as (JobSeekerProfile, score), best first; shown — those
# of them the job's company may find (profile visibility); sent once a job
job_matches_found = Signal()
