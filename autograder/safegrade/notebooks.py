"""Reading notebooks and their nbgrader cell roles: the one place that does it.

The instructor's notebooks are trusted and asked through ``nbgrader.utils``
(``is_grade``, ``is_solution``, ``is_locked``). A student's notebook is not:
its metadata may be anything, so :func:`meta` returns a dict whatever it holds,
and :func:`read_notebook` refuses oversized or broken files with a reason.
"""

from __future__ import annotations

from pathlib import Path

MAX_NOTEBOOK_BYTES = 20 << 20


def meta(cell) -> dict:
    """A cell's nbgrader metadata, ``{}`` if missing or not a dict (student notebooks can hold anything)."""
    metadata = cell.get("metadata", {}) if isinstance(cell, dict) else {}
    found = metadata.get("nbgrader", {}) if isinstance(metadata, dict) else {}
    return found if isinstance(found, dict) else {}


def test_cell_ids(source_nb) -> list[str]:
    """Grade ids of the autograder test cells (graded, not an answer) of the instructor's notebook, in order."""
    from nbgrader.utils import is_grade, is_solution

    return [
        meta(c)["grade_id"] for c in source_nb.cells if c.cell_type == "code" and is_grade(c) and not is_solution(c)
    ]


def locked_cell_ids(source_nb) -> set[str]:
    """Grade ids of the instructor's read-only cells."""
    from nbgrader.utils import is_locked

    return {meta(c)["grade_id"] for c in source_nb.cells if is_locked(c) and meta(c).get("grade_id")}


def points(source_nb) -> dict[str, float]:
    """Test cell grade id -> its points."""
    tests = set(test_cell_ids(source_nb))
    return {
        meta(c)["grade_id"]: float(meta(c).get("points", 0))
        for c in source_nb.cells
        if meta(c).get("grade_id") in tests
    }


def source_text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def read_notebook(path: Path):
    """The notebook at ``path``, or raise ValueError with a reason a person can act on."""
    import nbformat

    if path.is_symlink() or not path.is_file():
        raise ValueError(f"missing notebook {path.name}")
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise ValueError(f"notebook {path.name} is larger than {MAX_NOTEBOOK_BYTES >> 20} MB")
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as e:  # nbformat raises several types for broken JSON
        raise ValueError(f"notebook {path.name} is not valid notebook JSON ({type(e).__name__})") from None
