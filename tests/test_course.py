"""The lessons in course/: committed clean and fresh, and, executed, they show the seed articles' numbers.

The fast tests read the notebooks as committed (git's index). The slow ones
read every lesson as run once per test session (conftest.py's ``executed_lessons``,
tests/lesson_support.py: a fresh ``python3`` kernel each, cwd ``course/``, padlib
from this checkout, two lessons at a time; the course site is built from the
same runs) and look for the numbers each lesson must print: parameter counts,
feature-map rows, impact values, the ordering of the accuracies.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from coursetools import notebooks

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
NOTEBOOKS = sorted(p.name for p in COURSE.glob("[0-9][0-9]_*.ipynb"))
LESSONS = [n for n in NOTEBOOKS if not n.startswith("00_")]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


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


def test_course_has_the_start_page_and_eight_lessons():
    assert NOTEBOOKS[0] == "00_start_here.ipynb"
    assert [n[:2] for n in LESSONS] == ["01", "02", "03", "04", "05", "06", "07", "08"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_without_outputs_and_with_clean_metadata(name):
    nb = _committed(name)
    nbformat.validate(nb)
    assert set(nb.metadata) <= {"kernelspec", "language_info"}, nb.metadata
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        # Only what a source's `# %%` header may set for a lesson; nothing of jupytext's or JupyterLab's.
        assert set(cell.metadata) <= {"tags"}, f"{name} cell {cell.id} has metadata {cell.metadata}"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{name} cell {cell.id} was committed with outputs"
            )


def test_notebooks_are_generated_from_their_sources():
    """Each notebook is exactly what coursetools.notebooks makes of course/src/<name>.py."""
    sources = sorted(p.stem for p in (COURSE / "src").glob("[0-9][0-9]_*.py"))
    assert sources == [n[:-6] for n in NOTEBOOKS]
    for stem in sources:
        built = notebooks.render(notebooks.build(COURSE / "src" / f"{stem}.py"))
        assert built == (COURSE / f"{stem}.ipynb").read_text(encoding="utf-8"), (
            f"{stem}.ipynb is stale: run `python3 dev.py notebooks`"
        )


PERCENT_SOURCE = """\
# %% [markdown]
# # A title
#
# Some text.

# %% tags=["hide-input"]
x = 1


print(x)
# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true}
# Locked.

# %%
def f():
    return x
"""


def test_a_percent_source_becomes_a_clean_notebook_with_the_metadata_of_its_headers():
    """coursetools.notebooks.from_percent (jupytext underneath), also what the assignment sources are built with."""
    nb = notebooks.from_percent(PERCENT_SOURCE)
    nbformat.validate(nb)
    assert [(c.cell_type, c.id) for c in nb.cells] == [
        ("markdown", "cell-01"),
        ("code", "cell-02"),
        ("markdown", "cell-03"),
        ("code", "cell-04"),
    ]
    assert [c.source for c in nb.cells] == [
        "# A title\n\nSome text.",
        "x = 1\n\n\nprint(x)",
        "Locked.",
        "def f():\n    return x",
    ]
    assert [c.metadata for c in nb.cells] == [
        {},
        {"tags": ["hide-input"]},
        {"nbgrader": {"grade": False, "grade_id": "intro", "locked": True}},
        {},
    ]
    assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")
    assert set(nb.metadata) == {"kernelspec", "language_info"} and nb.metadata.kernelspec.name == "python3"


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


def test_start_page_links_every_lesson_and_every_exercise():
    text = "\n".join(c.source for c in _read("00_start_here.ipynb").cells if c.cell_type == "markdown")
    links = re.findall(r"\]\(([^)]+)\)", text)
    for lesson in LESSONS:
        assert lesson in links, f"start page does not link {lesson}"
    for assignment in ("padding_modes", "shapes_and_stride", "transposed_and_receptive"):
        target = f"../autograder/release/{assignment}/{assignment}.ipynb"
        assert target in links, f"start page does not link {target}"
    for link in links:
        assert (COURSE / link).exists(), f"start page links {link}, which does not exist"


def test_padlib_imports_from_the_course_folder():
    """A kernel started in course/ (as JupyterLab does) must get the real padlib, not an empty namespace package."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", "import padlib; print(padlib.__file__); padlib.conv2d"],
        cwd=COURSE,
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, (
        "`import padlib` from course/ does not give the package (a stale editable install that maps padlib as a "
        "namespace package?); reinstall it with `.venv/bin/pip install --no-deps -e .`\n" + result.stderr[-800:]
    )


# --------------------------------------------------------------------------- executed


def _found(pattern: str, text: str) -> re.Match[str]:
    """The first match of ``pattern`` in a lesson's output; the test fails, showing the pattern, if there is none."""
    match = re.search(pattern, text)
    assert match, f"the lesson printed nothing matching {pattern!r}"
    return match


