"""The fields of a resume, read from its plain text. Pure functions, no ORM.

Resumes are loosely structured: a header with the name and contacts, then
sections (summary, experience, education, skills) under headings. We find the
headings, then read each section with patterns that hold across templates.
"""

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from marketplace.skill_vocabulary import extract_skills

SECTION_HEADINGS = {
    "summary": ("summary", "profile", "professional summary", "about me", "objective", "career objective", "about"),
    "experience": (
        "experience",
        "work experience",
        "professional experience",
        "employment",
        "employment history",
        "work history",
        "career history",
        "relevant experience",
    ),
    "education": (
        "education",
        "education and training",
        "academic background",
        "qualifications",
        "academic qualifications",
    ),
    "skills": ("skills", "technical skills", "key skills", "core skills", "competencies", "core competencies", "tools"),
    "other": (
        "certifications",
        "certificates",
        "projects",
        "languages",
        "references",
        "interests",
        "awards",
        "publications",
    ),
}
_HEADING_OF = {heading: section for section, headings in SECTION_HEADINGS.items() for heading in headings}

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w+(])(\+?\(?\d[\d ().-]{6,}\d)(?!\w)")
YEARS_STATED = re.compile(r"(\d{1,2})\s*\+?\s*(?:years?|yrs?)\b(?:[^.\n]{0,30}?\bexperience)?", re.I)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS.replace("|sept", "").split("|"), start=1)} | {"sept": 9}
_WHEN = rf"(?:(?P<Pm>{_MONTHS})[a-z]*\.?\s+|(?P<Pn>\d{{1,2}})/)?(?P<Py>(?:19|20)\d{{2}})"
DATE_RANGE = re.compile(
    _WHEN.replace("<P", "<a")
    + r"\s*(?:-|–|—|to|until)\s*(?:"
    + _WHEN.replace("<P", "<b")
    + r"|(?P<now>present|current|now|today))",
    re.I,
)
TITLE_WORDS = (
    "engineer|developer|programmer|manager|analyst|designer|consultant|scientist|architect|specialist|"
    "administrator|accountant|officer|director|lead|head|intern|assistant|coordinator|technician|"
    "nurse|teacher|lecturer|researcher|editor|writer|marketer|recruiter|associate|executive|"
    "supervisor|advisor|adviser|representative|agent|clerk|cashier|chef|driver|operator|"
    "tester|devops|sre|cto|ceo|cfo|founder|co-founder|product owner|scrum master|trainer"
)
TITLE = re.compile(rf"\b({TITLE_WORDS})s?\b", re.I)
DEGREE = re.compile(
    r"\b(ph\.?\s?d|doctorate|master(?:'s)?|m\.?\s?sc|m\.?\s?a\b|mba|m\.?\s?eng|bachelor(?:'s)?|b\.?\s?sc|b\.?\s?a\b|"
    r"b\.?\s?eng|b\.?\s?com|b\.?\s?tech|diploma|certificate|associate degree|kcse|high school|a-levels?|o-levels?)",
    re.I,
)
INSTITUTION = re.compile(r"\b(university|college|institute|school|polytechnic|academy)\b", re.I)
_NAME_WORD = re.compile(r"^[A-Z][A-Za-z'’-]+\.?$|^[A-Z]\.$")
_SEPARATORS = re.compile(r"\s+(?:at|@|\||—|–|-|,)\s+|\s*[|,]\s*")


@dataclass
class ParsedResume:
    name: str = ""
    email: str = ""
    phone: str = ""
    skills: list[str] = field(default_factory=list)
    experience_years: int | None = None
    job_titles: list[str] = field(default_factory=list)
    education: list[str] = field(default_factory=list)
    summary: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def first_name(self) -> str:
        return self.name.split(" ", 1)[0] if self.name else ""

    @property
    def last_name(self) -> str:
        return self.name.split(" ", 1)[1] if " " in self.name else ""


def split_sections(text: str) -> dict[str, list[str]]:
    """Lines of the resume under each known heading; lines before the first heading are the "header"."""
    sections: dict[str, list[str]] = {"header": []}
    current = "header"
    for line in text.split("\n"):
        heading = _heading_of(line)
        if heading is not None:
            current = heading
            sections.setdefault(current, [])
            continue
        if line.strip():
            sections.setdefault(current, []).append(line.strip())
    return sections


def _heading_of(line: str) -> str | None:
    key = re.sub(r"[^a-z ]", "", line.lower()).strip()
    if not key or len(line) > 40:
        return None
    return _HEADING_OF.get(key)


