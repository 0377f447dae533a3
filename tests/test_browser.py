"""The course in a real browser: JupyterLab, widgets and nbgrader's pages, end to end.

A learner opens the lessons in JupyterLab and runs them; a student works on an
exercise; an instructor opens nbgrader's formgrader. These tests do the same
with the system Chromium (driven by Playwright) against a JupyterLab server on
127.0.0.1 in a temporary directory. Screenshots go to artifacts/browser/.

Chromium missing is a broken set-up, so the tests fail (they never skip) and
say how to install it.
"""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import subprocess
import sys
import textwrap
import urllib.error
import urllib.parse
from pathlib import Path

import nbformat
import pytest
from browser_support import ARTIFACTS, ROOT, JupyterLabServer, LabPage, chromium_or_fail, launched_chromium

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COURSE = ROOT / "course"
AUTOGRADER = ROOT / "autograder"
LESSONS = sorted(p.name for p in COURSE.glob("[0-9][0-9]_*.ipynb"))

# Waiting limits only (no assertion is about speed). A lesson is meant to run in
# under 20 s; on a busy 2-core machine with TensorFlow starting up, allow far more.
LESSON_TIMEOUT = 300.0
CELL_TIMEOUT = 120.0

_IGNORE = shutil.ignore_patterns(
    ".ipynb_checkpoints", "__pycache__", "gradebook.db", "submitted", "autograded", "feedback", "exchange", "*.pyc"
)


# --------------------------------------------------------------------------
# Fixtures: one browser and one JupyterLab server for the module.
# (Module scope, not session: the browser and the asyncio loop of Playwright's
# sync API are gone before the rest of the suite runs.)
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium_path() -> str:
    return chromium_or_fail()


@pytest.fixture(scope="module")
def browser(chromium_path):
    with launched_chromium(chromium_path) as browser:
        yield browser


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory) -> Path:
    """The learner's folder: a copy of course/ and of the released exercises."""
    root = tmp_path_factory.mktemp("lab-root")
    if COURSE.is_dir():
        shutil.copytree(COURSE, root / "course", ignore=_IGNORE)
    release = AUTOGRADER / "release"
    if release.is_dir():  # same layout as the repository, so the start page's links work
        shutil.copytree(release, root / "autograder" / "release", ignore=_IGNORE)
    return root


@contextlib.contextmanager
def _running(server: JupyterLabServer):
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def _page(browser, server: JupyterLabServer):
    """A fresh browser context (no cookies, no storage) on ``server``."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield LabPage(page, server)
    finally:
        context.close()


@pytest.fixture(scope="module")
def lab(lab_root, tmp_path_factory):
    with _running(JupyterLabServer(lab_root, tmp_path_factory.mktemp("lab-home"), name="learner")) as server:
        yield server


@pytest.fixture
def lab_page(browser, lab):
    """A fresh page per test; the test's kernels stop afterwards."""
    with _page(browser, lab) as page:
        yield page
    lab.shutdown_kernels()


def write_notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent(src).strip()) for src in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


# --------------------------------------------------------------------------
# The browser infrastructure itself, on a small notebook made here.
# --------------------------------------------------------------------------


def test_lab_runs_a_notebook_and_reports_errors(lab_page, lab_root):
    """Run All in the UI executes every cell, figures render, and an error is seen as one.

    This pins down the machinery the lesson tests rely on: a warning on stderr
    is not an error, a raised exception is, and matplotlib figures arrive in the
    page as decoded images (the kernel gets the inline backend, not Agg).
    """
    write_notebook(
        lab_root / "scratch" / "smoke.ipynb",
        "import warnings; warnings.warn('only a warning'); print('hello from the kernel')",
        """
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1, 2], [0, 1, 4]); ax.set_title('smoke'); plt.show()
        """,
        """
        import ipywidgets as w
        slider = w.IntSlider(value=3, min=1, max=9, description='k')
        label = w.Label()
        slider.observe(lambda change: setattr(label, 'value', f'size {11 - change.new}'), 'value')
        label.value = 'size 8'
        w.VBox([slider, label])
        """,
        "1 / 0",
        "print('not reached: Run All stops at the error')",
    )
    lab_page.open_notebook("scratch/smoke.ipynb")
    lab_page.run_all()
    state = lab_page.wait_until_idle(CELL_TIMEOUT)

    cells = state["cells"]
    assert [c["executionCount"] is not None for c in cells] == [True, True, True, True, False]
    errors = lab_page.error_report(state)
    assert len(errors) == 1 and "ZeroDivisionError" in errors[0], errors
    rendered = lab_page.rendered()
    assert "hello from the kernel" in rendered[0]["outputs"][0]["text"]
    images = [img for out in rendered[1]["outputs"] for img in out["images"]]
    assert images and all(img["complete"] and img["width"] > 50 for img in images), rendered[1]
    # The widget manager works: the slider renders, and a key press in it reaches the kernel and back.
    widget = lab_page.cell(2).locator(".jupyter-widgets.widget-slider")
    assert widget.count() == 1, rendered[2]
    assert lab_page.cell(2).locator(".widget-label").filter(has_text="size 8").count() == 1
    widget.locator(".noUi-handle").focus()
    lab_page.page.keyboard.press("ArrowRight")
    lab_page.cell(2).locator(".widget-label", has_text="size 7").wait_for()


