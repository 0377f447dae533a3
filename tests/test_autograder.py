"""The nbgrader course in autograder/: its notebooks, the student versions, and grading with the real CLI.

Like nbgrader's own tests: temporary course directories, exchange and
gradebooks; the real ``nbgrader`` commands; exact scores. The fake
submissions are built from the committed notebooks by
``tests/autograder_fixtures/fakes.py``.
"""

from __future__ import annotations

import ast
import csv
import html
import re
from pathlib import Path

import nbformat
import pytest
from autograder_fixtures import fakes
from autograder_fixtures.fakes import ASSIGNMENTS, COURSE, SUBMISSIONS
from coursetools import release as make_release
from coursetools.notebooks import METADATA, from_percent

COURSE_ID = "padding-stride"

# The graded parts and their points, as the notebooks' introductions promise them.
PARTS = {
    "padding_modes": {
        "pad_constant": 3,
        "pad_reflect": 3,
        "pad_symmetric": 3,
        "pad_replicate": 3,
        "pad_circular": 3,
        "pad_causal": 3,
    },
    "shapes_and_stride": {
        "padding_valid": 2,
        "padding_full": 2,
        "padding_causal": 2,
        "padding_same": 4,
        "output_size": 3,
        "conv2d": 6,
    },
    "transposed_and_receptive": {"transposed_output_size": 3, "conv_transpose2d": 6, "receptive_field": 4},
}


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def hidden_lines(assignment: str) -> list[str]:
    """The lines of the hidden test regions of the instructor's source that appear nowhere else in it."""
    hidden: list[str] = []
    shown: set[str] = set()
    for cell in code_cells(fakes.read("source", assignment)):
        inside = False
        for line in cell.source.split("\n"):
            if "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END HIDDEN TESTS" in line:
                inside = False
            elif line.strip():
                (hidden.append if inside else shown.add)(line.strip())
    return [line for line in hidden if line not in shown]


def solution_lines(assignment: str) -> list[str]:
    """The solution lines distinctive enough to look for: not a bare ``return out``, not quoted in the instructions."""
    prose = "\n".join(c.source for c in fakes.read("source", assignment).cells if c.cell_type == "markdown")
    lines = []
    for code in fakes.solutions(assignment).values():
        lines += [ln.strip() for ln in code.split("\n")[2:] if len(ln.strip()) > 20 and ln.strip() not in prose]
    return lines


