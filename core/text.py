"""How Kazi writes counts, money, places, statuses and descriptions: one way, here (templates use it through
web/templatetags/kazi_text.py, server-made messages call it directly; static/kazi/format.js is its twin for the
pages' scripts, and the two are tested against the same examples)."""

import re
from datetime import UTC
from html import escape

from django.utils.safestring import SafeString, mark_safe

_IRREGULAR = {"person": "people", "company": "companies", "match": "matches", "search": "searches"}


def plural(count: int | float, noun: str, many: str | None = None) -> str:
    """`1 application`, `2 applications`, `1,200 jobs` (the count grouped by thousands)."""
    many = many or _IRREGULAR.get(noun) or f"{noun}s"
    number = f"{count:,}" if isinstance(count, int) else f"{count:,.1f}".rstrip("0").rstrip(".")
    return f"{number} {noun if count == 1 else many}"


def money(amount: int | float | None, currency: str = "USD") -> str:
    """`USD 55,000`: the ISO code, then the amount grouped by thousands, no decimals (salaries are whole)."""
    if amount is None:
        return ""
    return f"{(currency or '').upper()} {round(amount):,}".strip()


def salary_range(low: int | None, high: int | None, currency: str = "USD") -> str:
    """`USD 55,000–68,000`, `From USD 55,000`, `Up to USD 68,000`, or '' when neither is known."""
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        if low == high:
            return money(low, currency)
        return f"{money(low, currency)}–{high:,}"
    if low is not None:
        return f"From {money(low, currency)}"
    return f"Up to {money(high, currency)}"


def place(location: str, remote: bool) -> str:
    """Where a job is: `Remote`, `Remote · Nairobi, Kenya`, `Nairobi, Kenya` (never `Remote · Remote`)."""
    location = (location or "").strip()
    if remote:
        if not location or location.lower() in {"remote", "anywhere", "worldwide"}:
            return "Remote"
        return f"Remote · {location}"
    return location or "Location not given"


def status_word(status: str) -> str:
    """An application or job status as a word: `interview` → `Interview`, `full_time` → `Full time`."""
    text = str(status or "").replace("_", " ")
    return text[:1].upper() + text[1:]


def percent(value: float | None) -> str:
    """Whole percents everywhere a person reads a score: 83.8 → `84%`."""
    return "" if value is None else f"{round(value)}%"


def day(value) -> str:
    """`4 Dec 2026`, in UTC as stored (format.js `day` writes the same)."""
    if not value:
        return ""
    if getattr(value, "tzinfo", None) is not None:
        value = value.astimezone(UTC)
    return f"{value.day} {value:%b %Y}"


_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_ORDERED = re.compile(r"^\s*\d+[.)]\s+")


def markdownish(text: str) -> SafeString:
    """A description as HTML: blank lines part paragraphs, lines starting `- `, `* `, `• ` make a list, `1. ` a
    numbered one; everything else is escaped text (a recruiter's `<script>` stays text)."""
    html: list[str] = []
    for block in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip()):
        # Runs of list lines and of text lines, in order: ("ul" | "ol" | "p", [lines]).
        runs: list[tuple[str, list[str]]] = []
        for line in (line for line in block.split("\n") if line.strip()):
            if _BULLET.match(line):
                kind = runs[-1][0] if runs and runs[-1][0] != "p" else ("ol" if _ORDERED.match(line) else "ul")
                content = _BULLET.sub("", line, count=1).strip()
            else:
                kind, content = "p", line.strip()
            if runs and runs[-1][0] == kind:
                runs[-1][1].append(content)
            else:
                runs.append((kind, [content]))
        for kind, lines in runs:
            if kind == "p":
                html.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
            else:
                html.append(f"<{kind}>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + f"</{kind}>")
    return mark_safe("\n".join(html))  # every piece of text above went through escape()