# --------------------------------------------------------------------------
# Every lesson, run top to bottom in JupyterLab.
# --------------------------------------------------------------------------

# Code that draws: a lesson containing any of these must show at least one figure.
PLOTTING_CALLS = ("padlib.plot", "from padlib import plot", "plot.", "plt.", "explorer(", "imshow(")


def _uses(nb_path: Path, calls) -> bool:
    nb = nbformat.read(nb_path, as_version=4)
    return any(cell.cell_type == "code" and any(call in cell.source for call in calls) for cell in nb.cells)


def _has_plots(nb_path: Path) -> bool:
    return _uses(nb_path, PLOTTING_CALLS)


def _figures(state: dict, rendered: list[dict]) -> tuple[int, list[str]]:
    """Count figures the kernel sent, and list those that did not render as a decoded image."""
    count, broken = 0, []
    for cell in state["cells"]:
        shown = rendered[cell["index"]]["outputs"] if cell["index"] < len(rendered) else []
        for k, out in enumerate(cell["outputs"]):
            is_image = any(m in out["mimes"] for m in ("image/png", "image/jpeg", "image/svg+xml"))
            is_animation = bool(out["html"]) and "<img" in out["html"]
            if not (is_image or is_animation):
                continue
            count += 1
            page = shown[k] if k < len(shown) else None
            ok = page is not None and (
                any(img["complete"] and img["width"] > 0 and img["height"] > 0 for img in page["images"])
                or ("image/svg+xml" in out["mimes"] and page["svgs"] > 0)
            )
            if not ok:
                broken.append(f"cell {cell['index']} output {k} ({', '.join(out['mimes']) or 'html'}): {page}")
    return count, broken


def _unrendered_widgets(state: dict, rendered: list[dict]) -> tuple[int, list[str]]:
    """Count widget outputs the kernel sent, and list those the page did not draw."""
    count, missing = 0, []
    for cell in state["cells"]:
        shown = rendered[cell["index"]]["outputs"] if cell["index"] < len(rendered) else []
        for k, out in enumerate(cell["outputs"]):
            if "application/vnd.jupyter.widget-view+json" not in out["mimes"]:
                continue
            count += 1
            if not (k < len(shown) and shown[k]["widgets"] > 0):
                missing.append(f"cell {cell['index']} output {k}: {shown[k] if k < len(shown) else 'not in the page'}")
    return count, missing


