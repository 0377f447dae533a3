"""Interactive explorers for the Padding & Stride course (ipywidgets 8, JupyterLab 4).

- :func:`explorer`: input size, kernel size, stride, dilation, padding and
  padding mode; shows the padded input with the first kernel window, the
  kernel, the output, the padding amounts and the output-size formula.
- :func:`impact_explorer`: layers, kernel size, image size, padding and
  mode drive an impact heat map (:func:`padlib.impact_map`).
- :func:`transpose_explorer`: input size, kernel size, stride, padding and
  ``output_padding`` of a transposed convolution; shows the input, the
  output and which output cells one chosen input cell feeds.

Each explorer is an ``ipywidgets.VBox`` whose view is updated in place (one
``HTML`` widget gets a new value), so nothing is cleared and
re-inserted: no flicker, and no classic-notebook feature is used.

The grids are HTML tables coloured as in :mod:`padlib.plot` (padded cells
hatched with a CSS gradient, so they survive greyscale too). A redraw takes
about a millisecond (re-rendering a matplotlib figure takes 100+ ms), and
browser tests can read every cell: ``td`` classes ``padlib-pad``,
``padlib-input``, ``padlib-window``, ``padlib-selected``, ``padlib-heat``.
``draw()`` on either explorer draws the same state with matplotlib, for a
static copy.

Both are driven from code as well as by hand: ``controls[name]`` holds each
control, ``set(name=value, ...)`` changes several with one redraw, and the
results are plain attributes (``amounts``, ``output_size``, ``formula``,
``message``; ``values`` for the impact map). An invalid combination shows
padlib's ValueError text in the widget (``message``) instead of a traceback.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Self

import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps

from . import plot
from ._impact import impact_map
from ._modes import MODES
from ._shapes import PADDINGS, padding_amounts, size_formula
from ._transpose import TRANSPOSED_PADDINGS, conv_transpose2d, transposed_output_size

if TYPE_CHECKING:
    import numpy.typing as npt
    from matplotlib.axes import Axes

    from ._types import Array, Padding

    ObjectArray = npt.NDArray[np.object_]

Widget = Any  # an ipywidgets widget (ipywidgets ships no types)
Value = int | str  # a control's value: a slider's int or a dropdown's choice

__all__ = ["Explorer", "ImpactExplorer", "TransposeExplorer", "explorer", "impact_explorer", "transpose_explorer"]

EXPLICIT = "explicit"


# width "auto": a control fills its grid cell; ipywidgets' fixed default (300px) is wider than
# the cell and made each readout disappear under the next control's label in JupyterLab 4.
def _slider(label: str, value: int, low: int, high: int) -> Widget:
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        description=label,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="auto"),
    )


def _dropdown(label: str, value: object, options: Iterable[object]) -> Widget:
    return widgets.Dropdown(
        value=value,
        options=list(options),
        description=label,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="auto"),
    )


class _ControlPanel(widgets.VBox):  # type: ignore[misc]  # ipywidgets ships no types: VBox is Any to mypy
    """Controls, an info line, a message line and a view; subclasses compute and render.

    Subclasses define ``_control_specs`` (name -> (factory, label, default,
    (min, max) or options)), ``_make_view()`` and ``_render()``, which
    computes from ``self.state``, updates the view and raises ValueError for
    an invalid combination.
    """

    _control_specs: dict[str, tuple[Callable[..., Widget], str, Value, tuple[Any, ...]]] = {}

    def __init__(self, css_name: str, **initial: Value) -> None:
        unknown = set(initial) - set(self._control_specs)
        if unknown:
            raise TypeError(f"unknown control(s) {sorted(unknown)}; allowed: {', '.join(self._control_specs)}")
        self.controls = {
            name: self._make_control(name, initial.get(name, spec[2])) for name, spec in self._control_specs.items()
        }
        for name, control in self.controls.items():
            control.add_class(f"padlib-control-{name}")
        self.message = ""
        self.info = widgets.HTML(layout=widgets.Layout(min_height="2.8em")).add_class(f"{css_name}-info")
        self.error = widgets.HTML().add_class(f"{css_name}-message")
        self.view = self._make_view().add_class(f"{css_name}-view")
        grid = widgets.GridBox(
            list(self.controls.values()),
            layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(17em, 1fr))"),
        )
        super().__init__(children=[grid, self.info, self.error, self.view])
        self.add_class(css_name)
        self._holding = False
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.update()

    def _make_control(self, name: str, value: Value) -> Widget:
        factory, label, _, choices = self._control_specs[name]
        if factory is _slider:
            low, high = choices
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
                raise ValueError(f"{name} must be an integer from {low} to {high}; got {value!r}")
            return _slider(label, int(value), low, high)
        if value not in choices:
            raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
        return _dropdown(label, value, choices)

    @property
    def state(self) -> dict[str, Any]:
        """The current control values, as a dict name -> value."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values: Value) -> Self:
        """Change several controls at once with a single redraw; returns self."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise TypeError(f"unknown control(s) {sorted(unknown)}; allowed: {', '.join(self.controls)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.update()
        return self

    def _on_change(self, change: object) -> None:
        if not self._holding:
            self.update()

    def update(self) -> None:
        """Recompute and redraw from the controls; an invalid combination sets and shows ``message``."""
        self._sync_controls()
        try:
            self._render()
        except ValueError as error:
            self.message = str(error)
            self.error.value = (
                f'<div style="color:#a40000;font-weight:bold">Not possible: {html.escape(self.message)}</div>'
            )
            self.view.layout.display = "none"
            return
        self.message = ""
        self.error.value = ""
        self.view.layout.display = None

    def _sync_controls(self) -> None:
        """Enable/disable controls that the current choices make irrelevant (nothing by default)."""


# --------------------------------------------------------------------------- padding explorer

_GRID_CSS = f"""<style>
.padlib-grids {{display:flex; gap:1.5em; align-items:flex-start; flex-wrap:wrap}}
.padlib-grid {{border-collapse:collapse; font-family:monospace; text-align:center}}
.padlib-grid caption {{font-weight:bold; padding-bottom:0.3em; white-space:pre}}
.padlib-grid th {{font-weight:normal; color:#666; font-size:80%; padding:0 0.25em}}
.padlib-grid td {{border:1px solid #555; min-width:1.8em; height:1.8em; padding:0 0.3em}}
.padlib-grid td.padlib-input {{background:{plot.INPUT_COLOR}}}
.padlib-grid td.padlib-pad {{background:repeating-linear-gradient(45deg, {plot.PAD_COLOR} 0 5px, {plot.PAD_HATCH_COLOR} 5px 6px)}}
.padlib-grid td.padlib-kernel {{background:{plot.KERNEL_COLOR}}}
.padlib-grid td.padlib-output {{background:{plot.OUTPUT_COLOR}}}
.padlib-grid td.padlib-window, .padlib-grid td.padlib-selected {{outline:3px solid {plot.WINDOW_COLOR}; outline-offset:-3px; font-weight:bold}}
.padlib-grid.padlib-small td {{min-width:1.1em; height:1.1em; font-size:65%; padding:0 0.2em}}
</style>"""


def _html_grid(
    values: Array,
    caption: str,
    *,
    kind: str,
    padded: npt.NDArray[np.bool_] | None = None,
    marked: npt.NDArray[np.bool_] | None = None,
    marked_class: str = "padlib-window",
    origin: tuple[int, int] = (0, 0),
) -> str:
    """``values`` as an HTML table with row/column headers counted from ``origin`` (the first input cell).

    ``kind`` is the class of ordinary cells; ``padded`` (bool array) marks
    padding cells and ``marked`` (bool array) the cells given ``marked_class``.
    """
    fmt = plot._fmt(values)
    rows, cols = values.shape
    padded = np.zeros(values.shape, bool) if padded is None else padded
    marked = np.zeros(values.shape, bool) if marked is None else marked
    small = " padlib-small" if max(rows, cols) > 14 else ""
    head = "".join(f"<th>{c - origin[1]}</th>" for c in range(cols))
    body = []
    for r in range(rows):
        tds = "".join(
            f'<td class="{"padlib-pad" if padded[r, c] else kind}{" " + marked_class if marked[r, c] else ""}">{fmt(values[r, c])}</td>'
            for c in range(cols)
        )
        body.append(f"<tr><th>{r - origin[0]}</th>{tds}</tr>")
    return (
        f'<table class="padlib-grid{small}"><caption>{html.escape(caption)}</caption>'
        f'<tr><th title="row \\ column">row\\col</th>{head}</tr>{"".join(body)}</table>'
    )


class Explorer(_ControlPanel):
    """Padding explorer: see :func:`explorer`.

    After every update: ``amounts`` is the (before, after) padding of each
    axis, ``position`` the (row, col) of the output cell whose window is
    shown, ``output_size`` the output length of each axis (None when
    invalid), ``formula`` the output-size formula with the numbers filled
    in, ``message`` "" or why the combination is invalid, and ``view.value``
    the HTML of the three grids.
    """

    _control_specs = {
        "size": (_slider, "input size n", 6, (1, 12)),
        "kernel_size": (_slider, "kernel size k", 3, (1, 7)),
        "stride": (_slider, "stride s", 1, (1, 4)),
        "dilation": (_slider, "dilation d", 1, (1, 3)),
        "padding": (_dropdown, "padding", "same", (*PADDINGS, EXPLICIT)),
        "mode": (_dropdown, "padding mode", "constant", tuple(MODES)),
        "before": (_slider, "explicit before", 1, (0, 6)),
        "after": (_slider, "explicit after", 1, (0, 6)),
        # Which output cell's window is shown, counted row by row. Its range follows the output
        # size (set in _render); with fewer cells than before it moves to the last one.
        "cell": (_slider, "output cell #", 0, (0, 399)),
    }

    def __init__(self, **initial: Value) -> None:
        self.amounts: tuple[int, int] | None = None
        self.position: tuple[int, int] | None = None
        self.output_size: int | None = None
        self.formula = ""
        super().__init__("padlib-explorer", **initial)

    def _make_view(self) -> Widget:
        return widgets.HTML()

    @property
    def padding(self) -> Padding:
        """The padding spec passed to padlib: a name, or (before, after) when "explicit" is chosen."""
        s = self.state
        return (s["before"], s["after"]) if s["padding"] == EXPLICIT else s["padding"]

    @staticmethod
    def input_values(n: int) -> npt.NDArray[np.int_]:
        """The n x n input shown: 1..9 repeating, so zero padding stands out."""
        return (np.arange(n * n) % 9 + 1).reshape(n, n)

    def _conv_arguments(self) -> tuple[npt.NDArray[np.int_], npt.NDArray[np.int_], dict[str, Any]]:
        s = self.state
        x = self.input_values(s["size"])
        kernel = np.ones((s["kernel_size"],) * 2, int)
        return x, kernel, dict(stride=s["stride"], dilation=s["dilation"], padding=self.padding, padding_mode=s["mode"])

    def _sync_controls(self) -> None:
        """Explicit before/after are set by hand only for "explicit"; otherwise they show (disabled) the
        amounts the chosen padding uses on each axis, so switching to "explicit" starts from them."""
        explicit = self.controls["padding"].value == EXPLICIT
        self.controls["before"].disabled = self.controls["after"].disabled = not explicit
        if explicit:
            return
        s = self.state
        try:
            before, after = padding_amounts(
                s["size"], s["kernel_size"], stride=s["stride"], dilation=s["dilation"], padding=s["padding"]
            )
        except ValueError:  # an invalid combination: update() shows why
            return
        holding, self._holding = self._holding, True  # showing the amounts is not a change to redraw for
        try:
            for name, amount in (("before", before), ("after", after)):
                control = self.controls[name]
                control.max = max(control.max, amount)
                control.value = amount
        finally:
            self._holding = holding

    def _render(self) -> None:
        s, padding = self.state, self.padding
        shape = dict(kernel_size=s["kernel_size"], stride=s["stride"], dilation=s["dilation"], padding=padding)
        self.amounts, self.output_size, self.formula = padding_amounts(s["size"], **shape), None, ""
        self.info.value = f"<b>padding (before, after)</b> = {self.amounts} on each axis"
        self.formula = size_formula(s["size"], **shape)
        self.info.value += f"<br><b>output size</b>: {html.escape(self.formula)}"
        x, kernel, arguments = self._conv_arguments()
        conv = plot._convolve(x, kernel, arguments["stride"], arguments["dilation"], padding, s["mode"], None)
        (top, _), (left, _) = conv.amounts
        cells = self.controls["cell"]
        self._holding = True  # adjusting the range must not trigger another redraw
        try:
            cells.max = conv.out.size - 1
            cells.value = min(cells.value, cells.max)
        finally:
            self._holding = False
        self.position = divmod(cells.value, conv.out.shape[1])
        window = np.zeros(conv.padded.shape, bool)
        window[np.ix_(*conv.window(*self.position))] = True
        selected = np.zeros(conv.out.shape, bool)
        selected[self.position] = True
        self.view.value = (
            _GRID_CSS
            + '<div class="padlib-grids">'
            + "".join(
                [
                    _html_grid(
                        conv.padded,
                        f"padded input\n{s['mode']} mode, padding={padding!r}",
                        kind="padlib-input",
                        padded=conv.padding_mask,
                        marked=window,
                        origin=(top, left),
                    ),
                    _html_grid(
                        kernel, f"kernel {s['kernel_size']}x{s['kernel_size']}\n(all ones)", kind="padlib-kernel"
                    ),
                    _html_grid(
                        conv.out,
                        f"output {conv.out.shape[0]}x{conv.out.shape[1]}\noutput[{self.position[0]}, {self.position[1]}]: window sum",
                        kind="padlib-output",
                        marked=selected,
                        marked_class="padlib-selected",
                    ),
                ]
            )
            + "</div>"
        )
        self.output_size = conv.out.shape[0]

    def draw(self, position: tuple[int, int] | None = None, *, axes: Sequence[Axes] | None = None) -> ObjectArray:
        """The current state as a static matplotlib figure (:func:`padlib.plot.conv_step`), with the
        window of ``position`` (default: the output cell chosen in the widget); returns its three Axes."""
        x, kernel, arguments = self._conv_arguments()
        where = self.position if position is None else position
        if where is None:
            raise ValueError(f"nothing to draw: {self.message}")
        return plot.conv_step(x, kernel, where, axes=axes, **arguments)


# --------------------------------------------------------------------------- impact explorer


def _html_heatmap(values: Array, caption: str) -> str:
    """``values`` as an HTML table coloured with viridis (as :func:`padlib.plot.impact`), plus a colour key.

    Cells show their number when the map is at most 16 cells on a side, and
    always carry it as a tooltip.
    """
    top = values.max() or 1.0
    rgba = colormaps["viridis"](values / top)
    hexes = np.apply_along_axis(lambda c: "#" + "".join(f"{round(255 * v):02x}" for v in c[:3]), -1, rgba)
    fmt, show = plot._fmt(values), max(values.shape) <= 16
    rows = []
    for r in range(values.shape[0]):
        tds = "".join(
            f'<td class="padlib-heat" title="row {r}, column {c}: {fmt(v)}" style="background:{hexes[r, c]};'
            f'color:{"black" if v > 0.6 * top else "white"}">{fmt(v) if show else ""}</td>'
            for c, v in enumerate(values[r])
        )
        rows.append(f"<tr><th>{r}</th>{tds}</tr>")
    head = "".join(f"<th>{c}</th>" for c in range(values.shape[1]))
    stops = ", ".join(
        "#" + "".join(f"{int(255 * v):02x}" for v in colormaps["viridis"](x)[:3]) for x in np.linspace(0, 1, 9)
    )
    key = (
        f'<div class="padlib-heat-key">0 <span style="display:inline-block;width:12em;height:0.9em;'
        f'background:linear-gradient(to right, {stops})"></span> {fmt(values.max())} (sum of the final output)</div>'
    )
    small = "" if show else " padlib-small"
    return (
        f'<table class="padlib-grid{small}"><caption>{html.escape(caption)}</caption>'
        f"<tr><th>row\\col</th>{head}</tr>{''.join(rows)}</table>{key}"
    )


class ImpactExplorer(_ControlPanel):
    """Impact-map explorer: see :func:`impact_explorer`.

    After every update ``values`` is the impact map shown (None when
    invalid), ``message`` "" or why it could not be computed, and
    ``view.value`` the HTML heat map (``td.padlib-heat`` cells, value in
    each ``title``).
    """

    _control_specs = {
        "layers": (_slider, "layers", 1, (1, 8)),
        "kernel_size": (_slider, "kernel size k", 3, (1, 7)),
        "size": (_slider, "image size", 10, (3, 32)),
        "padding": (_dropdown, "padding", "same", PADDINGS),
        "mode": (_dropdown, "padding mode", "constant", tuple(MODES)),
    }

    def __init__(self, **initial: Value) -> None:
        self.values: npt.NDArray[np.float64] | None = None
        super().__init__("padlib-impact-explorer", **initial)

    def _make_view(self) -> Widget:
        return widgets.HTML()

    def _render(self) -> None:
        s = self.state
        self.values = None
        self.values = impact_map(s["size"], s["kernel_size"], layers=s["layers"], padding=s["padding"], mode=s["mode"])
        low, high = self.values.min(), self.values.max()
        spread = f"(most/least = {high / low:.3g})" if low else "(some pixels have no impact at all)"
        self.info.value = f"least impact <b>{low:g}</b>, most <b>{high:g}</b> {spread}"
        self.view.value = _GRID_CSS + _html_heatmap(self.values, self._title())

    def _title(self) -> str:
        s = self.state
        layers = f"{s['layers']} layer{'s' if s['layers'] > 1 else ''}"
        return f"impact of each pixel: {layers} {s['kernel_size']}x{s['kernel_size']}, {s['padding']} padding, {s['mode']} mode"

    def draw(self, *, ax: Axes | None = None) -> Axes:
        """The current map as a matplotlib heat map (:func:`padlib.plot.impact`); returns its Axes."""
        if self.values is None:
            raise ValueError(f"nothing to draw: {self.message}")
        return plot.impact(self.values, ax=ax, title=self._title())


def explorer(**initial: Value) -> Explorer:
    """The padding explorer, starting from ``initial`` control values.

    Controls (keyword, default, range): ``size`` 6 (1-12), ``kernel_size`` 3
    (1-7), ``stride`` 1 (1-4), ``dilation`` 1 (1-3), ``padding`` "same"
    (valid, same, full, causal, explicit), ``mode`` "constant" (any of
    ``padlib.MODES``), ``before``/``after`` 1 (0-6, used when padding is
    "explicit"). The kernel is all ones, so each output is its window's sum.

    Returns an :class:`Explorer` (an ``ipywidgets.VBox``; make it the last
    line of a cell to show it). Unknown names raise TypeError, values out of
    range ValueError.
    """
    return Explorer(**initial)


def impact_explorer(**initial: Value) -> ImpactExplorer:
    """The impact-map explorer, starting from ``initial`` control values.

    Controls (keyword, default, range): ``layers`` 1 (1-8), ``kernel_size`` 3
    (1-7), ``size`` 10 (3-32), ``padding`` "same" (valid, same, full,
    causal), ``mode`` "constant" (any of ``padlib.MODES``).

    Returns an :class:`ImpactExplorer` (an ``ipywidgets.VBox``).
    """
    return ImpactExplorer(**initial)


# --------------------------------------------------------------------------- transposed-convolution explorer

AUTO = "auto (Keras)"


class TransposeExplorer(_ControlPanel):
    """Transposed-convolution explorer: see :func:`transpose_explorer`.

    After every update: ``output_size`` is the output length of each axis
    (None when invalid), ``position`` the (row, col) of the chosen input
    cell, ``fed`` a bool array over the output marking the cells that input
    cell adds to, ``formula`` the size rule with the numbers filled in,
    ``message`` "" or why the combination is invalid, and ``view.value`` the
    HTML of the three grids (``td.padlib-selected`` in the input,
    ``td.padlib-window`` in the output).
    """

    _control_specs = {
        "size": (_slider, "input size i", 3, (1, 6)),
        "kernel_size": (_slider, "kernel size k", 3, (1, 5)),
        "stride": (_slider, "stride s", 2, (1, 4)),
        "padding": (_dropdown, "padding", "valid", TRANSPOSED_PADDINGS),
        "output_padding": (_dropdown, "output_padding a", AUTO, (AUTO, 0, 1, 2, 3)),
        # Which input cell's copies of the kernel are marked, counted row by row.
        "cell": (_slider, "input cell #", 0, (0, 35)),
    }

    def __init__(self, **initial: Value) -> None:
        self.output_size: int | None = None
        self.position: tuple[int, int] | None = None
        self.fed: npt.NDArray[np.bool_] | None = None
        self.formula = ""
        super().__init__("padlib-transpose-explorer", **initial)

    def _make_view(self) -> Widget:
        return widgets.HTML()

    def _arguments(self) -> dict[str, Any]:
        s = self.state
        extra = None if s["output_padding"] == AUTO else s["output_padding"]
        return dict(stride=s["stride"], padding=s["padding"], output_padding=extra)

    def _render(self) -> None:
        s, arguments = self.state, self._arguments()
        self.output_size, self.fed, self.formula = None, None, ""
        out = transposed_output_size(s["size"], s["kernel_size"], **arguments)
        a = arguments["output_padding"]
        rule = f"(i − 1)·s + k − 2p + a = ({s['size']} − 1)·{s['stride']} + {s['kernel_size']}"
        if a is None and s["padding"] == "same":
            self.formula = f"Keras 'same' without output_padding: i·s = {s['size']}·{s['stride']} = {out}"
        elif a is None:
            self.formula = f"Keras 'valid' without output_padding: (i − 1)·s + max(k, s) = {out}"
        else:
            p = s["kernel_size"] // 2 if s["padding"] == "same" else 0
            self.formula = f"{rule} − 2·{p} + {a} = {out}"
        self.info.value = f"<b>output size</b>: {html.escape(self.formula)}"
        x = Explorer.input_values(s["size"])
        kernel = np.ones((s["kernel_size"],) * 2, int)
        y = conv_transpose2d(x, kernel, **arguments)
        cells = self.controls["cell"]
        self._holding = True  # adjusting the range must not trigger another redraw
        try:
            cells.max = x.size - 1
            cells.value = min(cells.value, cells.max)
        finally:
            self._holding = False
        self.position = divmod(cells.value, s["size"])
        one = np.zeros_like(x)
        one[self.position] = 1
        self.fed = conv_transpose2d(one, kernel, **arguments) > 0
        selected = one.astype(bool)
        self.view.value = (
            _GRID_CSS
            + '<div class="padlib-grids">'
            + "".join(
                [
                    _html_grid(
                        x,
                        f"input {s['size']}x{s['size']}\ncell [{self.position[0]}, {self.position[1]}] chosen",
                        kind="padlib-input",
                        marked=selected,
                        marked_class="padlib-selected",
                    ),
                    _html_grid(
                        kernel, f"kernel {s['kernel_size']}x{s['kernel_size']}\n(all ones)", kind="padlib-kernel"
                    ),
                    _html_grid(
                        y,
                        f"output {y.shape[0]}x{y.shape[1]}, stride {s['stride']}\nmarked: fed by the chosen cell",
                        kind="padlib-output",
                        marked=self.fed,
                    ),
                ]
            )
            + "</div>"
        )
        self.output_size = out

    def draw(self, *, axes: Sequence[Axes] | ObjectArray | None = None) -> Sequence[Axes] | ObjectArray:
        """The input and the output as static matplotlib grids (:func:`padlib.plot.grid`); returns the two Axes
        (``axes``, or a new figure's as an array)."""
        if self.output_size is None:
            raise ValueError(f"nothing to draw: {self.message}")
        s = self.state
        x = Explorer.input_values(s["size"])
        y = conv_transpose2d(x, np.ones((s["kernel_size"],) * 2, int), **self._arguments())
        if axes is None:
            import matplotlib.pyplot as plt

            axes = plt.subplots(1, 2, figsize=(7, 3.4))[1]
        plot.grid(x, ax=axes[0], title=f"input {s['size']}x{s['size']}")
        plot.grid(y, ax=axes[1], title=f"transposed conv, stride {s['stride']}: {y.shape[0]}x{y.shape[1]}")
        return axes


def transpose_explorer(**initial: Value) -> TransposeExplorer:
    """The transposed-convolution explorer, starting from ``initial`` control values.

    Controls (keyword, default, range): ``size`` 3 (1-6), ``kernel_size`` 3
    (1-5), ``stride`` 2 (1-4), ``padding`` "valid" ("valid", "same"),
    ``output_padding`` "auto (Keras)" (or 0-3; it must stay below the
    stride), ``cell`` 0 (the input cell whose kernel copies are marked in
    the output). The kernel is all ones, so each output cell is the sum of
    the input cells that feed it.

    Returns a :class:`TransposeExplorer` (an ``ipywidgets.VBox``).
    """
    return TransposeExplorer(**initial)
