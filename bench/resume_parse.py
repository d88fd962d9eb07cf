"""Resume parsing throughput: resumes parsed per second by one worker process.

Not a test: it prints figures and never fails on time. See bench/README.md.

    .venv/bin/python bench/resume_parse.py [--count 200] [--seed 7]

Generates --count resumes (half PDF drawn with reportlab, half DOCX written with python-docx; one to three
pages, 8–40 skills drawn from the shipped taxonomy, 1–6 dated roles) in memory, then in this one process:
  1. the baseline: text extraction alone (pypdf / python-docx), the floor any parser pays;
  2. the parse a Celery worker runs per resume (resumes: text, then name, contacts, skills through
     the taxonomy, experience, titles, education);
and prints resumes per second for each format and in all, with the parse's cost relative to the baseline.
It also checks the parse found each generated resume's email and at least half of its listed skills.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kazi_bench_resume")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

import django  # noqa: E402

django.setup()

from docx import Document as DocxDocument  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from marketplace.skill_vocabulary import skill_records  # noqa: E402
from resumes.fields import parse_resume  # noqa: E402
from resumes.text import extract_text  # noqa: E402

FIRST = ["Amina", "John", "Wanjiku", "Kofi", "Chidi", "Thandiwe", "Lars", "Maria", "Ravi", "Ana", "Omar", "Grace"]
LAST = ["Kamau", "Otieno", "Mensah", "Okafor", "Dlamini", "Jensen", "Garcia", "Patel", "Silva", "Haddad", "Mwangi"]
TITLES = [
    "Software Engineer",
    "Data Analyst",
    "Project Manager",
    "Backend Developer",
    "Accountant",
    "Nurse",
    "Marketing Specialist",
    "DevOps Engineer",
    "Product Designer",
    "Teacher",
    "Research Scientist",
]
SCHOOLS = ["University of Nairobi", "Makerere University", "University of Lagos", "Strathmore University"]
FILLER = (
    "Delivered the quarterly plan with the team, improved the process and reported to the board. "
    "Worked with customers and partners to ship features on time and within budget. "
)


def resume_lines(rng: random.Random, skills_pool: list[str], i: int) -> tuple[list[str], str, list[str]]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    email = f"person{i}@example.com"
    skills = rng.sample(skills_pool, rng.randint(8, 40))
    lines = [
        name,
        f"Nairobi, Kenya | {email} | +254 7{rng.randint(10, 99)} {rng.randint(100, 999)} {i % 1000:03d}",
        "Summary",
        FILLER[: rng.randint(60, 160)],
        "Work Experience",
    ]
    year = 2025
    for _ in range(rng.randint(1, 6)):
        start = year - rng.randint(1, 4)
        lines.append(f"{rng.choice(TITLES)} at Company {rng.randint(1, 500)} | Jan {start} - Dec {year}")
        lines.extend(f"• {FILLER[: rng.randint(50, 150)]}" for _ in range(rng.randint(1, 6)))
        year = start - 1
    lines += ["Education", f"BSc Computer Science, {rng.choice(SCHOOLS)}, {year}", "Skills", ", ".join(skills)]
    return lines, email, skills


def pdf_bytes(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in lines:
        for start in range(0, len(line), 95):
            if y < 60:
                page.showPage()
                y = 800
            page.drawString(50, y, line[start : start + 95])
            y -= 16
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx_bytes(lines: list[str]) -> bytes:
    document = DocxDocument()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def timed(files: list[bytes], work) -> tuple[float, list]:
    started = time.perf_counter()
    results = [work(data) for data in files]
    return time.perf_counter() - started, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    names = (skill["name"] for skill in skill_records())
    skills_pool = sorted(name for name in names if name.isascii() and 2 < len(name) < 25)
    skills_pool = rng.sample(skills_pool, 3000)
    made = [resume_lines(rng, skills_pool, i) for i in range(args.count)]
    files = {"pdf": [], "docx": []}
    expected = {"pdf": [], "docx": []}
    for i, (lines, email, skills) in enumerate(made):
        kind = "pdf" if i % 2 == 0 else "docx"
        files[kind].append(pdf_bytes(lines) if kind == "pdf" else docx_bytes(lines))
        expected[kind].append((email, skills))
    print(
        f"{args.count} generated resumes: {len(files['pdf'])} PDF "
        f"({sum(map(len, files['pdf'])) / len(files['pdf']) / 1024:.1f} KiB avg), {len(files['docx'])} DOCX"
    )

    for data in files["pdf"][:3] + files["docx"][:3]:  # warm the taxonomy and the readers
        parse_resume(extract_text(data))

    totals = {"extract": 0.0, "parse": 0.0}
    for kind in ("pdf", "docx"):
        extract_seconds, _ = timed(files[kind], extract_text)
        parse_seconds, parsed = timed(files[kind], lambda data: parse_resume(extract_text(data)))
        totals["extract"] += extract_seconds
        totals["parse"] += parse_seconds
        emails_ok = sum(p.email == email for p, (email, _) in zip(parsed, expected[kind], strict=True))
        skills_ok = sum(
            len({s.lower() for s in p.skills} & {s.lower() for s in skills}) >= len(skills) / 2
            for p, (_, skills) in zip(parsed, expected[kind], strict=True)
        )
        n = len(files[kind])
        print(
            f"  {kind:4}: text only {n / extract_seconds:7.1f} /s   full parse {n / parse_seconds:7.1f} /s   "
            f"(email found {emails_ok}/{n}, half the skills or more {skills_ok}/{n})"
        )
    print(
        f"all : text only {args.count / totals['extract']:7.1f} resumes/s (baseline)   "
        f"full parse {args.count / totals['parse']:7.1f} resumes/s per worker process   "
        f"parse costs {totals['parse'] / totals['extract']:.2f}x the text extraction alone"
    )


if __name__ == "__main__":
    main()
