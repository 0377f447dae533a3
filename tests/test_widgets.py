"""padlib.widgets: drive the explorers' controls from code and check what they compute and show."""

from __future__ import annotations

import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import ipywidgets
import numpy as np
import pytest

import padlib
from padlib import widgets


def cells(html, css_class):
    """The numbers in the ``td`` cells of ``html`` that carry ``css_class``."""
    return re.findall(rf'<td class="[^"]*\b{css_class}\b[^"]*"[^>]*>([^<]*)</td>', html)


def tables(html):
    return re.findall(r"<table.*?</table>", html, flags=re.S)


def test_import_padlib_loads_neither_matplotlib_nor_ipywidgets():
    code = "import sys, padlib; padlib.impact_map(4, 3); print(sorted(m for m in ('matplotlib', 'ipywidgets', 'tensorflow') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_explorer_is_a_widget_with_every_control():
    ex = widgets.explorer()
    assert isinstance(ex, ipywidgets.VBox) and "padlib-explorer" in ex._dom_classes
    assert set(ex.controls) == {
        "size",
        "kernel_size",
        "stride",
        "dilation",
        "padding",
        "mode",
        "before",
        "after",
        "cell",
    }
    assert list(ex.controls["padding"].options) == ["valid", "same", "full", "causal", "explicit"]
    assert list(ex.controls["mode"].options) == list(padlib.MODES)
    assert ex.controls["before"].disabled and ex.controls["after"].disabled  # only for explicit padding


def test_explorer_starts_from_the_given_values_and_shows_the_grids():
    ex = widgets.explorer(size=5, kernel_size=3, stride=2, padding="same", mode="reflect")
    assert ex.amounts == padlib.padding_amounts(5, 3, stride=2, padding="same") == (1, 1)
    assert ex.output_size == padlib.output_size(5, 3, stride=2, padding="same") == 3
    assert ex.message == "" and ex.error.value == "" and ex.view.layout.display is None
    padded_table, kernel_table, output_table = tables(ex.view.value)
    x = ex.input_values(5)
    padded = padlib.pad(x, 1, "reflect")
    assert len(cells(padded_table, "padlib-pad")) == padded.size - x.size
    assert cells(padded_table, "padlib-input") == [str(v) for v in x.ravel()]
    assert cells(padded_table, "padlib-window") == [str(v) for v in padded[:3, :3].ravel()]
    out = padlib.conv2d(x, np.ones((3, 3), int), stride=2, padding="same", padding_mode="reflect")
    assert cells(output_table, "padlib-output") == [str(v) for v in out.ravel()]
    assert cells(output_table, "padlib-selected") == [str(out[0, 0])]
    assert len(cells(kernel_table, "padlib-kernel")) == 9
    assert "reflect" in padded_table and ex.formula.endswith("= 3") and html_text(ex.info.value).count(ex.formula) == 1


def html_text(value):
    import html

    return html.unescape(value)


@pytest.mark.parametrize(
    "change",
    [
        {"kernel_size": 5},
        {"stride": 3},
        {"dilation": 2},
        {"padding": "valid"},
        {"padding": "full"},
        {"padding": "causal"},
        {"size": 9},
    ],
)
def test_each_control_change_recomputes_amounts_and_output_size(change):
    ex = widgets.explorer(size=7, kernel_size=3, padding="same")
    name, value = next(iter(change.items()))
    ex.controls[name].value = value  # as a learner's click would
    s = ex.state
    args = dict(stride=s["stride"], dilation=s["dilation"], padding=s["padding"])
    assert ex.amounts == padlib.padding_amounts(s["size"], s["kernel_size"], **args)
    assert ex.output_size == padlib.output_size(s["size"], s["kernel_size"], **args)
    assert len(cells(tables(ex.view.value)[2], "padlib-output")) == ex.output_size**2


def test_explicit_padding_uses_the_before_and_after_sliders():
    ex = widgets.explorer(size=6, kernel_size=3)
    ex.set(padding="explicit", before=0, after=2)
    assert not ex.controls["before"].disabled
    assert ex.padding == (0, 2) and ex.amounts == (0, 2) and ex.output_size == 6
    ex.controls["after"].value = 0
    assert ex.amounts == (0, 0) and ex.output_size == 4
    padded_table = tables(ex.view.value)[0]
    assert cells(padded_table, "padlib-pad") == []


def test_an_invalid_combination_shows_padlibs_message_instead_of_a_traceback():
    ex = widgets.explorer(size=6, kernel_size=3)
    ex.set(size=3, kernel_size=5, padding="valid")
    assert "kernel_size 5 (spanning 5 cells with dilation 1) is larger than the padded input" in ex.message
    assert ex.output_size is None and ex.view.layout.display == "none"
    assert "larger than the padded input" in ex.error.value
    ex.controls["padding"].value = "same"  # recovers
    assert ex.message == "" and ex.error.value == "" and ex.output_size == 3 and ex.view.layout.display is None


