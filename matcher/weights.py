"""The six factor weights: the ones in use, and learning better ones from feedback.

Each feedback row is the factor scores of a (seeker, job) pair when the feedback
was given, labelled positive (applied, relevant) or negative (dismissed, not
relevant). A logistic regression with an L2 pull towards the current weights
fits how much each factor predicts a positive answer; the coefficients become
weights once clipped to sane bounds and normalized to sum to 1. The caller keeps
them only when they beat the current weights on feedback held out of the fit.
The fit itself is pure NumPy; weights_in_use and weights_learn read and store them.
"""

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db import transaction
from django.utils import timezone

from matcher.models import MatchWeights, RecommendationFeedback
from matcher.scoring import DEFAULT_WEIGHTS, FACTORS

POSITIVE = {"applied", "relevant"}
NEGATIVE = {"dismissed", "not_relevant"}
MIN_WEIGHT, MAX_WEIGHT = 0.05, 0.5
MIN_EXAMPLES = 50


def weights_in_use() -> dict[str, float]:
    active = MatchWeights.objects.filter(active=True).order_by("-created_at").values_list("weights", flat=True).first()
    return active or dict(DEFAULT_WEIGHTS)


@dataclass(frozen=True)
class Fit:
    weights: dict[str, float]
    held_out_loss: float
    baseline_loss: float
    examples: int

    @property
    def better(self) -> bool:
        return self.held_out_loss < self.baseline_loss


def examples(rows: list[tuple[dict, str]]) -> tuple[np.ndarray, np.ndarray]:
    """(factor matrix in 0..1, labels) of the rows whose feedback says yes or no."""
    kept = [(factors, kind in POSITIVE) for factors, kind in rows if kind in POSITIVE | NEGATIVE]
    x = np.array([[float(factors.get(name, 50.0)) / 100.0 for name in FACTORS] for factors, _ in kept])
    y = np.array([1.0 if positive else 0.0 for _, positive in kept])
    return x.reshape(-1, len(FACTORS)), y


def _log_loss(weights: np.ndarray, bias: float, scale: float, x: np.ndarray, y: np.ndarray) -> float:
    p = 1.0 / (1.0 + np.exp(-(scale * (x @ weights) + bias)))
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _calibrate(weights: np.ndarray, x: np.ndarray, y: np.ndarray, steps: int = 300) -> tuple[float, float]:
    """Scale and bias that turn a weighted score into a probability, for a fair comparison of weightings."""
    scale, bias = 1.0, 0.0
    s = x @ weights
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(scale * s + bias)))
        scale -= 0.5 * float(np.mean((p - y) * s))
        bias -= 0.5 * float(np.mean(p - y))
    return scale, bias


def _bounded(weights: np.ndarray) -> np.ndarray:
    """Weights summing to 1, each within [MIN_WEIGHT, MAX_WEIGHT]: pin the ones out of bounds, share the rest."""
    weights = weights / weights.sum()
    pinned = np.zeros(len(weights), dtype=bool)
    for _ in range(len(weights)):
        free = ~pinned
        weights[free] = weights[free] / weights[free].sum() * (1.0 - weights[pinned].sum())
        low, high = free & (weights < MIN_WEIGHT), free & (weights > MAX_WEIGHT)
        if not (low.any() or high.any()):
            break
        weights[low], weights[high] = MIN_WEIGHT, MAX_WEIGHT
        pinned |= low | high
    return weights


def fit_weights(
    x: np.ndarray,
    y: np.ndarray,
    *,
    current: dict[str, float] | None = None,
    l2: float = 1.0,
    steps: int = 2000,
    seed: int = 0,
) -> Fit | None:
    """None when there is too little feedback, or feedback of one kind only."""
    current = current or DEFAULT_WEIGHTS
    if len(y) < MIN_EXAMPLES or y.min() == y.max():
        return None
    order = np.random.default_rng(seed).permutation(len(y))
    cut = int(len(y) * 0.8)
    train, test = order[:cut], order[cut:]
    prior = np.array([current[name] for name in FACTORS])
    coef, bias = prior * 4.0, 0.0
    xt, yt = x[train], y[train]
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xt @ coef + bias)))
        coef -= 0.5 * (xt.T @ (p - yt) / len(yt) + l2 * (coef - prior * 4.0) / len(yt))
        bias -= 0.5 * float(np.mean(p - yt))
    weights = _bounded(np.clip(coef, 1e-6, None))
    scale, b = _calibrate(weights, xt, yt)
    base_scale, base_b = _calibrate(prior, xt, yt)
    rounded = {name: round(float(w), 4) for name, w in zip(FACTORS, weights, strict=True)}
    largest = max(rounded, key=rounded.get)
    rounded[largest] = round(1.0 - sum(v for k, v in rounded.items() if k != largest), 4)
    return Fit(
        weights=rounded,
        held_out_loss=_log_loss(weights, b, scale, x[test], y[test]),
        baseline_loss=_log_loss(prior, base_b, base_scale, x[test], y[test]),
        examples=len(y),
    )


def weights_learn(*, days: int = 90) -> tuple[MatchWeights | None, str]:
    """Fit the factor weights on recent feedback; keep them only if they beat the weights in use."""
    since = timezone.now() - timedelta(days=days)
    rows = list(RecommendationFeedback.objects.filter(created_at__gte=since).values_list("factors", "feedback"))
    x, y = examples(rows)
    fit = fit_weights(x, y, current=weights_in_use())
    if fit is None:
        return None, f"Not enough feedback to learn from ({len(y)} yes/no answers; {MIN_EXAMPLES} needed)."
    metrics = {
        "examples": fit.examples,
        "held_out_loss": round(fit.held_out_loss, 5),
        "baseline_loss": round(fit.baseline_loss, 5),
    }
    if not fit.better:
        return None, f"Kept the weights in use: the fitted ones did not predict held-out feedback better {metrics}."
    with transaction.atomic():
        MatchWeights.objects.filter(active=True).update(active=False)
        weights = MatchWeights.objects.create(weights=fit.weights, source="fitted", metrics=metrics, active=True)
    return weights, f"New weights in use: {fit.weights} {metrics}."
