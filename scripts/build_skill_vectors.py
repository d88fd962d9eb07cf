#!/usr/bin/env python
"""Build ``matcher/data/skill_vectors.npz``: skill vectors learned from which skills occupations list together.

Usage::

    python scripts/build_skill_vectors.py [DATA_DIR]      # DATA_DIR defaults to ../shared/data next to the repo

Like ``build_skills_taxonomy.py`` this is the only reader of DATA_DIR; the product reads the committed output
(``matcher/taxonomy.py``). Run it after rebuilding the taxonomy: skill names go through the shipped vocabulary.

How (word2vec-style distributional similarity, computed the count-based way of Levy & Goldberg 2014):

1. **Occurrences.** Each O*NET 29.2 occupation lists its tools (``Technology Skills.txt``); each ESCO v1.1.1
   occupation its essential and optional skills (``occupationSkillRelations.csv``; optional links count half).
   Names are resolved through the vocabulary to canonical skills; an occupation is a set of skills.
2. **Co-occurrence.** Two skills co-occur when one occupation lists both. An occupation listing n skills adds
   1 / (n - 1) to each of its pairs, so the 400-tool occupations of O*NET do not drown the 10-tool ones.
3. **PPMI.** Positive pointwise mutual information with the context distribution smoothed (alpha 0.75), so a
   pair of tools every occupation lists (Microsoft Word, Microsoft Excel) scores low and a pair that occurs
   together far more often than by chance (Django, PostgreSQL) scores high.
4. **SVD.** A truncated SVD of the PPMI matrix (``DIMENSIONS``), rows scaled by the square root of the singular
   values and normalized to length 1: the cosine of two rows is the learned relatedness of two skills.
5. **Neighbours.** For each skill, the other skills whose cosine is at least ``NEIGHBOUR_FLOOR`` (at most
   ``MAX_NEIGHBOURS``), shipped so that the product never multiplies the whole matrix at run time.

Skills listed by fewer than ``MIN_OCCUPATIONS`` occupations get no vector: one occupation says nothing about
what a skill goes with. The O*NET "Related Occupations" table is not read here (the benchmark uses it to
*measure* ranking, so it must never feed what the product ranks with). Output is deterministic (fixed SVD start
vector, sorted names, npz with fixed timestamps).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import svds

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from marketplace.skill_vocabulary import canonical  # noqa: E402  (the repo's vocabulary, after sys.path)

OUT_FILE = REPO / "matcher" / "data" / "skill_vectors.npz"
DIMENSIONS = 96
MIN_OCCUPATIONS = 3
CONTEXT_ALPHA = 0.75
OPTIONAL_WEIGHT = 0.5
NEIGHBOUR_FLOOR = 0.5
MAX_NEIGHBOURS = 20


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_zip_csv(archive: zipfile.ZipFile, member: str) -> list[dict[str, str]]:
    with archive.open(member) as raw:
        return list(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))


def onet_occupations(onet_dir: Path) -> list[dict[str, float]]:
    listed: dict[str, dict[str, float]] = defaultdict(dict)
    for row in read_tsv(onet_dir / "Technology Skills.txt"):
        name = canonical(row["Example"])
        if name:
            listed[row["O*NET-SOC Code"]][name] = 1.0
    return [listed[code] for code in sorted(listed)]


def esco_occupations(esco_dir: Path) -> list[dict[str, float]]:
    with zipfile.ZipFile(esco_dir / "esco-v1.1.1-classification-en-csv.zip") as archive:
        labels = {row["conceptUri"]: row["preferredLabel"] for row in read_zip_csv(archive, "skills_en.csv")}
    with zipfile.ZipFile(esco_dir / "esco-v1.1.1-relations-csv.zip") as archive:
        links = read_zip_csv(archive, "occupationSkillRelations.csv")
    names: dict[str, str | None] = {}
    listed: dict[str, dict[str, float]] = defaultdict(dict)
    for row in links:
        uri = row["skillUri"]
        if uri not in names:
            names[uri] = canonical(" ".join(labels.get(uri, "").split())) if uri in labels else None
        name = names[uri]
        if name:
            weight = 1.0 if row["relationType"] == "essential" else OPTIONAL_WEIGHT
            occupation = listed[row["occupationUri"]]
            occupation[name] = max(occupation.get(name, 0.0), weight)
    return [listed[uri] for uri in sorted(listed)]


def occurrence_matrix(occupations: list[dict[str, float]]) -> tuple[list[str], sparse.csr_matrix, np.ndarray]:
    counts: dict[str, int] = defaultdict(int)
    for occupation in occupations:
        for name in occupation:
            counts[name] += 1
    names = sorted(name for name, count in counts.items() if count >= MIN_OCCUPATIONS)
    index = {name: i for i, name in enumerate(names)}
    rows, cols, values = [], [], []
    for row, occupation in enumerate(occupations):
        for name, weight in occupation.items():
            if name in index:
                rows.append(row), cols.append(index[name]), values.append(weight)
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(occupations), len(names)), dtype=np.float64)
    return names, matrix, np.array([counts[name] for name in names], dtype=np.int32)


def ppmi(occurrences: sparse.csr_matrix) -> sparse.csr_matrix:
    listed = np.diff(occurrences.indptr)
    pair_weight = 1.0 / np.maximum(listed - 1, 1)
    weighted = sparse.diags(pair_weight) @ occurrences
    cooccurrence = (occurrences.T @ weighted).tocsr()
    cooccurrence.setdiag(0)
    cooccurrence.eliminate_zeros()
    total = cooccurrence.sum()
    row_sums = np.asarray(cooccurrence.sum(axis=1)).ravel()
    context = np.power(np.asarray(cooccurrence.sum(axis=0)).ravel(), CONTEXT_ALPHA)
    context /= context.sum()
    coo = cooccurrence.tocoo()
    pmi = np.log((coo.data / total) / ((row_sums[coo.row] / total) * context[coo.col]))
    keep = pmi > 0
    return sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=cooccurrence.shape)


def vectors_of(matrix: sparse.csr_matrix) -> np.ndarray:
    start = np.ones(min(matrix.shape)) / np.sqrt(min(matrix.shape))  # a fixed start vector: the same file each run
    u, s, _ = svds(matrix, k=DIMENSIONS, v0=start, random_state=0)
    order = np.argsort(-s)
    vectors = u[:, order] * np.sqrt(s[order])[None, :]
    # The sign of a singular vector is arbitrary; fix it so reruns give the same bytes.
    signs = np.sign(vectors[np.abs(vectors).argmax(axis=0), np.arange(vectors.shape[1])])
    vectors *= signs[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def neighbours_of(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR arrays (indptr, indices, similarity) of each skill's nearest others at or above NEIGHBOUR_FLOOR."""
    indptr, indices, similarity = [0], [], []
    for start in range(0, len(vectors), 2048):
        block = vectors[start : start + 2048] @ vectors.T
        for offset, row in enumerate(block):
            row[start + offset] = -1.0
            best = np.argpartition(-row, MAX_NEIGHBOURS)[:MAX_NEIGHBOURS]
            best = best[row[best] >= NEIGHBOUR_FLOOR]
            best = best[np.argsort(-row[best], kind="stable")]
            indices.extend(best.tolist()), similarity.extend(row[best].tolist())
            indptr.append(len(indices))
    return np.array(indptr, dtype=np.int32), np.array(indices, dtype=np.int32), np.array(similarity, np.float16)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=str(REPO.parent / "shared" / "data"))
    args = parser.parse_args(argv)
    data_dir = Path(args.data_dir).resolve()
    started = time.perf_counter()
    onet = onet_occupations(data_dir / "onet-29.2")
    esco = esco_occupations(data_dir / "esco-v1.1.1")
    names, occurrences, listed_by = occurrence_matrix(onet + esco)
    print(f"occupations: O*NET {len(onet):,}, ESCO {len(esco):,}; skills with a vector: {len(names):,}")
    vectors = vectors_of(ppmi(occurrences))
    indptr, indices, similarity = neighbours_of(vectors)
    OUT_FILE.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        names=np.array(names),
        vectors=vectors.astype(np.float16),
        occupations=listed_by,
        neighbour_indptr=indptr,
        neighbour_indices=indices,
        neighbour_similarity=similarity,
    )
    OUT_FILE.write_bytes(_fixed_timestamps(buffer.getvalue()))
    print(f"neighbours >= {NEIGHBOUR_FLOOR}: {len(indices):,} ({len(indices) / len(names):.1f} a skill)")
    seconds = time.perf_counter() - started
    print(f"wrote {OUT_FILE.relative_to(REPO)}: {OUT_FILE.stat().st_size:,} bytes in {seconds:.0f} s")
    for probe in ("PostgreSQL", "Dassault Systemes CATIA", "Adobe InDesign", "Microsoft Excel"):
        if probe in names:
            i = names.index(probe)
            span = slice(indptr[i], min(indptr[i + 1], indptr[i] + 6))
            near = [f"{names[j]} {float(s):.2f}" for j, s in zip(indices[span], similarity[span], strict=True)]
            print(f"  {probe}: {', '.join(near)}")
    return 0


def _fixed_timestamps(data: bytes) -> bytes:
    """The same zip with every member dated 1980-01-01, so a rebuild from the same data gives the same bytes."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(fixed, source.read(info.filename))
    return target.getvalue()


if __name__ == "__main__":
    raise SystemExit(main())
