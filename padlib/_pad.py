"""``pad``: every padding mode, on any axes of an array of any rank."""

from __future__ import annotations

import functools
import itertools
import numbers
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, cast

import numpy as np

from ._checks import as_int
from ._modes import resolve_mode

if TYPE_CHECKING:
    import numpy.typing as npt

    from ._modes import Mode
    from ._types import Array, PadWidth, Pair, Scalar

    Index = tuple[slice, ...]

_SMALL = 1 << 16  # bytes: below this, per-call overhead matters more than passes over memory


def pad(
    x: npt.ArrayLike,
    pad_width: PadWidth,
    mode: str = "constant",
    *,
    value: Scalar | None = None,
    axes: int | Sequence[int] | None = None,
    reflect_type: str | None = None,
) -> Array:
    """Pad ``x`` along ``axes`` with the given padding mode.

    Parameters
    ----------
    x : array_like
        Any rank. Not modified; the result is a new array of the same dtype
        and memory order (Fortran-ordered in, Fortran-ordered out, as ``np.pad``).
    pad_width : int, (before, after), one pair per padded axis, or {axis: pair}
        Non-negative integers, read like ``np.pad``'s ``pad_width``: ``n``,
        ``(n,)``, ``(before, after)``, ``((before, after),)``, one
        ``(before, after)`` or ``(n,)`` per padded axis, or a dict
        ``{axis: n or (before, after)}`` (other axes unpadded; not with ``axes``).
    mode : str
        One of ``padlib.MODES``: ``'constant'`` (alias ``'zeros'``),
        ``'reflect'``, ``'symmetric'``, ``'replicate'`` (alias ``'edge'``),
        ``'circular'`` (alias ``'wrap'``).
    value : scalar, optional
        Fill value for ``'constant'`` (default 0), converted to ``x.dtype`` as
        numpy does (``0.1`` into float32 is rounded to the nearest float32);
        refused when that loses information badly: out of the dtype's range
        (300 into uint8, 1e300 into float32), a fraction or NaN into an integer
        array, a complex with an imaginary part into a real one. Other modes
        take no value (``value=0`` included), as in ``np.pad``.
    axes : int or sequence of int, optional
        The axes to pad (default: all). For an NHWC batch, ``axes=(1, 2)``
        pads only height and width.
    reflect_type : 'even', optional
        Accepted for ``'reflect'`` and ``'symmetric'`` for numpy compatibility;
        numpy's ``'odd'`` is not a padding any framework uses, so it is refused.

    Limits (as in TensorFlow): ``'reflect'`` pads at most ``n - 1`` on an axis
    of length ``n``; ``'symmetric'`` and ``'circular'`` at most ``n``. Beyond
    that ``np.pad`` keeps reflecting or wrapping; padlib refuses, as
    ``tf.pad`` and PyTorch do. ``padlib.mode_table().notes`` lists every
    deliberate difference from ``np.pad``.

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
    >>> padlib.pad(batch, {1: (0, 1), -2: 1}, "reflect").shape
    (2, 5, 6, 3)
    """
    x = np.asarray(x)
    m = resolve_mode(mode)
    if m.name != "constant" and value is not None:
        raise ValueError(
            f"value is only used by mode 'constant'; mode {m.name!r} takes no value (got value={value!r}); "
            f"np.pad refuses it too"
        )
    _check_reflect_type(reflect_type, m.name)
    full: Sequence[Pair]
    if type(pad_width) is int and (axes is None or type(axes) is tuple and all(type(a) is int for a in axes)):
        full = _full_pairs_of_int(pad_width, axes, x.ndim)  # the commonest call, cached
    else:
        full = _full_pairs(pad_width, axes, x.ndim)
    shape = x.shape
    for axis, (before, after) in enumerate(full):
        if before or after:
            _check_limit(m, axis, shape[axis], before, after)

    order: Literal["C", "F"] = "F" if x.flags.f_contiguous and not x.flags.c_contiguous else "C"
    padded = [axis for axis, pair in enumerate(full) if pair != (0, 0)]
    if not padded:
        return x.copy(order=order)
    fill = None
    if m.name == "constant":  # the default 0 fits every dtype; anything else is checked
        fill = 0 if value is None else fill_value(value, x.dtype)
    middle = tuple(slice(b, b + n) for n, (b, _) in zip(shape, full, strict=True))
    out_shape = tuple(n + b + a for n, (b, a) in zip(shape, full, strict=True))

    if fill is not None and x.nbytes <= _SMALL:  # small arrays: the fewest numpy calls
        out = np.full(out_shape, fill, dtype=x.dtype, order=order)
        out[middle] = x
        return out
    if fill is not None:  # constant: fill each axis's two border slabs, then copy the input in
        out = np.empty(out_shape, dtype=x.dtype, order=order)
        for axis in padded:
            lead = (slice(None),) * axis
            for border in _border_cells(shape[axis], *full[axis]):
                out[lead + (border,)] = fill
        out[middle] = x
        return out
    if x.nbytes <= _SMALL:  # small arrays: the fewest numpy calls (one gather per padded axis)
        out = x
        for axis in padded:
            out = out.take(_index_map(shape[axis], *full[axis], m.name), axis=axis)
        return np.asarray(out, order=order)
    # Large arrays: write every output cell once, straight from the input. Along each padded
    # axis the output is three runs (before, middle, after), each a basic slice of the input
    # (a view, see _runs); the output is the product of those runs over the padded axes.
    out = np.empty(out_shape, dtype=x.dtype, order=order)
    for destination, source in _regions(shape, tuple(full), m.name):
        out[destination] = x[source]
    return out