@pytest.mark.parametrize("lesson", LESSONS or [pytest.param(None, id="no-lessons")])
def test_lesson_runs_in_jupyterlab(lab_page, lesson):
    """Open the lesson, Run All from the menu, wait for the kernel: no errors, every cell ran, figures shown."""
    assert lesson, f"no lesson notebooks (NN_name.ipynb) in {COURSE}"
    lab_page.open_notebook(f"course/{lesson}")
    lab_page.run_all()
    state = lab_page.wait_until_idle(LESSON_TIMEOUT, f"{lesson} to finish running")
    shot = lab_page.screenshot(ARTIFACTS / f"{Path(lesson).stem}.png")

    errors = lab_page.error_report(state)
    assert not errors, f"{lesson} shows errors in JupyterLab (screenshot: {shot}):\n" + "\n".join(errors)
    stderr = lab_page.stderr_boxes()
    assert not stderr, f"{lesson} shows stderr boxes (screenshot: {shot}):\n" + "\n".join(stderr)
    not_run = [
        c["index"]
        for c in state["cells"]
        if c["type"] == "code" and c["source"].strip() and c["executionCount"] is None
    ]
    assert not not_run, f"{lesson}: code cells {not_run} were not executed by Run All (screenshot: {shot})"

    rendered = lab_page.rendered()
    count, broken = _figures(state, rendered)
    assert not broken, f"{lesson}: figures sent by the kernel but not rendered in the page:\n" + "\n".join(broken)
    widget_count, missing = _unrendered_widgets(state, rendered)
    assert not missing, f"{lesson}: widgets sent by the kernel but not drawn in the page:\n" + "\n".join(missing)
    if _uses(COURSE / lesson, ("explorer(",)):
        assert widget_count > 0, f"{lesson} creates an explorer but no widget appeared (screenshot: {shot})"
    if _has_plots(COURSE / lesson):
        assert count > 0, f"{lesson} has plotting code but no figure appeared in the page (screenshot: {shot})"


def test_start_page_links_lead_to_the_lessons_and_exercises(lab_page, lab):
    """Every link on the start page points at a file or folder that exists; clicking the
    first exercise's link opens it in JupyterLab, as a learner following the path would."""
    start = "course/00_start_here.ipynb"
    assert (COURSE / "00_start_here.ipynb").is_file(), "course/00_start_here.ipynb is missing"
    lab_page.open_notebook(start)
    links = lab_page.page.locator(".jp-RenderedMarkdown a[href]:not(.jp-InternalAnchorLink)")
    links.first.wait_for()
    # JupyterLab shows a relative link as <server>/files/<path resolved from the notebook>.
    hrefs = links.evaluate_all("els => els.map(a => a.href)")
    prefix = lab.base_url + "/files/"
    targets = [
        urllib.parse.unquote(urllib.parse.urlsplit(h).path[len("/files/") :]).rstrip("/")
        for h in hrefs
        if h.startswith(prefix)
    ]
    assert targets, f"the start page has no links to the lessons or exercises: {hrefs}"
    broken = []
    for target in targets:
        try:
            lab.api("GET", f"/api/contents/{urllib.parse.quote(target)}?content=0")
        except urllib.error.HTTPError as exc:
            broken.append(f"{target}: HTTP {exc.code}")
    assert not broken, "start page links that lead nowhere:\n" + "\n".join(broken)
    for lesson in LESSONS[1:]:
        assert f"course/{lesson}" in targets, f"the start page does not link {lesson}; it links {targets}"

    exercise = "autograder/release/padding_modes/padding_modes.ipynb"
    assert exercise in targets, f"the start page does not link the padding_modes exercise; it links {targets}"
    lab_page.page.locator(f".jp-RenderedMarkdown a[href^='{prefix}{exercise}']").first.click()
    lab_page.wait_for(
        "(path) => { const w = window.jupyterapp.shell.currentWidget;"
        " return !!w && !!w.context && w.context.path === path"
        " && w.node.querySelectorAll('.jp-Cell').length > 0; }",
        60,
        "the padding_modes exercise to open from the start page's link",
        arg=exercise,
    )


# --------------------------------------------------------------------------
# The explorers: they render, and moving a control changes what they show.
# --------------------------------------------------------------------------


def _wait_text(locator, text: str, what: str):
    """Wait until ``locator`` shows ``text``; fail with what it shows instead."""
    try:
        locator.filter(has_text=text).first.wait_for(timeout=60_000)
    except Exception as exc:
        shown = locator.all_inner_texts()
        raise AssertionError(f"{what}: expected {text!r} to appear; the page shows {shown!r}") from exc


def _overlapping_controls(widget) -> list[str]:
    boxes = widget.evaluate(
        "w => Array.from(w.querySelectorAll('[class*=\"padlib-control-\"]')).map(e => {"
        " const r = e.getBoundingClientRect();"
        " return {name: (e.className.match(/padlib-control-(\\w+)/) || [])[1],"
        " left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })"
    )
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            dx = min(a["right"], b["right"]) - max(a["left"], b["left"])
            dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if dx > 1 and dy > 1:
                found.append(f"  {a['name']} and {b['name']} overlap by {dx:.0f} x {dy:.0f} px")
    return found