# --- the notebooks (fast: no nbgrader run) ----------------------------------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_part_has_its_own_points(assignment):
    """One visible and one hidden test per graded part, with the documented points."""
    cells = fakes.grade_cells(assignment)
    assert fakes.parts(assignment) == PARTS[assignment]
    for part in PARTS[assignment]:
        assert {f"test_{part}_visible", f"test_{part}_hidden"} <= set(cells)
    intro = fakes.read("source", assignment).cells[0].source
    for part, points in PARTS[assignment].items():
        visible, hidden = cells[f"test_{part}_visible"], cells[f"test_{part}_hidden"]
        assert visible + hidden == points
        assert re.search(rf"\| {visible:g} \+ {hidden:g} \|", intro), (
            f"the introduction's table does not show {part}'s points"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_sections_are_numbered_one_by_one(assignment):
    """The numbered sections ("## 1. ...") count 1, 2, 3, ... with no number skipped or repeated."""
    headings = [
        m
        for c in fakes.read("source", assignment).cells
        if c.cell_type == "markdown"
        for m in re.findall(r"^## (\d+)\. ", c.source, re.MULTILINE)
    ]
    assert [int(n) for n in headings] == list(range(1, len(headings) + 1)), headings


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_cells_have_readable_ids_and_test_docstrings(assignment):
    """Cell id == grade id; every test cell opens with a docstring naming what it checks; hidden regions only in hidden tests."""
    for cell in code_cells(fakes.read("source", assignment)):
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            continue
        assert cell.id == meta["grade_id"]
        assert re.fullmatch(r"[a-z0-9_]+", meta["grade_id"])
        if meta["grade"]:
            doc = ast.get_docstring(ast.parse(cell.source)) or ""
            part = fakes.part_of(meta["grade_id"])
            function = "padding_amounts" if part.startswith("padding_") else part
            kind = "hidden" if meta["grade_id"].endswith("_hidden") else "visible"
            assert doc.startswith(f"{function},") and f"{kind} tests:" in doc, cell.id
            assert ("BEGIN HIDDEN TESTS" in cell.source) == meta["grade_id"].endswith("_hidden")
            assert not meta["solution"] and meta["locked"]
        elif meta["solution"]:
            assert "### BEGIN SOLUTION" in cell.source and not meta["locked"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_graded_notebooks_import_only_numpy_padlib_and_the_checks(assignment):
    """No TensorFlow (or anything else) to import: grading stays fast."""
    imported = set()
    for cell in code_cells(fakes.read("source", assignment)):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
    assert imported == {"numpy", "padlib", "safegrade"}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_notebooks_are_clean(assignment):
    """Student versions: no outputs, no noisy metadata, no solution, no hidden test, stubs where the answers go."""
    path = COURSE / "release" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    text = path.read_text()
    assert set(nb.metadata) == {"kernelspec", "language_info"}
    for cell in nb.cells:
        assert set(cell.metadata) <= {"nbgrader", "deletable", "editable", "tags"}
        assert cell.metadata.get("tags", ["raises-exception"]) == ["raises-exception"]
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    for line in hidden_lines(assignment) + solution_lines(assignment):
        assert line not in "\n".join(c.source for c in code_cells(nb)), line
    answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert answers and all("raise NotImplementedError()" in c.source for c in answers)


def test_make_release_reports_a_stale_release(tmp_path, monkeypatch):
    """The freshness check itself can fail: an edited student version is reported."""
    course = fakes.make_course(tmp_path / "course")
    generated = {}

    def fake_generate(course_dir):  # stands in for nbgrader: copies the committed release
        import shutil

        shutil.copytree(COURSE / "release", Path(course_dir) / "release")
        generated["dir"] = course_dir

    monkeypatch.setattr(make_release, "generate", fake_generate)
    import shutil

    shutil.copytree(COURSE / "release", course / "release")
    assert make_release.stale_files(course) == []
    edited = course / "release" / "padding_modes" / "padding_modes.ipynb"
    edited.write_text(edited.read_text().replace("raise NotImplementedError()", "return x", 1))
    (course / "release" / "padding_modes" / "extra.txt").write_text("hand-made")
    assert make_release.stale_files(course) == ["padding_modes/extra.txt", "padding_modes/padding_modes.ipynb"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_is_what_its_percent_file_gives(assignment):
    """source/NAME/NAME.ipynb is generated from the reviewable NAME.py (jupytext percent, nbgrader metadata in the headers)."""
    assert make_release.stale_sources() == [], "run `python3 dev.py release` and commit autograder/source/"
    percent = (COURSE / "source" / assignment / f"{assignment}.py").read_text()
    headers = [line for line in percent.splitlines() if line.startswith("# %%")]
    graded = [h for h in headers if '"grade": true' in h]
    assert graded and all('tags=["raises-exception"]' in h for h in graded)
    assert len(headers) == len(fakes.read("source", assignment).cells)


def test_a_stale_source_notebook_is_reported(tmp_path):
    course = fakes.make_course(tmp_path / "course")
    assert make_release.stale_sources(course) == []
    percent = course / "source" / "shapes_and_stride" / "shapes_and_stride.py"
    percent.write_text(percent.read_text().replace('"points": 4', '"points": 5', 1))
    assert make_release.stale_sources(course) == ["shapes_and_stride/shapes_and_stride.ipynb"]
    make_release.write_sources(course)
    assert make_release.stale_sources(course) == []
    cells = {c.id: c for c in nbformat.read(percent.with_suffix(".ipynb"), as_version=4).cells}
    assert cells["test_conv2d_hidden"].metadata.nbgrader.points == 5


def test_percent_cells_need_unique_ids():
    with pytest.raises(ValueError, match="a cell has no id"):
        from_percent("# %% [markdown]\n# Title\n", ids="header")
    with pytest.raises(ValueError, match="repeated: intro"):
        from_percent('# %% [markdown] id="intro"\n# A\n\n# %% [markdown] id="intro"\n# B\n', ids="header")
    nb = from_percent(
        '# %% [markdown] id="intro"\n# A\n\n'
        '# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true}\nx = 1\n',
        ids="header",
    )
    assert [c.id for c in nb.cells] == ["intro", "setup"] and nb.cells[1].metadata.nbgrader.locked
    assert dict(nb.metadata) == METADATA


# --- nbgrader, for real (slow) ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    path = tmp_path_factory.mktemp("home")
    return path


@pytest.fixture(scope="module")
def env(home):
    return fakes.nbgrader_env(home)


@pytest.mark.slow
def test_committed_release_is_what_nbgrader_generates():
    """release/ is regenerated from source/ with nbgrader generate_assignment and compared byte for byte."""
    assert make_release.stale_files() == [], "run `python3 dev.py release` and commit autograder/release/"


@pytest.mark.slow
def test_validate_passes_on_every_solution(tmp_path, env):
    done = fakes.nbgrader(
        "validate", *(str(COURSE / "source" / a / f"{a}.ipynb") for a in ASSIGNMENTS), cwd=tmp_path, env=env
    )
    assert done.stdout.count("Success! Your notebook passes all the tests.") == len(ASSIGNMENTS), done.stdout


@pytest.mark.slow
def test_validate_invert_passes_on_every_released_version(tmp_path, env):
    """Every test cell of the blank student version fails (so every test really tests something)."""
    done = fakes.nbgrader(
        "validate",
        "--invert",
        *(str(COURSE / "release" / a / f"{a}.ipynb") for a in ASSIGNMENTS),
        cwd=tmp_path,
        env=env,
    )
    assert done.stdout.count("Success! The notebook does not pass any tests.") == len(ASSIGNMENTS), done.stdout


@pytest.fixture(scope="module")
def graded(tmp_path_factory, env):
    """A temporary course where every fake submission was autograded (one nbgrader call per assignment), with feedback and a CSV export."""
    course = fakes.make_course(tmp_path_factory.mktemp("graded") / "course")
    for assignment in ASSIGNMENTS:
        fakes.nbgrader("generate_assignment", assignment, cwd=course, env=env)
        for submission in SUBMISSIONS[assignment]:
            submission.write(course)
        done = fakes.nbgrader("autograde", assignment, cwd=course, env=env)
        (course / f"autograde-{assignment}.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        fakes.nbgrader("generate_feedback", assignment, cwd=course, env=env)
    fakes.nbgrader("export", "--to", str(course / "grades.csv"), cwd=course, env=env)
    return course


def _cases():
    return [pytest.param(s, id=f"{s.assignment}-{s.student}") for a in ASSIGNMENTS for s in SUBMISSIONS[a]]


@pytest.mark.slow
@pytest.mark.parametrize("submission", _cases())
def test_exact_scores_in_gradebook(graded, submission):
    """Correct: full marks; blank: 0; one part wrong: exactly that part's points lost; np.pad/padlib: those parts lost."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded / 'gradebook.db'}", COURSE_ID) as gb:
        nb = gb.find_submission_notebook(submission.assignment, submission.assignment, submission.student)
        scores = {g.name: g.score for g in nb.grades}
        total, max_score = nb.score, nb.max_score
    expected = submission.expected_scores()
    assert scores == expected
    assert total == sum(expected.values())
    assert max_score == sum(PARTS[submission.assignment].values())
    lost = max_score - total
    if submission.student == "correct":
        assert lost == 0
    elif submission.student == "blank":
        assert total == 0
    else:
        assert lost == sum(
            fakes.grade_cells(submission.assignment)[g] if g.startswith("test_") else PARTS[submission.assignment][g]
            for g in submission.fails
        )


@pytest.mark.slow
def test_exported_csv_has_every_score(graded):
    with open(graded / "grades.csv", newline="") as fh:
        rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(fh)}
    expected = {(s.assignment, s.student): s.expected_scores() for a in ASSIGNMENTS for s in SUBMISSIONS[a]}
    students = {student for _, student in expected}
    assert set(rows) == {(a, student) for a in ASSIGNMENTS for student in students}
    for key in set(rows) - set(expected):  # nbgrader lists every student for every assignment
        assert float(rows[key]["score"]) == 0 and rows[key]["timestamp"] in ("", "None"), rows[key]
    for key, scores in expected.items():
        assert float(rows[key]["raw_score"]) == sum(scores.values()), key
        assert float(rows[key]["score"]) == sum(scores.values()), key
        assert float(rows[key]["max_score"]) == sum(PARTS[key[0]].values()), key


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_has_no_hidden_tests_and_says_what_was_expected(graded, assignment):
    students = [s for s in SUBMISSIONS[assignment]]
    pages = {
        s.student: (graded / "feedback" / s.student / assignment / f"{assignment}.html").read_text() for s in students
    }
    hidden = [line for line in hidden_lines(assignment) if len(line) > 25]
    for student, page in pages.items():
        assert "HIDDEN TESTS" not in page and "(hidden tests, run by the grader)" in page, student
        for line in hidden:
            assert _escaped(line) not in page, (student, line)
    for line in solution_lines(assignment):  # the blank student's feedback shows no solution
        assert _escaped(line) not in pages["blank"], line
    # A wrong answer's feedback names the call and what the student returned.
    for s in students:
        if s.student.startswith("wrong_"):
            text = html.unescape(re.sub(r"<[^>]+>", "", pages[s.student]))
            function = "padding_amounts" if s.fails[0].startswith("padding_") else s.fails[0]
            assert re.search(rf"AssertionError: {function}\(.*\) (returned|must return)", text), s.student
    assert "which this exercise forbids" in pages["cheater"]


def _escaped(line: str) -> str:
    return html.escape(line, quote=True)


@pytest.mark.slow
def test_feedback_shows_side_by_side_arrays(graded):
    page = (graded / "feedback" / "wrong_reflect" / "padding_modes" / "padding_modes.html").read_text()
    assert "pad_reflect(x, pad=2) returned the wrong values" in page
    assert "you returned (shape (7,)" in page
    # One block per failure: no traceback, no frame of the grader's code, no instructor's path.
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for internal in (
        "Traceback (most recent call last)",
        "grading.py",
        "skipping hidden",
        "raise AssertionError",
        str(fakes.COURSE.parent),
    ):
        assert internal not in text, internal
    assert "✓ pad_constant: the visible tests pass" in text  # the parts that passed say so


PICTURE = re.compile(r'<img [^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"')  # nbconvert writes alt= first


@pytest.mark.slow
@pytest.mark.parametrize(
    ("assignment", "student", "pictures"),
    [
        ("padding_modes", "wrong_reflect", 2),
        ("shapes_and_stride", "wrong_conv2d", 2),
        ("transposed_and_receptive", "wrong_conv_transpose2d", 2),
        ("padding_modes", "correct", 0),
        ("transposed_and_receptive", "wrong_receptive_field", 0),
    ],
)
def test_feedback_pictures_expected_and_returned_arrays(graded, assignment, student, pictures):
    """A failed check on arrays shows expected and returned as a PNG in the feedback (one per failing
    test cell); checks that pass, or compare no arrays (records, sizes), add no picture."""
    page = (graded / "feedback" / student / assignment / f"{assignment}.html").read_text()
    found = PICTURE.findall(page)
    assert len(found) == pictures, len(found)
    import base64

    for encoded in found:
        assert base64.b64decode(encoded).startswith(b"\x89PNG\r\n\x1a\n")


# --- the whole flow, with a local exchange and several students (slow) --------------------------------


@pytest.mark.slow
def test_instructor_and_student_flow_end_to_end(tmp_path, env):
    """generate -> release -> fetch -> validate -> submit -> collect -> autograde -> feedback -> fetch feedback -> export."""
    course = fakes.make_course(tmp_path / "course")
    exchange = tmp_path / "exchange"
    flags = [f"--Exchange.root={exchange}", f"--course={COURSE_ID}"]
    fakes.nbgrader("generate_assignment", "padding_modes", cwd=course, env=env)
    fakes.nbgrader("release_assignment", "padding_modes", *flags, cwd=course, env=env)

    by_name = {s.student: s for s in fakes.PADDING_MODES}
    students = {"alice": by_name["correct"], "bob": by_name["wrong_reflect"], "carol": by_name["blank"]}
    for name, fake in students.items():
        home = tmp_path / name
        home.mkdir()
        student_flags = [*flags, f"--Exchange.cache={home / '.cache'}", f"--student={name}"]
        fakes.nbgrader("fetch_assignment", "padding_modes", *student_flags, cwd=home, env=env)
        notebook = home / "padding_modes" / "padding_modes.ipynb"
        assert nbformat.read(notebook, as_version=4) == fakes.read("release", "padding_modes")
        nbformat.write(fake.notebook(), notebook)  # the student's work
        if name == "alice":
            done = fakes.nbgrader("validate", str(notebook), cwd=home, env=env)
            assert "Success! Your notebook passes all the tests." in done.stdout
        fakes.nbgrader("submit", "padding_modes", *student_flags, cwd=home, env=env)

    fakes.nbgrader("collect", "padding_modes", *flags, "--ExchangeCollect.check_owner=False", cwd=course, env=env)
    assert sorted(p.name for p in (course / "submitted").iterdir()) == sorted(students)
    fakes.nbgrader("autograde", "padding_modes", cwd=course, env=env)
    fakes.nbgrader("generate_feedback", "padding_modes", cwd=course, env=env)
    fakes.nbgrader("release_feedback", "padding_modes", *flags, cwd=course, env=env)
    fakes.nbgrader("export", "--to", "grades.csv", cwd=course, env=env)

    with open(course / "grades.csv", newline="") as fh:
        totals = {r["student_id"]: float(r["score"]) for r in csv.DictReader(fh)}
    assert totals == {"alice": 18.0, "bob": 15.0, "carol": 0.0}
    for name in students:
        home = tmp_path / name
        fakes.nbgrader(
            "fetch_feedback",
            "padding_modes",
            *flags,
            f"--Exchange.cache={home / '.cache'}",
            f"--student={name}",
            cwd=home,
            env=env,
        )
        (page,) = (home / "padding_modes" / "feedback").glob("*/padding_modes.html")
        text = page.read_text()
        assert f"Score: {totals[name]} / 18.0" in text
        assert "HIDDEN TESTS" not in text


# --- what the instructor reads while grading an honest class (slow) -----------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_an_honest_class_grades_without_checksum_warnings(graded, assignment):
    """Unchanged test cells (correct, blank and wrong answers alike: every fake submission, graded by stock
    `nbgrader autograde` in ``graded``) are not reported as changed: an instructor reads
    "Attribute 'checksum' ... has changed!" as tampering.

    (nbgrader's own `SAWarning: Object of type <SubmittedAssignment> not in session` is not checked
    here: it comes from nbgrader.api.Gradebook.add_submission under SQLAlchemy 2 and is still open.)"""
    log = (graded / f"autograde-{assignment}.log").read_text(encoding="utf-8")
    graded_students = {s.student for s in SUBMISSIONS[assignment]}
    assert {"correct", "blank"} <= graded_students and all(f"student with ID '{s}'" in log for s in graded_students), (
        log[-3000:]
    )
    assert "has changed" not in log, log[-3000:]


@pytest.mark.slow
def test_a_changed_test_cell_is_still_reported(tmp_path, env):
    """The fix compares a submitted test cell with what was released: a cell the student edited still
    gets nbgrader's warning, and is graded with the instructor's tests."""
    course = fakes.make_course(tmp_path / "course")
    fakes.nbgrader("generate_assignment", "padding_modes", cwd=course, env=env)
    correct = next(s for s in SUBMISSIONS["padding_modes"] if s.student == "correct")
    path = correct.write(course)
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_pad_reflect_hidden")
    cell.source += "\n# the student was here"
    nbformat.write(nb, path)
    done = fakes.nbgrader("autograde", "padding_modes", cwd=course, env=env)
    log = done.stdout + done.stderr
    assert log.count("has changed") == 1 and "test_pad_reflect_hidden" in log, log[-3000:]


# --- what the student sees in the notebook (slow: runs a kernel) ---------------------------------------


def _execute(nb, tmp_path):
    """Run ``nb`` as JupyterLab's Run All would (nbclient honours the `raises-exception` tag the same way)."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=fakes.nbgrader_env(tmp_path))
    return nb


def _outputs(nb, grade_id):
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return cell.outputs


@pytest.mark.slow
def test_student_notebook_shows_one_block_per_failure_and_a_tick_per_pass(tmp_path):
    wrong = next(s for s in SUBMISSIONS["padding_modes"] if s.student == "wrong_reflect")
    nb = _execute(wrong.notebook(), tmp_path)
    (error,) = [o for o in _outputs(nb, "test_pad_reflect_visible") if o.output_type == "error"]
    shown = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(error.traceback))
    assert shown.startswith(
        "AssertionError: pad_reflect(x, pad=2) returned the wrong values; first difference at index"
    ), shown
    assert "expected (shape (7,)" in shown and "you returned (shape (7,)" in shown, shown
    for internal in ("Traceback", "File ", "grading.py", "skipping hidden", "raise "):
        assert internal not in shown, (internal, shown)
    for part in ("pad_constant", "pad_symmetric", "pad_replicate", "pad_circular", "pad_causal"):
        printed = "".join(o.get("text", "") for o in _outputs(nb, f"test_{part}_visible") if o.output_type == "stream")
        assert printed == f"✓ {part}: the visible tests pass (the hidden tests run when your work is graded)\n", (
            part,
            printed,
        )
    assert not [o for o in _outputs(nb, "test_pad_reflect_visible") if o.output_type == "stream"]
    # Above the message, the same comparison as a picture (expected | returned, differing cells marked).
    kinds = [o.output_type for o in _outputs(nb, "test_pad_reflect_visible")]
    assert kinds == ["display_data", "error"], kinds
    picture = _outputs(nb, "test_pad_reflect_visible")[0]
    assert set(picture.data) == {"image/png", "text/plain"}
    import base64

    assert base64.b64decode(picture.data["image/png"]).startswith(b"\x89PNG")
    assert picture.data["text/plain"] == "[picture: expected and returned side by side, differing cells marked]"
    for part in ("pad_constant", "pad_symmetric"):  # passing tests draw nothing
        assert [o.output_type for o in _outputs(nb, f"test_{part}_visible")] == ["stream"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_cell_lets_run_all_go_on(assignment):
    """Every test cell carries the `raises-exception` tag in the student version (JupyterLab's Run All
    then goes past a failing test), and every visible test cell ends with its confirmation."""
    for cell in fakes.read("release", assignment).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("test_"):
            assert "raises-exception" in cell.metadata.get("tags", []), grade_id
        if grade_id.endswith("_visible"):
            assert cell.source.rstrip().splitlines()[-1].startswith("grading.passed("), grade_id


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_run_all_on_the_blank_notebook_checks_every_part(tmp_path, assignment):
    """Run All on the blank student version does not stop at the first failure: every test cell runs and fails."""
    nb = _execute(fakes.read("release", assignment), tmp_path)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_")]
    assert tests and all(c.execution_count for c in nb.cells if c.cell_type == "code")
    assert all(any(o.output_type == "error" for o in c.outputs) for c in tests)


# --- a class with a roster (slow) ------------------------------------------------------------------------


@pytest.mark.slow
def test_roster_gives_names_and_every_student_a_row_in_the_export(tmp_path, env):
    """`nbgrader db student import roster.csv` (autograder/roster.example.csv's format): students carry their
    names (formgrader shows them, not "None, None"), and `nbgrader export` has a row for every student of the
    roster, 0 points for one who submitted nothing, so an upload to the LMS loses nobody."""
    course = fakes.make_course(tmp_path / "course")
    with open(COURSE / "roster.example.csv", newline="") as fh:
        roster = {r["id"]: r for r in csv.DictReader(fh)}
    assert len(roster) >= 3
    fakes.nbgrader("db", "student", "import", str(COURSE / "roster.example.csv"), cwd=course, env=env)
    fakes.nbgrader("generate_assignment", "padding_modes", cwd=course, env=env)
    by_name = {s.student: s for s in fakes.PADDING_MODES}
    first, second, absent = sorted(roster)[:3]
    for student, fake in ((first, by_name["correct"]), (second, by_name["wrong_reflect"])):
        path = course / "submitted" / student / "padding_modes" / "padding_modes.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(fake.notebook(), path)
    fakes.nbgrader("autograde", "padding_modes", cwd=course, env=env)
    listed = fakes.nbgrader("db", "student", "list", cwd=course, env=env).stdout
    assert "None, None" not in listed, listed
    fakes.nbgrader("export", "--to", "grades.csv", cwd=course, env=env)
    with open(course / "grades.csv", newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert set(rows) == set(roster)
    for student, row in rows.items():
        assert (row["first_name"], row["last_name"]) == (roster[student]["first_name"], roster[student]["last_name"])
    assert {s: float(r["score"]) for s, r in rows.items()} == {
        first: 18.0,
        second: 15.0,
        absent: 0.0,
        **{s: 0.0 for s in set(roster) - {first, second, absent}},
    }
    assert rows[absent]["timestamp"] in ("", "None")  # no submission: nothing graded, still listed
