"""Reading a resume's fields from its text: pure functions, no database."""

from datetime import date

import pytest

from resumes.fields import (
    parse_education,
    parse_experience_years,
    parse_job_titles,
    parse_name,
    parse_phone,
    parse_resume,
    split_sections,
)

TODAY = date(2026, 11, 29)

RESUME = """AMINA WANJIRU
Nairobi, Kenya | amina.wanjiru@example.com | +254 712 345 678
Professional Summary
Backend engineer who builds payment systems with Python and Django.
Work Experience
Senior Software Engineer at SavannaPay | Jan 2020 – Present
• Built the settlement service in Python, Django and PostgreSQL
Software Developer, Acme Ltd, Mar 2016 - Dec 2019
• Wrote React front ends and REST APIs
Education
BSc Computer Science, University of Nairobi, 2015
Skills
Python, Django, PostgreSQL, Redis, Docker, JS, React, Kubernetes
"""


def test_every_field_of_a_typical_resume():
    parsed = parse_resume(RESUME, today=TODAY)
    assert parsed.name == "Amina Wanjiru"
    assert parsed.email == "amina.wanjiru@example.com"
    assert parsed.phone == "+254 712 345 678"
    assert parsed.job_titles == ["Senior Software Engineer", "Software Developer"]
    assert parsed.education == ["BSc Computer Science, University of Nairobi, 2015"]
    assert parsed.summary == "Backend engineer who builds payment systems with Python and Django."
    # Jan 2020 – Nov 2026 (83 months) + Mar 2016 – Dec 2019 (46 months) = 10.75 years.
    assert parsed.experience_years == 11


def test_skills_are_canonical_names_through_the_taxonomy():
    skills = parse_resume(RESUME, today=TODAY).skills
    assert {"Python", "Django", "PostgreSQL", "Redis", "Docker", "JavaScript", "React", "Kubernetes"} <= set(skills)
    assert skills[:3] == ["Python", "Django", "PostgreSQL"]  # the resume's own skills list leads


def test_java_in_a_resume_is_not_javascript_and_going_is_not_go():
    parsed = parse_resume("Jane Doe\nSkills\nJava, Spring\nI am going places.", today=TODAY)
    assert "Java" in parsed.skills
    assert "JavaScript" not in parsed.skills
    assert "Go" not in parsed.skills


def test_overlapping_roles_count_once():
    lines = ["Engineer, A, Jan 2018 - Dec 2020", "Consultant, B, Jan 2019 - Dec 2021"]
    assert parse_experience_years("", lines, TODAY) == 4


def test_numeric_month_dates_and_year_only_ranges():
    assert parse_experience_years("", ["Analyst, C, 01/2010 - 12/2014"], TODAY) == 5
    assert parse_experience_years("", ["Teacher, D, 2000 - 2010"], TODAY) == 10


def test_stated_years_are_used_when_no_role_is_dated():
    assert parse_experience_years("Over 7 years of experience in data engineering.", [], TODAY) == 7
    assert parse_experience_years("Managed a team of 12 people.", [], TODAY) is None


def test_future_end_dates_are_ignored():
    assert parse_experience_years("", ["Engineer, A, Jan 2025 - Dec 2031"], TODAY) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Call +254 712 345 678 now", "+254 712 345 678"),
        ("(555) 123-4567 ext", "(555) 123-4567"),
        ("Worked 2015 - 2019 at Acme", ""),
        ("Reference number 12345", ""),
    ],
)
def test_phone_numbers_but_not_dates(text, expected):
    assert parse_phone(text) == expected


def test_name_falls_back_to_the_email_when_the_header_has_none():
    assert parse_name(["Curriculum Vitae 2026", "john.otieno@example.com"], "john.otieno@example.com") == "John Otieno"
    assert parse_name(["Senior Data Engineer"], "") == ""  # a job title is not a name


def test_bullets_are_not_job_titles_and_schools_are_not_roles():
    titles = parse_job_titles(
        [
            "• Led the engineer onboarding",
            "Data Analyst | Safaricom | 2019 - 2021",
            "Teaching Assistant, Strathmore University",
        ]
    )
    assert titles == ["Data Analyst", "Teaching Assistant"]


def test_education_keeps_degrees_and_institutions():
    assert parse_education(
        ["MSc Data Science, Strathmore University, 2020", "Dean's list", "KCSE, Alliance High School"]
    ) == [
        "MSc Data Science, Strathmore University, 2020",
        "KCSE, Alliance High School",
    ]


def test_sections_by_their_headings_whatever_the_case():
    sections = split_sections("Jane\nEXPERIENCE\nDeveloper, X\nEducation:\nBA, Y College")
    assert sections["header"] == ["Jane"]
    assert sections["experience"] == ["Developer, X"]
    assert sections["education"] == ["BA, Y College"]


def test_an_empty_resume_parses_to_empty_fields():
    parsed = parse_resume("", today=TODAY)
    assert parsed.as_dict() == {
        "name": "",
        "email": "",
        "phone": "",
        "skills": [],
        "experience_years": None,
        "job_titles": [],
        "education": [],
        "summary": "",
    }


def test_progress_steps_are_reported_in_order():
    heard = []
    parse_resume(RESUME, today=TODAY, on_step=heard.append)
    assert heard == [
        "Extracting contact details",
        "Extracting skills",
        "Extracting work experience",
        "Extracting education",
    ]
