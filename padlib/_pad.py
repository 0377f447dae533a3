"""``pad``: every padding mode, on any axes of an array of any rank."""

from __future__ import annotations

import functools
import math

import numpy as np

from ._checks import as_int
from ._modes import resolve_mode

_SMALL = 1 << 16  # bytes: below this, per-call overhead matters more than passes over memory


def pad(x, pad_width, mode="constant", *, value=0, axes=None):
    """Pad ``x`` along ``axes`` with the given padding mode.

    Parameters
    ----------
    x : array_like
        Any rank. Not modified; the result is a new array of the same dtype.
    pad_width : int, (before, after), or one (before, after) pair per padded axis
        Non-negative integers, read like ``np.pad``'s ``pad_width``.
    mode : str
        One of ``padlib.MODES``: ``'constant'`` (alias ``'zeros'``),
        ``'reflect'``, ``'symmetric'``, ``'replicate'`` (alias ``'edge'``),
        ``'circular'`` (alias ``'wrap'``).
    value : scalar
        Fill value for ``'constant'``; must be representable in ``x.dtype``.
        Other modes take no value.
    axes : int or sequence of int, optional
        The axes to pad (default: all). For an NHWC batch, ``axes=(1, 2)``
        pads only height and width.

    Limits (as in TensorFlow): ``'reflect'`` pads at most ``n - 1`` on an axis
    of length ``n``; ``'symmetric'`` and ``'circular'`` at most ``n``.

    Examples
    --------
    >>> import padlib
    >>> x = np.array([1, 2, 3])
    >>> for mode in padlib.MODES:
    ...     print(f"{mode:>9}", padlib.pad(x, 2, mode))
     constant [0 0 1 2 3 0 0]
      reflect [3 2 1 2 3 2 1]
    symmetric [2 1 1 2 3 3 2]
    replicate [1 1 1 2 3 3 3]
     circular [2 3 1 2 3 1 2]

    Pad only the spatial axes of a batch, more at the bottom than at the top:

    >>> batch = np.ones((2, 4, 4, 3))
    >>> padlib.pad(batch, ((0, 1), (1, 1)), "reflect", axes=(1, 2)).shape
    (2, 5, 6, 3)
    """
    x = np.asarray(x)
    m = resolve_mode(mode)
    axes = _normalize_axes(axes, x.ndim)
    pairs = _as_pairs(pad_width, len(axes))
    if m.name != "constant" and not _is_zero(value):
        raise ValueError(f"value is only used by mode 'constant'; mode {m.name!r} takes no value (got value={value!r})")

    ndim = x.ndim
    full = [(0, 0)] * ndim
    for axis, pair in zip(axes, pairs):
        full[axis] = pair
    shape = x.shape
    for axis, (before, after) in enumerate(full):
        if before or after:
            limit = m.limit(shape[axis])
            if m.name == "replicate" and shape[axis] == 0:
                limit = 0
            if limit is not None and (before > limit or after > limit):
                raise ValueError(
                    f"pad_width ({before}, {after}) on axis {axis} is too large for mode {m.name!r}: "
                    f"an axis of length {shape[axis]} can be padded by at most {max(limit, 0)} on each side "
                    f"(limit {m.max_pad or 'n'})"
                )

    padded = [axis for axis, pair in enumerate(full) if pair != (0, 0)]
    if not padded:
        return x.copy()
    fill = None
    if m.name == "constant":  # the default 0 fits every dtype; anything else is checked
        fill = 0 if type(value) is int and value == 0 else _fill_value(value, x.dtype)
    middle = tuple(slice(b, b + n) for n, (b, _) in zip(shape, full))
    out_shape = tuple(n + b + a for n, (b, a) in zip(shape, full))

    # Every mode but constant maps each output cell of an axis to an input cell (_index_map).
    if x.nbytes <= _SMALL:  # small arrays: the fewest numpy calls
        if fill is not None:
            out = np.full(out_shape, fill, dtype=x.dtype)
            out[middle] = x
            return out
        out = x
        for axis in padded:
            out = out.take(_index_map(shape[axis], *full[axis], m.name), axis=axis)
        return out
    # Large arrays: the fewest passes over memory. Copy the input into the middle, then fill
    # each axis's two border slabs over the full extent of the other axes (corners included).
    out = np.empty(out_shape, dtype=x.dtype)
    out[middle] = x
    for axis in padded:
        before, after = full[axis]
        lead = (slice(None),) * axis
        if fill is not None:
            out[lead + (slice(0, before),)] = fill
            out[lead + (slice(before + shape[axis], None),)] = fill
            continue
        source_before, source_after = _border_sources(shape[axis], before, after, m.name)
        if before:
            out[lead + (slice(0, before),)] = out[lead + (source_before,)]
        if after:
            out[lead + (slice(before + shape[axis], None),)] = out[lead + (source_after,)]
    return out


@functools.lru_cache(maxsize=1024)
def _border_sources(n, before, after, mode):
    """Where the before and after borders copy from, in output coordinates, as basic slices.

    Within each mode's limits every border is a unit-step run of cells (reflect, symmetric,
    circular) or one repeated cell (replicate, a width-1 slice that broadcasts): views, which
    numpy copies much faster than a gather.

    >>> _border_sources(4, 2, 2, "reflect")
    (slice(4, 2, -1), slice(4, 2, -1))
    >>> _border_sources(4, 2, 1, "replicate")
    (slice(2, 3, None), slice(5, 6, None))
    """
    source = _index_map(n, before, after, mode) + before
    return _as_slice(source[:before]), _as_slice(source[before + n :])


