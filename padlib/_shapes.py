"""Padding amounts and output sizes, exactly as TensorFlow and Keras compute them."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._checks import as_int

if TYPE_CHECKING:
    from ._types import Padding

PADDINGS = ("valid", "same", "full", "causal")
"""The named paddings; ``padding`` may also be an int or an explicit ``(before, after)``."""


def effective_kernel_size(kernel_size: int, dilation: int = 1) -> int:
    """The span a dilated kernel covers: ``dilation * (kernel_size - 1) + 1``.

    >>> effective_kernel_size(3, dilation=2)
    5
    """
    k = as_int(kernel_size, "kernel_size", minimum=1)
    d = as_int(dilation, "dilation", minimum=1)
    return d * (k - 1) + 1


def padding_amounts(
    size: int,
    kernel_size: int,
    *,
    stride: int = 1,
    dilation: int = 1,
    padding: Padding = "valid",
) -> tuple[int, int]:
    """How many cells a convolution adds ``(before, after)`` one axis of length ``size``.

    ``padding`` is one of:

    - ``"valid"``: no padding.
    - ``"same"``: TensorFlow's rule. The output has ``ceil(size / stride)``
      cells; the total padding needed for that is split with the odd cell
      *after* (bottom/right). It therefore depends on stride and dilation.
    - ``"full"``: every position where the kernel touches at least one input
      cell: ``effective_kernel_size - 1`` on both sides.
    - ``"causal"``: Keras ``Conv1D(padding="causal")``: all
      ``dilation * (kernel_size - 1)`` before, none after, so output ``t``
      sees only inputs ``<= t``.
    - an int ``p``: ``(p, p)``; or an explicit ``(before, after)`` pair.

    Names are case-insensitive (``"SAME"`` as in ``tf.nn.conv2d`` works too).

    >>> padding_amounts(8, 3, padding="same")
    (1, 1)
    >>> padding_amounts(224, 7, stride=2, padding="same")   # odd total: extra cell after
    (2, 3)
    >>> padding_amounts(225, 7, stride=2, padding="same")
    (3, 3)
    >>> padding_amounts(10, 3, dilation=2, padding="causal")
    (4, 0)
    """
    n = as_int(size, "size", minimum=1)
    s = as_int(stride, "stride", minimum=1)
    k = effective_kernel_size(kernel_size, dilation)
    if isinstance(padding, str):
        name = padding.lower()
        if name == "valid":
            return (0, 0)
        if name == "same":
            out = -(-n // s)
            total = max((out - 1) * s + k - n, 0)
            return (total // 2, total - total // 2)
        if name == "full":
            return (k - 1, k - 1)
        if name == "causal":
            return (k - 1, 0)
    elif isinstance(padding, numbers.Integral) and not isinstance(padding, bool):
        p = as_int(padding, "padding")
        return (p, p)
    elif isinstance(padding, Sequence) and len(padding) == 2:
        return (as_int(padding[0], "padding"), as_int(padding[1], "padding"))
    raise ValueError(
        f"padding must be one of {', '.join(repr(p) for p in PADDINGS)}, an int >= 0 or a (before, after) pair; got {padding!r}"
    )


def output_size(
    size: int,
    kernel_size: int,
    *,
    stride: int = 1,
    dilation: int = 1,
    padding: Padding = "valid",
) -> int:
    """Length of the convolution's output along one axis.

    ``floor((size + before + after - effective_kernel_size) / stride) + 1``,
    with ``(before, after) = padding_amounts(...)``.

    >>> [output_size(8, k) for k in (1, 3, 5, 8)]
    [8, 6, 4, 1]
    >>> output_size(8, 3, stride=2)
    3
    >>> output_size(8, 3, padding="same"), output_size(8, 3, padding="full")
    (8, 10)
    """
    before, after = padding_amounts(size, kernel_size, stride=stride, dilation=dilation, padding=padding)
    k = effective_kernel_size(kernel_size, dilation)
    padded = size + before + after
    if k > padded:
        raise ValueError(
            f"kernel_size {kernel_size} (spanning {k} cells with dilation {dilation}) is larger than the padded input "
            f"({size} + {before} + {after} = {padded} cells); use a smaller kernel or more padding"
        )
    return (padded - k) // stride + 1


SIZE_FORMULA = "out = ⌊(n + before + after − d·(k − 1) − 1) / s⌋ + 1"
"""The output-size formula, as :func:`size_formula` prints it (and ``padlib.plot.output_size_chart`` shows it)."""


def size_formula(
    size: int,
    kernel_size: int,
    *,
    stride: int = 1,
    dilation: int = 1,
    padding: Padding = "valid",
) -> str:
    """:data:`SIZE_FORMULA` with the numbers filled in, computed by :func:`padlib.output_size`.

    >>> print(size_formula(8, 3, stride=2, padding="same"))
    out = ⌊(8 + 0 + 1 − 1·(3 − 1) − 1) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4
    """
    before, after = padding_amounts(size, kernel_size, stride=stride, dilation=dilation, padding=padding)
    out = output_size(size, kernel_size, stride=stride, dilation=dilation, padding=padding)
    span = effective_kernel_size(kernel_size, dilation)
    return (
        f"out = ⌊({size} + {before} + {after} − {dilation}·({kernel_size} − 1) − 1) / {stride}⌋ + 1"
        f" = ⌊{size + before + after - span} / {stride}⌋ + 1 = {out}"
    )
