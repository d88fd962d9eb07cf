"""Template comments that reach the page: Django's `{# #}` ends at the line's end, so one that runs over two
lines is printed as text (it once showed in the interview room)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPEN_WITHOUT_CLOSE = re.compile(r"\{#(?!.*#\})")


def test_no_template_comment_runs_over_a_line():
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    assert templates, "no templates found"
    leaking = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OPEN_WITHOUT_CLOSE.search(line)
    ]
    assert leaking == [], "use {% comment %} for a comment over several lines"
