"""Learning factor weights from feedback: a factor that predicts answers gains weight, within bounds."""

import random

import numpy as np
import pytest

from matcher import weights
from matcher.models import MatchWeights, RecommendationFeedback
from matcher.scoring import DEFAULT_WEIGHTS, FACTORS
from tests import factories


def synthetic_feedback(count: int, seed: int = 3) -> list[tuple[dict, str]]:
    """Seekers apply when the skills fit and dismiss when they do not; the other factors are noise."""
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        factors = {name: rng.uniform(0, 100) for name in FACTORS}
        positive = rng.random() < 1 / (1 + np.exp(-(factors["skills"] - 50) / 8))
        rows.append(
            (factors, rng.choice(["applied", "relevant"]) if positive else rng.choice(["dismissed", "not_relevant"]))
        )
    return rows


def test_a_predictive_factor_gains_weight_and_beats_the_defaults_on_held_out_feedback():
    x, y = weights.examples(synthetic_feedback(600))
    fit = weights.fit_weights(x, y)
    assert fit is not None and fit.better
    assert fit.weights["skills"] > DEFAULT_WEIGHTS["skills"]
    assert max(fit.weights, key=fit.weights.get) == "skills"
    assert sum(fit.weights.values()) == pytest.approx(1.0, abs=1e-9)
    assert all(weights.MIN_WEIGHT - 1e-4 <= w <= weights.MAX_WEIGHT + 1e-4 for w in fit.weights.values())


def test_too_little_or_one_sided_feedback_learns_nothing():
    x, y = weights.examples(synthetic_feedback(20))
    assert weights.fit_weights(x, y) is None
    one_sided = [(factors, "applied") for factors, _ in synthetic_feedback(200)]
    assert weights.fit_weights(*weights.examples(one_sided)) is None


def test_only_yes_or_no_answers_count():
    rows = [({"skills": 90}, "applied"), ({"skills": 10}, "dismissed"), ({"skills": 50}, "maybe")]
    x, y = weights.examples(rows)
    assert x.shape == (2, len(FACTORS)) and list(y) == [1.0, 0.0]


@pytest.mark.django_db
def test_learned_weights_are_stored_and_used_only_when_better():
    seeker = factories.SeekerFactory()
    job = factories.JobFactory()
    assert weights.weights_in_use() == DEFAULT_WEIGHTS
    kept, message = weights.weights_learn()
    assert kept is None and "Not enough feedback" in message
    RecommendationFeedback.objects.bulk_create(
        RecommendationFeedback(seeker=seeker, job=job, factors=factors, feedback=kind)
        for factors, kind in synthetic_feedback(600)
    )
    stored, message = weights.weights_learn()
    assert stored is not None and stored.active and stored.source == "fitted"
    assert weights.weights_in_use() == stored.weights
    assert stored.metrics["held_out_loss"] < stored.metrics["baseline_loss"]
    assert MatchWeights.objects.filter(active=True).count() == 1