@functools.lru_cache(maxsize=256)
def _regions(shape: tuple[int, ...], full: tuple[Pair, ...], mode: str) -> tuple[tuple[Index, Index], ...]:
    """(output region, input region) pairs that together write every output cell once (see _runs)."""
    per_axis = [
        _runs(n, *pair, mode) if pair != (0, 0) else ((slice(None), slice(None)),)
        for n, pair in zip(shape, full, strict=True)
    ]
    return tuple((tuple(d for d, _ in combo), tuple(s for _, s in combo)) for combo in itertools.product(*per_axis))


def _check_reflect_type(reflect_type: str | None, mode: str) -> None:
    if reflect_type is None:
        return
    if mode not in ("reflect", "symmetric"):
        raise ValueError(
            f"reflect_type is only used by modes 'reflect' and 'symmetric'; mode {mode!r} takes none (np.pad refuses it too)"
        )
    if reflect_type == "odd":
        raise ValueError(
            "reflect_type='odd' (2 * edge - mirrored value) is not supported: no framework pads a convolution so; "
            "np.pad(x, pad_width, mode=..., reflect_type='odd') computes it"
        )
    if reflect_type != "even":
        raise ValueError(f"reflect_type must be 'even' (the default); got {reflect_type!r}")


def _check_limit(m: Mode, axis: int, n: int, before: int, after: int) -> None:
    """Refuse a pad the mode cannot make on an axis of length ``n``, saying why."""
    if n == 0 and m.name != "constant":
        raise ValueError(
            f"axis {axis} is empty (length 0): mode {m.name!r} has no values to pad it with; "
            f"only 'constant' can pad an empty axis (np.pad refuses it too)"
        )
    limit = m.limit(n)
    if limit is not None and (before > limit or after > limit):
        numpy_name = {"reflect": "reflect", "symmetric": "symmetric", "circular": "wrap"}[m.name]
        raise ValueError(
            f"pad_width ({before}, {after}) on axis {axis} is too large for mode {m.name!r}: an axis of length {n} "
            f"can be padded by at most {limit} on each side (limit {m.max_pad}, as in TensorFlow and PyTorch); "
            f"np.pad(mode={numpy_name!r}) would repeat the pattern past one period: use it if that is what you want"
        )