def _output_text(nb):
    """All text the notebook printed or displayed (streams and text/plain), without ANSI colours.

    A stream's pieces are joined as written: the kernel flushes print()'s output every so often, so
    under load one printed line can arrive as two stream outputs (cut between two of print's writes).
    """
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                parts.append(out.text)
            elif out.output_type in ("display_data", "execute_result"):
                parts.append("\n" + out.get("data", {}).get("text/plain", "") + "\n")
    return ANSI.sub("", "".join(parts))


@pytest.fixture
def text(executed_lessons, request):
    name = request.param
    nb, extra = executed_lessons[name]
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
    "07_dilation_transpose_pooling.ipynb": [
        "3x3 kernel, dilation 2: spans 5x5 cells, 9 weights; on 10x10 -> 6x6",
        "3x3 kernel, dilation 3: spans 7x7 cells, 9 weights; on 10x10 -> 4x4",
        "2x2 -> stride-2 transposed 3x3 -> (5, 5)",
        " [ 4  4 10  6  6]",
        "equal: True",
        "TF gradient == padlib.conv_transpose2d: True",
        "valid: Keras (2, 9, 11, 2) == padlib: True | tf.nn.conv2d_transpose == padlib: True",
        " same: Keras (2, 8, 10, 2) == padlib: True | tf.nn.conv2d_transpose == padlib: True",
        "input 5 -> conv(k=3, s=2, p=1) -> 3 -> transpose with output_padding=0 -> 5",
        "input 6 -> conv(k=3, s=2, p=1) -> 3 -> transpose with output_padding=1 -> 6",
        "transposed sizes checked against Keras: 210 configurations, 0 mismatches",
        "Keras same, 4 -> stride 2: 8 | valid: 9",
        "output size: 7 | input cell (1, 1) feeds output rows and columns [2, 3, 4]",
        "TF SAME average == padlib.pool2d: True",
        "all-ones 4x4, 3x3 average: corner TF 1.000 | count_include_pad 0.444; edge TF 1.000 | count_include_pad 0.667",
        "max pooling 2x2 (Keras default stride 2) on 4x4 -> [[5, 7], [13, 15]]",
        "CS231n: (10 - 3 + 0) / 2 + 1 = 4.5 | TensorFlow valid: 4 | cells read: 9 of 10",
        "AlexNet conv1 on 224: (224 - 11) / 4 + 1 = 54.25 -> padlib.output_size: 54",
        "AlexNet conv1 on 227: (227 - 11) / 4 + 1 = 55.0 -> padlib.output_size: 55",
        "224 with padding 2, PyTorch-style: 55.25 -> 55",
    ],
    "08_receptive_fields_and_position.ipynb": [
        "VGG-16 block5_pool: receptive field 212, jump 32, start 15.5",
        "VGG-16 block4_pool: receptive field 100, jump 16, start 7.5",
        "AlexNet receptive fields: conv1 11, pool1 19, conv2 51, pool2 67, conv3 99, conv4 131, conv5 163, pool5 195",
        "AlexNet pool5: receptive field 195, jump 32",
        "input 224: padding per stage [(2, 3), (0, 1), (0, 1), (0, 1), (0, 1)]",
        "input 225: padding per stage [(3, 3), (1, 1), (1, 1), (1, 1), (1, 1)]",
        "even at every stage, below 300: [33, 65, 97, 129, 161, 193, 225, 257, 289]",
        "all of the form 32m + 1: True | 224 is even at 0 stages",
        "1x1 stride-2 'same' padding on 8: (0, 0) | output from the pixel at (7, 7): 0.0",
        "   circular: largest |border - centre| of the pooled features = 0.0000",
        "zero 'full': largest |border - centre| of the pooled features = 0.0000",
        "zero padding: corner 0.4444 (4/9 = 0.4444), edge 0.6667 (6/9 = 0.6667), centre 1.0000",
        "partial padding: corner 1.0000, edge 1.0000, centre 1.0000 | all ones: True",
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
    first, last = map(float, _found(r"mean squared error ([\d.]+) -> ([\d.]+)", text).groups())
    assert last < 0.1 * first and last < 0.1


@pytest.mark.slow
@pytest.mark.parametrize("text", ["06_does_padding_matter.ipynb"], indirect=True)
def test_zero_padding_learns_the_corner_and_circular_cannot(text):
    zero, circular = map(float, _found(r"accuracy zero-SAME: ([\d.]+) \| circular: ([\d.]+)", text).groups())
    assert zero >= 0.95, zero
    assert circular <= 0.6, circular
    kernel_sums = _found(r"top-left 2x2 block sums to (-?[\d.]+) \| bottom row \+ right column sum to (-?[\d.]+)", text)
    assert float(kernel_sums.group(1)) > 0 > float(kernel_sums.group(2))


@pytest.mark.slow
def test_mode_table_renders_as_a_table(executed_lessons):
    """Lesson 03 shows padlib.mode_table() as a rendered table (HTML and Markdown), not wrapped text."""
    nb, extra = executed_lessons["03_padding_types.ipynb"]
    assert nb is not None, extra
    results = [out.data for cell in nb.cells for out in cell.get("outputs", []) if out.output_type == "execute_result"]
    tables = [data for data in results if data.get("text/plain", "").startswith("| mode | numpy |")]
    assert len(tables) == 1
    assert tables[0]["text/html"].startswith("<table><thead><tr><th>mode</th><th>numpy</th>")
    assert tables[0]["text/markdown"].startswith("| mode | numpy | tensorflow | pytorch | keras |\n| --- |")
    assert "Where padlib differs from np.pad" in tables[0]["text/markdown"]


@pytest.mark.slow
@pytest.mark.parametrize("text", ["08_receptive_fields_and_position.ipynb"], indirect=True)
def test_zero_padding_leaks_position_and_circular_does_not(text):
    border = float(_found(r"zero 'same': largest \|border - centre\| of the pooled features = ([\d.]+)", text).group(1))
    assert border > 0.001
    r2 = {m: float(v) for m, v in re.findall(r"position read-out R² with +(\w+) padding: (-?[\d.]+)", text)}
    assert r2["constant"] >= 0.3 and abs(r2["circular"]) <= 0.05, r2


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_cell_errored_and_figures_rendered(executed_lessons, name):
    nb, extra = executed_lessons[name]
    assert nb is not None, f"{name} failed:\n{extra}"
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    assert not [out for out in outputs if out.output_type == "error"]
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and not c.id.startswith("test-"))
    shows = sources.count("plt.show()")
    images = sum("image/png" in out.get("data", {}) for out in outputs)
    assert images >= shows, f"{name}: {shows} figures shown but only {images} images rendered"
    report = _found(r"FIGURES CHECKED: (\d+) \| PROBLEMS: (.*)", _output_text(nb))
    assert int(report.group(1)) >= shows, f"{name}: only {report.group(1)} of {shows} figures were checked"
    assert report.group(2) == "[]", (
        f"{name}: figures without a title or axis labels, or with clipped or overlapping text: {report.group(2)}"
    )
    assert json.dumps(nb.metadata.get("kernelspec", {})).count("python3")


