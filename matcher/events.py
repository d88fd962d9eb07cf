"""Who hears what of matching: receivers of its signals that call the broadcaster."""

from core.text import percent
from marketplace.models import Job, JobSeekerProfile
from marketplace.selectors import recruiter_ids_of
from matcher import signals
from notifications.broadcaster import broadcaster


def on_job_matches_found(
    sender,
    job: Job,
    matches: list[tuple[JobSeekerProfile, float]],
    shown: list[tuple[JobSeekerProfile, float]],
    **kwargs,
) -> None:
    for profile, score in matches:
        label = "Excellent" if score >= 90 else "Great"
        broadcaster.publish(
            user_ids=[profile.user_id],
            event_type="match_score_calculated",
            message=f"{label} match! {percent(score)} compatibility with {job.title}",
            payload={"job_id": str(job.pk), "job_title": job.title, "match_score": score},
            related=job,
        )
    best = ", ".join(f"{profile.user.full_name} ({percent(score)})" for profile, score in shown[:3])
    # Stored with the events, this summary is also what marks the job as announced (services.job_matches_announce),
    # so it is stored even when no match is one the company may find.
    broadcaster.publish(
        user_ids=recruiter_ids_of(job.company_id),
        event_type="notification",
        notification_type="match_found",
        title=f"{len(shown)} strong candidate(s) for {job.title}",
        message=f"Best matches: {best}" if shown else "No candidate you can find matches it strongly yet.",
        payload={
            "job_id": str(job.pk),
            "matches": len(shown),
            "candidates": [{"candidate_id": str(profile.user_id), "score": score} for profile, score in shown[:10]],
        },
        related=job,
    )


def connect() -> None:
    signals.job_matches_found.connect(on_job_matches_found, dispatch_uid="matcher.events.job_matches_found")
