"""Connection quality of a call from the numbers a browser measured (pure)."""

import math

from interviews.choices import ConnectionQuality

METRICS = ("round_trip_ms", "jitter_ms", "packet_loss_percent", "bitrate_kbps")


def clean_metrics(stats: dict) -> tuple[dict[str, float | None], list[str]]:
    """The known metrics as non-negative finite floats (None when absent), and the errors found."""
    values: dict[str, float | None] = {}
    errors = []
    for name in METRICS:
        raw = stats.get(name)
        if raw is None:
            values[name] = None
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw) or raw < 0:
            errors.append(f"{name} must be a non-negative number.")
            continue
        values[name] = float(raw)
    loss = values.get("packet_loss_percent")
    if loss is not None and loss > 100:
        errors.append("packet_loss_percent must be at most 100.")
    return values, errors


def grade(*, round_trip_ms: float | None, packet_loss_percent: float | None, **_) -> str:
    """A coarse grade from round-trip time and loss, the two numbers people hear and see."""
    if round_trip_ms is None and packet_loss_percent is None:
        return ConnectionQuality.UNKNOWN
    rtt, loss = round_trip_ms or 0.0, packet_loss_percent or 0.0
    if loss > 5 or rtt > 400:
        return ConnectionQuality.POOR
    if loss > 2 or rtt > 250:
        return ConnectionQuality.FAIR
    if loss > 0.5 or rtt > 150:
        return ConnectionQuality.GOOD
    return ConnectionQuality.EXCELLENT