def parse_name(header: list[str], email: str) -> str:
    for line in header[:6]:
        candidate = line.strip(" .,:")
        if "@" in candidate or any(ch.isdigit() for ch in candidate) or _heading_of(candidate):
            continue
        words = candidate.split()
        if 2 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words) and not TITLE.search(candidate):
            return " ".join(w.capitalize() if w.isupper() and len(w) > 2 else w for w in words)
    if email:
        local = re.split(r"[._-]", email.split("@", 1)[0])
        parts = [p.capitalize() for p in local if p.isalpha() and len(p) > 1]
        if len(parts) >= 2:
            return " ".join(parts[:3])
    return ""


def parse_phone(text: str) -> str:
    for match in PHONE.finditer(text):
        raw = match.group(1).strip()
        digits = re.sub(r"\D", "", raw)
        # Dates ("2015 - 2019") and years look like numbers too; a phone has 9 to 15 digits.
        if 9 <= len(digits) <= 15 and not DATE_RANGE.search(raw):
            return raw
    return ""


def _month_index(match: re.Match, prefix: str, today: date) -> int | None:
    if prefix == "b" and match.group("now"):
        return today.year * 12 + today.month - 1
    year = match.group(f"{prefix}y")
    if year is None:
        return None
    month_name, month_number = match.group(f"{prefix}m"), match.group(f"{prefix}n")
    month = _MONTH_NUMBER.get(month_name.lower()[:4].rstrip(".")) if month_name else None
    if month is None and month_name:
        month = _MONTH_NUMBER.get(month_name.lower()[:3])
    if month is None and month_number and 1 <= int(month_number) <= 12:
        month = int(month_number)
    return int(year) * 12 + (month or 1) - 1


def parse_experience_years(text: str, experience: list[str], today: date) -> int | None:
    """Years of work: the dated roles' months, overlaps counted once; else the years the resume states."""
    spans = []
    for line in experience:
        for match in DATE_RANGE.finditer(line):
            start, end = _month_index(match, "a", today), _month_index(match, "b", today)
            if start is not None and end is not None and start <= end <= (today.year * 12 + today.month):
                spans.append((start, end))
    if spans:
        months, last_end = 0, None
        for start, end in sorted(spans):
            if last_end is not None and start <= last_end:
                if end > last_end:
                    months += end - last_end
                    last_end = end
                continue
            months += end - start + 1 if start != end else 1
            last_end = end
        return round(months / 12)
    stated = [int(m.group(1)) for m in YEARS_STATED.finditer(text) if "experience" in m.group(0).lower()]
    return max(stated) if stated else None


def parse_job_titles(experience: list[str]) -> list[str]:
    titles: list[str] = []
    for line in experience:
        if line.startswith(("•", "-", "*", "–")) or len(line) > 120:
            continue  # bullet points describe the work; the role is on its own line
        without_dates = DATE_RANGE.sub("", line).strip(" ,|–—-()")
        for part in _SEPARATORS.split(without_dates):
            part = part.strip(" ,|–—-()")
            if part and TITLE.search(part) and len(part.split()) <= 6 and not INSTITUTION.search(part):
                if part.lower() not in (t.lower() for t in titles):
                    titles.append(part)
                break
    return titles[:10]


def parse_education(education: list[str]) -> list[str]:
    entries: list[str] = []
    for line in education:
        if DEGREE.search(line) or INSTITUTION.search(line):
            entry = line.strip(" •-*")
            if entry and entry not in entries:
                entries.append(entry)
    return entries[:10]


def parse_skills(text: str, sections: dict[str, list[str]]) -> list[str]:
    # The skills section first, so the resume's own list leads, then what the rest mentions.
    return extract_skills("\n".join(sections.get("skills", [])) + "\n" + text)[:60]


def parse_summary(sections: dict[str, list[str]]) -> str:
    return " ".join(sections.get("summary", []))[:2000]


STEPS = ("Extracting contact details", "Extracting skills", "Extracting work experience", "Extracting education")


def parse_resume(text: str, *, today: date | None = None, on_step: Callable[[str], None] | None = None) -> ParsedResume:
    """Every field of the resume; `on_step` hears each of STEPS as it starts (the progress bar)."""
    step = on_step or (lambda label: None)
    today = today or date.today()
    sections = split_sections(text)
    header = sections.get("header", [])
    experience = sections.get("experience", [])

    step(STEPS[0])
    email_match = EMAIL.search(text)
    email = email_match.group(0).lower() if email_match else ""
    parsed = ParsedResume(
        name=parse_name(header, email),
        email=email,
        phone=parse_phone("\n".join(header)) or parse_phone(text),
        summary=parse_summary(sections),
    )
    step(STEPS[1])
    parsed.skills = parse_skills(text, sections)
    step(STEPS[2])
    parsed.experience_years = parse_experience_years(text, experience, today)
    parsed.job_titles = parse_job_titles(experience)
    step(STEPS[3])
    parsed.education = parse_education(sections.get("education", []))
    return parsed
