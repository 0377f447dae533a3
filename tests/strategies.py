"""Hypothesis strategies shared by the tests of convolution, its transpose and pooling.

Each of those tests draws the same things: a size, a kernel (or pool) size, a stride and maybe a
dilation per spatial axis, TensorFlow's padding name, and float32 arrays from a seed. Drawing them
here keeps the three files' cases alike and their ranges in one place. Imported by name
(``from strategies import geometries``), as conftest.py imports lesson_support.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

import padlib

SEEDS = st.integers(0, 2**16)
"""Seeds for :func:`normal`: the arrays' values, which hypothesis need not shrink cell by cell."""


@dataclass(frozen=True)
class Geometry:
    """One case's per-axis sizes, kernel sizes, strides and dilations, and its padding name."""

    sizes: tuple[int, ...]
    kernel: tuple[int, ...]
    strides: tuple[int, ...]
    dilations: tuple[int, ...]
    padding: str


@st.composite
def geometries(
    draw: st.DrawFn,
    n_spatial: int,
    *,
    size: tuple[int, int] = (1, 10),
    kernel: tuple[int, int] = (1, 4),
    stride: tuple[int, int] = (1, 3),
    dilation: tuple[int, int] = (1, 1),
    paddings: tuple[str, ...] = ("VALID", "SAME"),
    fit_valid: bool = True,
) -> Geometry:
    """A :class:`Geometry` with each per-axis value drawn from its ``(low, high)`` range.

    With ``fit_valid`` (the default) a ``"VALID"`` case's sizes are raised to the dilated kernel's
    span, so that every axis has an output cell, as a forward convolution or pooling needs.
    """

    def per_axis(bounds: tuple[int, int]) -> tuple[int, ...]:
        return tuple(draw(st.integers(*bounds)) for _ in range(n_spatial))

    sizes, kernels, strides, dilations = per_axis(size), per_axis(kernel), per_axis(stride), per_axis(dilation)
    padding = draw(st.sampled_from(paddings))
    if fit_valid and padding.upper() == "VALID":
        spans = (padlib.effective_kernel_size(k, d) for k, d in zip(kernels, dilations, strict=True))
        sizes = tuple(max(n, span) for n, span in zip(sizes, spans, strict=True))
    return Geometry(sizes, kernels, strides, dilations, padding)


def channels(low: int = 1, high: int = 3) -> st.SearchStrategy[int]:
    """A channel count (input channels, filters, batch size): small, since every cell is checked."""
    return st.integers(low, high)


def normal(seed: int, *shapes: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    """One float32 array of standard normal values per shape, all from ``seed``."""
    rng = np.random.default_rng(seed)
    return tuple(rng.normal(size=shape).astype(np.float32) for shape in shapes)
