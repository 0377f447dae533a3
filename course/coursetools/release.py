"""Generate the source notebooks from their percent files, then the student versions in release/, with nbgrader.

    python3 dev.py release           # source/NAME/NAME.py -> NAME.ipynb, then release/ (and the gradebook's tests)
    python3 dev.py release --check   # fail if a source notebook or release/ is stale (regenerated in a temporary directory)

(``python -m coursetools.release [--check]`` with the project's venv is the same.)

An assignment's one source is ``source/NAME/NAME.py`` in jupytext's percent
format: ``# %%`` starts a code cell, ``# %% [markdown]`` a markdown cell, and the
header carries the cell's nbgrader metadata and tags as jupytext writes them,
``# %% nbgrader={"grade": true, "grade_id": "test_x_visible", ...} tags=["raises-exception"]``.
A cell's id is its nbgrader grade id, or the header's ``id="..."`` (markdown cells): the
percent reader is :func:`coursetools.notebooks.from_percent` with ``ids="header"``.
Run this after every edit and commit ``NAME.ipynb`` and release/ with it. Neither
is edited by hand: ``nbgrader generate_assignment ASSIGNMENT --force`` runs once
per assignment, which removes the solutions and hidden tests, clears outputs,
locks the read-only cells and records every test (hidden ones included) in
gradebook.db for autograding.
"""

from __future__ import annotations

import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

from safegrade import nbgrader_cli
from safegrade.testing import ASSIGNMENTS

from .notebooks import from_percent, render

HERE = Path(__file__).resolve().parents[2] / "autograder"  # the nbgrader course directory, in the checkout


def notebook_text(percent: Path) -> str:
    """What ``percent`` (``NAME.py``) makes ``NAME.ipynb`` hold, exactly (nbformat's JSON and a final newline)."""
    return render(from_percent(percent.read_text(encoding="utf-8"), ids="header", name=str(percent)))


def write_sources(course: Path) -> None:
    """``source/NAME/NAME.ipynb`` of every assignment, from its ``NAME.py``."""
    for assignment in ASSIGNMENTS:
        folder = course / "source" / assignment
        (folder / f"{assignment}.ipynb").write_text(notebook_text(folder / f"{assignment}.py"), encoding="utf-8")


def stale_sources(course: Path = HERE) -> list[str]:
    """The source notebooks (``NAME/NAME.ipynb``) that differ from what their percent file gives."""
    stale = []
    for assignment in ASSIGNMENTS:
        folder = course / "source" / assignment
        notebook = folder / f"{assignment}.ipynb"
        if not notebook.is_file() or notebook.read_text(encoding="utf-8") != notebook_text(folder / f"{assignment}.py"):
            stale.append(f"{assignment}/{assignment}.ipynb")
    return stale


def nbgrader(*args: str, cwd: Path) -> None:
    """Run nbgrader (the one next to this Python); stop with its output if it fails."""
    try:
        nbgrader_cli.run(*args, cwd=cwd)
    except RuntimeError as e:
        sys.exit(str(e))


def generate(course: Path) -> None:
    """``nbgrader generate_assignment`` for every assignment of the course directory ``course``."""
    for assignment in ASSIGNMENTS:
        nbgrader("generate_assignment", assignment, "--force", cwd=course)


def stale_files(course: Path = HERE) -> list[str]:
    """Files of ``course``/release that differ from a fresh generation (missing and extra files included)."""
    with tempfile.TemporaryDirectory(prefix="padlib-release-") as tmp:
        fresh = Path(tmp)
        shutil.copy(course / "nbgrader_config.py", fresh)
        shutil.copytree(course / "source", fresh / "source")
        write_sources(fresh)
        generate(fresh)
        committed, regenerated = _files(course / "release"), _files(fresh / "release")
        stale = sorted(committed ^ regenerated)
        stale += sorted(
            f
            for f in committed & regenerated
            if not filecmp.cmp(course / "release" / f, fresh / "release" / f, shallow=False)
        )
        return stale


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.is_dir() else set()


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        stale = stale_sources()
        if stale:
            print("source/ notebooks are stale; run `python3 dev.py release` and commit them:")
            print("\n".join(f"  {f}" for f in stale))
            return 1
        stale = stale_files()
        if stale:
            print("release/ is stale; run `python3 dev.py release` and commit autograder/release/:")
            print("\n".join(f"  {f}" for f in stale))
            return 1
        print("release/ is up to date")
        return 0
    if argv:
        print(__doc__)
        return 2
    write_sources(HERE)
    generate(HERE)
    print(f"generated {', '.join(ASSIGNMENTS)} into {HERE / 'release'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
