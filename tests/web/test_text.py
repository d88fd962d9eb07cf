"""One way to write counts, money, places, statuses and scores: core/text.py for the server, static/kazi/format.js
for the pages' scripts, checked on the same examples so that the two never drift apart."""

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.template import Context, Template

from core import text
from tests import factories

ROOT = Path(__file__).resolve().parents[2]

EXAMPLES = [
    ("plural", [1, "application"], "1 application"),
    ("plural", [0, "application"], "0 applications"),
    ("plural", [2, "application"], "2 applications"),
    ("plural", [1200, "job"], "1,200 jobs"),
    ("plural", [3, "company"], "3 companies"),
    ("money", [55000, "USD"], "USD 55,000"),
    ("money", [1250000, "kes"], "KES 1,250,000"),
    ("salary_range", [55000, 68000, "USD"], "USD 55,000–68,000"),
    ("salary_range", [55000, None, "USD"], "From USD 55,000"),
    ("salary_range", [None, 68000, "USD"], "Up to USD 68,000"),
    ("salary_range", [None, None, "USD"], ""),
    ("salary_range", [60000, 60000, "EUR"], "EUR 60,000"),
    ("place", ["Remote", True], "Remote"),
    ("place", ["", True], "Remote"),
    ("place", ["Nairobi, Kenya", True], "Remote · Nairobi, Kenya"),
    ("place", ["Nairobi, Kenya", False], "Nairobi, Kenya"),
    ("status_word", ["interview"], "Interview"),
    ("status_word", ["full_time"], "Full time"),
    ("percent", [83.8], "84%"),
    ("percent", [7.2], "7%"),
]
JS_NAMES = {"salary_range": "salaryRange", "status_word": "statusWord"}


@pytest.mark.parametrize(("name", "args", "expected"), EXAMPLES)
def test_the_server_writes_it_one_way(name, args, expected):
    assert getattr(text, name)(*args) == expected


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_pages_write_it_the_same_way():
    calls = [[JS_NAMES.get(name, name), args] for name, args, _ in EXAMPLES]
    script = (
        f"import('{(ROOT / 'static/kazi/format.js').as_uri()}').then((f) => "
        f"console.log(JSON.stringify({json.dumps(calls)}.map(([name, args]) => f[name](...args)))))"
    )
    output = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, timeout=30).stdout
    assert json.loads(output) == [expected for _, _, expected in EXAMPLES]


def test_a_date_reads_the_same_in_both():
    moment = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    assert text.day(moment) == "4 Dec 2026"


def test_a_description_becomes_paragraphs_and_lists_with_its_text_escaped():
    html = text.markdownish(
        "We build payments.\nFor all of Africa.\n\nYou will:\n- run <script>alert(1)</script> services\n"
        "- mentor\n\n1. apply\n2. talk to us"
    )
    assert html == (
        "<p>We build payments.<br>For all of Africa.</p>\n<p>You will:</p>\n"
        "<ul><li>run &lt;script&gt;alert(1)&lt;/script&gt; services</li><li>mentor</li></ul>\n"
        "<ol><li>apply</li><li>talk to us</li></ol>"
    )


def test_the_template_filters_use_the_same_helpers():
    rendered = Template(
        '{% load kazi_text %}{{ 1|plural:"application" }} / {{ 5|plural:"application" }} / {{ job|salary }} / '
        "{{ job|place }} / {{ 'shortlisted'|status_word }} / {{ 83.8|percent }}"
    ).render(
        Context({"job": factories.JobFactory.build(salary_min=55000, salary_max=68000, location="Remote", remote=True)})
    )
    assert rendered == "1 application / 5 applications / USD 55,000–68,000 / Remote / Shortlisted / 84%"