def _border_cells(n: int, before: int, after: int) -> tuple[slice, ...]:
    """The output cells of the two borders of an axis of length ``n``, as few basic slices as can hold them.

    >>> _border_cells(4, 2, 1), _border_cells(4, 1, 1)
    ((slice(0, 2, None), slice(6, 7, None)), (slice(0, 6, 5),))
    """
    if before == after == 1:
        return (slice(0, n + 2, n + 1),)
    return tuple(
        s for s, width in ((slice(0, before), before), (slice(before + n, before + n + after), after)) if width
    )


@functools.lru_cache(maxsize=1024)
def _runs(n: int, before: int, after: int, mode: str) -> tuple[tuple[slice, slice], ...]:
    """The (output slice, input slice) of the before, middle and after runs of one padded axis.

    Within each mode's limits every border is a unit-step run of input cells (reflect,
    symmetric, circular) or one repeated cell (replicate: a width-1 slice that broadcasts).

    >>> _runs(4, 2, 1, "reflect")
    ((slice(0, 2, None), slice(2, 0, -1)), (slice(2, 6, None), slice(None, None, None)), (slice(6, 7, None), slice(2, 3, None)))
    >>> _runs(4, 2, 1, "replicate")[0]
    (slice(0, 2, None), slice(0, 1, None))
    >>> _runs(4, 1, 1, "reflect")[1]  # both one-cell borders at once: output cells 0 and 5 from input cells 1 and 2
    (slice(0, 6, 5), slice(1, 3, 1))
    """
    source = _index_map(n, before, after, mode)
    runs = [(slice(before, before + n), slice(None))]
    if before == after == 1:  # the commonest pad (a 3x3 "same"): both border cells in one strided slice
        first, last = int(source[0]), int(source[-1])
        step = last - first
        stop = last + (1 if step > 0 else -1)
        both = slice(first, first + 1) if step == 0 else slice(first, stop if stop >= 0 else None, step)
        return (*runs, (_border_cells(n, 1, 1)[0], both))
    if before:
        runs.insert(0, (slice(0, before), _as_slice(source[:before])))
    if after:
        runs.append((slice(before + n, before + n + after), _as_slice(source[before + n :])))
    return tuple(runs)


def _as_slice(index: npt.NDArray[np.intp]) -> slice:
    """A non-empty run of cell indices (one repeated cell, or a unit-step run) as a basic slice."""
    first, last = int(index[0]), int(index[-1])
    if (index == first).all():
        return slice(first, first + 1)
    step = 1 if last > first else -1
    assert (np.diff(index) == step).all(), "within the mode limits every border is a unit-step run"
    return slice(first, last + step if last + step >= 0 else None, step)


@functools.lru_cache(maxsize=1024)
def _index_map(n: int, before: int, after: int, mode: str) -> npt.NDArray[np.intp]:
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


def _axis(a: object, ndim: int, argument: str, entry: str) -> int:
    """One axis index (negative counts from the end) as 0..ndim-1, or numpy's AxisError naming ``argument``."""
    if isinstance(a, bool) or not isinstance(a, numbers.Integral):
        raise TypeError(f"{argument} must be an integer (an axis); got {a!r} ({type(a).__name__})")
    a = int(a)
    if not -ndim <= a < ndim:
        raise np.exceptions.AxisError(
            f"{entry} {a} is out of range for an array of ndim {ndim} (allowed: {-ndim} to {ndim - 1})"
        )
    return a % ndim


def _normalize_axes(axes: int | Sequence[int] | None, ndim: int) -> tuple[int, ...]:
    if axes is None:
        return tuple(range(ndim))
    items = tuple(axes) if isinstance(axes, (tuple, list, np.ndarray)) else (axes,)
    result = tuple(_axis(a, ndim, "axes", "axes entry") for a in items)
    if len(set(result)) != len(result):
        raise ValueError(f"axes must not repeat an axis; got {axes!r}")
    return result


