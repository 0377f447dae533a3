"""Support shared by the test suite and the benchmarks: temporary course directories and correct submissions.

Like nbgrader's own tests, nothing depends on the developer's files: every
test builds a fresh course directory from this course's ``nbgrader_config.py``
and ``source/``, runs the real ``nbgrader`` (:mod:`safegrade.nbgrader_cli`) and
reads the gradebook. ``COURSE`` is the course directory this package ships in
(``autograder/``, an editable install's checkout).
"""

from __future__ import annotations

import atexit
import copy
import re
import shutil
import tempfile
from pathlib import Path

import nbformat

from . import nbgrader_cli
from .notebooks import meta

COURSE = Path(__file__).resolve().parents[1]
# Every folder source/NAME holding its percent source NAME.py is an assignment (coursetools.release builds them).
ASSIGNMENTS = tuple(sorted(p.name for p in (COURSE / "source").iterdir() if (p / f"{p.name}.py").is_file()))
SOLUTION = re.compile(r"[ \t]*### BEGIN SOLUTION\n(.*?)[ \t]*### END SOLUTION\n?", re.S)

nbgrader_env = nbgrader_cli.environment


def nbgrader(*args: str, cwd: Path, env: dict[str, str] | None = None, check: bool = True):
    """The real nbgrader CLI; on failure an AssertionError with its output (a failed test, not a crash)."""
    try:
        return nbgrader_cli.run(*args, cwd=cwd, env=env, check=check)
    except RuntimeError as e:
        raise AssertionError(str(e)) from None


def find_postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl), or None: Debian keeps them off PATH.
    The same search as dev.py's, which installs the package (dev.py runs before this package is installed)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def make_course(
    path: Path, *, assignments=ASSIGNMENTS, transform=None, generate: bool = False, env: dict[str, str] | None = None
) -> Path:
    """A fresh course directory at ``path``: the course's config and ``source/`` of ``assignments``.

    ``transform(nb)`` is applied to every source notebook; with ``generate``,
    ``nbgrader generate_assignment`` has run for each assignment (release/ and gradebook.db exist).
    Without a ``transform`` that run happens once per process and set of assignments, and each
    course is a copy of its output (generating costs seconds of CPU, copying milliseconds).
    """
    path = Path(path)
    if generate and transform is None:
        key = tuple(assignments)
        if key not in _GENERATED:
            base = Path(tempfile.mkdtemp(prefix="safegrade-generated-"))
            atexit.register(shutil.rmtree, base, True)
            _GENERATED[key] = _build(base / "course", key, None, generate=True, env=env)
        shutil.copytree(_GENERATED[key], path, symlinks=True, dirs_exist_ok=True)
        return path
    return _build(path, assignments, transform, generate=generate, env=env)


_GENERATED: dict[tuple[str, ...], Path] = {}  # assignments -> a generated course, in this process


def _build(path: Path, assignments, transform, *, generate: bool, env: dict[str, str] | None) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    shutil.copy(COURSE / "nbgrader_config.py", path)
    for assignment in assignments:
        shutil.copytree(COURSE / "source" / assignment, path / "source" / assignment)
    if transform is not None:
        for nb_path in (path / "source").rglob("*.ipynb"):
            nbformat.write(transform(nbformat.read(nb_path, as_version=4)), nb_path)
    if generate:
        for assignment in assignments:
            nbgrader("generate_assignment", assignment, "--force", cwd=path, env=env)
    return path


def correct_notebook(course: Path, assignment: str):
    """The released notebook of ``course`` with every answer cell replaced by the instructor's solution."""
    import nbformat

    source = nbformat.read(str(course / "source" / assignment / f"{assignment}.ipynb"), as_version=4)
    release = nbformat.read(str(course / "release" / assignment / f"{assignment}.ipynb"), as_version=4)
    answers = {
        meta(c)["grade_id"]: SOLUTION.sub(lambda m: m.group(1), c.source)
        for c in source.cells
        if meta(c).get("solution")
    }
    for cell in release.cells:
        if meta(cell).get("grade_id") in answers:
            cell.source = answers[meta(cell)["grade_id"]]
    return release


def without_tests(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with the body of every test cell replaced by ``pass`` (its docstring kept): nbgrader's floor."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            doc = cell.source.split("\n", 1)[0]
            cell.source = f"{doc}\npass"
    return nb
