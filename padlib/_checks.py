"""Argument checks shared by pad, the shape arithmetic and convolution.

Each check names the argument and what is allowed; nothing is clipped or guessed.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

    from ._types import Array


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


def as_batch(
    name: str, x: npt.ArrayLike, kernel: npt.ArrayLike, n_spatial: int, *, channels: tuple[str, str], in_axis: int
) -> tuple[Array, Array, bool]:
    """``x`` as a channels-last batch ``(N, *spatial, C)`` and ``kernel`` as ``(*kernel spatial, a, b)``.

    A convolution and its transpose take the same two layouts: one image ``(H, W)`` with a ``(kh, kw)``
    kernel, or a batch ``(N, H, W, C)`` with a kernel whose last two axes are channels. ``channels``
    names those two axes in errors (``("C", "filters")`` for a convolution, ``("C_out", "C_in")`` for
    its transpose) and ``in_axis`` (-2 or -1) is the one that must match x's ``C``. One image becomes
    a batch of one image with one channel, and ``single`` (the third result) says so, so that the
    caller can return the same layout it was given. ``name`` (``"conv2d"``, ...) starts each error.

    >>> x, kernel, single = as_batch(
    ...     "conv2d", np.ones((5, 4)), np.ones((3, 3)), 2, channels=("C", "filters"), in_axis=-2
    ... )
    >>> x.shape, kernel.shape, single
    ((1, 5, 4, 1), (3, 3, 1, 1), True)
    """
    x, kernel = np.asarray(x), np.asarray(kernel)
    single = x.ndim == n_spatial and kernel.ndim == n_spatial
    if not single and not (x.ndim == n_spatial + 2 and kernel.ndim == n_spatial + 2):
        spatial = ", ".join(("W",) if n_spatial == 1 else ("H", "W"))
        kspatial = ", ".join(("k",) if n_spatial == 1 else ("kh", "kw"))
        raise ValueError(
            f"{name} takes x of shape ({spatial}) with a kernel of shape ({kspatial}), or x of shape "
            f"(N, {spatial}, {channels[in_axis]}) with a kernel of shape ({kspatial}, {', '.join(channels)}); "
            f"got x.ndim={x.ndim} and kernel.ndim={kernel.ndim}"
        )
    if single:
        x = x[np.newaxis, ..., np.newaxis]
        kernel = kernel[..., np.newaxis, np.newaxis]
    if x.shape[-1] != kernel.shape[in_axis]:
        where = "its last axis" if in_axis == -1 else f"its axis {in_axis}"
        raise ValueError(
            f"{name}: x has {x.shape[-1]} channels (last axis) but the kernel expects {kernel.shape[in_axis]} "
            f"({where}, {channels[in_axis]}); kernel shape is {kernel.shape}"
        )
    if min(kernel.shape[:n_spatial]) < 1:
        raise ValueError(f"{name}: kernel spatial size must be >= 1; got {kernel.shape[:n_spatial]}")
    if min(x.shape[1 : 1 + n_spatial]) < 1:
        raise ValueError(f"{name}: x spatial size must be >= 1; got {x.shape[1 : 1 + n_spatial]}")
    return x, kernel, single
