"""The skill vocabulary: canonical names, alias normalization and skill extraction from text (pure, no ORM).

The data is ``marketplace/data/skills_taxonomy.json.gz``, built by ``scripts/build_skills_taxonomy.py`` from O*NET
29.2 technology skills, ESCO v1.1.1 skills and a small curated table (attribution in ``marketplace/data/SOURCE.md``).
It is loaded once, lazily, on first use; nothing here reads ``../shared`` or the database. How two skills relate
(exact, partial, taxonomy relatives) is matching's business: ``matcher/taxonomy.py`` reads the same file.

Every skill has one canonical name ("JavaScript", "PostgreSQL", "Go") and lower-case aliases ("js", "ecmascript",
"postgres", "golang"). The rules:

* **Keys.** Text is split into tokens: runs of letters/digits that may contain inner dots or apostrophes, may start
  with a dot and may end with ``++``, ``+`` or ``#`` ("Node.js", ".NET", "C++", "C#", "F#"); every other symbol except
  the hyphen is a token of its own ("CI/CD" is ``ci / cd``); whitespace and hyphens separate tokens. A token's key is
  its lower-case form without inner dots and apostrophes ("Node.JS" -> ``nodejs``, ".NET" keeps its leading dot:
  ``.net``). Two spellings with the same token keys are the same alias, so lookups ignore case, spacing, hyphens and
  inner dots, but never the symbols that change the meaning (C, C++, C#, .NET and NET are all different).
* **canonical()** looks a name up by its token keys, then by a looser key without spaces and punctuation tokens
  ("ci cd", "Node JS", "scikit learn"); a loose key shared by two skills is dropped rather than guessed.
* **Whole words only.** Extraction works on whole tokens, never on substrings: "Java" is not in "JavaScript", "Go"
  is not in "going" or "Google".
* **Ambiguous aliases.** Plain aliases of at most two letters ("go", "r", "c", "js", "ml") and aliases that are
  ordinary English words ("react", "swift", "spark", "flask", "excel", "node"; flagged ``notext`` by the build) resolve
  names in skill lists (``canonical("go") == "Go"``) but are never found in free text in lower case. In text they only
  count in their listed case (``cased``: "Go", "R", "C", "JS", "React", "Swift", "Excel"), as a standalone token: not
  joined by a hyphen ("C-level", "Go-to-market"), not followed by a word that marks prose ("Go to", "Go ahead",
  "Go the extra mile"), and at the start of a sentence, line or bullet only when followed by punctuation, a line end
  or a capitalized word ("Go, Python", "- Go\\n", "Go Developer", "Go and Rust"; not "Go above and beyond"). A
  one-letter skill after a plain lower-case word needs a skill-list context ("strong C skills", "using R"; not
  "vitamin C", "grade R"). "py" is not an alias of Python.
* **extract_skills()** scans the tokens left to right and takes the longest alias starting at each token (so
  "machine learning engineer" yields Machine learning and "Django REST framework" is one skill, not Django). A
  2,000-word description takes a few milliseconds once the data is loaded.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

DATA_PATH = Path(__file__).resolve().parent / "data" / "skills_taxonomy.json.gz"
MAX_SKILL_LENGTH = 100

_WORD = r"[^\W_]"
TOKEN_RE = re.compile(rf"\.?{_WORD}+(?:[.'’]{_WORD}+)*(?:\+\+|\+|#)?|[^\w\s\-]|_")
_INNER_MARKS = str.maketrans("", "", ".'’")
_PLAIN_ALIAS = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
# fmt: off
# Words that, right after an ambiguous capitalized alias, show it is prose ("Go to", "Go ahead").
PROSE_FOLLOWERS = frozenset({
    "to", "ahead", "live", "back", "beyond", "above", "through", "over", "out", "into", "the", "a", "an", "up",
    "down", "away", "along", "around", "by", "further", "forward", "home", "off", "on", "onto",
})
# A one-letter skill (C, R) after a plain lower-case word counts only before one of these ("strong C skills").
LETTER_FOLLOWERS = frozenset({
    "and", "or", ",", "/", "&", "+", "programming", "language", "languages", "developer", "developers",
    "development", "code", "coding", "skills", "experience", "knowledge", "scripting", "programmer", "programmers",
    "libraries",
})
# ... unless that word introduces tools anyway ("using R", "in C").
LETTER_LEADS = frozenset({
    "using", "use", "uses", "like", "including", "include", "includes", "especially", "particularly", "such",
})
# Function words: a skill name made of these alone names nothing (matching's partial matches need more).
STOPWORDS = frozenset({
    "a", "an", "and", "or", "of", "the", "to", "in", "on", "for", "with", "by", "at", "as", "from", "into", "is",
    "are", "be", "de", "la", "le", "via", "per", "vs", "etc",
})
# fmt: on
_SENTENCE_END = ".!?:;\n\r•*·–—-|>"


@dataclass(frozen=True, slots=True)
class SkillMention:
    """A skill found in text: its canonical name and where the alias was written."""

    name: str
    start: int
    end: int
    text: str


def token_key(token: str) -> str:
    """The comparison key of one token: lower case, inner dots and apostrophes dropped, a leading dot kept."""
    lowered = token.lower()
    if lowered.startswith(".") and len(lowered) > 1:
        return "." + lowered[1:].translate(_INNER_MARKS)
    return lowered.translate(_INNER_MARKS) or lowered


def _is_word(key: str) -> bool:
    return any(ch.isalnum() for ch in key)


def tokens(text: str) -> list[str]:
    """The token keys of ``text`` (see the module docstring)."""
    return [token_key(m.group()) for m in TOKEN_RE.finditer(unicodedata.normalize("NFKC", text))]


def alias_key(text: str) -> str:
    """The key under which an alias or a user-written skill name is looked up."""
    return " ".join(tokens(text))


def loose_key(text: str) -> str:
    """A looser key: the word tokens run together ("CI/CD", "ci cd" and "cicd" agree)."""
    return "".join(key for key in tokens(text) if _is_word(key))


def clean_name(raw: object) -> str:
    """A skill name as written, trimmed: whitespace collapsed, stray list punctuation and quotes stripped."""
    name = " ".join(unicodedata.normalize("NFKC", str(raw)).split())
    return name.strip(",;:!?\"'`()[]{}<> ")


class _Vocabulary:
    """The names and aliases of the data and their lookup indexes; the free-text index is built on first use of
    ``find_skills``."""

    def __init__(self, records: Iterable[dict]) -> None:
        self.skills: dict[str, dict] = {}
        self.by_key: dict[str, str] = {}
        self.by_loose: dict[str, str] = {}
        self._keyed: list[tuple[str, tuple[str, ...], bool]] = []  # (name, alias keys, usable in free text)
        plain = _PLAIN_ALIAS.fullmatch
        by_key, by_loose, keyed = self.by_key, self.by_loose, self._keyed
        for skill in records:
            name = skill["name"]
            self.skills[name] = skill
            notext = skill.get("notext", ())
            for alias in (name.lower(), *skill.get("aliases", ())):
                if plain(alias):  # most aliases: lower-case words and spaces, already in key form
                    keys = tuple(alias.split())
                    loose = alias.replace(" ", "")
                else:
                    keys = tuple(tokens(alias))
                    loose = "".join(k for k in keys if _is_word(k))
                if not keys:
                    continue
                by_key.setdefault(" ".join(keys), name)
                if loose and by_loose.setdefault(loose, name) != name:
                    by_loose[loose] = ""  # shared by two skills: not a safe guess
                keyed.append((name, keys, alias not in notext))

    @cached_property
    def text_index(self) -> tuple[dict, set, dict[str, str], dict[str, int]]:
        """(alias keys -> skill, prefixes of multi-token aliases, cased forms -> skill, first token -> 1|2 flags).

        The flags of a first token: 1 = a one-token alias, 2 = the start of a longer alias; a token absent from
        that dict starts nothing, which makes most tokens of a text one dict lookup.
        """
        phrases: dict[tuple[str, ...], str] = {}
        prefixes: set[tuple[str, ...]] = set()
        first: dict[str, int] = {}
        for name, keys, usable in self._keyed:
            if not usable or (len(keys) == 1 and is_ambiguous(keys[0])):
                continue
            phrases.setdefault(keys, name)
            first[keys[0]] = first.get(keys[0], 0) | (1 if len(keys) == 1 else 2)
            for end in range(1, len(keys)):
                prefixes.add(keys[:end])
        cased = {form: skill["name"] for skill in self.skills.values() for form in skill.get("cased", ())}
        return phrases, prefixes, cased, first

    def canonical(self, name: str) -> str | None:
        key = alias_key(name)
        if not key:
            return None
        found = self.by_key.get(key)
        if found is None:
            found = self.by_loose.get("".join(part for part in key.split(" ") if _is_word(part))) or None
        return found


def is_ambiguous(key: str) -> bool:
    """A plain token of at most two letters/digits ("go", "r", "c"; not "c#" or "c++"): never matched in lower case."""
    return len(key) <= 2 and key.isalnum()


@cache
def skill_records() -> tuple[dict, ...]:
    """Every skill of the data file (name, aliases, category, related, source, ...), read once."""
    with gzip.open(DATA_PATH, "rt", encoding="utf-8") as handle:
        return tuple(json.load(handle)["skills"])


@cache
def _vocabulary() -> _Vocabulary:
    return _Vocabulary(skill_records())


@lru_cache(maxsize=65536)
def canonical(name: str) -> str | None:
    """The canonical skill for an alias ("js" -> "JavaScript", "Node.JS" -> "Node.js"), or None when unknown."""
    if not isinstance(name, str):
        return None
    return _vocabulary().canonical(clean_name(name))


def normalize_skills(names: Iterable[str]) -> list[str]:
    """Canonical names where known, else the cleaned original; de-duplicated (first spelling wins), order kept."""
    seen: set[str] = set()
    result: list[str] = []
    for raw in names:
        if raw is None:
            continue
        cleaned = clean_name(raw)
        if not cleaned:
            continue
        name = canonical(cleaned) or cleaned[:MAX_SKILL_LENGTH].strip()
        key = alias_key(name) or name.lower()
        if key not in seen:
            seen.add(key)
            result.append(name)
    return result


def word_keys(name: str) -> tuple[str, ...]:
    """The token keys of a name that are words (symbol tokens such as "/" or "&" left out)."""
    return tuple(key for key in tokens(name) if _is_word(key))


def _at_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _cased_ok(text: str, found: list[re.Match], i: int) -> bool:
    """The context rule for ambiguous aliases written in their listed case (see the module docstring)."""
    match = found[i]
    start, end = match.start(), match.end()
    if (start > 0 and text[start - 1] in "-_") or (end < len(text) and text[end] in "-_"):
        return False
    following = found[i + 1] if i + 1 < len(found) else None
    if following is not None and "\n" in text[end : following.start()]:
        following = None
    next_word = following.group() if following is not None and _is_word(following.group()) else None
    if next_word is not None and next_word.lower() in PROSE_FOLLOWERS:
        return False
    if _at_sentence_start(text, start):
        if next_word in ("and", "or", "&") and i + 2 < len(found):
            next_word = found[i + 2].group()  # "Go and Rust are a plus" (not "Go and see")
        return next_word is None or next_word[:1].isupper()
    if len(match.group()) == 1 and i > 0:
        # One letter after a plain word ("vitamin C", "grade R"): only when what follows shows a skill list or code.
        previous = found[i - 1].group()
        if previous.islower() and previous not in STOPWORDS and previous not in LETTER_LEADS:
            return following is not None and following.group().lower() in LETTER_FOLLOWERS
    return True


def find_skills(text: str) -> list[SkillMention]:
    """Every skill mention in ``text``, longest alias first, left to right, with its character span."""
    if not text:
        return []
    phrases, prefixes, cased, first = _vocabulary().text_index
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    found = list(TOKEN_RE.finditer(text))
    raw = [m.group() for m in found]
    keys = [key if key.isalnum() else token_key(key) for key in (token.lower() for token in raw)]
    result: list[SkillMention] = []
    size = len(keys)
    i = 0
    while i < size:
        key = keys[i]
        flags = first.get(key)
        best_end, best_name = 0, ""
        if flags is not None:
            if flags & 1:
                best_end, best_name = i + 1, phrases[(key,)]
            if flags & 2:
                probe: tuple[str, ...] = (key,)
                j = i + 1
                while j < size:
                    probe = (*probe, keys[j])
                    j += 1
                    name = phrases.get(probe)
                    if name is not None:
                        best_end, best_name = j, name
                    if probe not in prefixes:
                        break
        if not best_end:
            name = cased.get(raw[i])
            if name is None or not _cased_ok(text, found, i):
                i += 1
                continue
            best_end, best_name = i + 1, name
        start, end = found[i].start(), found[best_end - 1].end()
        result.append(SkillMention(best_name, start, end, text[start:end]))
        i = best_end
    return result


def extract_skills(text: str) -> list[str]:
    """The canonical skills mentioned in free text (a job title and description), in order of first mention."""
    seen: set[str] = set()
    result: list[str] = []
    for match in find_skills(text):
        if match.name not in seen:
            seen.add(match.name)
            result.append(match.name)
    return result
