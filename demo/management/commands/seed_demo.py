"""`python manage.py seed_demo`: demo companies, recruiters, job seekers, 200 jobs and some applications.

Everything goes through marketplace.services, so the signals (and whatever listens to them)
fire as they would for real users. The data is planned first from ``random.Random(42)``
and then written in one transaction, object by object, each looked up first by its
natural key (company slug, user email, company + job title, job + candidate): a second
run creates nothing, and a run after demo objects were deleted recreates only those.
"""

from __future__ import annotations

import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts import services as account_services
from accounts.choices import UserType
from accounts.models import User
from demo.management.commands._demo_data import (
    APPLICATION_OUTCOMES,
    BENEFITS,
    CATEGORIES,
    CATEGORY_PAY,
    CITIES,
    COMPANIES,
    DUTIES,
    EMPLOYMENT_WEIGHTS,
    LEVEL_SALARY,
    LEVEL_TITLE,
    LEVEL_WEIGHTS,
    LEVEL_YEARS,
    RECRUITERS,
    SEEKERS,
    TEAMS,
)
from demo.management.commands._demo_interview import ensure_demo_interview
from marketplace import services
from marketplace.choices import ApplicationStatus, Availability, EmploymentType, JobStatus
from marketplace.models import Application, Company, Job
from marketplace.workflow import FORWARD

