"""Skills as vectors learned from which skills occupations list together (pure, no ORM).

``scripts/build_skill_vectors.py`` builds ``matcher/data/skill_vectors.npz`` from O*NET and ESCO
occupation–skill lists (PPMI of co-occurrence, reduced by SVD; docs/matching.md, "Related skills"). Two uses:

* **Learned relatives** (`related_of`, `learned_pairs`): two skills of the same category whose vectors are at
  least ``LEARNED_THRESHOLD`` apart in cosine (CATIA and SolidWorks, Metasploit and Nessus, PostgreSQL and
  MySQL) count as a partial match in the shown skills factor, beside the taxonomy's relatives
  (`taxonomy.match_kind`).
* **Closeness** (`closeness`, `vector_rows`): the cosine of the weighted centroids of two skill lists, the
  learned-space reading of "these two profiles are about the same work". The seeker-facing ranking adds it
  (scoring.RELATEDNESS_POINTS) and similar jobs blend it with the exact-skill cosine.

Keys are the lower-cased canonical names the matcher stores (``"microsoft excel"``); unknown skills have no vector.
"""

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import numpy as np

from marketplace.skill_vocabulary import canonical, skill_records
from matcher.scoring import JobSpec, job_skill_weights, seeker_skill_weights

VECTORS_PATH = Path(__file__).resolve().parent / "data" / "skill_vectors.npz"
# Chosen by reading samples at 0.8 and 0.9 (docs/matching.md): at 0.85 the pairs are tools of one trade
# (CATIA / SolidWorks, InDesign / QuarkXPress, Epic / Cerner practice management), seldom an odd pair.
LEARNED_THRESHOLD = 0.85
# A skill listed by fewer occupations has a vector that stands only for those few (Django and JCL are listed by
# the same three software occupations and come out identical), so it takes no learned relative.
LEARNED_MIN_OCCUPATIONS = 5
# A skill nearly every occupation lists (Microsoft Excel, Word, Outlook) relates to everything and so to nothing.
LEARNED_MAX_OCCUPATIONS = 100
# Similar jobs: this share of the similarity is the closeness, the rest the cosine of the exact skills (IDF
# weighted). bench/match_quality.py: related occupations among the 9 most similar 0.26 by the exact cosine alone,
# 0.29 with half and half, 0.255 by the closeness alone.
SIMILAR_CLOSENESS_SHARE = 0.5


@cache
def _data() -> dict[str, np.ndarray]:
    with np.load(VECTORS_PATH, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


@cache
def _rows() -> dict[str, int]:
    """Lower-cased canonical name -> row of the vectors."""
    return {name.lower(): i for i, name in enumerate(_data()["names"].tolist())}


@cache
def _vectors() -> np.ndarray:
    return _data()["vectors"].astype(np.float32)


@cache
def _learned() -> dict[str, frozenset[str]]:
    """Key -> the keys of its learned relatives (both ways): same category, enough occupations, close enough."""
    data = _data()
    names = [name.lower() for name in data["names"].tolist()]
    listed_by = data["occupations"]
    category = {skill["name"].lower(): skill.get("category") for skill in skill_records()}
    usable = (listed_by >= LEARNED_MIN_OCCUPATIONS) & (listed_by <= LEARNED_MAX_OCCUPATIONS)
    indptr, indices, similarity = data["neighbour_indptr"], data["neighbour_indices"], data["neighbour_similarity"]
    learned: dict[str, set[str]] = {}
    for i in np.flatnonzero(usable):
        for j, value in zip(indices[indptr[i] : indptr[i + 1]], similarity[indptr[i] : indptr[i + 1]], strict=True):
            if value >= LEARNED_THRESHOLD and usable[j] and category.get(names[i]) == category.get(names[j]):
                learned.setdefault(names[i], set()).add(names[j])
                learned.setdefault(names[j], set()).add(names[i])
    return {key: frozenset(others) for key, others in learned.items()}


def _key(name: str) -> str:
    return (canonical(name) or name).lower()


def learned_relatives(name: str) -> frozenset[str]:
    """The keys the learned vectors relate to a skill (empty for an unknown or a too rare or too common one)."""
    return _learned().get(_key(name), frozenset())


def related_of(job_skill: str, seeker_skills: frozenset[str]) -> bool:
    """Whether some skill of the seeker is a learned relative of the job's (the one-pair scorer's ``related_of``)."""
    relatives = learned_relatives(job_skill)
    return bool(relatives) and any(_key(skill) in relatives for skill in seeker_skills)


def learned_pairs(keys: list[str]) -> set[tuple[int, int]]:
    """Every (i, j) of positions in `keys` whose skills are learned relatives (both orders)."""
    index_of: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        index_of.setdefault(_key(key), []).append(i)
    pairs: set[tuple[int, int]] = set()
    for i, key in enumerate(keys):
        for other in learned_relatives(key):
            pairs.update((i, j) for j in index_of.get(other, ()))
    return pairs


def vector_rows(keys: Iterable[str]) -> np.ndarray:
    """(len(keys), D) float32: each key's unit vector, zeros for a skill with none."""
    keys = list(keys)
    rows = _rows()
    found = [(i, rows[_key(key)]) for i, key in enumerate(keys) if _key(key) in rows]
    matrix = np.zeros((len(keys), _vectors().shape[1]), dtype=np.float32)
    if found:
        matrix[[i for i, _ in found]] = _vectors()[[row for _, row in found]]
    return matrix


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1 (zero rows stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def closeness(first: Mapping[str, float], second: Mapping[str, float]) -> float:
    """The cosine (at least 0) of the weighted centroids of two skill lists ({key: weight})."""
    centroids = unit_rows(
        np.stack([weights_centroid(first), weights_centroid(second)]) if first and second else np.zeros((2, 1))
    )
    return max(0.0, float(centroids[0] @ centroids[1]))


def weights_centroid(weights: Mapping[str, float]) -> np.ndarray:
    keys = list(weights)
    return np.asarray([weights[key] for key in keys], dtype=np.float32) @ vector_rows(keys)


def pair_closeness(seeker_skills: frozenset[str], job: JobSpec, idf: Mapping[str, float]) -> float:
    """The closeness of a seeker's skills to a job's, weighted as the skills factor weighs them
    (the one-pair scorer's ``closeness_of``; engine.closeness_matrix computes the same for many pairs)."""
    return closeness(seeker_skill_weights(seeker_skills, idf), job_skill_weights(job, idf))


def blend_similarity(exact_cosine, closeness_value):
    """What similar jobs order by (scalars or arrays alike): the exact-skill cosine blended with the closeness."""
    return (1.0 - SIMILAR_CLOSENESS_SHARE) * exact_cosine + SIMILAR_CLOSENESS_SHARE * closeness_value
