"""The vectorized engine agrees with the one-pair scorer, and the rebuild stores each seeker's best."""

import random

import pytest

from analytics.models import EventSource
from analytics.services import event_record
from marketplace.models import Application, Bookmark
from marketplace.services import profile_update
from matcher import features, scoring
from matcher.engine import match_matrices, ranking_score, total_score
from matcher.models import Recommendation
from matcher.recommendations import recommendations_rebuild
from matcher.scoring import FACTORS
from matcher.skill_space import pair_closeness, related_of
from matcher.taxonomy import partial_of
from tests import factories

pytestmark = pytest.mark.django_db

SKILLS = [
    "Python",
    "Django",
    "PostgreSQL",
    "SQL",
    "JavaScript",
    "React",
    "Go",
    "Kubernetes",
    "Docker",
    "AWS",
    "Java",
    "Spring",
    "Excel",
    "Figma",
    "Django REST framework",
    "Machine learning",
    "C++",
    "Redis",
    "MySQL",
    "SolidWorks",
    "CATIA",
]
# Text naming skills: a job listing fewer than three required ones is also scored on these (extracted).
DESCRIPTIONS = [
    "Build and run Django services.",
    "We run PostgreSQL, Redis and Docker on AWS.",
    "",
    "Kubernetes, Figma.",
]
CITIES = ["Nairobi, Kenya", "Mombasa, Kenya", "Lagos, Nigeria", "Berlin, Germany", ""]


def make_world(seed: int = 7, jobs: int = 40, seekers: int = 12):
    rng = random.Random(seed)
    companies = [factories.CompanyFactory() for _ in range(4)]
    for _ in range(jobs):
        factories.JobFactory(
            company=rng.choice(companies),
            skills_required=rng.sample(SKILLS, rng.randint(0, 5)),
            skills_preferred=rng.sample(SKILLS, rng.randint(0, 2)),
            description=rng.choice(DESCRIPTIONS),
            location=rng.choice(CITIES),
            remote=rng.random() < 0.2,
            experience_level=rng.choice(["entry", "junior", "mid", "senior", "lead"]),
            salary_min=rng.choice([None, 30_000, 60_000]),
            salary_max=rng.choice([None, 90_000, 120_000]),
            currency=rng.choice(["USD", "USD", "EUR"]),
            employment_type=rng.choice(["full_time", "part_time", "contract"]),
            category=rng.choice(["tech", "design", "data", ""]),
        )
    people = []
    for _ in range(seekers):
        seeker = factories.SeekerFactory()
        profile_update(
            profile=seeker.profile,
            data={
                "skills": [{"name": name} for name in rng.sample(SKILLS, rng.randint(0, 6))],
                "location": rng.choice(CITIES),
                "preferred_locations": rng.sample(CITIES[:4], rng.randint(0, 2)),
                "remote": rng.random() < 0.5,
                "experience_years": rng.randint(0, 15),
                "experience_level": rng.choice(["", "junior", "mid", "senior"]),
                "desired_salary_min": rng.choice([None, 50_000, 100_000]),
                "currency": rng.choice(["USD", "EUR"]),
                "preferred_employment_types": rng.sample(["full_time", "part_time", "contract"], rng.randint(0, 2)),
            },
        )
        people.append(seeker)
    from marketplace.models import Job

    all_jobs = list(Job.objects.all())
    for seeker in people[:6]:
        job = rng.choice(all_jobs)
        Application.objects.get_or_create(job=job, candidate=seeker)
        Bookmark.objects.get_or_create(job=rng.choice(all_jobs), user=seeker)
    for seeker in people[4:9]:  # some only viewed and searched, some did everything
        for viewed in rng.sample(all_jobs, rng.randint(1, 4)):
            event_record(event_type="job_view", user=seeker, job_id=viewed.pk, source=EventSource.CLIENT)
        for query in rng.sample(SKILLS, rng.randint(0, 3)):
            event_record(event_type="job_search", user=seeker, metadata={"query": query}, source=EventSource.CLIENT)
    return people


