"""`safegrade validate`: a student's notebook checked as `nbgrader validate` does, summed up per part, exit status."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from safegrade.testing import COURSE, correct_notebook

SAFEGRADE = str(Path(sys.executable).with_name("safegrade"))
PARTS = {
    "padding_modes": ["pad_constant", "pad_reflect", "pad_symmetric", "pad_replicate", "pad_circular", "pad_causal"],
    "shapes_and_stride": ["padding_valid", "padding_full", "padding_causal", "padding_same", "output_size", "conv2d"],
}
TOTAL = {"padding_modes": 18, "shapes_and_stride": 19}


def _validate(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([SAFEGRADE, "validate", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def _part_lines(stdout: str) -> dict[str, tuple[str, str]]:
    """{part: (status, points)} from the summary's part lines."""
    return {
        m["part"]: (m["status"], m["points"])
        for m in re.finditer(
            r"^  (?P<part>\w+) +(?P<status>passed|failed|not run) +(?P<points>\S+?)(?::|$)", stdout, re.M
        )
    }


def _validate_changed(tmp_path: Path, grade_id: str, appended: str) -> tuple[subprocess.CompletedProcess, dict]:
    """padding_modes solved, then ``appended`` to answer cell ``grade_id``, validated: exit 1, (result, part lines)."""
    nb = correct_notebook(COURSE, "padding_modes")
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    cell.source += appended
    nbformat.write(nb, tmp_path / "padding_modes.ipynb")
    done = _validate("padding_modes.ipynb", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    return done, _part_lines(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", list(PARTS))
def test_blank_release_fails_with_every_part_named(tmp_path, assignment):
    """The notebook as handed out: exit 1, every part failed with its first error line, 0 points, a short summary."""
    nb = tmp_path / f"{assignment}.ipynb"
    nb.write_bytes((COURSE / "release" / assignment / f"{assignment}.ipynb").read_bytes())
    done = _validate(nb.name, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    parts = _part_lines(done.stdout)
    assert list(parts) == PARTS[assignment], done.stdout
    assert all(status == "failed" and points.startswith("0/") for status, points in parts.values()), done.stdout
    assert "NotImplementedError: the function is not written yet" in done.stdout
    assert f"total: 0/{TOTAL[assignment]} points" in done.stdout
    assert len(done.stdout.splitlines()) == len(PARTS[assignment]) + 2  # name, a line per part, total


@pytest.mark.slow
@pytest.mark.parametrize("assignment", list(PARTS))
def test_solution_passes_with_full_points(tmp_path, assignment):
    nb = tmp_path / f"{assignment}.ipynb"
    nbformat.write(correct_notebook(COURSE, assignment), nb)
    done = _validate(str(nb), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    parts = _part_lines(done.stdout)
    assert list(parts) == PARTS[assignment]
    assert all(status == "passed" for status, _ in parts.values()), done.stdout
    assert f"total: {TOTAL[assignment]}/{TOTAL[assignment]} points" in done.stdout


@pytest.mark.slow
def test_one_wrong_part_fails_alone_with_the_checks_first_line(tmp_path):
    """pad_reflect returning its input unpadded: only that part fails, 15/18, its line is the check's first line."""
    done, parts = _validate_changed(tmp_path, "pad_reflect", "\n\ndef pad_reflect(x, pad):\n    return np.array(x)\n")
    assert parts["pad_reflect"] == ("failed", "0/3")
    assert all(s == "passed" for p, (s, _) in parts.items() if p != "pad_reflect"), done.stdout
    line = next(text for text in done.stdout.splitlines() if text.strip().startswith("pad_reflect"))
    assert re.search(r"0/3: AssertionError: pad_reflect\(.*\) returned", line), line
    assert "total: 15/18 points" in done.stdout


@pytest.mark.slow
def test_parts_after_a_dead_kernel_are_not_run(tmp_path):
    """The kernel killed (os._exit) in pad_symmetric's answer cell: the parts before it keep their verdict,
    the ones after are `not run` with the reason, and the exit status is 1."""
    done, parts = _validate_changed(tmp_path, "pad_symmetric", "\nimport os\nos._exit(1)\n")
    assert {p: s for p, (s, _) in parts.items()} == {
        "pad_constant": "passed",
        "pad_reflect": "passed",
        "pad_symmetric": "not run",
        "pad_replicate": "not run",
        "pad_circular": "not run",
        "pad_causal": "not run",
    }, done.stdout
    assert "not run  0/3: the notebook stopped before it (DeadKernelError" in done.stdout
    assert "total: 6/18 points" in done.stdout


def test_bad_arguments_exit_2_naming_the_argument(tmp_path):
    (tmp_path / "notes.txt").write_text("not a notebook\n")
    (tmp_path / "broken.ipynb").write_text("{ not json")
    (tmp_path / "folder.ipynb").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), tmp_path / "plain.ipynb")
    cases = {
        "missing.ipynb": "no such file: 'missing.ipynb' (argument NOTEBOOK)",
        "notes.txt": "'notes.txt' is not a notebook (argument NOTEBOOK; expected a file ending in .ipynb)",
        "broken.ipynb": "'broken.ipynb' is not a notebook (argument NOTEBOOK)",
        "folder.ipynb": "'folder.ipynb' is not a file (argument NOTEBOOK",
        "plain.ipynb": "'plain.ipynb' has no graded test cells (argument NOTEBOOK",
    }
    for name, message in cases.items():
        done = _validate(name, cwd=tmp_path)
        assert done.returncode == 2, (name, done.stdout, done.stderr)
        assert message in done.stderr, (name, done.stderr)
        assert done.stdout == ""
    done = _validate(cwd=tmp_path)  # no notebook at all: argparse's usage error
    assert done.returncode == 2 and "NOTEBOOK" in done.stderr
