"""Convolution (cross-correlation, as the frameworks compute it) with stride, dilation and any padding."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

import numpy as np

from ._checks import as_batch, per_axis
from ._modes import resolve_mode
from ._pad import pad
from ._shapes import output_size, padding_amounts

if TYPE_CHECKING:
    import numpy.typing as npt

    from ._types import Array, ConvPadding, IntOrInts, Padding, Scalar


def conv1d(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    stride: IntOrInts = 1,
    padding: ConvPadding = "valid",
    dilation: IntOrInts = 1,
    padding_mode: str = "constant",
    value: Scalar | None = None,
) -> Array:
    """1-D cross-correlation, laid out like ``tf.nn.conv1d``.

    ``x`` is ``(N, W, C)`` with a ``(k, C, filters)`` kernel, giving
    ``(N, Wo, filters)``; or a single sequence ``(W,)`` with a ``(k,)``
    kernel, giving ``(Wo,)``. ``padding`` is ``"valid"``, ``"same"``,
    ``"full"``, ``"causal"``, an int or ``(before, after)`` (see
    :func:`padlib.padding_amounts`); ``padding_mode`` is any of
    ``padlib.MODES``, filled with ``value`` for ``"constant"``.

    >>> conv1d([1, 2, 3, 4], [1, 1], padding="causal")
    array([1, 3, 5, 7])
    >>> conv1d([1, 2, 3, 4], [1, 1], padding="causal", padding_mode="circular")
    array([5, 3, 5, 7])
    """
    return _conv(x, kernel, 1, stride, padding, dilation, padding_mode, value)


def conv2d(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    stride: IntOrInts = 1,
    padding: ConvPadding = "valid",
    dilation: IntOrInts = 1,
    padding_mode: str = "constant",
    value: Scalar | None = None,
) -> Array:
    """2-D cross-correlation, laid out like ``tf.nn.conv2d``.

    ``x`` is ``(N, H, W, C)`` with a ``(kh, kw, C, filters)`` kernel, giving
    ``(N, Ho, Wo, filters)``; or a single image ``(H, W)`` with a
    ``(kh, kw)`` kernel, giving ``(Ho, Wo)``. ``stride`` and ``dilation`` are
    an int or one int per axis. ``padding`` is one spec for both axes
    (``"valid"``, ``"same"``, ``"full"``, ``"causal"``, an int, or a
    ``(before, after)`` pair) or a sequence of two specs, one per axis, e.g.
    ``((0, 1), (1, 1))``. ``padding_mode`` is any of ``padlib.MODES``.

    The vertical-line example of the seed articles: an 8x8 image with a
    two-pixel-wide line and a 3x3 vertical line detector.

    >>> image = np.zeros((8, 8)); image[:, 3:5] = 1
    >>> detector = np.array([[0, 1, 0]] * 3)
    >>> conv2d(image, detector)[0]
    array([0., 0., 3., 3., 0., 0.])
    >>> conv2d(image, detector, stride=2)
    array([[0., 3., 0.],
           [0., 3., 0.],
           [0., 3., 0.]])
    >>> conv2d(image, detector, padding="same").shape
    (8, 8)
    """
    return _conv(x, kernel, 2, stride, padding, dilation, padding_mode, value)


def _conv(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    n_spatial: int,
    stride: IntOrInts,
    padding: ConvPadding,
    dilation: IntOrInts,
    padding_mode: str,
    value: Scalar | None,
) -> Array:
    if isinstance(padding_mode, str) and padding_mode.lower() == "partial":
        return _partial(x, kernel, n_spatial, stride, padding, dilation, value)
    try:  # checked even when nothing is padded: a misspelt mode must not pass silently with padding="valid"
        resolve_mode(padding_mode, argument="padding_mode")
    except ValueError as e:
        raise ValueError(f"{e}, or 'partial' (partial-convolution padding)") from None
    x, kernel, single = as_batch(f"conv{n_spatial}d", x, kernel, n_spatial, channels=("C", "filters"), in_axis=-2)
    strides = per_axis(stride, n_spatial, "stride", minimum=1)
    dilations = per_axis(dilation, n_spatial, "dilation", minimum=1)
    paddings = _per_axis_padding(padding, n_spatial)
    ksizes = kernel.shape[:n_spatial]
    spec = list(zip(x.shape[1 : 1 + n_spatial], ksizes, strides, dilations, paddings, strict=True))
    outs = [output_size(n, k, stride=s, dilation=d, padding=p) for n, k, s, d, p in spec]
    amounts = [padding_amounts(n, k, stride=s, dilation=d, padding=p) for n, k, s, d, p in spec]
    if any(a != (0, 0) for a in amounts) or value is not None:  # pad checks mode and value
        x = pad(x, amounts, padding_mode, value=value, axes=tuple(range(1, 1 + n_spatial)))

    # im2col: one row per output cell holding its window's taps, then one matrix product with the
    # kernel as a (taps, filters) matrix. The windows are a view; the copy into rows is the one copy.
    windows = _windows(x, ksizes, strides, dilations, outs)  # (N, *outs, *ksizes, C)
    taps = math.prod(ksizes) * x.shape[-1]
    rows = np.ascontiguousarray(windows).reshape(-1, taps)
    out = (rows @ kernel.reshape(taps, kernel.shape[-1])).reshape(*windows.shape[: 1 + n_spatial], -1)
    result: Array = out[0, ..., 0] if single else out
    return result


def _windows(
    x: Array, ksizes: Sequence[int], strides: Sequence[int], dilations: Sequence[int], outs: Sequence[int]
) -> Array:
    """Every window of a padded channels-last batch, as a read-only view ``(N, *outs, *ksizes, C)``.

    Window ``(i, j)``'s tap ``(a, b)`` is ``x[:, i * stride + a * dilation, j * stride + b * dilation, :]``:
    moving one output cell steps ``stride`` cells of ``x``, moving one tap steps ``dilation`` cells,
    so the view's strides are ``x``'s multiplied by those. It is
    ``sliding_window_view(x, spans, axis=(1, 2))[:, ::stride, ::stride, :, ::dilation, ::dilation]``
    with the channels moved last (tests/test_conv.py checks that it is), built directly because
    sliding_window_view's argument checks take longer than a whole small convolution. With the
    channels last, each window's ``(kw, C)`` taps lie in one contiguous run of ``x`` (dilation 1),
    so the copy into im2col rows reads memory in order. Pooling reduces the same windows over its taps.
    """
    n = len(ksizes)
    step = x.strides[1 : 1 + n]
    return np.lib.stride_tricks.as_strided(
        x,
        shape=(x.shape[0], *outs, *ksizes, x.shape[-1]),
        strides=(
            x.strides[0],
            *(st * s for st, s in zip(step, strides, strict=True)),
            *(st * d for st, d in zip(step, dilations, strict=True)),
            x.strides[-1],
        ),
        writeable=False,
    )


def _partial(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    n_spatial: int,
    stride: IntOrInts,
    padding: ConvPadding,
    dilation: IntOrInts,
    value: Scalar | None,
) -> Array:
    """Partial-convolution padding (Liu et al. 2018): zero padding, each output scaled by window / real cells.

    A window that holds no real cell gives 0, as in the paper.
    """
    if value is not None:
        raise ValueError(f"padding_mode 'partial' pads with zeros and takes no value; got value={value!r}")
    out = _conv(x, kernel, n_spatial, stride, padding, dilation, "constant", 0)
    spatial = np.shape(x)[1 : 1 + n_spatial] if np.ndim(kernel) == n_spatial + 2 else np.shape(x)
    window = np.ones(np.shape(kernel)[:n_spatial])
    real = _conv(np.ones(spatial), window, n_spatial, stride, padding, dilation, "constant", 0)
    scale = np.divide(window.size, real, out=np.zeros_like(real), where=real > 0)
    return out * (scale if np.ndim(out) == n_spatial else scale[np.newaxis, ..., np.newaxis])


def _per_axis_padding(padding: ConvPadding, n_spatial: int) -> tuple[Padding, ...]:
    """One padding spec for every axis, or a sequence of ``n_spatial`` specs."""
    is_pair = (
        isinstance(padding, Sequence)
        and not isinstance(padding, str)
        and len(padding) == 2
        and all(isinstance(p, (int, np.integer)) for p in padding)
    )
    if isinstance(padding, Sequence) and not isinstance(padding, str) and not is_pair:
        if len(padding) != n_spatial:
            raise ValueError(
                f"padding must be one spec for every axis or a sequence of {n_spatial} specs (one per spatial axis); "
                f"got {padding!r}"
            )
        return tuple(padding)  # each checked by padding_amounts
    return (cast("Padding", padding),) * n_spatial
