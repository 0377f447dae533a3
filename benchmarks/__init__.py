"""Benchmarks: ratios against a baseline measured in the same run.

Each ``benchmarks/bench_*.py`` module defines ``run(report)`` and calls
``report(name, value, goal=..., unit=...)`` for each number it measures.
``python -m benchmarks`` (``python3 dev.py bench`` / ``make bench``) runs them
all and prints one table; ``python -m benchmarks pad conv`` runs only those.
Nothing here asserts: a missed goal is shown as such, not raised.
"""

from __future__ import annotations

import statistics
import time


def median_seconds(fn, *, repeat=15, number=None, min_time=0.02, statistic=statistics.median):
    """Median over ``repeat`` runs of the mean time of ``number`` calls of ``fn``.

    ``number`` defaults to enough calls for one run to take ``min_time``.
    ``statistic=min`` gives the fastest run instead: for sub-millisecond work on a
    shared machine other processes only ever add time, so the minimum is the
    least noisy estimate of the work itself.
    """
    fn()  # warm up (caches, lazy imports, TensorFlow graph set-up)
    if number is None:
        number, elapsed = 1, 0.0
        while True:
            start = time.perf_counter()
            for _ in range(number):
                fn()
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
            number *= 2
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistic(samples)