def _as_slice(index):
    """A run of cell indices as a basic slice when it is one (else the index array itself)."""
    if len(index) == 0:
        return slice(0, 0)
    first, last = int(index[0]), int(index[-1])
    if (index == first).all():
        return slice(first, first + 1)
    step = 1 if last > first else -1
    if (np.diff(index) == step).all():
        return slice(first, last + step if last + step >= 0 else None, step)
    return index


@functools.lru_cache(maxsize=1024)
def _index_map(n, before, after, mode):
    """For each output cell along an axis of length ``n`` padded by (before, after), its input cell.

    >>> _index_map(3, 2, 2, "reflect"), _index_map(3, 2, 2, "symmetric")
    (array([2, 1, 0, 1, 2, 1, 0]), array([1, 0, 0, 1, 2, 2, 1]))
    >>> _index_map(3, 2, 2, "replicate"), _index_map(3, 2, 2, "circular")
    (array([0, 0, 0, 1, 2, 2, 2]), array([1, 2, 0, 1, 2, 0, 1]))
    """
    i = np.arange(-before, n + after)
    if mode == "replicate":
        i = np.clip(i, 0, n - 1)
    elif mode == "circular":
        i = i % n
    elif mode == "reflect" and n == 1:  # reflect cannot pad a single cell: only the identity map
        i = np.zeros_like(i)
    elif mode == "reflect":  # mirror about the edge cell, which is not repeated: period 2(n - 1)
        j = i % (2 * (n - 1))
        i = np.where(j >= n, 2 * (n - 1) - j, j)
    else:  # symmetric: mirror about the border, the edge cell is repeated: period 2n
        j = i % (2 * n)
        i = np.where(j >= n, 2 * n - 1 - j, j)
    i.setflags(write=False)  # cached: shared by every call
    return i


def _normalize_axes(axes, ndim):
    if axes is None:
        return tuple(range(ndim))
    items = tuple(axes) if isinstance(axes, (tuple, list, np.ndarray)) else (axes,)
    result = []
    for a in items:
        a = as_int(a, "axes", minimum=-ndim)
        if a >= ndim:
            raise ValueError(f"axes entry {a} is out of range for an array of ndim {ndim} (allowed: {-ndim} to {ndim - 1})")
        result.append(a % ndim)
    if len(set(result)) != len(result):
        raise ValueError(f"axes must not repeat an axis; got {axes!r}")
    return tuple(result)


def _as_pairs(pad_width, n_axes):
    """Every accepted form of ``pad_width`` as ``n_axes`` (before, after) pairs of ints >= 0.

    Accepted, as in ``np.pad``: ``p``; ``(p,)``; ``(before, after)``;
    ``((before, after),)``; one ``(before, after)`` per padded axis.
    """
    if type(pad_width) is int and pad_width >= 0:  # fast path for the commonest form
        return ((pad_width, pad_width),) * n_axes
    if type(pad_width) is tuple and len(pad_width) == n_axes and all(
        type(p) is tuple and len(p) == 2 and type(p[0]) is int and type(p[1]) is int and p[0] >= 0 and p[1] >= 0
        for p in pad_width
    ):
        return pad_width
    if np.ndim(pad_width) == 0 and not isinstance(pad_width, str):
        p = as_int(pad_width, "pad_width")
        return ((p, p),) * n_axes
    try:
        arr = np.asarray(pad_width, dtype=object)
    except ValueError:  # ragged
        arr = None
    if arr is None or arr.ndim == 0 or arr.ndim > 2 or (arr.ndim == 2 and arr.shape[1] != 2) or arr.size == 0:
        raise ValueError(
            f"pad_width must be an int, a (before, after) pair or one (before, after) pair per padded axis "
            f"({n_axes} here); got {pad_width!r}"
        )
    values = [as_int(v, "pad_width") for v in arr.ravel()]
    if arr.ndim == 1:
        if len(values) == 1:
            return ((values[0], values[0]),) * n_axes
        if len(values) == 2:
            return ((values[0], values[1]),) * n_axes
        raise ValueError(
            f"pad_width with {len(values)} numbers is ambiguous: give an int, a (before, after) pair, "
            f"or one (before, after) pair per padded axis ({n_axes} here); got {pad_width!r}"
        )
    pairs = tuple(zip(values[0::2], values[1::2]))
    if len(pairs) == 1:
        return pairs * n_axes
    if len(pairs) != n_axes:
        raise ValueError(f"pad_width has {len(pairs)} (before, after) pairs but {n_axes} axes are padded")
    return pairs


def _is_zero(value):
    try:
        return value == 0
    except Exception:
        return False


def _fill_value(value, dtype):
    """``value`` in ``dtype``, refusing values the dtype cannot hold (no silent rounding or wrapping)."""
    try:
        cast = np.array(value).astype(dtype, casting="unsafe")
        exact = cast.item() == value or (isinstance(value, float) and math.isnan(value) and np.isnan(cast))
    except (TypeError, ValueError, OverflowError):
        exact = False
    if not exact:
        raise ValueError(f"value {value!r} cannot be represented exactly in the input's dtype {dtype}; use a value of that dtype")
    return cast
