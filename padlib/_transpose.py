"""Transposed convolution and its output size, as ``tf.nn.conv2d_transpose`` and Keras ``Conv2DTranspose`` compute them."""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import numpy as np

from ._checks import as_batch, as_int, per_axis
from ._shapes import effective_kernel_size, padding_amounts

if TYPE_CHECKING:
    import numpy.typing as npt

    from ._types import Array, IntOrInts

TRANSPOSED_PADDINGS = ("valid", "same")
"""The named paddings of a transposed convolution; ``padding`` may also be an int ``p`` (PyTorch's ``padding``)."""


def _padding(padding: object) -> str | int:
    """``"valid"``, ``"same"`` (lower case) or an int >= 0; anything else is an error naming ``padding``."""
    if isinstance(padding, str) and padding.lower() in TRANSPOSED_PADDINGS:
        return padding.lower()
    if isinstance(padding, numbers.Integral) and not isinstance(padding, bool) and int(padding) >= 0:
        return int(padding)
    raise ValueError(
        f"padding must be 'valid', 'same' (as in Keras) or an int >= 0 (as in PyTorch) for a transposed convolution; "
        f"got {padding!r}"
    )


def transposed_output_size(
    size: int,
    kernel_size: int,
    *,
    stride: int = 1,
    padding: str | int = "valid",
    output_padding: int | None = None,
    dilation: int = 1,
) -> int:
    """Length of a transposed convolution's output along one axis.

    A strided convolution rounds down, so several input sizes give the same
    output: with ``k=3, s=2, p=1`` both 5 and 6 give 3. Its transpose must be
    told which one to go back to; that is ``output_padding`` ``a``::

        out = (size - 1) * stride + k_eff - 2 * p + a,   k_eff = dilation * (kernel_size - 1) + 1

    (Dumoulin & Visin's relationship 14, PyTorch's ``ConvTranspose``), with
    ``0 <= a < stride`` (or ``a < dilation`` when that is larger, as in
    PyTorch). ``padding`` is ``"valid"`` (``p = 0``), ``"same"`` (``p =
    k_eff // 2``) or an int ``p``. With ``output_padding=None`` Keras's rule
    applies: ``"same"`` gives ``size * stride``; ``"valid"`` gives
    ``(size - 1) * stride + max(k_eff, stride)``; an int ``p`` takes ``a = 0``.

    >>> transposed_output_size(3, 3, stride=2, padding=1)                    # back to 5
    5
    >>> transposed_output_size(3, 3, stride=2, padding=1, output_padding=1)  # or to 6
    6
    >>> transposed_output_size(4, 3, stride=2, padding="same")               # Keras: size * stride
    8
    >>> transposed_output_size(4, 2, stride=3)                               # Keras: max(k, s) per step
    12
    """
    n = as_int(size, "size", minimum=1)
    s = as_int(stride, "stride", minimum=1)
    d = as_int(dilation, "dilation", minimum=1)
    k = effective_kernel_size(kernel_size, d)
    p = _padding(padding)
    if output_padding is None:
        if p == "same":
            return n * s
        if p == "valid":
            return (n - 1) * s + max(k, s)
        a = 0
    else:
        a = as_int(output_padding, "output_padding")
        if a >= max(s, d):
            raise ValueError(
                f"output_padding must be smaller than stride ({s}) or dilation ({d}); got {a}: it picks one of the "
                f"input sizes that the strided convolution maps to the same output"
            )
    pad = p if isinstance(p, int) else {"valid": 0, "same": k // 2}[p]
    out = (n - 1) * s + k - 2 * pad + a
    if out < 1:
        raise ValueError(
            f"padding {padding!r} removes more cells than a transposed convolution of size {n} makes "
            f"((size - 1) * stride + k_eff = {(n - 1) * s + k}); use less padding"
        )
    if p == "same" and -(-out // s) != n:
        raise ValueError(
            f"output_padding {a} with padding 'same' gives {out} cells, but a 'same' convolution of {out} cells with "
            f"stride {s} gives {-(-out // s)}, not size {n}, so no convolution has this transpose (TensorFlow rejects it); "
            f"use output_padding=None or another value below {max(s, d)}"
        )
    return out


def _crop_before(out: int, kernel_size: int, stride: int, dilation: int, padding: str | int) -> int:
    """Cells cut from the front of the full transposed output: the forward convolution's padding before."""
    if padding == "valid":
        return 0
    if padding == "same":  # TensorFlow pads the forward convolution of the output size by its SAME rule
        return padding_amounts(out, kernel_size, stride=stride, dilation=dilation, padding="same")[0]
    assert isinstance(padding, int), padding  # _padding made it 'valid', 'same' or an int
    return padding


def conv_transpose1d(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    stride: IntOrInts = 1,
    padding: str | int = "valid",
    output_padding: IntOrInts | None = None,
    dilation: IntOrInts = 1,
) -> Array:
    """1-D transposed convolution, laid out like Keras ``Conv1DTranspose``.

    ``x`` is ``(N, W, C_in)`` with a ``(k, C_out, C_in)`` kernel (the layout
    ``tf.nn.conv1d_transpose`` takes), giving ``(N, Wo, C_out)``; or a single
    sequence ``(W,)`` with a ``(k,)`` kernel. ``Wo`` is
    :func:`transposed_output_size`. Each input cell adds ``x[j] * kernel`` to
    the output starting at ``j * stride``: the gradient of the strided
    convolution with respect to its input.

    >>> conv_transpose1d([1, 10], [1, 2, 3], stride=2)
    array([ 1,  2, 13, 20, 30])
    """
    return _conv_transpose(x, kernel, 1, stride, padding, output_padding, dilation)


def conv_transpose2d(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    stride: IntOrInts = 1,
    padding: str | int = "valid",
    output_padding: IntOrInts | None = None,
    dilation: IntOrInts = 1,
) -> Array:
    """2-D transposed convolution, laid out like ``tf.nn.conv2d_transpose`` and Keras ``Conv2DTranspose``.

    ``x`` is ``(N, H, W, C_in)`` with a ``(kh, kw, C_out, C_in)`` kernel,
    giving ``(N, Ho, Wo, C_out)``; or a single image ``(H, W)`` with a
    ``(kh, kw)`` kernel, giving ``(Ho, Wo)``. ``stride``, ``dilation`` and
    ``output_padding`` are an int or one per axis; ``padding`` is ``"valid"``,
    ``"same"`` or an int (see :func:`transposed_output_size`).

    With stride 2, each input cell stamps a copy of the kernel, scaled by its
    value, two cells further on; overlapping stamps add up:

    >>> conv_transpose2d([[1, 2], [3, 4]], np.ones((3, 3), dtype=int), stride=2)
    array([[ 1,  1,  3,  2,  2],
           [ 1,  1,  3,  2,  2],
           [ 4,  4, 10,  6,  6],
           [ 3,  3,  7,  4,  4],
           [ 3,  3,  7,  4,  4]])
    """
    return _conv_transpose(x, kernel, 2, stride, padding, output_padding, dilation)


def _conv_transpose(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    n_spatial: int,
    stride: IntOrInts,
    padding: str | int,
    output_padding: IntOrInts | None,
    dilation: IntOrInts,
) -> Array:
    x, kernel, single = as_batch(
        f"conv_transpose{n_spatial}d", x, kernel, n_spatial, channels=("C_out", "C_in"), in_axis=-1
    )
    sizes, ksizes = x.shape[1 : 1 + n_spatial], kernel.shape[:n_spatial]
    strides = per_axis(stride, n_spatial, "stride", minimum=1)
    dilations = per_axis(dilation, n_spatial, "dilation", minimum=1)
    extras = (
        (None,) * n_spatial
        if output_padding is None
        else per_axis(output_padding, n_spatial, "output_padding", minimum=0)
    )
    p = _padding(padding)
    outs = [
        transposed_output_size(n, k, stride=s, padding=p, output_padding=a, dilation=d)
        for n, k, s, a, d in zip(sizes, ksizes, strides, extras, dilations, strict=True)
    ]
    crops = [_crop_before(o, k, s, d, p) for o, k, s, d in zip(outs, ksizes, strides, dilations, strict=True)]

    # Scatter: every kernel tap adds x @ tap to a strided slice of the uncropped output.
    full = [
        max((n - 1) * s + effective_kernel_size(k, d), c + o)
        for n, k, s, d, c, o in zip(sizes, ksizes, strides, dilations, crops, outs, strict=True)
    ]
    dtype = np.result_type(x, kernel)
    y = np.zeros((x.shape[0], *full, kernel.shape[-2]), dtype=dtype)
    for tap in np.ndindex(*ksizes):
        where = tuple(
            slice(t * d, t * d + (n - 1) * s + 1, s) for t, d, n, s in zip(tap, dilations, sizes, strides, strict=True)
        )
        y[(slice(None), *where)] += x @ kernel[tap].T
    y = y[(slice(None), *(slice(c, c + o) for c, o in zip(crops, outs, strict=True)))]
    return y[0, ..., 0] if single else y