def test_engine_scores_equal_the_one_pair_scorer():
    people = make_world()
    jobs = list(features.open_jobs().order_by("id"))
    assert any(features.counted_skill_keys(job)[2] for job in jobs)  # some short listing counts its text's skills
    profiles = [person.profile for person in people]
    for profile in profiles:
        profile.refresh_from_db()
    context = features.load_context(jobs, {k for p in profiles for k in p.skill_names})
    activity = features.recent_activity([p.user_id for p in profiles])
    batch = features.seeker_batch(profiles, context, activity)
    assert batch.searched.nnz and batch.seen.nnz  # searched skills and viewed jobs are compared too
    factors, inputs = match_matrices(batch, context.jobs)
    totals = total_score(factors)
    ranking = ranking_score(factors, inputs)
    shortcut = ranking_score(factors, inputs, total=totals)
    idf = features.current_idf()
    for row, profile in enumerate(profiles):
        seeker = features.seeker_spec(profile, activity)
        for column, job in enumerate(jobs):
            expected = scoring.score_match(
                seeker,
                features.job_spec(job),
                idf=idf,
                partial_of=partial_of,
                related_of=related_of,
                closeness_of=pair_closeness,
            )
            for name in FACTORS:
                assert factors[name][row, column] == pytest.approx(expected.factors[name], abs=0.01), (name, job)
            assert totals[row, column] == pytest.approx(expected.score, abs=0.02)
            assert inputs.share[row, column] == pytest.approx(expected.skills.share, abs=1e-9), job
            assert inputs.skills[row, column] == pytest.approx(expected.skills.ranking_score, abs=0.01), job
            assert ranking[row, column] == pytest.approx(expected.rank_score, abs=0.02), job
            assert shortcut[row, column] == pytest.approx(expected.rank_score, abs=0.02), job


def test_rebuild_stores_the_best_jobs_in_order_and_is_idempotent():
    people = make_world(jobs=60, seekers=5)
    first = recommendations_rebuild(top_n=10, batch_size=2)
    assert first.seekers == 5 and first.jobs == 60 and first.stored == 50
    rows = list(Recommendation.objects.filter(seeker=people[0]).order_by("rank").values_list("job_id", "rank"))
    assert [rank for _, rank in rows] == list(range(1, 11))
    # Stored in the order of the seeker-facing ranking (the one-pair scorer's rank_score), best first.
    profile = people[0].profile
    profile.refresh_from_db()
    activity = features.recent_activity([profile.user_id])
    seeker = features.seeker_spec(profile, activity)
    idf = features.current_idf()
    jobs = {job.pk: job for job in features.open_jobs()}
    expected = {
        pk: scoring.score_match(
            seeker,
            features.job_spec(job),
            idf=idf,
            partial_of=partial_of,
            related_of=related_of,
            closeness_of=pair_closeness,
        ).rank_score
        for pk, job in jobs.items()
    }
    stored = [expected[job_id] for job_id, _ in rows]
    assert stored == sorted(stored, reverse=True)
    assert stored[0] == pytest.approx(max(expected.values()), abs=0.02)
    snapshot = list(Recommendation.objects.order_by("seeker_id", "rank").values_list("seeker_id", "job_id", "score"))
    recommendations_rebuild(top_n=10, batch_size=3)
    again = list(Recommendation.objects.order_by("seeker_id", "rank").values_list("seeker_id", "job_id", "score"))
    assert again == snapshot


def test_rebuild_for_one_seeker_leaves_the_others():
    people = make_world(jobs=20, seekers=3)
    recommendations_rebuild(top_n=5)
    before = Recommendation.objects.exclude(seeker=people[0]).count()
    stats = recommendations_rebuild(seeker_ids=[people[0].pk], top_n=3)
    assert stats.seekers == 1
    assert Recommendation.objects.filter(seeker=people[0]).count() == 3
    assert Recommendation.objects.exclude(seeker=people[0]).count() == before
