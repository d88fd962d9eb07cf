"""Backtest of analytics/forecast.py: the 7-day application forecast against the naive baseline (last week
repeated), on generated job histories, in one run.

    .venv/bin/python bench/forecast.py [--jobs 2000] [--seed 7]

Each generated job starts at a daily rate drawn from a log-normal (median 3 a day), loses a share of it every
day it ages (its decay drawn from 0.85–1.0, as postings fade), draws half as many applications at weekends, and
gets Poisson counts around that rate. It is cut at an age of 3 to 60 days: both forecasts see the days before the
cut and are scored on the 7 days after it. Pure Python and NumPy: no database, no Django.
"""

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.forecast import HORIZON, forecast_applications, naive_applications


def generated_history(rng: np.random.Generator) -> tuple[list[int], list[int]]:
    start = rng.lognormal(mean=math.log(3), sigma=0.8)
    decay = rng.uniform(0.85, 1.0)
    age = int(rng.integers(3, 61))
    weekday0 = int(rng.integers(0, 7))
    rates = [start * decay**day * (0.5 if (weekday0 + day) % 7 >= 5 else 1.0) for day in range(age + HORIZON)]
    counts = rng.poisson(rates).tolist()
    return counts[:age], counts[age:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    errors = {"model": [], "naive": []}
    actual_totals = []
    for _ in range(args.jobs):
        history, future = generated_history(rng)
        actual = sum(future)
        actual_totals.append(actual)
        errors["model"].append(forecast_applications(history) - actual)
        errors["naive"].append(naive_applications(history) - actual)
    print(f"{args.jobs} generated jobs, seed {args.seed}; forecast of the next {HORIZON} days' applications")
    print(f"mean actual total: {np.mean(actual_totals):.2f}")
    print(f"{'':14}{'MAE':>8}{'RMSE':>8}{'bias':>8}")
    for name, values in errors.items():
        e = np.array(values)
        print(f"{name:14}{np.abs(e).mean():8.2f}{math.sqrt((e**2).mean()):8.2f}{e.mean():8.2f}")
    model, naive = np.abs(errors["model"]).mean(), np.abs(errors["naive"]).mean()
    print(f"the model's MAE is {100 * (1 - model / naive):.1f}% below the naive baseline's")


if __name__ == "__main__":
    main()
