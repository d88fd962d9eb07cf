"""Matching's writes: feedback on a recommendation, and the one-time announcement of a newly opened job's matches."""

from django.conf import settings
from django.db import transaction

from accounts.models import User
from marketplace.choices import JobStatus
from marketplace.models import Job, JobSeekerProfile
from marketplace.selectors import seeker_ids_alerted_for, visible_to_company
from matcher import signals
from matcher.models import RecommendationFeedback
from matcher.selectors import best_candidates, score_pair
from matcher.weights import weights_in_use
from notifications.selectors import event_exists_for


@transaction.atomic
def feedback_record(*, seeker: User, job: Job, feedback: str) -> RecommendationFeedback:
    match = score_pair(seeker.profile, job, weights=weights_in_use())
    given = RecommendationFeedback.objects.create(seeker=seeker, job=job, feedback=feedback, factors=match.factors)
    signals.recommendation_feedback_given.send(sender=RecommendationFeedback, feedback=given)
    return given


def job_matches_announce(*, job_id: int) -> int:
    """Score a newly opened job against every seeker and announce the good matches once; returns how many."""
    job = Job.objects.select_related("company").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.OPEN:
        return 0  # closed again (or deleted) before the task ran: nothing to announce
    threshold = settings.KAZI_MATCH_THRESHOLD
    scored = [
        (profile, score)
        for profile, score, _ in best_candidates(job, limit=10_000, visible_only=False, sharing_a_skill=False)
        if score >= threshold
    ]
    with transaction.atomic():
        # A retried or duplicated task announces once: the job's row lock orders two runs, and the
        # recruiters' summary, stored with the events (matcher/events.py), marks the job as announced.
        # The same lock orders this with the saved-search alerts of the job (marketplace.tasks): a seeker
        # whose saved search alerted them about it asked for exactly this, and a second event would be noise.
        Job.objects.select_for_update().filter(pk=job.pk).first()
        if event_exists_for(job, event_type="notification", notification_type="match_found"):
            return 0
        alerted = seeker_ids_alerted_for(job.pk)
        matches = [(profile, score) for profile, score in scored if profile.user_id not in alerted]
        if not matches:
            return 0
        # Every matching seeker hears of the job; the recruiters' summary names only those they may find.
        findable = set(
            JobSeekerProfile.objects.filter(
                visible_to_company(job.company_id), pk__in=[profile.pk for profile, _ in matches]
            ).values_list("pk", flat=True)
        )
        shown = [(profile, score) for profile, score in matches if profile.pk in findable]
        signals.job_matches_found.send(sender=Job, job=job, matches=matches, shown=shown)
    return len(matches)
