"""The lessons in course/: committed clean and fresh, and, executed, they show the seed articles' numbers.

The fast tests read the notebooks as committed (git's index). The slow ones
run every lesson once in a fresh ``python3`` kernel (cwd ``course/``, padlib
from this checkout), two lessons at a time in worker processes, and then look
for the numbers each lesson must print: parameter counts, feature-map rows,
impact values, the ordering of the accuracies.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
NOTEBOOKS = sorted(p.name for p in COURSE.glob("[0-9][0-9]_*.ipynb"))
LESSONS = [n for n in NOTEBOOKS if not n.startswith("00_")]
CELL_TIMEOUT = 120  # seconds per cell: generous, the lessons' budget (20 s each) is measured by the benchmark
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _make_notebooks():
    from course import make_notebooks  # the repository root is importable: pytest's pythonpath setting, python -m

    return make_notebooks


def _committed(name):
    """The notebook as staged in git (what a learner clones), or the file if git cannot say."""
    try:
        text = subprocess.run(
            ["git", "show", f":course/{name}"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        text = (COURSE / name).read_text(encoding="utf-8")
    return nbformat.reads(text, as_version=4)


def _read(name):
    return nbformat.read(COURSE / name, as_version=4)


# --------------------------------------------------------------------------- as committed


def test_course_has_the_start_page_and_six_lessons():
    assert NOTEBOOKS[0] == "00_start_here.ipynb"
    assert [n[:2] for n in LESSONS] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_without_outputs_and_with_clean_metadata(name):
    nb = _committed(name)
    nbformat.validate(nb)
    assert set(nb.metadata) <= {"kernelspec", "language_info"}, nb.metadata
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        assert set(cell.metadata) == set(), f"{name} cell {cell.id} has metadata {cell.metadata}"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name} cell {cell.id} was committed with outputs"


def test_notebooks_are_generated_from_their_sources():
    """Each notebook is exactly what course/make_notebooks.py makes of course/src/<name>.py."""
    make = _make_notebooks()
    sources = sorted(p.stem for p in (COURSE / "src").glob("[0-9][0-9]_*.py"))
    assert sources == [n[:-6] for n in NOTEBOOKS]
    for stem in sources:
        built = make.render(make.build(COURSE / "src" / f"{stem}.py"))
        assert built == (COURSE / f"{stem}.ipynb").read_text(encoding="utf-8"), (
            f"{stem}.ipynb is stale: run .venv/bin/python course/make_notebooks.py"
        )


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_imports_padlib(name):
    code = "\n".join(c.source for c in _read(name).cells if c.cell_type == "code")
    assert re.search(r"^import padlib$", code, re.MULTILINE), f"{name} does not import padlib"


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_cells_stay_short(name):
    """Heavy lifting belongs in padlib: no lesson cell grows past 15 lines."""
    for cell in _read(name).cells:
        if cell.cell_type == "code":
            lines = [line for line in cell.source.splitlines() if line.strip()]
            assert len(lines) <= 15, f"{name} cell {cell.id} has {len(lines)} lines; move the work into padlib"


def test_start_page_links_every_lesson_and_both_exercises():
    text = "\n".join(c.source for c in _read("00_start_here.ipynb").cells if c.cell_type == "markdown")
    links = re.findall(r"\]\(([^)]+)\)", text)
    for lesson in LESSONS:
        assert lesson in links, f"start page does not link {lesson}"
    for assignment in ("padding_modes", "shapes_and_stride"):
        target = f"../autograder/release/{assignment}/{assignment}.ipynb"
        assert target in links, f"start page does not link {target}"
    for link in links:
        assert (COURSE / link).exists(), f"start page links {link}, which does not exist"


def test_padlib_imports_from_the_course_folder():
    """A kernel started in course/ (as JupyterLab does) must get the real padlib, not an empty namespace package."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", "import padlib; print(padlib.__file__); padlib.conv2d"],
        cwd=COURSE, capture_output=True, text=True, env=env,
    )
    assert result.returncode == 0, (
        "`import padlib` from course/ does not give the package (a stale editable install that maps padlib as a "
        "namespace package?); reinstall it with `.venv/bin/pip install --no-deps -e .`\n" + result.stderr[-800:]
    )