def _show_widget(lab_page, lab_root, call, css_class):
    """Run ``from padlib.widgets import *; <call>`` in a new notebook; return the widget's locator."""
    name = css_class.removeprefix("padlib-")
    write_notebook(lab_root / "scratch" / f"{name}.ipynb", f"from padlib.widgets import *\n{call}")
    lab_page.open_notebook(f"scratch/{name}.ipynb")
    lab_page.run_all()
    state = lab_page.wait_until_idle(CELL_TIMEOUT)
    assert not lab_page.error_report(state), lab_page.error_report(state)
    widget = lab_page.cell(0).locator(f".{css_class}")
    widget.wait_for()
    return widget


def test_explorer_widget_reacts_to_its_controls(lab_page, lab_root):
    """padlib.widgets.explorer renders in JupyterLab; a key press on a slider, a typed readout
    and a dropdown choice each change the padding amounts and output size it shows."""
    widget = _show_widget(lab_page, lab_root, "explorer(size=8, kernel_size=3, padding='valid')", "padlib-explorer")
    info = widget.locator(".padlib-explorer-info")
    output_cells = widget.locator("td.padlib-output")
    caption = widget.locator("table.padlib-grid caption")
    # 8x8 input, 3x3 kernel, valid: nothing added, 6x6 output.
    _wait_text(info, "(0, 0)", "initial padding amounts")
    _wait_text(caption, "output 6x6", "initial output")
    assert output_cells.count() == 36
    assert widget.locator("td.padlib-pad").count() == 0

    # Every control can be reached: none is drawn over another (a readout hidden under the
    # next control's label cannot be clicked).
    overlaps = _overlapping_controls(widget)
    assert not overlaps, (
        "explorer controls overlap in JupyterLab, so parts of them cannot be clicked "
        f"(screenshot: {lab_page.screenshot(ARTIFACTS / 'explorer_widget.png', full_notebook=False)}):\n"
        + "\n".join(overlaps)
    )

    # The window follows the output cell chosen: one step right shows output[0, 1]'s window.
    widget.locator(".padlib-control-cell .noUi-handle").focus()
    lab_page.page.keyboard.press("ArrowRight")
    _wait_text(caption, "output[0, 1]: window sum", "after ArrowRight on the output-cell slider")
    assert widget.locator("td.padlib-window").count() == 9

    # Kernel size 3 -> 4 with the keyboard on the slider's handle: 8 - 4 + 1 = 5.
    widget.locator(".padlib-control-kernel_size .noUi-handle").focus()
    lab_page.page.keyboard.press("ArrowRight")
    _wait_text(caption, "output 5x5", "after ArrowRight on the kernel-size slider")
    assert output_cells.count() == 25

    # Stride 1 -> 2 by typing into the slider's readout: floor((8 - 4) / 2) + 1 = 3.
    readout = widget.locator(".padlib-control-stride .widget-readout")
    readout.click()
    lab_page.page.keyboard.press("ControlOrMeta+a")
    lab_page.page.keyboard.type("2")
    lab_page.page.keyboard.press("Enter")
    _wait_text(caption, "output 3x3", "after typing 2 into the stride readout")
    assert output_cells.count() == 9

    # Padding valid -> same: TensorFlow's SAME with k=4, s=2 on 8 gives ceil(8/2) = 4 and pads (1, 1).
    widget.locator(".padlib-control-padding select").select_option("same")
    _wait_text(caption, "output 4x4", "after choosing padding 'same'")
    _wait_text(info, "(1, 1)", "padding amounts for same, k=4, s=2")
    assert output_cells.count() == 16
    assert widget.locator("td.padlib-pad").count() == 10 * 10 - 8 * 8

    # An impossible combination shows a message in the widget, not a traceback.
    widget.locator(".padlib-control-padding select").select_option("valid")
    widget.locator(".padlib-control-dilation .noUi-handle").focus()
    lab_page.page.keyboard.press("ArrowRight")
    lab_page.page.keyboard.press("ArrowRight")  # dilation 3: the kernel spans 3 * (4 - 1) + 1 = 10 > 8
    _wait_text(
        widget.locator(".padlib-explorer-message"), "Not possible", "the message for a kernel larger than the input"
    )
    assert not lab_page.error_report(), lab_page.error_report()
    lab_page.screenshot(ARTIFACTS / "explorer_widget.png", full_notebook=False)


