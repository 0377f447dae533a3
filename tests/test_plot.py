"""padlib.plot: what each function draws, read back from the artists (headless, Agg)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.animation import FuncAnimation
from matplotlib.colors import to_rgb

import padlib
from padlib import plot


@pytest.fixture(autouse=True)
def rc_unchanged_and_figures_closed():
    """Every call must leave the global rcParams exactly as it found them."""
    before = dict(matplotlib.rcParams)
    yield
    after = dict(matplotlib.rcParams)
    assert {k: v for k, v in after.items() if before[k] != v} == {}
    plt.close("all")


def cells(ax, gid):
    return [p for p in ax.patches if p.get_gid() == gid]


def numbers(ax):
    """The cell numbers, in drawing order (row by row)."""
    return [t.get_text() for t in ax.texts if t.get_gid() == "padlib-value"]


def luminance(color):
    r, g, b = to_rgb(color)
    return 0.299 * r + 0.587 * g + 0.114 * b


def as_texts(array):
    return [str(int(v)) for v in np.asarray(array).ravel()]


X = np.arange(1, 17).reshape(4, 4)


def test_grid_marks_padded_cells_with_colour_and_hatch():
    ax = plot.grid(X, pad_width=1, mode="reflect")
    inputs, padded = cells(ax, "padlib-cell"), cells(ax, "padlib-pad-cell")
    assert len(inputs) == 16 and len(padded) == 6 * 6 - 16
    assert numbers(ax) == as_texts(padlib.pad(X, 1, "reflect"))
    assert {p.get_hatch() for p in inputs} == {None} and {p.get_hatch() for p in padded} == {plot.PAD_HATCH}
    assert len({p.get_facecolor() for p in inputs}) == len({p.get_facecolor() for p in padded}) == 1
    # Distinct in greyscale, not only in hue.
    assert abs(luminance(inputs[0].get_facecolor()) - luminance(padded[0].get_facecolor())) > 0.15
    assert "reflect" in ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    # Tick labels count input cells from 0; the padded border is -1 and n.
    assert [t.get_text() for t in ax.get_xticklabels()] == ["-1", "0", "1", "2", "3", "4"]


def test_grid_pads_each_side_as_asked_and_resolves_aliases():
    ax = plot.grid(X, pad_width=((0, 2), (1, 0)), mode="wrap")
    assert len(cells(ax, "padlib-cell")) + len(cells(ax, "padlib-pad-cell")) == 6 * 5
    assert numbers(ax) == as_texts(padlib.pad(X, ((0, 2), (1, 0)), "circular"))
    assert "circular" in ax.get_title()


def test_grid_without_padding_has_no_padded_cells():
    ax = plot.grid(X, title="my input")
    assert len(cells(ax, "padlib-cell")) == 16 and cells(ax, "padlib-pad-cell") == []
    assert ax.get_title() == "my input"


def test_grid_default_mode_is_constant_with_value():
    ax = plot.grid(X, pad_width=1, value=7)
    assert numbers(ax)[:6] == ["7"] * 6 and "constant" in ax.get_title()


def test_grid_of_already_padded_values_only_marks_the_border():
    padded = padlib.pad(X, (1, 2), "replicate")
    ax = plot.grid(padded, pad_width=(1, 2), already_padded=True)
    assert numbers(ax) == as_texts(padded)
    assert len(cells(ax, "padlib-cell")) == 16
    with pytest.raises(ValueError, match="leaves no input cell"):
        plot.grid(X, pad_width=2, already_padded=True)


def test_grid_draws_a_1d_signal_as_one_padded_row():
    ax = plot.grid([1, 2, 3], pad_width=2, mode="symmetric")
    assert numbers(ax) == ["2", "1", "1", "2", "3", "3", "2"]
    assert len(cells(ax, "padlib-pad-cell")) == 4


def test_grid_draws_on_the_given_axes_without_touching_the_current_figure():
    fig, ax = plt.subplots()
    current = plt.figure()
    n_figures = len(plt.get_fignums())
    assert plot.grid(X, ax=ax) is ax
    assert plt.gcf() is current and len(plt.get_fignums()) == n_figures
    assert len(ax.patches) == 16


def test_grid_rejects_unknown_modes_by_name():
    with pytest.raises(ValueError, match="mode 'mirror' is not supported; use one of 'constant'"):
        plot.grid(X, pad_width=1, mode="mirror")


def test_compare_modes_draws_every_mode():
    axes = plot.compare_modes([1, 2, 3], 2)
    assert len(axes) == len(padlib.MODES)
    assert len({ax.figure for ax in axes}) == 1
    for ax, name in zip(axes, padlib.MODES, strict=True):
        assert ax.get_title().startswith(name)
        assert numbers(ax) == as_texts(padlib.pad([1, 2, 3], 2, name))
        assert len(cells(ax, "padlib-pad-cell")) == 4


def test_compare_modes_on_given_axes_and_a_subset():
    fig, axes = plt.subplots(1, 2)
    got = plot.compare_modes(X, 1, modes=["edge", "reflect"], axes=axes)
    assert list(got) == list(axes)
    assert numbers(axes[0]) == as_texts(padlib.pad(X, 1, "replicate"))
    with pytest.raises(ValueError, match="axes must hold 5 Axes"):
        plot.compare_modes(X, 1, axes=axes)


def test_compare_modes_reports_a_pad_too_large_for_reflect():
    with pytest.raises(ValueError, match="too large for mode 'reflect'"):
        plot.compare_modes([1, 2], 2)


def window_cells(ax):
    """The (row, col) centres of the outlined window cells."""
    return sorted((round(p.get_y() + 0.5), round(p.get_x() + 0.5)) for p in cells(ax, "padlib-window"))


@pytest.mark.parametrize(
    "stride, dilation, padding, mode, position",
    [
        (1, 1, "valid", "constant", (1, 2)),
        (2, 1, "same", "reflect", (2, 1)),
        (1, 2, "same", "circular", (0, 3)),
        (2, 2, "full", "symmetric", (1, 1)),
    ],
)
def test_conv_step_outlines_the_window_that_makes_the_output_cell(stride, dilation, padding, mode, position):
    x = np.arange(36).reshape(6, 6) % 7
    kernel = np.array([[1, 0, 2], [0, 1, 0], [1, 1, 1]])
    ax_in, ax_k, ax_out = plot.conv_step(
        x, kernel, position, stride=stride, dilation=dilation, padding=padding, padding_mode=mode
    )
    (top, bottom) = padlib.padding_amounts(6, 3, stride=stride, dilation=dilation, padding=padding)
    padded = padlib.pad(x, (top, bottom), mode)
    out = padlib.conv2d(x, kernel, stride=stride, dilation=dilation, padding=padding, padding_mode=mode)
    assert numbers(ax_in) == as_texts(padded)
    assert numbers(ax_k) == as_texts(kernel)
    assert numbers(ax_out) == as_texts(out)
    r, c = position
    expected = sorted((r * stride + dilation * i, c * stride + dilation * j) for i in range(3) for j in range(3))
    assert window_cells(ax_in) == expected
    # The outlined cells, weighted by the kernel, give the highlighted output value.
    taps = dilation * np.arange(3)
    assert (padded[np.ix_(r * stride + taps, c * stride + taps)] * kernel).sum() == out[r, c]
    (cell,) = cells(ax_out, "padlib-output-cell")
    assert (round(cell.get_y() + 0.5), round(cell.get_x() + 0.5)) == (r, c)
    assert f"output[{r}, {c}] = {out[r, c]}" in ax_out.get_title()
    assert mode in ax_in.get_title() and "kernel 3x3" in ax_k.get_title()
    assert len(cells(ax_in, "padlib-pad-cell")) == padded.size - x.size
    for ax in (ax_in, ax_k, ax_out):
        assert ax.get_xlabel() and ax.get_ylabel()


def test_conv_step_rejects_a_position_outside_the_output():
    with pytest.raises(ValueError, match=r"position \(4, 0\) is outside the output of shape \(4, 4\)"):
        plot.conv_step(np.ones((6, 6)), np.ones((3, 3)), (4, 0))


def test_animate_conv_moves_the_window_and_reveals_outputs(tmp_path):
    x = np.arange(16).reshape(4, 4)
    n_figures = len(plt.get_fignums())
    anim = plot.animate_conv(x, np.ones((2, 2)), stride=2, padding="same")
    assert isinstance(anim, FuncAnimation)
    assert len(plt.get_fignums()) == n_figures  # closed: no second, static display
    fig = anim._fig  # type: ignore[attr-defined]  # matplotlib keeps the figure and the frame function private
    ax_in, _, ax_out = fig.axes[:3]
    frames = list(anim.new_frame_seq())
    assert frames == [0, 1, 2, 3]
    anim._func(3)  # type: ignore[attr-defined]  # last output cell (1, 1)
    assert window_cells(ax_in) == [(2, 2), (2, 3), (3, 2), (3, 3)]
    assert sum(t.get_visible() for t in ax_out.texts) == 4
    anim._func(1)  # type: ignore[attr-defined]
    assert window_cells(ax_in) == [(0, 2), (0, 3), (1, 2), (1, 3)]
    assert [t.get_visible() for t in ax_out.texts] == [True, True, False, False]
    path = plot.save_gif(anim, tmp_path / "conv.gif", fps=4, dpi=40)
    from PIL import Image

    with Image.open(path) as gif:
        assert gif.format == "GIF" and gif.n_frames == 4  # type: ignore[attr-defined]  # GIF images have n_frames


def test_animation_renders_as_javascript_html():
    anim = plot.animate_conv([1, 2, 3], [1, 1], padding="valid", figsize=(4, 1.5))
    html = anim.to_jshtml(default_mode="once")
    assert "<script" in html and html.count("data:image/png;base64") == 2  # one frame per output cell


def test_impact_heat_map_shows_the_numbers_for_small_maps():
    values = padlib.impact_map((10, 10), 3, padding="valid")
    ax = plot.impact(values)
    np.testing.assert_array_equal(ax.images[0].get_array(), values)
    assert [t.get_text() for t in ax.texts] == as_texts(values)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert ax.figure.axes[-1].get_ylabel() == "sum of the final output"  # the colour bar


def test_impact_heat_map_of_28x28_leaves_the_numbers_out():
    ax = plot.impact(padlib.impact_map((28, 28), 3, layers=5), title="five layers")
    assert len(ax.texts) == 0 and ax.get_title() == "five layers"
    assert len(plot.impact(np.ones((28, 28)), numbers=True).texts) == 28 * 28


def test_output_size_chart_plots_padlib_output_size():
    ax = plot.output_size_chart(8, strides=(1, 2), paddings=("valid", "same", "full"))
    assert len(ax.lines) == 6
    for line in ax.lines:
        padding, stride = str(line.get_label()).split(", stride ")
        expected = [padlib.output_size(8, k, stride=int(stride), padding=padding) for k in range(1, 9)]
        assert (
            list(np.asarray(line.get_xdata())) == list(range(1, 9)) and list(np.asarray(line.get_ydata())) == expected
        )
    assert padlib.SIZE_FORMULA in ax.get_title()
    assert ax.get_xlabel() == "kernel size k" and ax.get_ylabel() == "output size"
    assert (
        len({(line.get_linestyle(), line.get_marker()) for line in ax.lines}) == 6
    )  # tells lines apart without colour


def test_output_size_chart_leaves_gaps_where_the_kernel_does_not_fit():
    ax = plot.output_size_chart(4, kernel_sizes=[3, 5], strides=(1,), paddings=("valid", 1))
    valid, one = ax.lines
    assert np.asarray(valid.get_ydata())[0] == 2 and np.isnan(np.asarray(valid.get_ydata())[1])
    assert list(np.asarray(one.get_ydata())) == [4, 2]


def test_style_is_scoped_to_the_context():
    with plot.style():
        assert matplotlib.rcParams["axes.spines.top"] is False
    assert matplotlib.rcParams["axes.spines.top"] is True


def test_compare_modes_fits_a_notebook_and_keeps_digits_readable():
    """Five modes in one row were shrunk to fit the notebook (tiny digits under the hatching): rows of at
    most three panels, a figure no wider than a notebook shows at full size, digits on padded cells backed."""
    axes = plot.compare_modes(np.arange(1, 26).reshape(5, 5), 2)
    fig = axes[0].figure
    assert len(axes) == len(padlib.MODES)
    assert fig.get_figwidth() <= 11, fig.get_figwidth()
    assert {round(ax.get_position().x0, 2) for ax in axes} == {round(ax.get_position().x0, 2) for ax in axes[:3]}
    for ax in axes:
        pad_texts = [t for t in ax.texts if t.get_bbox_patch() is not None]
        assert len(pad_texts) == 9 * 9 - 5 * 5
        assert all(t.get_fontsize() >= 8 for t in ax.texts)
    assert fig.axes == list(axes)  # no empty panel left in the grid


# --------------------------------------------------------------------------- compare_arrays


def test_compare_arrays_marks_exactly_the_differing_cells():
    expected = np.array([[1, 2, 3], [4, 5, 6]])
    returned = np.array([[1, 0, 3], [4, 5, 9]])
    axes, differs = plot.compare_arrays(expected, returned)
    assert differs is not None
    assert differs.tolist() == [[False, True, False], [False, False, True]]
    for ax, values in zip(axes, (expected, returned), strict=True):
        assert numbers(ax) == as_texts(values)
        marks = cells(ax, "padlib-diff-cell")
        assert sorted((m.get_xy()[1] + 0.5, m.get_xy()[0] + 0.5) for m in marks) == [(0, 1), (1, 2)]
        filled = [p for p in cells(ax, "padlib-cell") if p.get_facecolor() == to_rgb(plot.DIFF_COLOR) + (1.0,)]
        assert len(filled) == 2
    assert axes[0].get_title() == "expected (2, 3)"
    assert axes[1].get_title() == "you returned (2, 3)\n2 cells differ"


def test_compare_arrays_draws_on_the_given_axes_and_handles_nan_and_1d():
    from matplotlib.figure import Figure

    fig = Figure()
    given = fig.subplots(1, 2)
    axes, differs = plot.compare_arrays(np.array([1.0, np.nan, 3.0]), np.array([1.0, np.nan, 2.5]), axes=given)
    assert list(axes) == list(given)
    assert differs is not None
    assert differs.tolist() == [False, False, True]  # NaN matches NaN
    assert axes[0].get_yticks().size == 0


def test_compare_arrays_with_different_shapes_marks_nothing():
    axes, differs = plot.compare_arrays(np.zeros((2, 2)), np.zeros((3, 1)))
    assert differs is None
    assert not cells(axes[0], "padlib-diff-cell") and not cells(axes[1], "padlib-diff-cell")
    assert [ax.get_title() for ax in axes] == ["expected (2, 2)", "you returned (3, 1)"]


def test_compare_arrays_rejects_what_it_cannot_draw():
    with pytest.raises(ValueError, match="returned must hold integers, floats or booleans"):
        plot.compare_arrays(np.zeros(2), np.array(["a", "b"]))
    with pytest.raises(ValueError, match="must be 1-D or 2-D"):
        plot.compare_arrays(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="axes must hold 2 Axes"):
        plot.compare_arrays(np.zeros(2), np.zeros(2), axes=[plt.figure().add_subplot()])
