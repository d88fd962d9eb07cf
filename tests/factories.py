import factory
from django.utils.text import slugify

from accounts.choices import UserType
from accounts.models import User
from marketplace.choices import EmploymentType, ExperienceLevel, JobStatus
from marketplace.models import Application, Company, Job, JobSeekerProfile
from marketplace.skills import text_skills

PASSWORD = "correct-horse-battery-staple"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    location = "Nairobi, Kenya"
    website = "https://example.com"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    user_type = UserType.JOB_SEEKER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class SeekerFactory(UserFactory):
    user_type = UserType.JOB_SEEKER
    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")


class RecruiterFactory(UserFactory):
    user_type = UserType.RECRUITER
    company = factory.SubFactory(CompanyFactory)


class AdminFactory(UserFactory):
    user_type = UserType.ADMIN
    is_staff = True
    is_superuser = True


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobSeekerProfile

    headline = "Backend developer"
    location = "Nairobi, Kenya"
    experience_years = 3
    experience_level = ExperienceLevel.MID
    skills = factory.LazyFunction(lambda: [{"name": "Python", "level": "advanced", "years": 3}])
    skill_names = factory.LazyAttribute(lambda o: [s["name"].lower() for s in o.skills])


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Software Engineer {n}")
    description = "Build and run our services."  # names no skill: tests that want extracted skills say so
    location = "Nairobi, Kenya"
    employment_type = EmploymentType.FULL_TIME
    experience_level = ExperienceLevel.MID
    salary_min = 50_000
    salary_max = 80_000
    skills_required = factory.LazyFunction(lambda: ["Python", "Django"])
    skills_preferred = factory.LazyFunction(list)
    skill_names = factory.LazyAttribute(lambda o: [s.lower() for s in o.skills_required])
    # As the service keeps it: the skills the text names beyond the lists.
    skills_extracted = factory.LazyAttribute(
        lambda o: text_skills(
            title=o.title, description=o.description, listed=[*o.skills_required, *o.skills_preferred]
        )
    )
    category = "tech"
    status = JobStatus.OPEN


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    job = factory.SubFactory(JobFactory)
    candidate = factory.SubFactory(SeekerFactory)
    cover_letter = "I would love to work here."