# What TensorFlow writes to stderr when it loads on a machine without a GPU, unless the CPU build is
# installed and the lesson quiets it before the import: a red box under the lesson's first cells.
TENSORFLOW_NOISE = re.compile(r"E0000|I0000|W0000|cuInit|absl|cuda|oneDNN", re.IGNORECASE)


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_lesson_writes_to_stderr(executed_lessons, name):
    """No stderr output at all (TensorFlow's CUDA/absl start-up lines included), run without the
    test suite's TF_* variables (coursetools.notebooks.execute leaves them out), as a learner runs it."""
    nb, extra = executed_lessons[name]
    assert nb is not None, f"{name} failed:\n{extra}"
    stderr = [
        (cell.id, out.text)
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.output_type == "stream" and out.name == "stderr"
    ]
    assert not stderr, f"{name} writes to stderr (a red box in JupyterLab):\n" + "\n".join(
        f"{i}: {s[:800]}" for i, s in stderr
    )
    noise = TENSORFLOW_NOISE.findall(_output_text(nb))
    assert not noise, f"{name} shows TensorFlow start-up messages: {noise}"


# --------------------------------------------------------------------------- the learner's copy


def _my_work(folder):
    env = {**os.environ, "PADLIB_MY_WORK": str(folder)}
    return subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), "my-work"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def test_learners_work_on_a_git_ignored_copy_that_updates_never_overwrite(tmp_path):
    """`dev.py course` opens my-work/ (made by `dev.py my-work`): a copy of every lesson and exercise,
    topped up with new ones on later runs, never overwriting what the learner changed."""
    work = tmp_path / "my-work"
    _my_work(work)
    tracked = [
        *(f"course/{n}" for n in NOTEBOOKS),
        *(str(p.relative_to(ROOT)) for p in sorted((ROOT / "autograder" / "release").glob("*/*.ipynb"))),
    ]
    assert sorted(str(p.relative_to(work)) for p in work.rglob("*.ipynb")) == sorted(tracked)
    for rel in tracked:
        assert (work / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
    # The start page's links resolve inside the copy (same layout), so the exercises opened are copies too.
    start = work / "course" / "00_start_here.ipynb"
    for link in re.findall(r"\]\(([^)]+\.ipynb)\)", start.read_text()):
        assert (start.parent / link).resolve().is_relative_to(work.resolve()) and (start.parent / link).exists(), link

    edited, removed = work / "course" / LESSONS[0], work / "course" / LESSONS[1]
    edited.write_text(edited.read_text().replace("The border effect", "My notes"))
    learner_text = edited.read_text()
    removed.unlink()  # stands for a lesson added to the course after the first run
    out = _my_work(work)
    assert edited.read_text() == learner_text, "a learner's edited lesson was overwritten"
    assert removed.read_bytes() == (COURSE / LESSONS[1]).read_bytes() and f"new: {removed}" in out

    ignored = subprocess.run(["git", "check-ignore", "-q", "my-work/course/01_border_effect.ipynb"], cwd=ROOT)
    assert ignored.returncode == 0, "my-work/ must be git-ignored, or a learner's saves would block git pull"
