#!/usr/bin/env python
"""Measure ``marketplace.skill_vocabulary.extract_skills`` against the Green et al. (LREC 2022) gold job-ad sentences.

Usage::

    python scripts/evaluate_skill_extraction.py [TESTSET]   # default ../shared/data/green-jd-entities/testset.txt

The test set (CC BY 4.0; Green, Maynard, Lin, "Development of a Benchmark Corpus to Support Entity Recognition in Job
Descriptions", LREC 2022) has 336 sentences in CoNLL format with BIO tags for Skill, Occupation, Domain,
Qualification and Experience. Each sentence is rebuilt by joining its tokens with spaces, the extractor runs on it,
and every found skill span is mapped back to the tokens it covers. Reported:

* span level, token overlap: precision = share of found spans that overlap a gold Skill span; recall = share of gold
  Skill spans overlapped by a found span; also the share of found spans overlapping a gold span of any type;
* token level: precision/recall of the tokens inside found spans against the tokens inside gold Skill spans;
* exact span matches.

The gold skills are mostly phrases ("influence cross functional teams", "work towards targets"), soft and
transversal skills rather than tool names, so a taxonomy-driven extractor built for matching scores low on recall;
the figures show what it finds and what it misses (``--show N`` prints examples). Evaluation only: nothing in the
project reads ../shared at run time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from marketplace.skill_vocabulary import _vocabulary, find_skills  # noqa: E402

DEFAULT_TESTSET = REPO.parent / "shared" / "data" / "green-jd-entities" / "testset.txt"


@dataclass
class Sentence:
    tokens: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def spans(self, kind: str | None = "Skill") -> list[frozenset[int]]:
        """Gold spans (token index sets) of one entity type, or of every type when ``kind`` is None."""
        result: list[set[int]] = []
        current: set[int] | None = None
        for index, tag in enumerate(self.tags):
            prefix, _, label = tag.partition("-")
            wanted = label and (kind is None or label == kind)
            if prefix == "B" and wanted:
                current = {index}
                result.append(current)
            elif prefix == "I" and wanted and current is not None:
                current.add(index)
            else:
                current = None
        return [frozenset(span) for span in result]


def read_testset(path: Path) -> list[Sentence]:
    sentences: list[Sentence] = []
    current = Sentence()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 2:
            if current.tokens:
                sentences.append(current)
                current = Sentence()
            continue
        current.tokens.append(parts[0])
        current.tags.append(parts[1])
    if current.tokens:
        sentences.append(current)
    return sentences


def predicted_spans(sentence: Sentence) -> list[tuple[frozenset[int], str, str]]:
    """(token indexes, canonical name, text) of every skill found in the sentence."""
    text, starts = "", []
    for token in sentence.tokens:
        starts.append(len(text) + (1 if text else 0))
        text = f"{text} {token}" if text else token
    ends = [start + len(token) for start, token in zip(starts, sentence.tokens, strict=True)]
    result = []
    for match in find_skills(text):
        covered = frozenset(i for i in range(len(starts)) if starts[i] < match.end and ends[i] > match.start)
        if covered:
            result.append((covered, match.name, match.text))
    return result


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a (0/0)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("testset", nargs="?", default=str(DEFAULT_TESTSET))
    parser.add_argument("--show", type=int, default=0, help="print N examples of hits, false positives and misses")
    args = parser.parse_args(argv)
    sentences = read_testset(Path(args.testset))

    _vocabulary().text_index  # noqa: B018 - load outside the timing
    started = time.perf_counter()
    predictions = [predicted_spans(sentence) for sentence in sentences]
    elapsed = time.perf_counter() - started

    found = found_on_skill = found_on_any = exact = 0
    gold_total = gold_hit = 0
    tokens_found = tokens_gold = tokens_both = 0
    hits, false_positives, misses = [], [], []
    for sentence, predicted in zip(sentences, predictions, strict=True):
        gold = sentence.spans("Skill")
        any_gold = sentence.spans(None)
        gold_tokens = frozenset().union(*gold) if gold else frozenset()
        found_tokens = frozenset().union(*(span for span, _, _ in predicted)) if predicted else frozenset()
        tokens_found += len(found_tokens)
        tokens_gold += len(gold_tokens)
        tokens_both += len(found_tokens & gold_tokens)
        for span, name, text in predicted:
            found += 1
            if any(span & g for g in gold):
                found_on_skill += 1
                exact += span in gold
                hits.append(f"{text!r} -> {name}")
            else:
                false_positives.append(f"{text!r} -> {name}   in: {' '.join(sentence.tokens)[:100]}")
            found_on_any += any(span & g for g in any_gold)
        for g in gold:
            gold_total += 1
            if any(span & g for span, _, _ in predicted):
                gold_hit += 1
            else:
                misses.append(" ".join(sentence.tokens[i] for i in sorted(g)))

    print(f"Green et al. test set: {len(sentences)} sentences, {gold_total} gold Skill spans, {tokens_gold} tokens")
    print(f"extraction time: {elapsed * 1000:.1f} ms for all sentences")
    print("span level (token overlap)")
    print(f"  precision vs Skill spans:  {ratio(found_on_skill, found)}")
    print(f"  precision vs any entity:   {ratio(found_on_any, found)}")
    print(f"  recall of Skill spans:     {ratio(gold_hit, gold_total)}")
    p = found_on_skill / found if found else 0.0
    r = gold_hit / gold_total if gold_total else 0.0
    print(f"  F1:                        {2 * p * r / (p + r) if p + r else 0.0:.3f}")
    print(f"  exact span matches:        {exact}")
    print("token level")
    print(f"  precision: {ratio(tokens_both, tokens_found)}")
    print(f"  recall:    {ratio(tokens_both, tokens_gold)}")
    if args.show:
        rng = random.Random(0)
        for title, items in (("hits", hits), ("false positives", false_positives), ("missed gold spans", misses)):
            print(f"\n{title} ({len(items)}), sample:")
            for item in rng.sample(items, min(args.show, len(items))):
                print(f"  {item}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