def test_reflect_padding_too_large_for_the_input_is_reported():
    ex = widgets.explorer(size=2, kernel_size=7, padding="same", mode="reflect")
    assert ex.message.startswith("pad_width (3, 3) on axis 1 is too large for mode 'reflect'")
    assert ex.amounts == (3, 3) and ex.output_size is None
    ex.controls["mode"].value = "constant"
    assert ex.message == "" and ex.output_size == 2


def test_set_changes_several_controls_with_one_redraw(monkeypatch):
    ex = widgets.explorer()
    calls = []
    original = ex._render

    def counted():
        calls.append(1)
        original()

    monkeypatch.setattr(ex, "_render", counted)
    ex.set(size=8, kernel_size=5, stride=2)
    assert calls == [1] and ex.output_size == 4


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"kernel": 3}, TypeError, r"unknown control\(s\) \['kernel'\]; allowed: size, kernel_size"),
        ({"size": 40}, ValueError, "size must be an integer from 1 to 12; got 40"),
        ({"mode": "mirror"}, ValueError, "mode must be one of 'constant', 'reflect'"),
    ],
)
def test_bad_initial_values_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        widgets.explorer(**kwargs)


def test_explorer_draw_gives_the_matplotlib_figure_of_the_same_state():
    import matplotlib.pyplot as plt

    ex = widgets.explorer(size=4, kernel_size=2, stride=2, padding="valid")
    ax_in, ax_k, ax_out = ex.draw()
    assert ex.output_size is not None
    assert len([t for t in ax_out.texts if t.get_gid() == "padlib-value"]) == ex.output_size**2
    plt.close("all")


def test_impact_explorer_follows_its_controls():
    ix = widgets.impact_explorer()
    assert set(ix.controls) == {"layers", "kernel_size", "size", "padding", "mode"}
    np.testing.assert_array_equal(ix.values, padlib.impact_map(10, 3, padding="same"))
    heat = cells(ix.view.value, "padlib-heat")
    assert len(heat) == 100 and heat[:3] == ["4", "6", "6"]
    ix.controls["padding"].value = "valid"
    assert cells(ix.view.value, "padlib-heat")[:3] == ["1", "2", "3"]
    ix.controls["mode"].value = "circular"
    ix.controls["padding"].value = "same"
    assert set(cells(ix.view.value, "padlib-heat")) == {"9"}
    ix.set(layers=3, kernel_size=5, size=28, mode="constant")
    np.testing.assert_array_equal(ix.values, padlib.impact_map(28, 5, layers=3, padding="same"))
    assert set(cells(ix.view.value, "padlib-heat")) == {""}  # 28x28: numbers only as tooltips
    assert ix.view.value.count('title="row ') == 28 * 28


def test_impact_explorer_reports_too_many_valid_layers():
    ix = widgets.impact_explorer(size=10, padding="valid", layers=4)
    assert ix.message == ""
    ix.controls["layers"].value = 5
    assert ix.message.startswith("layer 5 of 5:") and ix.values is None and ix.view.layout.display == "none"
    with pytest.raises(ValueError, match="nothing to draw: layer 5 of 5"):
        ix.draw()


def test_the_cell_control_moves_the_window_and_follows_the_output_size():
    ex = widgets.explorer(size=6, kernel_size=3, padding="same", mode="circular")
    assert ex.controls["cell"].max == 35 and ex.position == (0, 0)
    ex.set(cell=10)  # row 1, column 4 of the 6x6 output
    assert ex.position == (1, 4)
    padded_table, _, output_table = tables(ex.view.value)
    padded = padlib.pad(ex.input_values(6), 1, "circular")
    assert cells(padded_table, "padlib-window") == [str(v) for v in padded[1:4, 4:7].ravel()]
    out = padlib.conv2d(ex.input_values(6), np.ones((3, 3), int), padding="same", padding_mode="circular")
    assert cells(output_table, "padlib-selected") == [str(out[1, 4])]
    assert "output[1, 4]: window sum" in output_table
    ex.set(padding="valid")  # 4x4 output: cell 10 is row 2, column 2
    assert ex.controls["cell"].max == 15 and ex.position == (2, 2)
    ex.set(stride=3)  # 2x2 output: fewer cells than the chosen one, so the window moves to the last
    assert ex.controls["cell"].max == 3 and ex.controls["cell"].value == 3 and ex.position == (1, 1)
    assert ex.draw()[2].get_title().startswith("output")


