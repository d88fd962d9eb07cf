"""What a job search is, for /api/jobs/ and for saved searches alike: the filters, the search text, and how a
saved search's filters are checked and matched against a job, so that an alert agrees with the list."""

from typing import Any

import django_filters
import django_filters.rest_framework
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from rest_framework.filters import SearchFilter, search_smart_split

from marketplace.choices import EmploymentType, ExperienceLevel, JobStatus
from marketplace.models import Job
from marketplace.skills import lookup_keys

# The fields `search` looks in (JobViewSet.search_fields).
JOB_SEARCH_FIELDS = ["title", "description", "company__name", "location", "category"]


class CommaSkillsFilter(django_filters.CharFilter):
    """`skills=Python,Django`: objects that list every named skill (any letter case)."""

    def filter(self, qs, value):
        if not value:
            return qs
        keys = lookup_keys(value.split(","))
        return qs.filter(**{f"{self.field_name}__contains": keys}) if keys else qs


class JobFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=JobStatus.choices)
    location = django_filters.CharFilter(lookup_expr="icontains")
    remote = django_filters.rest_framework.BooleanFilter()  # accepts true/false and 1/0
    employment_type = django_filters.ChoiceFilter(choices=EmploymentType.choices)
    experience_level = django_filters.ChoiceFilter(choices=ExperienceLevel.choices)
    category = django_filters.CharFilter(lookup_expr="iexact")
    company = django_filters.NumberFilter(field_name="company_id")
    salary_min = django_filters.NumberFilter(
        method="filter_salary_min", help_text="Jobs whose range reaches at least this amount."
    )
    salary_max = django_filters.NumberFilter(
        method="filter_salary_max", help_text="Jobs whose range starts at or below this amount."
    )
    skills = CommaSkillsFilter(field_name="skill_names", help_text="Comma list; jobs requiring all of them.")

    class Meta:
        model = Job
        fields = ["status", "location", "remote", "employment_type", "experience_level", "category", "company"]

    def filter_salary_min(self, qs, name, value):
        return qs.filter(Q(salary_max__gte=value) | Q(salary_max__isnull=True, salary_min__gte=value))

    def filter_salary_max(self, qs, name, value):
        return qs.filter(Q(salary_min__lte=value) | Q(salary_min__isnull=True, salary_max__lte=value))


class _TextSearch(SearchFilter):
    """DRF's own `search` semantics (every term, each in any field) without a request."""

    def __init__(self, text: str):
        self.text = text

    def get_search_fields(self, view, request):
        return JOB_SEARCH_FIELDS

    def get_search_terms(self, request):
        return search_smart_split(self.text)


def job_filters_clean(filters: Any) -> dict[str, str]:
    """The filters as /api/jobs/ query values, or a ValidationError naming each bad filter under `filters`."""
    if not isinstance(filters, dict):
        raise ValidationError({"filters": ["An object of /api/jobs/ filter names and values."]})
    known = set(JobFilter.base_filters)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for name, value in filters.items():
        if name not in known:
            errors[name] = [f"Unknown filter; use one of: {', '.join(sorted(known))}."]
        elif isinstance(value, bool):
            cleaned[name] = "true" if value else "false"
        elif isinstance(value, (str, int, float)):
            cleaned[name] = str(value)
        else:
            errors[name] = ["A text, number or true/false value."]
    if not errors:
        form = JobFilter(data=cleaned, queryset=Job.objects.none()).form
        if not form.is_valid():
            errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        else:
            # /api/jobs/ quietly ignores a value its field reads as nothing (remote=maybe); a saved search that
            # then alerts about every job would surprise its owner, so it is refused.
            errors = {
                name: ["Not a value this filter understands."]
                for name, value in cleaned.items()
                if value.strip() and form.cleaned_data.get(name) in (None, "")
            }
    if errors:
        raise ValidationError({"filters": [f"{name}: {' '.join(messages)}" for name, messages in errors.items()]})
    # Empty values filter nothing in /api/jobs/; dropping them keeps what is stored what applies.
    return {name: value for name, value in cleaned.items() if value != ""}


def jobs_matching(jobs: QuerySet[Job], *, query: str, filters: dict[str, str]) -> QuerySet[Job]:
    """The jobs of `jobs` that /api/jobs/?search=query&<filters> would list (before its visibility rules)."""
    filterset = JobFilter(data=filters, queryset=jobs)
    if not filterset.is_valid():
        return jobs.none()  # stored before a filter changed its choices: it can match nothing now
    return _TextSearch(query).filter_queryset(None, filterset.qs, None) if query.strip() else filterset.qs
