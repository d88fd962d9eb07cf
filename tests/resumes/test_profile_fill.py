"""A profile filled from a resume speaks the scorer's language: the level it gets is the one matching infers."""

import pytest

from marketplace.models import JobSeekerProfile
from matcher.scoring import LEVELS, JobSpec, Seeker, experience_factor
from resumes.fields import ParsedResume
from resumes.profile_fill import profile_fill_from_resume


def inferred_by_the_scorer(years: int) -> list[str]:
    """The job levels the scorer finds a perfect fit for a seeker with `years` and no stated level."""
    seeker = Seeker(skills=frozenset(), experience_years=years)
    return [
        level
        for level in LEVELS
        if experience_factor(seeker, JobSpec(id=0, skills_required=(), experience_level=level)) == 100.0
    ]


@pytest.mark.parametrize("years", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 25])
def test_a_profile_filled_from_a_resume_gets_the_level_the_scorer_infers(new_seeker, years):
    filled = profile_fill_from_resume(user=new_seeker, parsed=ParsedResume(experience_years=years))

    profile = JobSeekerProfile.objects.get(user=new_seeker)
    assert "experience_level" in filled
    assert [profile.experience_level] == inferred_by_the_scorer(years)
