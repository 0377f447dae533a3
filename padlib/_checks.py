"""Argument checks shared by pad, the shape arithmetic and convolution.

Each check names the argument and what is allowed; nothing is clipped or guessed.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence


def as_int(value: object, argument: str, *, minimum: int = 0) -> int:
    """``value`` as a Python int, or a ValueError/TypeError naming ``argument``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{argument} must be an integer >= {minimum}; got {value!r} ({type(value).__name__})")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{argument} must be an integer >= {minimum}; got {value}")
    return value


def per_axis(value: object, n: int, argument: str, *, minimum: int) -> tuple[int, ...]:
    """An int (same for every axis) or a sequence of ``n`` ints, as a tuple of ``n`` ints."""
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != n:
            raise ValueError(
                f"{argument} must be an int or a sequence of {n} ints (one per spatial axis); got {value!r}"
            )
        return tuple(as_int(v, argument, minimum=minimum) for v in value)
    return (as_int(value, argument, minimum=minimum),) * n
