"""Seeded test cases for the hidden tests: many shapes, dtypes and pad widths, the same on every run."""

from __future__ import annotations

import numpy as np

from padlib._modes import resolve_mode

__all__ = ["random_pad_cases"]

_DTYPES = (np.int64, np.int32, np.uint8, np.float64, np.float32)


def random_pad_cases(mode: str, count: int, seed: int) -> list[tuple[np.ndarray, object]]:
    """``count`` seeded ``(x, pad)`` cases for padding ``x`` with ``mode`` on every axis.

    ``x`` is 1-D or 2-D with 1 to 6 cells per axis (so one-element and
    non-square shapes come up), of an integer or float dtype; ``pad`` is an
    int or a ``(before, after)`` pair, zero included, within the mode's limit
    (``padlib.MODES[mode].limit``) on the shortest axis.

    >>> [(x.shape, pad) for x, pad in random_pad_cases("reflect", 2, seed=0)]
    [((4, 4), 1), ((6,), 5)]
    """
    m = resolve_mode(mode)
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < count:
        shape = tuple(int(n) for n in rng.integers(1, 7, size=rng.integers(1, 3)))
        dtype = _DTYPES[rng.integers(len(_DTYPES))]
        x = rng.integers(0, 100, size=shape).astype(dtype)
        limit = m.limit(min(shape))
        top = 4 if limit is None else limit
        before, after = (int(v) for v in rng.integers(0, top + 1, size=2))
        cases.append((x, before if rng.random() < 0.4 else (before, after)))
    return cases