# --------------------------------------------------------------------------- executed


# Run before a lesson: every plt.show() first checks each figure for a title and labelled axes
# (colour bars and hidden axes excepted). Run after it: print what was found.
FIGURE_CHECK = """
import matplotlib.pyplot as _plt

_figure_report = {"figures": 0, "problems": []}
_plt_show = _plt.show


def _show_checked(*args, **kwargs):
    for number in _plt.get_fignums():
        figure = _plt.figure(number)
        _figure_report["figures"] += 1
        suptitle = figure.get_suptitle()
        for ax in figure.axes:
            if ax.get_label() == "<colorbar>" or not ax.axison:
                continue
            title = suptitle or "".join(ax.get_title(loc) for loc in ("left", "center", "right"))
            if not (title and ax.get_xlabel() and ax.get_ylabel()):
                _figure_report["problems"].append((number, title, ax.get_xlabel(), ax.get_ylabel()))
    return _plt_show(*args, **kwargs)


_plt.show = _show_checked
"""
FIGURE_REPORT = 'print("FIGURES CHECKED:", _figure_report["figures"], "| PROBLEMS:", _figure_report["problems"])'


def _run(name):
    """Worker process: execute one notebook; return its JSON and seconds, or the error text."""
    from nbclient.exceptions import CellExecutionError

    make = _make_notebooks()
    try:
        nb, seconds = make.execute(COURSE / name, timeout=CELL_TIMEOUT, prelude=FIGURE_CHECK, epilogue=FIGURE_REPORT)
    except CellExecutionError as error:
        return name, None, str(error)[-3000:]
    return name, nbformat.writes(nb), seconds


@pytest.fixture(scope="session")
def executed():
    """Every notebook, executed once: {name: (notebook, seconds)}; two at a time (COURSE_WORKERS)."""
    workers = int(os.environ.get("COURSE_WORKERS", "2"))
    results = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for name, text, extra in pool.map(_run, NOTEBOOKS):
            results[name] = (nbformat.reads(text, as_version=4), extra) if text else (None, extra)
    print("\nlesson run times: " + ", ".join(f"{n[:2]} {s:.1f} s" for n, (nb, s) in results.items() if nb))
    return results