def test_explorer_shows_the_padding_in_use_and_keeps_three_digit_sums_apart(lab_page, lab_root):
    """Kernel 7 with "same": the disabled explicit sliders read 3 (they read a stale 1 before), and the
    three-digit window sums keep a gap to the cell border, so neighbours do not run together."""
    widget = _show_widget(lab_page, lab_root, "explorer(size=8, kernel_size=7, padding='same')", "padlib-explorer")
    _wait_text(widget.locator(".padlib-explorer-info"), "(3, 3)", "the padding amounts for kernel 7, same")
    for name in ("before", "after"):
        readout = widget.locator(f".padlib-control-{name} .widget-readout").inner_text().strip()
        assert readout == "3", f"the disabled explicit {name} slider shows {readout!r} while the padding is (3, 3)"
    gaps = lab_page.page.evaluate(
        """() => Array.from(document.querySelectorAll('td.padlib-output')).map(td => {
             const range = document.createRange(); range.selectNodeContents(td);
             const text = range.getBoundingClientRect(), cell = td.getBoundingClientRect();
             return {text: td.innerText, gap: Math.min(text.left - cell.left, cell.right - text.right)}; })"""
    )
    assert max(len(g["text"]) for g in gaps) == 3, gaps
    tight = [g for g in gaps if g["gap"] < 2]
    assert not tight, f"window sums touch their cell's border (they run into the neighbour's): {tight[:5]}"
    lab_page.screenshot(ARTIFACTS / "explorer_kernel7.png", full_notebook=False)


def test_impact_explorer_widget_reacts_to_its_controls(lab_page, lab_root):
    """padlib.widgets.impact_explorer renders; more layers and another padding mode change the heat map."""
    widget = _show_widget(lab_page, lab_root, "impact_explorer(size=10, padding='valid')", "padlib-impact-explorer")
    info = widget.locator(".padlib-impact-explorer-info")
    # One 3x3 VALID layer on 10x10: corners are touched once, the inside 9 times.
    _wait_text(info, "least impact 1, most 9", "one valid 3x3 layer")
    assert widget.locator("td.padlib-heat").count() == 100
    overlaps = _overlapping_controls(widget)
    assert not overlaps, "impact explorer controls overlap in JupyterLab:\n" + "\n".join(overlaps)

    widget.locator(".padlib-control-mode select").select_option("circular")
    widget.locator(".padlib-control-padding select").select_option("same")
    # Circular SAME: every pixel is touched by all 9 kernel positions.
    _wait_text(info, "least impact 9, most 9", "circular same padding")
    lab_page.screenshot(ARTIFACTS / "impact_explorer_widget.png", full_notebook=False)


def test_transpose_explorer_widget_reacts_to_its_controls(lab_page, lab_root):
    """padlib.widgets.transpose_explorer renders; stride, output_padding and the chosen input cell change what it shows."""
    widget = _show_widget(
        lab_page, lab_root, "transpose_explorer(size=3, kernel_size=3, stride=2)", "padlib-transpose-explorer"
    )
    caption = widget.locator("table.padlib-grid caption")
    # 3x3 input, 3x3 kernel, stride 2, valid: (3 - 1) * 2 + 3 = 7; input cell 0 feeds a 3x3 corner.
    _wait_text(caption, "output 7x7", "initial output")
    assert widget.locator("td.padlib-output").count() == 49
    assert widget.locator("td.padlib-window").count() == 9
    overlaps = _overlapping_controls(widget)
    assert not overlaps, "transpose explorer controls overlap in JupyterLab:\n" + "\n".join(overlaps)

    widget.locator(".padlib-control-padding select").select_option("same")
    widget.locator(".padlib-control-output_padding select").select_option("1")
    # same, a = 1: (3 - 1) * 2 + 3 - 2 * 1 + 1 = 6
    _wait_text(caption, "output 6x6", "after padding 'same' and output_padding 1")
    widget.locator(".padlib-control-stride .noUi-handle").focus()
    lab_page.page.keyboard.press("ArrowLeft")  # stride 1: output_padding 1 is no longer below the stride
    _wait_text(
        widget.locator(".padlib-transpose-explorer-message"), "Not possible", "output_padding not below the stride"
    )
    assert not lab_page.error_report(), lab_page.error_report()
    lab_page.screenshot(ARTIFACTS / "transpose_explorer_widget.png", full_notebook=False)


