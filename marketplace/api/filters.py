import django_filters
from django.db.models import Q

from marketplace.choices import ApplicationStatus, Availability
from marketplace.job_search import CommaSkillsFilter
from marketplace.models import Application, JobSeekerProfile
from marketplace.selectors import candidate_search


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    job = django_filters.NumberFilter(field_name="job_id")

    class Meta:
        model = Application
        fields = ["status", "job"]


class CandidateFilter(django_filters.FilterSet):
    skills = CommaSkillsFilter(field_name="skill_names", help_text="Comma list; candidates with all of them.")
    location = django_filters.CharFilter(lookup_expr="icontains")
    experience_min = django_filters.NumberFilter(field_name="experience_years", lookup_expr="gte")
    experience_max = django_filters.NumberFilter(field_name="experience_years", lookup_expr="lte")
    salary_min = django_filters.NumberFilter(
        method="filter_salary_min", help_text="Candidates whose desired range reaches this amount."
    )
    salary_max = django_filters.NumberFilter(
        method="filter_salary_max", help_text="Candidates whose desired minimum is at most this amount."
    )
    availability = django_filters.MultipleChoiceFilter(choices=Availability.choices)
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text="Full text over headline, skills, name, summary, latest resume and location; web-search syntax "
        '(words, "a phrase", -excluded, or). Results come best match first unless `ordering` is given.',
    )

    class Meta:
        model = JobSeekerProfile
        fields = ["location", "availability"]

    def filter_search(self, qs, name, value):
        return candidate_search(qs, text=value)

    def filter_salary_min(self, qs, name, value):
        return qs.filter(Q(desired_salary_max__gte=value) | Q(desired_salary_max__isnull=True))

    def filter_salary_max(self, qs, name, value):
        return qs.filter(Q(desired_salary_min__lte=value) | Q(desired_salary_min__isnull=True))
