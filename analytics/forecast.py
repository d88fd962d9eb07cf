"""Forecast of a job's applications for the next 7 days from its daily history (pure: numbers in, numbers out).

The model, damped exponential smoothing of the daily count, in three lines:

1. level: an exponentially weighted mean of the daily counts (LEVEL_ALPHA = 0.3: the last week weighs ~90%);
2. decay: a job draws fewer applications as it ages; the daily ratio is measured as
   ((last 7 days + 1) / (the 7 before + 1)) ** (1/7) when there are 14 days of history, and is DEFAULT_DECAY (the
   typical fall of a posting) before that; it is kept within [MIN_DECAY, MAX_DECAY] so one odd week cannot
   explode or zero the forecast;
3. forecast: level × (decay + decay² + … + decay⁷).

The baseline it must beat is the naive one: the last 7 days repeated. bench/forecast.py measures both on
generated histories and prints their errors side by side.
"""

from collections.abc import Sequence

HORIZON = 7
LEVEL_ALPHA = 0.3
DEFAULT_DECAY = 0.93
MIN_DECAY, MAX_DECAY = 0.75, 1.05


def level_of(daily: Sequence[float], alpha: float = LEVEL_ALPHA) -> float:
    if not daily:
        return 0.0
    level = float(daily[0])
    for count in daily[1:]:
        level = alpha * float(count) + (1 - alpha) * level
    return level


def decay_of(daily: Sequence[float]) -> float:
    if len(daily) < 2 * HORIZON:
        return DEFAULT_DECAY
    last, before = sum(daily[-HORIZON:]), sum(daily[-2 * HORIZON : -HORIZON])
    ratio = ((last + 1) / (before + 1)) ** (1 / HORIZON)
    return min(MAX_DECAY, max(MIN_DECAY, ratio))


def forecast_applications(daily: Sequence[float], horizon: int = HORIZON) -> float:
    """Expected applications over the next `horizon` days, given the daily counts so far (oldest first)."""
    if not daily:
        return 0.0
    level, decay = level_of(daily), decay_of(daily)
    return level * sum(decay**step for step in range(1, horizon + 1))


def naive_applications(daily: Sequence[float], horizon: int = HORIZON) -> float:
    """The baseline: the last `horizon` days again (fewer days of history: their daily mean, scaled)."""
    if not daily:
        return 0.0
    recent = daily[-horizon:]
    return sum(recent) * horizon / len(recent)


def well_below(value: float, peers: Sequence[float], *, share: float = 0.5, least_peers: int = 3) -> bool:
    """True when `value` is under `share` of its peers' median, and there are enough peers to say so."""
    if len(peers) < least_peers:
        return False
    ordered = sorted(peers)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return median > 0 and value < share * median
