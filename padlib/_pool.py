"""Max and average pooling with stride and padding, as ``tf.nn.max_pool2d``/``avg_pool2d`` (and PyTorch's ``count_include_pad``) compute them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._checks import per_axis
from ._conv import _per_axis_padding, _windows
from ._shapes import output_size, padding_amounts

if TYPE_CHECKING:
    import numpy.typing as npt

    from ._types import Array, ConvPadding, IntOrInts

POOL_OPS = ("max", "avg")


def pool2d(
    x: npt.ArrayLike,
    pool_size: IntOrInts,
    *,
    stride: IntOrInts | None = None,
    padding: ConvPadding = "valid",
    op: str = "max",
    count_pad: bool = False,
) -> Array:
    """2-D pooling of an NHWC batch ``(N, H, W, C)`` (or a single image ``(H, W)``).

    ``pool_size`` and ``stride`` are an int or one per axis; ``stride``
    defaults to ``pool_size``, as in Keras. ``padding`` is any spec
    :func:`padlib.padding_amounts` takes (``"valid"``, ``"same"``, an int,
    ``(before, after)``, or one per axis). ``op`` is ``"max"`` or ``"avg"``.

    Padded cells are not values: ``"max"`` ignores them and ``"avg"``
    divides by the number of real cells in the window, as TensorFlow does
    for SAME. ``count_pad=True`` (average only) divides by the whole window
    instead, padded zeros included: PyTorch's ``AvgPool2d`` default
    ``count_include_pad=True``. The two differ only next to the border:

    >>> ones = np.ones((4, 4))
    >>> pool2d(ones, 3, stride=1, padding="same", op="avg")[0]
    array([1., 1., 1., 1.])
    >>> pool2d(ones, 3, stride=1, padding="same", op="avg", count_pad=True)[0].round(3)
    array([0.444, 0.667, 0.667, 0.444])
    >>> pool2d(np.arange(16).reshape(4, 4), 2)
    array([[ 5,  7],
           [13, 15]])
    """
    if op not in POOL_OPS:
        raise ValueError(f"op must be one of {', '.join(repr(o) for o in POOL_OPS)}; got {op!r}")
    if count_pad and op != "avg":
        raise ValueError(
            "count_pad=True counts padded cells in an average; it has no meaning for op='max' (use op='avg')"
        )
    x = np.asarray(x)
    single = x.ndim == 2
    if not single and x.ndim != 4:
        raise ValueError(f"pool2d takes x of shape (H, W) or (N, H, W, C); got x.ndim={x.ndim}")
    if single:
        x = x[np.newaxis, ..., np.newaxis]
    sizes = per_axis(pool_size, 2, "pool_size", minimum=1)
    strides = sizes if stride is None else per_axis(stride, 2, "stride", minimum=1)
    spec = list(zip(x.shape[1:3], sizes, strides, _per_axis_padding(padding, 2), strict=True))
    outs = [output_size(n, k, stride=s, padding=p) for n, k, s, p in spec]
    amounts = [padding_amounts(n, k, stride=s, padding=p) for n, k, s, p in spec]
    for (before, after), k in zip(amounts, sizes, strict=True):
        if max(before, after) >= k:
            raise ValueError(
                f"padding {padding!r} pads {max(before, after)} cells on a side, so some windows of pool_size {k} would "
                f"hold no real cell; pad less than pool_size on each side"
            )

    widths = ((0, 0), *amounts, (0, 0))
    real = np.pad(np.ones(x.shape[1:3], dtype=bool), amounts)
    if op == "max":
        fill = -np.inf if np.issubdtype(x.dtype, np.inexact) else np.iinfo(x.dtype).min
        values = np.pad(x, widths, constant_values=fill)
    else:
        values = np.pad(x.astype(np.result_type(x.dtype, np.float32)), widths)
    taps = (3, 4)  # the window axes of (N, Ho, Wo, ph, pw, C)
    windows = _windows(values, sizes, strides, (1, 1), outs)
    if op == "max":
        out = windows.max(axis=taps)
    else:
        count = (
            sizes[0] * sizes[1]
            if count_pad
            else _windows(real[None, ..., None], sizes, strides, (1, 1), outs).sum(taps)
        )
        out = windows.sum(axis=taps) / count
    result: Array = out[0, ..., 0] if single else out
    return result