def test_disabled_before_and_after_sliders_show_the_padding_in_use():
    """With a named padding the explicit sliders are disabled and show the amounts it uses (kernel 7,
    "same": 3 and 3, not a stale 1); switching to "explicit" starts from those amounts."""
    ex = widgets.explorer(size=6, kernel_size=3, padding="same")
    assert (ex.controls["before"].value, ex.controls["after"].value) == (1, 1)
    ex.set(kernel_size=7)
    assert ex.amounts == (3, 3)
    assert (ex.controls["before"].value, ex.controls["after"].value) == (3, 3)
    ex.set(padding="causal", kernel_size=4, dilation=3)
    assert (ex.controls["before"].value, ex.controls["after"].value) == ex.amounts == (9, 0)
    ex.set(padding="valid")
    assert (ex.controls["before"].value, ex.controls["after"].value) == (0, 0)
    ex.set(padding="full", dilation=1)
    ex.controls["padding"].value = "explicit"
    assert not ex.controls["before"].disabled
    assert ex.padding == (3, 3) and ex.amounts == (3, 3)


def test_grid_cells_leave_room_between_three_digit_numbers():
    """Output sums of a 7x7 window reach three digits; the cells have horizontal padding so they do not run together."""
    from padlib.widgets import _GRID_CSS

    ex = widgets.explorer(size=8, kernel_size=7, padding="same")
    assert max(len(str(v)) for v in re.findall(r'padlib-output[^"]*">(\d+)<', ex.view.value)) == 3
    found = re.search(r"\.padlib-grid td \{([^}]*)\}", _GRID_CSS)
    assert found, _GRID_CSS
    rule = found.group(1)
    assert re.search(r"padding:0 0\.\d+em", rule), rule


# --------------------------------------------------------------------------- transposed-convolution explorer


def test_transpose_explorer_shows_the_output_and_the_cells_one_input_feeds():
    ex = widgets.transpose_explorer(size=3, kernel_size=3, stride=2, cell=4)  # the centre cell
    assert isinstance(ex, ipywidgets.VBox) and "padlib-transpose-explorer" in ex._dom_classes
    assert ex.output_size == padlib.transposed_output_size(3, 3, stride=2) == 7 and ex.message == ""
    assert ex.position == (1, 1)
    input_table, kernel_table, output_table = tables(ex.view.value)
    x = widgets.Explorer.input_values(3)
    y = padlib.conv_transpose2d(x, np.ones((3, 3), int), stride=2)
    assert cells(output_table, "padlib-output") == [str(v) for v in y.ravel()]
    assert cells(input_table, "padlib-selected") == [str(x[1, 1])]
    # the centre input cell stamps its kernel at rows and columns 2-4 of the output
    expected = np.zeros((7, 7), bool)
    expected[2:5, 2:5] = True
    np.testing.assert_array_equal(ex.fed, expected)
    assert cells(output_table, "padlib-window") == [str(v) for v in y[2:5, 2:5].ravel()]
    assert len(cells(kernel_table, "padlib-kernel")) == 9
    assert "(i − 1)·s + max(k, s) = 7" in html_text(ex.info.value)


def test_transpose_explorer_output_padding_and_same():
    ex = widgets.transpose_explorer(size=3, kernel_size=3, stride=2, padding="same", output_padding=0)
    assert ex.output_size == 5 and ex.formula.endswith("= 5")
    ex.set(output_padding=1)
    assert ex.output_size == 6 and ex.fed is not None and ex.fed.shape == (6, 6)
    ex.set(output_padding="auto (Keras)")
    assert ex.output_size == 6 and "i·s = 3·2 = 6" in ex.formula


def test_transpose_explorer_reports_an_output_padding_not_below_the_stride():
    ex = widgets.transpose_explorer(stride=2, output_padding=2)
    assert ex.output_size is None and "output_padding must be smaller than stride (2)" in ex.message
    assert ex.view.layout.display == "none" and "Not possible" in ex.error.value
    ex.set(stride=3)
    assert ex.message == "" and ex.output_size == padlib.transposed_output_size(3, 3, stride=3, output_padding=2)


def test_transpose_explorer_cell_follows_the_input_size_and_draws():
    ex = widgets.transpose_explorer(size=4, cell=15)
    ex.set(size=2)
    assert ex.controls["cell"].max == 3 and ex.position == (1, 1)
    axes = ex.draw()
    assert axes[1].get_title().endswith(f"{ex.output_size}x{ex.output_size}")
    with pytest.raises(ValueError, match="output_padding must be one of"):
        widgets.transpose_explorer(output_padding=7)