@functools.lru_cache(maxsize=256)
def _full_pairs_of_int(pad_width: int, axes: tuple[int, ...] | None, ndim: int) -> tuple[Pair, ...]:
    """_full_pairs for an int pad_width and a tuple of int axes (hashable without bool/int mix-ups)."""
    return tuple(_full_pairs(pad_width, axes, ndim))


def _full_pairs(pad_width: PadWidth, axes: int | Sequence[int] | None, ndim: int) -> list[Pair]:
    """One (before, after) pair for every axis of an ``ndim`` array, from ``pad_width`` and ``axes``."""
    full = [(0, 0)] * ndim
    if isinstance(pad_width, dict):  # numpy 2's {axis: n or (before, after)}: the dict names the axes
        if axes is not None:
            raise ValueError(
                f"give the axes either as the keys of a dict pad_width or as axes=, not both; got axes={axes!r}"
            )
        seen = set()
        for key, width in pad_width.items():
            if isinstance(key, bool) or not isinstance(key, numbers.Integral):
                raise TypeError(f"pad_width dict keys must be axes (integers); got {key!r} ({type(key).__name__})")
            axis = _axis(key, ndim, "pad_width dict keys", "pad_width dict key")
            if axis in seen:
                raise ValueError(f"pad_width dict names axis {axis} twice (as {key!r} and another key)")
            seen.add(axis)
            full[axis] = _as_pairs(width, 1)[0]
        return full
    axes = _normalize_axes(axes, ndim)
    for axis, pair in zip(axes, _as_pairs(pad_width, len(axes)), strict=True):
        full[axis] = pair
    return full


def _as_pairs(pad_width: object, n_axes: int) -> tuple[Pair, ...]:
    """Every accepted form of ``pad_width`` as ``n_axes`` (before, after) pairs of ints >= 0.

    Accepted, as in ``np.pad``: ``p``; ``(p,)``; ``(before, after)``;
    ``((before, after),)``; one ``(before, after)`` or ``(p,)`` per padded
    axis; numpy integers and integer arrays of those shapes. Errors have
    numpy's types: TypeError for what is not an integer, ValueError for a
    negative amount or a shape that fits no form.
    """
    if type(pad_width) is int and pad_width >= 0:  # fast path for the commonest form
        return ((pad_width, pad_width),) * n_axes
    if (
        type(pad_width) is tuple
        and len(pad_width) == n_axes
        and all(
            type(p) is tuple and len(p) == 2 and type(p[0]) is int and type(p[1]) is int and p[0] >= 0 and p[1] >= 0
            for p in pad_width
        )
    ):
        return pad_width
    if (
        isinstance(pad_width, (numbers.Integral, np.ndarray))
        and np.ndim(cast("int | np.ndarray", pad_width)) == 0
        or not isinstance(pad_width, (list, tuple, np.ndarray))
    ):
        p = as_int(
            pad_width.item() if isinstance(pad_width, np.ndarray) and pad_width.dtype.kind in "iu" else pad_width,
            "pad_width",
        )
        return ((p, p),) * n_axes
    forms = f"an int, (n,), (before, after), or one (before, after) or (n,) per padded axis ({n_axes} here)"
    try:
        arr = np.asarray(pad_width)
    except ValueError:  # ragged
        raise ValueError(f"pad_width must be {forms}; got the ragged {pad_width!r}") from None
    if arr.size and arr.dtype.kind in "fcb":
        raise TypeError(
            f"pad_width must be an integer >= 0 in every entry; got {pad_width!r} (read as {arr.dtype} numbers)"
        )
    if arr.size == 0 or arr.dtype.kind not in "iuO":
        raise TypeError(f"pad_width must be integers (>= 0) in the form {forms}; got {pad_width!r}")
    values = [as_int(v, "pad_width") for v in arr.ravel()]
    if arr.ndim == 1:
        if len(values) == 1:
            return ((values[0], values[0]),) * n_axes
        if len(values) == 2:
            return ((values[0], values[1]),) * n_axes
        raise ValueError(f"pad_width with {len(values)} numbers is ambiguous: give {forms}; got {pad_width!r}")
    if arr.ndim != 2 or arr.shape[1] not in (1, 2):
        raise ValueError(f"pad_width must be {forms}; got {pad_width!r}")
    if arr.shape[1] == 1:
        pairs = tuple((v, v) for v in values)
    else:
        pairs = tuple(zip(values[0::2], values[1::2], strict=True))
    if len(pairs) == 1:
        return pairs * n_axes
    if len(pairs) != n_axes:
        raise ValueError(f"pad_width has {len(pairs)} (before, after) pairs but {n_axes} axes are padded")
    return pairs