# --------------------------------------------------------------------------
# A student works on an exercise: visible tests fail blank, pass when solved.
# --------------------------------------------------------------------------

EXERCISE = "autograder/release/padding_modes/padding_modes.ipynb"

PAD_CONSTANT_WRONG = '''\
def pad_constant(x, pad, value=0):
    """Forbidden shortcut: np.pad does the work."""
    before, after = as_pair(pad)
    return np.pad(x, (before, after), constant_values=value)
'''

PAD_CONSTANT_RIGHT = '''\
def pad_constant(x, pad, value=0):
    """x padded on every axis with `value`: `pad` cells (or a (before, after) pair)."""
    before, after = as_pair(pad)
    shape = tuple(n + before + after for n in x.shape)
    out = np.full(shape, value, dtype=x.dtype)
    out[tuple(slice(before, before + n) for n in x.shape)] = x
    return out
'''


def _cell_index(nb_path: Path, grade_id: str) -> int:
    nb = nbformat.read(nb_path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return i
    raise AssertionError(f"{nb_path} has no cell with nbgrader grade_id {grade_id!r}")


def _cell_errors(state: dict, index: int) -> list[dict]:
    return [o for o in state["cells"][index]["outputs"] if o["output_type"] == "error"]


def test_exercise_visible_tests_fail_blank_and_pass_when_solved(lab_page, lab_root):
    """The released padding_modes notebook, as a student sees it in JupyterLab."""
    nb_path = lab_root / EXERCISE
    assert nb_path.is_file(), (
        f"the released exercise {AUTOGRADER / 'release/padding_modes/padding_modes.ipynb'} is missing"
    )
    solution = _cell_index(nb_path, "pad_constant")
    visible = _cell_index(nb_path, "test_pad_constant_visible")
    reflect, reflect_visible = _cell_index(nb_path, "pad_reflect"), _cell_index(nb_path, "test_pad_reflect_visible")

    lab_page.open_notebook(EXERCISE)
    lab_page.run_all()
    state = lab_page.wait_until_idle(CELL_TIMEOUT, "the blank exercise to run")
    # Blank: every test cell fails (the stubs raise NotImplementedError), and Run All does not stop at
    # the first one: the student sees every part's result in one run.
    errors = _cell_errors(state, visible)
    assert [e["ename"] for e in errors] == ["NotImplementedError"], (
        f"expected the blank pad_constant's visible test to fail with NotImplementedError; outputs: "
        f"{state['cells'][visible]['outputs']}"
    )
    nb = nbformat.read(nb_path, as_version=4)
    tests = [
        i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_")
    ]
    failing = [c["index"] for c in state["cells"] if any(o["output_type"] == "error" for o in c["outputs"])]
    assert failing == tests, f"Run All should run and fail every test cell {tests}; errors in cells {failing}"
    not_run = [c["index"] for c in state["cells"] if c["type"] == "code" and c["executionCount"] is None]
    assert not not_run, f"Run All stopped early: cells {not_run} never ran"
    shown = lab_page.rendered()[visible]["outputs"]
    assert any("NotImplementedError" in o["text"] for o in shown), shown
    lab_page.screenshot(ARTIFACTS / "exercise_padding_modes_blank.png")

    # A shortcut the exercise forbids: the visible test says so, in the page.
    lab_page.replace_cell_source(solution, PAD_CONSTANT_WRONG)
    state = lab_page.run_cells(solution, visible)
    assert not _cell_errors(state, solution)
    errors = _cell_errors(state, visible)
    assert [e["ename"] for e in errors] == ["AssertionError"], state["cells"][visible]["outputs"]
    text = " ".join(o["text"] for o in lab_page.rendered()[visible]["outputs"])
    assert "pad_constant" in text and "np.pad" in text, f"the failure does not tell the student what is wrong: {text!r}"
    for internal in ("Traceback", "grading.py", "File ", "skipping hidden"):  # one block, no grader internals
        assert internal not in text, f"the failure shows {internal!r}: {text!r}"

    # A correct answer typed into the solution cell: that part's visible test now passes.
    lab_page.replace_cell_source(solution, PAD_CONSTANT_RIGHT)
    state = lab_page.run_cells(solution, visible)
    assert state["cells"][solution]["source"].strip() == PAD_CONSTANT_RIGHT.strip()
    assert not _cell_errors(state, solution), state["cells"][solution]["outputs"]
    assert not _cell_errors(state, visible), (
        f"the visible test of a correct pad_constant failed: {state['cells'][visible]['outputs']}"
    )
    text = " ".join(o["text"] for o in lab_page.rendered()[visible]["outputs"])
    assert "✓ pad_constant: the visible tests pass" in text, f"a passing test cell shows no confirmation: {text!r}"
    # (the other parts' test cells still show the failures of the first Run All)
    assert not [e for e in lab_page.error_report(state) if e.startswith((f"cell {solution} ", f"cell {visible} "))]

    # ...and only that part: reflect, still blank, still fails.
    state = lab_page.run_cells(reflect, reflect_visible)
    assert [e["ename"] for e in _cell_errors(state, reflect_visible)] == ["NotImplementedError"]
    lab_page.screenshot(ARTIFACTS / "exercise_padding_modes.png")


# --------------------------------------------------------------------------
# The instructor side: nbgrader's formgrader and the assignment list.
# --------------------------------------------------------------------------

ASSIGNMENTS = ("padding_modes", "shapes_and_stride", "transposed_and_receptive")


@pytest.fixture(scope="module")
def instructor_lab(tmp_path_factory):
    """JupyterLab as `python3 dev.py course` / `dev.py instructor` start it: server root and working
    directory = (a copy of) the repository, whose nbgrader_config.py points at autograder/."""
    repo = tmp_path_factory.mktemp("instructor") / "repo"
    shutil.copytree(AUTOGRADER, repo / "autograder", ignore=_IGNORE)
    shutil.copytree(COURSE, repo / "course", ignore=_IGNORE)
    shutil.copy(ROOT / "nbgrader_config.py", repo / "nbgrader_config.py")
    assert not (repo / "autograder" / "exchange").exists(), "the copy should start like a fresh clone: no exchange yet"
    # (nbgrader_config.py creates autograder/exchange; without it the formgrader disables release and collect.)
    home = tmp_path_factory.mktemp("instructor-home")
    # The class list, as autograder/README.md says: names for the formgrader and a row each in the export.
    nbgrader = Path(sys.executable).with_name("nbgrader")
    env = {
        **os.environ,
        "PATH": os.pathsep.join((str(nbgrader.parent), os.environ.get("PATH", ""))),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
    }
    subprocess.run(
        [str(nbgrader), "db", "student", "import", "autograder/roster.example.csv"],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
    )
    with _running(JupyterLabServer(repo, home, cwd=repo, name="instructor")) as server:
        yield server


@pytest.fixture
def instructor_page(browser, instructor_lab):
    with _page(browser, instructor_lab) as page:
        yield page


def test_formgrader_lists_and_releases_the_assignments(instructor_page):
    """Formgrader's Manage Assignments shows both assignments; releasing them from there puts them
    in JupyterLab's Assignment List (Nbgrader menu), where a student can fetch one."""
    page, server = instructor_page.page, instructor_page.server
    page.goto(server.url("/formgrader"))
    rows = page.locator("#main-table tr:has(td.name)")
    try:  # the first visit creates the gradebook, which takes a few seconds
        rows.first.wait_for(timeout=120_000)
    except Exception as exc:
        raise AssertionError(
            f"formgrader's assignment table never loaded: {page.locator('body').inner_text()[:1500]!r}\n"
            f"(screenshot: {instructor_page.failure_screenshot('formgrader')})\n"
            f"server log:\n{server.log_tail(40)}"
        ) from exc
    names = sorted(rows.locator("td.name").all_inner_texts())
    assert names == sorted(ASSIGNMENTS), f"formgrader lists {names}, expected {sorted(ASSIGNMENTS)}"
    instructor_page.screenshot(ARTIFACTS / "formgrader_manage_assignments.png", full_notebook=False)

    for name in ASSIGNMENTS:
        row = page.locator("#main-table tr", has=page.locator(f"td.name[data-order='{name}']"))
        row.locator("td.release a").click()
        modal = page.locator("#success-modal")
        modal.wait_for(state="visible", timeout=120_000)
        assert f"Successfully released '{name}'" in modal.inner_text(), modal.inner_text()
        modal.locator(".modal-footer button").click()
        modal.wait_for(state="hidden")
        row.locator("td.status", has_text="released").wait_for()
    outbound = server.root / "autograder" / "exchange" / "padding-stride" / "outbound"
    assert sorted(p.name for p in outbound.iterdir()) == sorted(ASSIGNMENTS)
    # The course's state stays in the course directory: no stray gradebook at the repository root.
    assert (server.root / "autograder" / "gradebook.db").is_file()
    assert not (server.root / "gradebook.db").exists(), "formgrader created a gradebook.db at the repository root"
    assert "No nbgrader_config.py file found" not in server.log_path.read_text()

    # Students are listed with the roster's names ("Liddell, Alice"), not "None, None".
    page.goto(server.url("/formgrader/manage_students"))
    names = page.locator("#main-table td.name")
    names.first.wait_for(timeout=120_000)
    shown = sorted(names.all_inner_texts())
    with open(server.root / "autograder" / "roster.example.csv", newline="") as fh:
        expected = sorted(f"{r['last_name']}, {r['first_name']}" for r in csv.DictReader(fh))
    assert shown == expected, f"formgrader lists students as {shown}, expected {expected}"
    instructor_page.screenshot(ARTIFACTS / "formgrader_manage_students.png", full_notebook=False)

    page.goto(server.url("/lab?reset"))
    instructor_page.menu("Nbgrader", "nbgrader:open-assignment-list")
    released = page.locator("#released_assignments_list .list_item .item_name")
    released.first.wait_for(timeout=120_000)
    assert sorted(released.all_inner_texts()) == sorted(ASSIGNMENTS)
    courses = page.locator("#released_assignments_list .list_item .item_course").all_inner_texts()
    assert set(courses) == {"padding-stride"}, courses

    # A student fetches one: it moves to "Downloaded assignments".
    page.locator("#released_assignments_list .list_item", has_text="padding_modes").locator(
        "button", has_text="Fetch"
    ).click()
    page.locator("#fetched_assignments_list .list_item", has_text="padding_modes").first.wait_for(timeout=120_000)
    instructor_page.screenshot(ARTIFACTS / "lab_assignment_list.png", full_notebook=False)


# --------------------------------------------------------------------------
# The student's feedback page: the picture of expected and returned.
# --------------------------------------------------------------------------


@pytest.mark.slow
def test_feedback_page_shows_the_picture_of_a_wrong_answer(browser, tmp_path):
    """A wrong pad_reflect, autograded with the real nbgrader: its feedback HTML, opened in Chromium,
    shows a decoded PNG (expected and returned side by side) right above the failure's message."""
    from autograder_fixtures import fakes

    env = fakes.nbgrader_env(tmp_path / "home")
    course = fakes.make_course(tmp_path / "course", assignments=("padding_modes",))
    fakes.nbgrader("generate_assignment", "padding_modes", cwd=course, env=env)
    next(s for s in fakes.PADDING_MODES if s.student == "wrong_reflect").write(course)
    fakes.nbgrader("autograde", "padding_modes", cwd=course, env=env)
    fakes.nbgrader("generate_feedback", "padding_modes", cwd=course, env=env)
    page_path = course / "feedback" / "wrong_reflect" / "padding_modes" / "padding_modes.html"
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(page_path.as_uri())
        pictures = page.locator('img[src^="data:image/png;base64,"]')
        pictures.first.wait_for(timeout=30_000)
        assert pictures.count() == 2, "one picture for the visible and one for the hidden pad_reflect test"
        first = pictures.first
        first.scroll_into_view_if_needed()
        size = first.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")
        assert size[0] and size[1] > 200 and size[2] > 80, f"the picture did not decode: {size}"
        box = first.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 80, box
        # The failure's message follows the picture in the same test cell's outputs.
        cell_text = first.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' cell ')][1]").inner_text()
        assert "pad_reflect(x, pad=2) returned the wrong values" in cell_text, cell_text[:800]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        first.screenshot(path=str(ARTIFACTS / "feedback_picture.png"))
    finally:
        context.close()
