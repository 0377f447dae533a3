"""``safegrade validate``: nbgrader's validation of a student's notebook, summed up per graded part, exit status.

``nbgrader validate`` prints every failing cell with its source and full
traceback (hundreds of lines on a blank notebook) and exits 0 either way.
This runs the same validation (nbgrader's own :class:`~nbgrader.validator.Validator`:
metadata check, outputs cleared, every cell executed) and reports one line
per graded part: ``passed``, ``failed`` with the first line of its error, or
``not run``; the points the part would get if its visible tests were all the
tests; and a total. A graded part is the test cells of one function, named
``test_<part>_visible`` / ``test_<part>_hidden`` (autograder/README.md).

Exit status (:func:`main` of :mod:`safegrade.cli`): 0 when every part of every
notebook passes, 1 when one fails or did not run, 2 for bad arguments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


class NotANotebook(ValueError):
    """An argument that is not a notebook this command can validate; the message names it."""


@dataclass
class PartResult:
    part: str
    status: str = "passed"  # passed | failed | not run
    reason: str = ""
    points: float = 0.0
    max_points: float = 0.0


@dataclass
class NotebookResult:
    path: Path
    parts: list[PartResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # not tied to a part: edited locked cells, a dead kernel

    @property
    def passed(self) -> bool:
        return not self.problems and all(p.status == "passed" for p in self.parts)

    def lines(self) -> list[str]:
        width = max([4] + [len(p.part) for p in self.parts])
        out = [f"{self.path}:"]
        for p in self.parts:
            reason = f": {p.reason}" if p.reason else ""
            out.append(f"  {p.part:<{width}}  {p.status:<7}  {p.points:g}/{p.max_points:g}{reason}")
        out += [f"  problem: {problem}" for problem in self.problems]
        got = sum(p.points for p in self.parts)
        total = sum(p.max_points for p in self.parts)
        n_passed = sum(p.status == "passed" for p in self.parts)
        out.append(
            f"  total: {got:g}/{total:g} points if the visible tests were all the tests "
            f"({n_passed} of {len(self.parts)} parts pass)"
        )
        return out


def check_argument(name: str) -> Path:
    """``name`` as a path to a readable notebook, or :class:`NotANotebook` saying what is wrong with it."""
    path = Path(name)
    if not path.exists():
        raise NotANotebook(f"no such file: {name!r} (argument NOTEBOOK)")
    if not path.is_file():
        raise NotANotebook(f"{name!r} is not a file (argument NOTEBOOK; expected a .ipynb notebook)")
    if path.suffix != ".ipynb":
        raise NotANotebook(f"{name!r} is not a notebook (argument NOTEBOOK; expected a file ending in .ipynb)")
    import nbformat  # here, after the checks that need no library: bad arguments are reported at once
    from nbgrader import utils  # (importing nbgrader takes seconds)

    try:
        nb = nbformat.read(str(path), as_version=4)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, nbformat.reader.NotJSONError) as e:
        raise NotANotebook(f"{name!r} is not a notebook (argument NOTEBOOK): {e}") from None
    if not any(utils.is_grade(c) for c in nb.cells):
        raise NotANotebook(f"{name!r} has no graded test cells (argument NOTEBOOK; expected an assignment notebook)")
    return path


def validate(paths: list[Path], *, timeout: int | None = None) -> list[NotebookResult]:
    """Validate each notebook (already checked with :func:`check_argument`)."""
    from traitlets.config import Config

    from .part_validator import PartValidator

    config = Config()
    if timeout is not None:
        config.Execute.timeout = timeout
    validator = PartValidator(config=config)
    return [validator.summarize(p) for p in paths]