def fill_value(value: object, dtype: npt.DTypeLike) -> np.generic:
    """``value`` converted to ``dtype`` as numpy converts it, or a ValueError/TypeError when that loses information badly.

    Floats and complex numbers are rounded to the nearest value of a float or complex
    dtype (0.1 into float32), as numpy and PyTorch do. Refused: a value out of the
    dtype's range (300 into uint8, 1e300 into float32), a fraction or NaN into an
    integer or bool array, a complex with an imaginary part into a real array.

    >>> bool(fill_value(0.1, np.dtype(np.float32)) == np.float32(0.1))
    True
    """
    dtype = np.dtype(dtype)
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (str, bytes)):  # numpy: ValueError (it tries to parse the string)
        raise ValueError(f"value must be a number (a scalar fill for mode 'constant'), not a string; got {value!r}")
    if not isinstance(value, (numbers.Number, np.generic)):
        raise TypeError(
            f"value must be a number (a scalar fill for mode 'constant'); got {value!r} ({type(value).__name__})"
        )
    number = cast("complex | np.generic", value)  # numbers.Number: Python's and numpy's numbers
    problem = None
    converted: np.generic | None
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            converted = cast(np.generic, np.array(number).astype(dtype, casting="unsafe")[()])  # 0-d: a scalar
        except (TypeError, ValueError, OverflowError):
            converted, problem = None, "it cannot be converted"
        if problem is None and dtype.kind in "fc":
            imag = np.imag(number)
            if dtype.kind == "f" and imag != 0:
                problem = "its imaginary part would be dropped"
            elif np.isfinite(number) and converted is not None and not np.isfinite(converted):
                problem = f"it is out of the range of {dtype} (it would become {converted})"
        elif problem is None:  # integers, bool and anything else: only exact values
            exact = converted == number
            if exact is True or exact is np.True_:
                pass
            elif dtype.kind in "iub" and np.iscomplexobj(number) and np.imag(number) != 0:
                problem = "its imaginary part would be dropped"
            elif dtype.kind in "iub" and np.isnan(np.real(number)):
                problem = "an integer or bool array cannot hold NaN"
            elif dtype.kind in "iub" and np.real(number) != np.trunc(np.real(number)):
                problem = "an integer or bool array cannot hold a fraction (np.pad would truncate it)"
            elif dtype.kind in "iu":
                info = np.iinfo(dtype)
                problem = f"it is out of the range of {dtype} ({info.min} to {info.max}; np.pad would wrap it)"
            elif dtype.kind == "b":
                problem = "a bool array holds only 0/False and 1/True"
            else:
                problem = f"it would be changed (to {converted!r})"
    if problem:
        raise ValueError(
            f"value {value!r} cannot be used to pad an array of dtype {dtype}: {problem}; use a value that {dtype} can hold"
        )
    assert converted is not None  # no problem: it converted
    return converted
