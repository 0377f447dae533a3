"""Pictures for the Padding & Stride course, drawn from padlib's own arithmetic.

Every function draws on the ``ax=`` (or ``axes=``) you pass, or creates its
own figure when you pass none, and returns what it drew. Nothing here changes
global matplotlib state: the shared look (:data:`STYLE`) is applied with
``plt.style.context`` around each call, never to ``plt.rcParams``, and no
function calls ``plt.show``, ``plt.gca`` or ``plt.sca``.

Padded cells are drawn in a darker colour *and* hatched, input cells plain
and light, so the two stay apart in greyscale print.

- :func:`grid`: an array as numbered cells, its padded border marked.
- :func:`compare_modes`: one input padded with every mode, side by side.
- :func:`conv_step`: one convolution step (window, kernel, output cell).
- :func:`animate_conv` / :func:`save_gif`: the sliding kernel as an animation.
- :func:`impact`: a heat map of :func:`padlib.impact_map`.
- :func:`output_size_chart`: output size against kernel size, stride, padding.
- :func:`compare_arrays`: an expected and a returned array side by side, differing cells marked.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.patches import Rectangle

from ._checks import per_axis
from ._conv import _per_axis_padding, conv2d
from ._modes import MODES, resolve_mode
from ._pad import _as_pairs, pad
from ._shapes import SIZE_FORMULA, output_size, padding_amounts

if TYPE_CHECKING:
    import numpy.typing as npt
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

    from ._types import Array, ConvPadding, IntOrInts, Padding, PadWidth, Pair, Scalar

    ObjectArray = npt.NDArray[np.object_]
    """A flat or 2-D numpy array of matplotlib objects (Axes, Text)."""

P = ParamSpec("P")
R = TypeVar("R")

__all__ = [
    "STYLE",
    "animate_conv",
    "compare_arrays",
    "compare_modes",
    "conv_step",
    "grid",
    "impact",
    "output_size_chart",
    "save_gif",
    "style",
]

INPUT_COLOR = "#deebf7"  # light blue: real input cells (light in greyscale)
PAD_COLOR = "#f4a460"  # sandy orange: padded cells (darker in greyscale), plus PAD_HATCH
PAD_HATCH = "//"
PAD_HATCH_COLOR = "#b8651b"
KERNEL_COLOR = "#e5d8f0"
OUTPUT_COLOR = "#dcefd9"
WINDOW_COLOR = "#c0143c"  # outline of the kernel window and of the output cell it makes

# Only properties that matplotlib reads when an artist is *created*, so figures
# drawn later (inline backend, animations) look the same outside the context.
STYLE = {
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]),
    "image.cmap": "viridis",
    "legend.frameon": False,
}
"""The shared matplotlib style of the course (Okabe-Ito colours, no top/right spines)."""


def style() -> AbstractContextManager[None]:
    """A context manager applying :data:`STYLE`, for a notebook's own figures.

    >>> import matplotlib.pyplot as plt
    >>> with style():
    ...     plt.rcParams["axes.spines.top"]
    False
    """
    return plt.style.context(STYLE)


def _styled(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` inside :func:`style` (rcParams are restored on return)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with style():
            return fn(*args, **kwargs)

    return wrapper


# --------------------------------------------------------------------------- cells


def _as_grid(values: npt.ArrayLike, argument: str) -> Array:
    """``values`` as a 2-D array; a 1-D signal becomes one row."""
    values = np.asarray(values)
    if values.ndim == 1:
        values = values[np.newaxis]
    if values.ndim != 2:
        raise ValueError(f"{argument} must be 1-D or 2-D to be drawn as a grid; got shape {values.shape}")
    return values


def _fmt(values: Array) -> Callable[[Any], str]:
    """A formatter showing integers as integers and other numbers with 3 significant digits."""
    if np.issubdtype(values.dtype, np.integer) or np.all(np.mod(values, 1) == 0):
        return lambda v: f"{int(v)}"
    return lambda v: f"{v:.3g}"


def _draw_cells(
    ax: Axes,
    values: Array,
    *,
    padded: npt.NDArray[np.bool_] | None = None,
    color: str = INPUT_COLOR,
    origin: tuple[int, int] = (0, 0),
    fmt: Callable[[Any], str] | None = None,
) -> ObjectArray:
    """One Rectangle and one number per cell of ``values``; cells where ``padded`` is True are padding.

    Cells are centred on integer coordinates (row down, column right).
    ``origin`` is the (row, col) of the first *input* cell, so tick labels
    count input cells from 0 and padded cells get negative indices.
    Returns the array of Text artists, shaped like ``values``.
    """
    rows, cols = values.shape
    padded = np.zeros(values.shape, bool) if padded is None else padded
    fmt = fmt or _fmt(values)
    fontsize = max(5.0, min(10.0, 110 / max(rows, cols)))
    texts = np.empty(values.shape, dtype=object)
    for (r, c), v in np.ndenumerate(values):
        style: dict[str, Any]
        if padded[r, c]:
            style = dict(facecolor=PAD_COLOR, hatch=PAD_HATCH, hatchcolor=PAD_HATCH_COLOR, gid="padlib-pad-cell")
        else:
            style = dict(facecolor=color, gid="padlib-cell")
        # add_artist, not add_patch: the cells' limits are set once by _cell_axes, so add_patch's update
        # of the data limits for every cell is wasted (a fifth of a figure's time); ax.patches still lists them.
        ax.add_artist(Rectangle((c - 0.5, r - 0.5), 1, 1, edgecolor="#555555", linewidth=0.8, in_layout=False, **style))
        # Cells lie inside the axes: leaving them out of layout keeps constrained layout fast.
        # On padded cells the number sits on a light backing, so the hatching never runs through it.
        backing = (
            dict(boxstyle="square,pad=0.05", facecolor="white", edgecolor="none", alpha=0.85) if padded[r, c] else None
        )
        texts[r, c] = ax.text(
            c, r, fmt(v), ha="center", va="center", fontsize=fontsize, gid="padlib-value", in_layout=False, bbox=backing
        )
    _cell_axes(ax, rows, cols, origin)
    return texts


def _cell_axes(
    ax: Axes, rows: int, cols: int, origin: tuple[int, int], xlabel: str = "column", ylabel: str = "row"
) -> None:
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_aspect("equal")
    step_r, step_c = max(1, rows // 12), max(1, cols // 12)
    ax.set_xticks(range(0, cols, step_c), [str(c - origin[1]) for c in range(0, cols, step_c)])
    ax.set_yticks(range(0, rows, step_r), [str(r - origin[0]) for r in range(0, rows, step_r)])
    ax.tick_params(length=0, labelsize=8)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def _outline(ax: Axes, row: int, col: int, *, gid: str, linewidth: float = 2.5) -> Rectangle:
    """A thick unfilled square around cell (row, col); returns the Rectangle."""
    rect = Rectangle(
        (col - 0.5, row - 0.5),
        1,
        1,
        fill=False,
        edgecolor=WINDOW_COLOR,
        linewidth=linewidth,
        gid=gid,
        zorder=3,
        in_layout=False,
    )
    ax.add_artist(rect)  # inside the cells' limits, as in _draw_cells
    return rect


def _new_axes(
    n: int, axes: Sequence[Axes] | ObjectArray | None, *, width: float = 3.2, height: float = 3.4
) -> ObjectArray:
    """``axes`` as a flat array of ``n`` Axes, or ``n`` new Axes side by side in a new figure."""
    if axes is None:
        _, axes = plt.subplots(1, n, figsize=(width * n, height), squeeze=False)
    axes = np.asarray(axes, dtype=object).ravel()
    if len(axes) != n:
        raise ValueError(f"axes must hold {n} Axes (one per panel); got {len(axes)}")
    return axes


def _new_ax(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


# --------------------------------------------------------------------------- padding


def _mode_name(mode: str) -> str:
    return resolve_mode(mode).name


@_styled
def grid(
    values: npt.ArrayLike,
    *,
    pad_width: PadWidth = 0,
    mode: str | None = None,
    value: Scalar = 0,
    already_padded: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
    fmt: Callable[[Any], str] | None = None,
) -> Axes:
    """Draw ``values`` as numbered cells, padded by ``pad_width`` with ``mode``.

    ``values`` is 1-D (drawn as one row) or 2-D. ``pad_width`` reads like
    ``np.pad``'s (an int, ``(before, after)``, or one pair per axis; for 1-D
    values only the columns are padded). The input is padded with
    :func:`padlib.pad` using ``mode`` (default ``"constant"`` with ``value``);
    with ``already_padded=True`` ``values`` already holds the border and
    ``pad_width`` only says which cells are padding.

    Padded cells are orange and hatched (gid ``"padlib-pad-cell"``), input
    cells light blue (gid ``"padlib-cell"``); every cell shows its number.
    Tick labels count input cells from 0 (padding gets negative indices). The
    default title names the mode and pad width.

    Returns the Axes drawn on (a new figure's when ``ax`` is None).
    """
    values = np.asarray(values)
    one_d = values.ndim == 1
    grid_values = _as_grid(values, "values")
    pairs = ((0, 0), *_as_pairs(pad_width, 1)) if one_d else _as_pairs(pad_width, 2)
    name = (
        _mode_name(mode) if mode is not None else ("constant" if any(map(any, pairs)) and not already_padded else None)
    )
    if not already_padded and any(map(any, pairs)):
        assert name is not None  # padding needs a mode: 'constant' when none is given
        grid_values = pad(grid_values, pairs, name, value=value if name == "constant" else None)
    rows, cols = grid_values.shape
    (top, bottom), (left, right) = pairs
    if already_padded and (top + bottom >= rows or left + right >= cols):
        raise ValueError(
            f"pad_width {pad_width!r} leaves no input cell in already padded values of shape {grid_values.shape}"
        )
    padded = np.ones(grid_values.shape, bool)
    padded[top : rows - bottom, left : cols - right] = False
    ax = _new_ax(ax, (max(2.5, 0.45 * cols + 1), max(1.6, 0.45 * rows + 1)))
    _draw_cells(ax, grid_values, padded=padded, origin=(top, left), fmt=fmt)
    if title is None:
        amount = pairs[1] if one_d else pairs
        title = "input" if name is None else f"{name!r} padding, pad_width={_pairs_text(amount)}"
    ax.set_title(title)
    if one_d:
        ax.set_yticks([])
        ax.set_ylabel("")
    return ax


def _pairs_text(pairs: Sequence[int] | Sequence[Sequence[int]]) -> str:
    """``((1, 1), (1, 1))`` -> ``"1"``, ``((0, 1), (0, 1))`` -> ``"(0, 1)"``; otherwise the pairs."""
    if isinstance(pairs[0], int):  # one (before, after) pair
        rows = [tuple(cast("Sequence[int]", pairs))]
    else:
        rows = [tuple(p) for p in cast("Sequence[Sequence[int]]", pairs)]
    if len(set(rows)) == 1:
        before, after = rows[0]
        return str(before) if before == after else f"({before}, {after})"
    return str(tuple(rows))


COMPARE_COLUMNS = 3
"""At most this many :func:`compare_modes` panels side by side."""


@_styled
def compare_modes(
    x: npt.ArrayLike,
    pad_width: PadWidth,
    *,
    modes: Sequence[str] | None = None,
    value: Scalar = 0,
    axes: Sequence[Axes] | ObjectArray | None = None,
) -> ObjectArray:
    """Pad ``x`` with each of ``modes`` (default: every mode in ``padlib.MODES``) and draw them side by side.

    Each panel is a :func:`grid` titled with the mode's name and its numpy
    spelling. ``axes`` takes one Axes per mode; without it a new figure is made,
    with at most :data:`COMPARE_COLUMNS` panels in a row.
    A mode that cannot pad this much (e.g. ``reflect`` with ``pad_width >= n``)
    raises padlib's ValueError.

    Returns the array of Axes, one per mode, in order.
    """
    modes = list(MODES) if modes is None else [_mode_name(m) for m in modes]
    x = np.asarray(x)
    cells = x.shape[-1] + 2 * int(np.max(cast("npt.ArrayLike", pad_width)))
    if axes is None:  # rows of at most three panels: five in a row are shrunk to fit a notebook's width
        cols = min(len(modes), COMPARE_COLUMNS)
        rows = -(-len(modes) // cols)
        side = 0.3 * cells + 0.8
        fig, grid_axes = plt.subplots(
            rows, cols, figsize=(side * cols, (side + 0.4) * rows), squeeze=False, layout="constrained"
        )
        for spare in grid_axes.ravel()[len(modes) :]:
            spare.remove()
        axes = grid_axes.ravel()[: len(modes)]
    axes = _new_axes(len(modes), axes)
    for ax, name in zip(axes, modes, strict=True):
        grid(x, pad_width=pad_width, mode=name, value=value, ax=ax, title=f"{name}\n{MODES[name].numpy}")
    return axes


# --------------------------------------------------------------------------- convolution


@dataclass(frozen=True)
class _Conv:
    """A 2-D convolution's geometry and values, computed once by padlib's core."""

    padded: Array
    kernel: Array
    out: Array
    amounts: tuple[Pair, ...]
    stride: tuple[int, ...]
    dilation: tuple[int, ...]

    @property
    def padding_mask(self) -> npt.NDArray[np.bool_]:
        """True on the cells of ``padded`` that padding added, False on the input's cells."""
        (top, bottom), (left, right) = self.amounts
        mask = np.ones(self.padded.shape, bool)
        mask[top : self.padded.shape[0] - bottom, left : self.padded.shape[1] - right] = False
        return mask

    def window(self, row: int, col: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """(rows, cols) in padded coordinates of the kernel taps that make output (row, col)."""
        (kh, kw), (sh, sw), (dh, dw) = self.kernel.shape, self.stride, self.dilation
        return row * sh + dh * np.arange(kh), col * sw + dw * np.arange(kw)


def _convolve(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    stride: IntOrInts,
    dilation: IntOrInts,
    padding: ConvPadding,
    padding_mode: str,
    value: Scalar | None,
) -> _Conv:
    x, kernel = _as_grid(x, "x"), _as_grid(kernel, "kernel")
    stride = per_axis(stride, 2, "stride", minimum=1)
    dilation = per_axis(dilation, 2, "dilation", minimum=1)
    specs = _per_axis_padding(padding, 2)
    amounts = tuple(
        padding_amounts(n, k, stride=s, dilation=d, padding=p)
        for n, k, s, d, p in zip(x.shape, kernel.shape, stride, dilation, specs, strict=True)
    )
    out = conv2d(x, kernel, stride=stride, dilation=dilation, padding=specs, padding_mode=padding_mode, value=value)
    padded = pad(x, amounts, padding_mode, value=value)  # conv2d has already checked mode and value
    return _Conv(padded, kernel, out, amounts, stride, dilation)


def _draw_conv(
    axes: ObjectArray, conv: _Conv, position: tuple[int, int], padding_mode: str, padding: ConvPadding
) -> tuple[list[Rectangle], Rectangle, ObjectArray]:
    """Draw padded input + window, kernel, output + highlighted cell; returns the movable artists."""
    ax_in, ax_k, ax_out = axes
    (top, _), (left, _) = conv.amounts
    _draw_cells(ax_in, conv.padded, padded=conv.padding_mask, origin=(top, left))
    rows, cols = conv.window(*position)
    window = [_outline(ax_in, r, c, gid="padlib-window") for r in rows for c in cols]
    ax_in.set_title(f"padded input\n{_mode_name(padding_mode)} mode, padding={padding!r}")

    _draw_cells(ax_k, conv.kernel, color=KERNEL_COLOR)
    dil = "" if conv.dilation == (1, 1) else f", dilation {_pairs_text(conv.dilation)}"
    ax_k.set_title(f"kernel {conv.kernel.shape[0]}x{conv.kernel.shape[1]}{dil}")

    texts = _draw_cells(ax_out, conv.out, color=OUTPUT_COLOR)
    highlight = _outline(ax_out, *position, gid="padlib-output-cell")
    return window, highlight, texts


def _output_title(conv: _Conv, position: tuple[int, int]) -> str:
    r, c = position
    stride = _pairs_text(conv.stride)
    return f"output {conv.out.shape[0]}x{conv.out.shape[1]} (stride {stride})\noutput[{r}, {c}] = {_fmt(conv.out)(conv.out[r, c])}"


@_styled
def conv_step(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    position: tuple[int, int],
    *,
    stride: IntOrInts = 1,
    dilation: IntOrInts = 1,
    padding: ConvPadding = "valid",
    padding_mode: str = "constant",
    value: Scalar | None = None,
    axes: Sequence[Axes] | ObjectArray | None = None,
) -> ObjectArray:
    """One convolution step: the kernel window on the padded input, the kernel, and the output cell it makes.

    ``x`` and ``kernel`` are 2-D (or 1-D, drawn as one row); ``stride``,
    ``dilation``, ``padding``, ``padding_mode`` and ``value`` mean what they
    mean for :func:`padlib.conv2d`, which computes the output. ``position``
    is the output cell ``(row, col)``; the input cells its kernel taps read
    are outlined in the first panel (gid ``"padlib-window"``, one outline per
    tap, so dilation shows as gaps) and the cell in the output panel (gid
    ``"padlib-output-cell"``).

    ``axes`` takes three Axes (padded input, kernel, output); without it a
    new figure is made. Returns the array of the three Axes.
    """
    conv = _convolve(x, kernel, stride, dilation, padding, padding_mode, value)
    position = _check_position(position, conv.out.shape)
    axes = _new_axes(3, axes)
    _draw_conv(axes, conv, position, padding_mode, padding)
    axes[2].set_title(_output_title(conv, position))
    return axes


def _check_position(position: Sequence[int], shape: tuple[int, ...]) -> tuple[int, int]:
    try:
        r, c = (int(p) for p in position)
    except (TypeError, ValueError):
        raise ValueError(f"position must be an output cell (row, col); got {position!r}") from None
    if not (0 <= r < shape[0] and 0 <= c < shape[1]):
        raise ValueError(
            f"position {position!r} is outside the output of shape {shape}: rows 0..{shape[0] - 1}, cols 0..{shape[1] - 1}"
        )
    return r, c


@_styled
def animate_conv(
    x: npt.ArrayLike,
    kernel: npt.ArrayLike,
    *,
    stride: IntOrInts = 1,
    dilation: IntOrInts = 1,
    padding: ConvPadding = "valid",
    padding_mode: str = "constant",
    value: Scalar | None = None,
    interval: int = 600,
    figsize: tuple[float, float] | None = None,
) -> FuncAnimation:
    """The kernel sliding over the padded input, one output cell per frame, as a FuncAnimation.

    Arguments as for :func:`conv_step`; ``interval`` is the time per frame in
    ms. Output numbers appear as they are computed. The figure is closed, so
    it is not also shown as a still image; show the animation with
    ``IPython.display.HTML(anim.to_jshtml())`` and save it with
    :func:`save_gif`. Returns the ``matplotlib.animation.FuncAnimation``.
    """
    conv = _convolve(x, kernel, stride, dilation, padding, padding_mode, value)
    fig, axes = plt.subplots(1, 3, figsize=figsize or (9.6, 3.6))
    window, highlight, texts = _draw_conv(axes, conv, (0, 0), padding_mode, padding)
    out_rows, out_cols = conv.out.shape

    def show(frame: int) -> list[Artist]:
        r, c = divmod(frame, out_cols)
        rows, cols = conv.window(r, c)
        for rect, (wr, wc) in zip(window, ((a, b) for a in rows for b in cols), strict=True):
            rect.set_xy((wc - 0.5, wr - 0.5))
        highlight.set_xy((c - 0.5, r - 0.5))
        for i, text in enumerate(texts.ravel()):
            text.set_visible(i <= frame)
        axes[2].set_title(_output_title(conv, (r, c)))
        return [*window, highlight, *texts.ravel()]

    show(0)
    anim = FuncAnimation(fig, show, frames=out_rows * out_cols, interval=interval)
    plt.close(fig)
    return anim


def save_gif(anim: FuncAnimation, path: str | os.PathLike[str], *, fps: int = 2, dpi: int = 80) -> Path:
    """Save an animation (e.g. from :func:`animate_conv`) as a GIF with Pillow; returns the Path written."""
    path = Path(path)
    anim.save(path, writer=PillowWriter(fps=fps), dpi=dpi)
    return path


# --------------------------------------------------------------------------- expected vs returned

DIFF_COLOR = "#fbb4b9"  # light red behind a cell that differs (and an outline, for greyscale)


def _numeric_grid(values: npt.ArrayLike, argument: str) -> Array:
    array = np.asarray(values)
    if array.dtype.kind == "b":
        array = array.astype(int)
    if array.dtype.kind not in "iuf":
        raise ValueError(f"{argument} must hold integers, floats or booleans to be drawn; got dtype {array.dtype}")
    return _as_grid(array, argument)


@_styled
def compare_arrays(
    expected: npt.ArrayLike,
    returned: npt.ArrayLike,
    *,
    axes: Sequence[Axes] | ObjectArray | None = None,
    titles: tuple[str, str] = ("expected", "you returned"),
) -> tuple[ObjectArray, Array | None]:
    """Draw ``expected`` and ``returned`` side by side as numbered cells, marking the cells that differ.

    Both are 1-D (drawn as one row) or 2-D numeric arrays. When their shapes
    match, every cell whose values differ (NaN equals NaN) is filled light red
    and outlined in both panels (gid ``"padlib-diff-cell"``); when the shapes
    differ, nothing is marked and each panel's title gives its shape. ``axes``
    is two Axes (a new figure when None). Returns ``(axes, differs)``: the two
    Axes and the boolean array of differing cells (``None`` when the shapes
    differ).

    >>> import matplotlib
    >>> from matplotlib.figure import Figure
    >>> fig = Figure()
    >>> axes, differs = compare_arrays([[1, 2], [3, 4]], [[1, 2], [3, 5]], axes=fig.subplots(1, 2))
    >>> differs.tolist()
    [[False, False], [False, True]]
    >>> [ax.get_title() for ax in axes]
    ['expected (2, 2)', 'you returned (2, 2)\\n1 cell differs']
    """
    shapes = np.shape(expected), np.shape(returned)
    grids = _numeric_grid(expected, "expected"), _numeric_grid(returned, "returned")
    axes = _new_axes(
        2,
        axes,
        width=max(2.5, 0.45 * max(g.shape[1] for g in grids) + 1),
        height=max(1.6, 0.45 * max(g.shape[0] for g in grids) + 1),
    )
    differs: Array | None = None
    if shapes[0] == shapes[1]:
        a, b = grids
        both_nan = np.isnan(a.astype(float)) & np.isnan(b.astype(float))
        differs = (a != b) & ~both_nan
    for ax, values, title, shape in zip(axes, grids, titles, shapes, strict=True):
        _draw_cells(ax, values)
        if differs is not None:
            cell_patches = [patch for patch in ax.patches if patch.get_gid() == "padlib-cell"]  # row by row
            for r, c in np.argwhere(differs):
                cell_patches[r * values.shape[1] + c].set_facecolor(DIFF_COLOR)
                _outline(ax, r, c, gid="padlib-diff-cell", linewidth=2)
        if len(shape) < 2:
            ax.set_yticks([])
            ax.set_ylabel("")
        ax.set_title(f"{title} {shape}")
    if differs is not None:
        n = int(differs.sum())
        axes[1].set_title(f"{titles[1]} {shapes[1]}\n{n} cell{'s' if n != 1 else ''} differ{'s' if n == 1 else ''}")
        differs = differs.reshape(shapes[0])
    return axes, differs


# --------------------------------------------------------------------------- impact and sizes


@_styled
def impact(
    values: npt.ArrayLike,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    numbers: bool | None = None,
    colorbar: bool = True,
    label: str = "sum of the final output",
) -> Axes:
    """Heat map of an impact map (see :func:`padlib.impact_map`).

    ``numbers`` writes each cell's value on it; by default only when the map
    is at most 16 cells on a side. ``label`` names the colour bar's quantity
    (say what the values are, e.g. ``"impact / centre's impact"`` for a ratio).
    Returns the Axes (its image is ``ax.images[0]``; the colour bar, when
    drawn, is labelled).
    """
    values = _as_grid(values, "values")
    ax = _new_ax(ax, (4.6, 3.8))
    image = ax.imshow(values, cmap="viridis", vmin=0, interpolation="nearest")
    if numbers is None:
        numbers = max(values.shape) <= 16
    if numbers:
        fmt, top = _fmt(values), values.max() or 1
        size = max(5.0, min(9.0, 100 / max(values.shape)))
        for (r, c), v in np.ndenumerate(values):
            ax.text(c, r, fmt(v), ha="center", va="center", fontsize=size, color="black" if v > 0.6 * top else "white")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=label)
    ax.set_title(title or "impact of each input pixel")
    ax.set_xlabel("input column")
    ax.set_ylabel("input row")
    return ax


@_styled
def output_size_chart(
    size: int,
    *,
    kernel_sizes: Sequence[int] | None = None,
    strides: Sequence[int] = (1, 2),
    paddings: Sequence[Padding] = ("valid", "same", "full"),
    dilation: int = 1,
    ax: Axes | None = None,
) -> Axes:
    """Output size against kernel size for every (padding, stride) pair, with the formula annotated.

    ``size`` is the input length; ``kernel_sizes`` defaults to 1 .. min(size, 11);
    ``paddings`` takes anything :func:`padlib.padding_amounts` does. A kernel
    that does not fit the padded input leaves a gap. Line style encodes the
    padding and marker the stride, so the chart reads in greyscale too.

    Returns the Axes (one line per pair, labelled ``"<padding>, stride <s>"``).
    """
    kernel_sizes = list(range(1, min(size, 11) + 1) if kernel_sizes is None else kernel_sizes)
    ax = _new_ax(ax, (6.4, 4.2))
    linestyles, markers = ["-", "--", ":", "-."], ["o", "s", "^", "D", "v"]
    for i, padding in enumerate(paddings):
        for j, stride in enumerate(strides):
            sizes = [_size_or_nan(size, k, stride, dilation, padding) for k in kernel_sizes]
            ax.plot(
                kernel_sizes,
                sizes,
                linestyle=linestyles[i % 4],
                marker=markers[j % 5],
                label=f"{padding}, stride {stride}",
            )
    ax.set_xticks(kernel_sizes)
    ax.set_xlabel("kernel size k")
    ax.set_ylabel("output size")
    ax.set_title(
        f"output size for an input of n = {size}"
        + (f", dilation d = {dilation}" if dilation != 1 else "")
        + f"\n{SIZE_FORMULA}"
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax


def _size_or_nan(size: int, k: int, stride: int, dilation: int, padding: Padding) -> float:
    try:
        return output_size(size, k, stride=stride, dilation=dilation, padding=padding)
    except ValueError:
        return np.nan