DEMO_PASSWORD = "kazi-demo-2026"
ADMIN_EMAIL = "admin@kazi.example"
JOB_COUNT = 200
SEED = 42


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 with few rounds, used only while seeding.

    Hashing the (public) demo password at Django's full 1,000,000 rounds costs ~0.3 s
    a user, ~9 s for the 29 demo users. The hash keeps the ``pbkdf2_sha256`` name, so the regular hasher
    verifies it and, because the round count differs, re-hashes it at full strength
    on the user's first login.
    """

    iterations = 1_000


@contextmanager
def _quick_demo_hashing():
    with override_settings(PASSWORD_HASHERS=[f"{__name__}.DemoPasswordHasher", *settings.PASSWORD_HASHERS]):
        yield


@dataclass
class JobPlan:
    company_slug: str
    title: str
    fields: dict
    final_status: str


@dataclass
class SeekerPlan:
    email: str
    first_name: str
    last_name: str
    category: str
    profile: dict


@dataclass
class ApplicationPlan:
    job_index: int
    seeker_email: str
    cover_letter: str
    path: list[tuple[str, str]] = field(default_factory=list)  # (status, "recruiter" | "candidate")


@dataclass
class Plan:
    seekers: list[SeekerPlan]
    jobs: list[JobPlan]
    applications: list[ApplicationPlan]


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _salary(rng: random.Random, category: str, level: str) -> tuple[int, int]:
    low, high = LEVEL_SALARY[level]
    factor = CATEGORY_PAY[category]
    salary_min = round(rng.uniform(low, (low + high) / 2) * factor, -3)
    salary_max = round(salary_min + rng.uniform(0.2, 0.45) * salary_min, -3)
    return int(salary_min), int(salary_max)


def _job_title(
    rng: random.Random,
    taken: set[tuple[str, str]],
    *,
    slug: str,
    team: str,
    role: str,
    employment_type: str,
    level: str,
) -> str:
    """A title no other job of the company has (two of one kind get a team name after them)."""
    if employment_type == "internship":
        title = f"{team} Intern"
    elif level == "executive":
        title = f"Head of {team}"
    else:
        title = f"{LEVEL_TITLE[level]}{role}"
    if (slug, title) in taken:
        title = f"{title}, {rng.choice([t for t in TEAMS if (slug, f'{title}, {t}') not in taken])}"
    taken.add((slug, title))
    return title


def _job_location(rng: random.Random, hq: str) -> tuple[bool, str]:
    remote = rng.random() < 0.3
    if remote and rng.random() < 0.5:
        return remote, "Remote"
    if rng.random() < 0.7:
        return remote, hq
    return remote, rng.choice(CITIES)


def _job_description(
    *, company: str, title: str, location: str, remote: bool, years: int, duties, benefits, skills
) -> str:
    where = "fully remote" if location == "Remote" else f"based in {location}" + (" (remote-friendly)" * remote)
    return "\n".join(
        [
            f"{company} is hiring a {title}, {where}.",
            "",
            "What you will do:",
            *[f"- {duty.capitalize()}" for duty in duties],
            "",
            "What we are looking for:",
            "- No prior experience needed: curiosity and care count most"
            if years == 0
            else f"- {years}+ years of relevant experience",
            f"- Working knowledge of {', '.join(skills[:-1])} and {skills[-1]}",
            "- Clear written and spoken English",
            "",
            f"What we offer: {', '.join(benefits).lower().capitalize()}.",
        ]
    )


def _plan_jobs(rng: random.Random, now) -> list[JobPlan]:
    categories = list(CATEGORIES)
    plans: list[JobPlan] = []
    taken: set[tuple[str, str]] = set()
    closed_or_draft = rng.sample(range(JOB_COUNT), 16)
    for index in range(JOB_COUNT):
        category = categories[index % len(categories)]
        team, roles, extras = CATEGORIES[category]
        role, core = rng.choice(roles)
        slug, name, _domain, hq, _about = rng.choice(COMPANIES)
        employment_type = _weighted(rng, EMPLOYMENT_WEIGHTS)
        level = "entry" if employment_type == "internship" else _weighted(rng, LEVEL_WEIGHTS)
        title = _job_title(rng, taken, slug=slug, team=team, role=role, employment_type=employment_type, level=level)

        skills = rng.sample(core, k=min(len(core), rng.randint(3, 4))) + rng.sample(extras, k=rng.randint(0, 2))
        remote, location = _job_location(rng, hq)
        salary_min, salary_max = _salary(rng, category, level)
        if employment_type == "internship":
            salary_min, salary_max = 6_000, 10_000
        no_salary = rng.random() < 0.08
        duties = rng.sample(DUTIES[category], k=3)
        benefits = rng.sample(BENEFITS, k=3)
        years = LEVEL_YEARS[level]
        description = _job_description(
            company=name, title=title, location=location, remote=remote, years=years, duties=duties,
            benefits=benefits, skills=skills,
        )  # fmt: skip
        status = JobStatus.OPEN
        if index in closed_or_draft:
            status = JobStatus.DRAFT if closed_or_draft.index(index) % 2 else JobStatus.CLOSED
        plans.append(
            JobPlan(
                company_slug=slug,
                title=title,
                final_status=status,
                fields={
                    "title": title,
                    "description": description,
                    "location": location,
                    "remote": remote,
                    "employment_type": employment_type,
                    "experience_level": level,
                    "salary_min": None if no_salary else salary_min,
                    "salary_max": None if no_salary else salary_max,
                    "currency": "USD",
                    "skills_required": skills,
                    "category": category,
                    "status": JobStatus.DRAFT if status == JobStatus.DRAFT else JobStatus.OPEN,
                    "created_at": now - timedelta(days=rng.uniform(0, 45)),
                },
            )
        )
    return plans


def _plan_seekers(rng: random.Random) -> list[SeekerPlan]:
    plans = []
    for first, last, location, category, role, level, years in SEEKERS:
        _team, roles, extras = CATEGORIES[category]
        core = dict(roles)[role]
        skills = []
        for name in core + rng.sample(extras, k=2):
            skill_years = max(0, min(years, rng.randint(years // 2, years)) if name in core else rng.randint(0, 2))
            if skill_years >= 6:
                skill_level = "expert"
            elif skill_years >= 3:
                skill_level = "advanced"
            elif skill_years >= 1:
                skill_level = "intermediate"
            else:
                skill_level = "beginner"
            skills.append({"name": name, "level": skill_level, "years": skill_years})
        low, high = _salary(rng, category, level)
        employment = [EmploymentType.FULL_TIME.value]
        if level == "entry":
            employment.append(EmploymentType.INTERNSHIP.value)
        elif rng.random() < 0.35:
            employment.append(EmploymentType.CONTRACT.value)
        preferred = [location] + rng.sample([c for c in CITIES if c != location], k=rng.randint(0, 2))
        title = f"{LEVEL_TITLE.get(level, '')}{role}"
        plans.append(
            SeekerPlan(
                email=f"{first}.{last}@example.com".lower(),
                first_name=first,
                last_name=last,
                category=category,
                profile={
                    "headline": f"{title} in {location.split(',')[0]}",
                    "summary": (
                        f"{title} with {years} year{'s' * (years != 1)} of experience. "
                        f"Strongest in {core[0]} and {core[1]}; looking for a team that ships."
                    ),
                    "skills": skills,
                    "location": location,
                    "experience_years": years,
                    "experience_level": level,
                    "desired_salary_min": low,
                    "desired_salary_max": high,
                    "currency": "USD",
                    "preferred_employment_types": employment,
                    "preferred_locations": preferred,
                    "remote": rng.random() < 0.6,
                    "availability": rng.choice(
                        [Availability.IMMEDIATE, Availability.TWO_WEEKS, Availability.ONE_MONTH, Availability.IMMEDIATE]
                    ).value,
                },
            )
        )
    return plans


def _plan_applications(rng: random.Random, seekers: list[SeekerPlan], jobs: list[JobPlan]) -> list[ApplicationPlan]:
    company_names = {slug: name for slug, name, *_rest in COMPANIES}
    plans = []
    for seeker in seekers:
        in_category = [
            i for i, job in enumerate(jobs) if job.final_status == "open" and job.fields["category"] == seeker.category
        ]
        for job_index in rng.sample(in_category, k=min(len(in_category), rng.randint(2, 5))):
            outcome = _weighted(rng, APPLICATION_OUTCOMES)
            path: list[tuple[str, str]] = []
            status = ApplicationStatus.PENDING
            if outcome in ("rejected", "withdrawn"):
                # Leave the workflow from a random open stage.
                stop = rng.choice(
                    [ApplicationStatus.PENDING, ApplicationStatus.REVIEWING, ApplicationStatus.SHORTLISTED]
                )
            else:
                stop = outcome
            while status != stop:
                status = FORWARD[status]
                path.append((status.value, "recruiter"))
            if outcome == "rejected":
                path.append(("rejected", "recruiter"))
            elif outcome == "withdrawn":
                path.append(("withdrawn", "candidate"))
            title = jobs[job_index].title
            company = company_names[jobs[job_index].company_slug]
            letter = (
                f"Dear {company} team,\n\nI would like to apply for the {title} role. "
                f"{seeker.profile['summary']} I would be glad to talk about how I can help.\n\n"
                f"Kind regards,\n{seeker.first_name} {seeker.last_name}"
            )
            plans.append(
                ApplicationPlan(job_index=job_index, seeker_email=seeker.email, cover_letter=letter, path=path)
            )
    return plans


def build_plan(now) -> Plan:
    """The whole demo data set, from a fixed seed (the same on every run)."""
    rng = random.Random(SEED)
    jobs = _plan_jobs(rng, now)
    seekers = _plan_seekers(rng)
    return Plan(seekers=seekers, jobs=jobs, applications=_plan_applications(rng, seekers, jobs))


class Command(BaseCommand):
    help = (
        "Create demo companies, recruiters, job seekers, 200 jobs and some applications, plus a superuser. "
        f"Idempotent. Every demo login uses the password {DEMO_PASSWORD!r}."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        plan = build_plan(timezone.now())
        with transaction.atomic(), _quick_demo_hashing():
            admin = self._admin()
            recruiters, companies = self._companies()
            seekers = self._seekers(plan.seekers)
            jobs = self._jobs(plan.jobs, companies, recruiters)
            self._applications(plan.applications, jobs, seekers, recruiters)
        recruiter = recruiters[COMPANIES[0][0]]
        seeker = seekers[plan.seekers[0].email]
        interview = ensure_demo_interview(recruiter, seeker)
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.\n")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write(f"  admin      {admin.email}   (Django admin at /admin/)")
        self.stdout.write(f"  recruiter  {recruiter.email}   ({recruiter.company.name})")
        self.stdout.write(f"  seeker     {seeker.email}")
        if interview is not None:
            self.stdout.write(
                f"Video interview of these two: /interview/{interview.pk}/ (open until {interview.ends_at:%H:%M} UTC; "
                "seed_demo schedules a new one when it has passed)"
            )

    def _report(self, phase: str, created: int, total: int) -> None:
        self.stdout.write(f"{phase:<13} {created:>4} created, {total - created:>4} already there")

    def _admin(self) -> User:
        admin = User.objects.filter(email__iexact=ADMIN_EMAIL).first()
        created = admin is None
        if created:
            admin = User.objects.create_superuser(
                email=ADMIN_EMAIL, password=DEMO_PASSWORD, first_name="Kazi", last_name="Admin"
            )
        self._report("admin", int(created), 1)
        return admin

    def _user(self, *, email: str, first_name: str, last_name: str, user_type: str) -> tuple[User, bool]:
        user = User.objects.filter(email__iexact=email).first()
        if user is not None:
            return user, False
        user = account_services.user_register(
            email=email, password=DEMO_PASSWORD, user_type=user_type, first_name=first_name, last_name=last_name
        )
        return user, True

    def _companies(self) -> tuple[dict[str, User], dict[str, Company]]:
        recruiters: dict[str, User] = {}
        companies: dict[str, Company] = {}
        created = 0
        for (slug, name, domain, location, about), (first, last) in zip(COMPANIES, RECRUITERS, strict=True):
            recruiter, _ = self._user(
                email=f"{first}.{last}@{domain}".lower(),
                first_name=first,
                last_name=last,
                user_type=UserType.RECRUITER,
            )
            company = Company.objects.filter(slug=slug).first()
            if company is None:
                company = services.company_create(
                    creator=recruiter,
                    name=name,
                    slug=slug,
                    website=f"https://{domain}",
                    location=location,
                    description=about,
                )
                created += 1
            recruiters[slug], companies[slug] = recruiter, company
        self._report("companies", created, len(COMPANIES))
        return recruiters, companies

    def _seekers(self, plans: list[SeekerPlan]) -> dict[str, User]:
        seekers: dict[str, User] = {}
        created = 0
        for seeker_plan in plans:
            user, is_new = self._user(
                email=seeker_plan.email,
                first_name=seeker_plan.first_name,
                last_name=seeker_plan.last_name,
                user_type=UserType.JOB_SEEKER,
            )
            if is_new:
                services.profile_update(profile=services.profile_for(user), data=seeker_plan.profile)
                created += 1
            seekers[seeker_plan.email] = user
        self._report("job seekers", created, len(plans))
        return seekers

    def _jobs(self, plans: list[JobPlan], companies: dict[str, Company], recruiters: dict[str, User]) -> list[Job]:
        existing = {
            (job.company_id, job.title): job
            for job in Job.objects.filter(company__in=companies.values()).select_related("company")
        }
        jobs: list[Job] = []
        created = 0
        for job_plan in plans:
            company = companies[job_plan.company_slug]
            job = existing.get((company.pk, job_plan.title))
            if job is None:
                recruiter = recruiters[job_plan.company_slug]
                job = services.job_create(company=company, posted_by=recruiter, **job_plan.fields)
                if job_plan.final_status == JobStatus.CLOSED:
                    # Closed jobs were open once: posted, then closed.
                    job = services.job_update(job=job, actor=recruiter, data={"status": JobStatus.CLOSED})
                created += 1
            jobs.append(job)
        self._report("jobs", created, len(plans))
        return jobs

    def _applications(
        self,
        plans: list[ApplicationPlan],
        jobs: list[Job],
        seekers: dict[str, User],
        recruiters: dict[str, User],
    ) -> None:
        existing = set(
            Application.objects.filter(job__in=jobs, candidate__in=seekers.values()).values_list(
                "job_id", "candidate_id"
            )
        )
        created = 0
        for app_plan in plans:
            job, candidate = jobs[app_plan.job_index], seekers[app_plan.seeker_email]
            if (job.pk, candidate.pk) in existing or job.status != JobStatus.OPEN:
                continue  # already applied, or someone closed the demo job since the first run
            application = services.application_create(job=job, candidate=candidate, cover_letter=app_plan.cover_letter)
            recruiter = recruiters[job.company.slug]
            for new_status, who in app_plan.path:
                application = services.application_change_status(
                    application=application, new_status=new_status, actor=candidate if who == "candidate" else recruiter
                )
            created += 1
        self._report("applications", created, len(plans))