def _output_text(nb):
    """All text the notebook printed or displayed (streams and text/plain), without ANSI colours."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
            elif out.output_type in ("display_data", "execute_result"):
                parts.append(out.get("data", {}).get("text/plain", ""))
    return ANSI.sub("", "\n".join(parts))


@pytest.fixture
def text(executed, request):
    name = request.param
    nb, extra = executed[name]
    assert nb is not None, f"{name} failed:\n{extra}"
    return _output_text(nb)


EXPECTED = {
    "00_start_here.ipynb": ["padlib 0.", "no padding -> 6 x 6"],
    "01_border_effect.ipynb": [
        "row [0.0, 0.0, 3.0, 3.0, 0.0, 0.0]",
        "(None, 6, 6, 1)",
        "Total params: 10 ",
        "Keras and padlib agree: True",
        "input columns 2-4: patch row [0, 1, 1] -> 3",
        "pixels that can be a centre: 36 | pixels that cannot: 28",
        "Total params: 20 ",
        "second feature map shape: (4, 4)",
        "row 0: [0.0, 9.0, 9.0, 0.0]",
        "after layer 3: 2x2",
        "layer 4 does not fit",
    ],
    "02_kernel_size.ipynb": [
        "kernel 1x1: output 8x8, 2 parameters",
        "kernel 3x3: output 6x6, 10 parameters",
        "kernel 5x5: output 4x4, 26 parameters",
        "kernel 8x8: output 1x1, 65 parameters",
        "(None, 1, 1, 1)",
        "Total params: 65 ",
        "two 3x3 layers: (4, 4) 20 parameters",
    ],
    "03_padding_types.ipynb": [
        " valid: add (0, 0) -> output 6",
        "  same: add (1, 1) -> output 8",
        "  full: add (2, 2) -> output 10",
        "causal: add (2, 0) -> output 8",
        "symmetric: [5, 3, 3, 5, 1, 1, 5]",
        "replicate: [3, 3, 3, 5, 1, 1, 1]",
        "| mode | numpy | tensorflow | pytorch | keras |",
        "| replicate (edge) | np.pad(mode='edge') | not available | F.pad(mode='replicate')",
        "value 7, left only:   [7, 3, 5, 1]",
        "padlib symmetric: [3, 5, 1, 1, 5]   same as the article: True",
        "padlib replicate: [3, 5, 1, 1, 1]   same as the article: False",
        "tf.pad SYMMETRIC:        [3, 5, 1, 1, 5]",
        "reflect: [1, 5, 3, 5, 1, 5, 3] | tf.pad REFLECT: [1, 5, 3, 5, 1, 5, 3]",
        "same amount, zero values:    (8, 8) top row: [0.0, 0.0, 0.0, 2.0, 2.0, 0.0, 0.0, 0.0]",
        "same amount, reflect values: (8, 8) top row: [0.0, 0.0, 0.0, 3.0, 3.0, 0.0, 0.0, 0.0]",
        "zero values, 2 cells:        (10, 10)",
        "padding_amounts(5, 2, padding='same') = (0, 1)",
        "SAME matches padding at bottom/right: True",
        "SAME matches padding at top/left:     False",
    ],
    "04_padding_in_keras.ipynb": [
        "padded input: (10, 10) | top-left patch: [[0, 0, 0], [0, 0, 0], [0, 0, 0]] -> 0",
        'Model: "three_same"',
        "(None, 8, 8, 1)",
        "Total params: 30 ",
        "default padding of Conv2D: valid",
        "(None, 26, 26, 32)",
        "(None, 24, 24, 64)",
        "(None, 22, 22, 128)",
        "(None, 61952)",
        "18,496",
        "73,856",
        "15,859,968",
        "2,570",
        "11,530",
        "20,490",
        "Conv2D(padding='causal') -> ",
        "Total params: 15,955,210",
        "flatten: 61,952 values -> Dense(256): 15,859,968 parameters",
        "(None, 28, 28, 128)",
        "(None, 100352)",
        "Total params: 25,785,610",
        "flatten: 100,352 values -> Dense(256): 25,690,368 parameters",
        "Total params: 104,202",
        "Total params: 113,162",
        "no padding               sizes [26, 13, 11, 5, 3] | flatten 1152 | dense 11530 | total 104,202",
        "same in the first layer  sizes [28, 14, 12, 6, 4] | flatten 2048 | dense 20490 | total 113,162",
        "GlobalAveragePoolingBased",
        "(None, 13, 13, 32)",
        "(None, 11, 11, 64)",
        "causal padding for kernel 4: (3, 0)",
        "kernel 2, causal padding: (1, 0) -> padded [0.0, 1.0, 2.0, 3.0, 4.0]",
        "with kernel [1, 10] (previous, current): [10.0, 21.0, 32.0, 43.0]",
        "causal: outputs before step 40 changed: False",
        "same: outputs before step 40 changed: True",
        "Keras causal Conv1D == padlib.conv1d(padding='causal'): True",
        "total (reflect padding): 25,785,610 | same as 'same': True",
        "Padding2D(1, 'constant') + valid == padding='same': True",
        "ZeroPadding2D(1) + valid == padding='same': True",
    ],
    "05_stride.ipynb": [
        "row [0.0, 3.0, 0.0]",
        "(None, 3, 3, 1)",
        "Total params: 10 ",
        "padlib.conv2d with stride 2 agrees: True",
        "stride 1: 6x6 = 36 values | stride 2: 3x3 = 9 values (0.25 of them)",
        "input columns 2-4: patch row [0, 1, 1] -> 3",
        "Conv2D(..., stride=(2, 2)) -> ",
        "configurations against Keras: 0 mismatches",
        "valid, stride 2: output from a lone pixel at (7, 7): 0.0",
        "on 8x8: (4, 4)",
        "input 224: same padding (2, 3) -> output 112 (Keras: 112)",
        "input 225: same padding (3, 3) -> output 113 (Keras: 113)",
        "TF SAME == padding (2, 3): True | TF SAME == padding (3, 3): False",
        "224 -> 7x7/2 conv -> 112 -> 3x3/2 max pool -> 56",
        "225 -> 7x7/2 conv -> 113 -> 3x3/2 max pool -> 57",
    ],
    "06_does_padding_matter.ipynb": [
        "output shifted by one column too: True",
        "images: (198, 10, 10, 1) | positives: 99 | negatives: 99",
        "ratio: [100. 100. 100.]",
        "valid: corner 1, edge 3, interior 9",
        " same: corner 4, edge 6, interior 9",
        "valid: Keras matches padlib.impact_map: True",
        " same: Keras matches padlib.impact_map: True",
        "valid            corner 0.0000 | edge 0.004 | centre 59,049",
        "same, constant   corner 0.1561 | edge 0.395 | centre 59,049",
        "same, reflect    corner 0.3660 | edge 0.605 | centre 59,049",
        "same, circular   corner 1.0000 | edge 1.000 | centre 59,049",
    ],
}


def test_every_notebook_has_expectations():
    assert sorted(EXPECTED) == NOTEBOOKS


@pytest.mark.slow
@pytest.mark.parametrize("text", NOTEBOOKS, indirect=True)
def test_lesson_runs_and_shows_its_numbers(text, request):
    name = request.node.callspec.params["text"]
    missing = [line for line in EXPECTED[name] if line not in text]
    assert not missing, f"{name} did not print:\n" + "\n".join(missing)


@pytest.mark.slow
@pytest.mark.parametrize("text", ["01_border_effect.ipynb"], indirect=True)
def test_border_effect_map_has_six_rows(text):
    assert text.count("row [0.0, 0.0, 3.0, 3.0, 0.0, 0.0]") == 6


@pytest.mark.slow
@pytest.mark.parametrize("text", ["05_stride.ipynb"], indirect=True)
def test_stride_map_has_three_rows_and_names_strides(text):
    assert text.count("row [0.0, 3.0, 0.0]") == 3
    assert "'strides'" in text and "stride" in text.split("Conv2D(..., stride=(2, 2)) -> ")[1].splitlines()[0]


@pytest.mark.slow
@pytest.mark.parametrize("text", ["04_padding_in_keras.ipynb"], indirect=True)
def test_causal_model_learns(text):
    first, last = map(float, re.search(r"mean squared error ([\d.]+) -> ([\d.]+)", text).groups())
    assert last < 0.1 * first and last < 0.1


@pytest.mark.slow
@pytest.mark.parametrize("text", ["06_does_padding_matter.ipynb"], indirect=True)
def test_zero_padding_learns_the_corner_and_circular_cannot(text):
    zero, circular = map(float, re.search(r"accuracy zero-SAME: ([\d.]+) \| circular: ([\d.]+)", text).groups())
    assert zero >= 0.95, zero
    assert circular <= 0.6, circular
    kernel_sums = re.search(r"top-left 2x2 block sums to (-?[\d.]+) \| bottom row \+ right column sum to (-?[\d.]+)", text)
    assert float(kernel_sums.group(1)) > 0 > float(kernel_sums.group(2))


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_cell_errored_and_figures_rendered(executed, name):
    nb, extra = executed[name]
    assert nb is not None, f"{name} failed:\n{extra}"
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    assert not [out for out in outputs if out.output_type == "error"]
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and not c.id.startswith("test-"))
    shows = sources.count("plt.show()")
    images = sum("image/png" in out.get("data", {}) for out in outputs)
    assert images >= shows, f"{name}: {shows} figures shown but only {images} images rendered"
    report = re.search(r"FIGURES CHECKED: (\d+) \| PROBLEMS: (.*)", _output_text(nb))
    assert int(report.group(1)) >= shows, f"{name}: only {report.group(1)} of {shows} figures were checked"
    assert report.group(2) == "[]", f"{name}: figures without a title or axis labels: {report.group(2)}"
    assert json.dumps(nb.metadata.get("kernelspec", {})).count("python3")
