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
import re
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader import utils
from nbgrader.validator import Validator

_PART = re.compile(r"^test_(?P<part>.+?)(?:_visible|_hidden)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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
    try:
        import nbformat

        nb = nbformat.read(str(path), as_version=4)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, nbformat.reader.NotJSONError) as e:
        raise NotANotebook(f"{name!r} is not a notebook (argument NOTEBOOK): {e}") from None
    if not any(utils.is_grade(c) for c in nb.cells):
        raise NotANotebook(f"{name!r} has no graded test cells (argument NOTEBOOK; expected an assignment notebook)")
    return path


def _part_of(grade_id: str) -> str:
    m = _PART.match(grade_id)
    return m.group("part") if m else grade_id


def _first_line(cell) -> str:
    """The first line of what made a graded cell fail: its error (``Name: message``), else its stderr."""
    for output in cell.outputs:
        if output.output_type == "error":
            value = _ANSI.sub("", str(output.get("evalue", ""))).strip()
            name = output.get("ename", "Error")
            if name == "NotImplementedError" and not value:
                return "NotImplementedError: the function is not written yet"
            return f"{name}: {value.splitlines()[0]}" if value else name
    for output in cell.outputs:
        if output.output_type == "stream" and output.name == "stderr":
            lines = [line.strip() for line in _ANSI.sub("", output.text).splitlines() if line.strip()]
            return f"printed to stderr: {lines[0]}" if lines else "printed to stderr"
    return "partial credit: some of its tests failed"


class PartValidator(Validator):
    """nbgrader's Validator, reporting per graded part instead of printing every failing cell."""

    def summarize(self, path: Path) -> NotebookResult:
        import nbformat

        result = NotebookResult(path)
        with utils.chdir(str(path.parent)):
            nb = nbformat.read(path.name, as_version=nbformat.current_nbformat)
        type_changed = {c.metadata.nbgrader.get("grade_id") for c in self._get_type_changed_cells(nb)}
        error = None
        if not type_changed:
            try:
                with utils.chdir(str(path.parent)):
                    nb = self._preprocess(nb)
            except Exception as e:  # the kernel died or would not start: the cells after it did not run
                # (nbgrader's preprocessors work on ``nb`` in place: the cells that ran keep their outputs)
                message = str(e).strip().splitlines()
                error = f"{type(e).__name__}: {message[0]}" if message else type(e).__name__
                result.problems.append(f"the notebook stopped running ({error})")
        parts: dict[str, PartResult] = {}
        for cell in nb.cells:
            if not utils.is_grade(cell):
                continue
            gid = cell.metadata.nbgrader["grade_id"]
            part = parts.setdefault(_part_of(gid), PartResult(_part_of(gid)))
            score, max_points = utils.determine_grade(cell, self.log)
            part.max_points += max_points
            if part.status != "passed":
                continue  # the part's first problem is the one shown
            if gid in type_changed:
                part.status, part.reason = "failed", f"cell {gid} changed type (restore it from the release)"
            elif cell.cell_type == "code" and cell.get("execution_count") is None:
                part.status = "not run"
                part.reason = f"the notebook stopped before it ({error})" if error else "it did not run"
            elif score is None:
                continue  # not auto-graded (a written answer): no verdict here
            elif score < max_points:
                part.status, part.reason = "failed", _first_line(cell)
        for part in parts.values():
            if part.status == "passed":
                part.points = part.max_points
        result.parts = list(parts.values())
        if not type_changed and not self.ignore_checksums:
            for cell in self._get_changed_cells(nb):
                gid = cell.metadata.nbgrader.get("grade_id", "?")
                result.problems.append(f"locked cell {gid} was edited: it is graded with the original text")
        return result


def validate(paths: list[Path], *, timeout: int | None = None) -> list[NotebookResult]:
    """Validate each notebook (already checked with :func:`check_argument`)."""
    from traitlets.config import Config

    config = Config()
    if timeout is not None:
        config.Execute.timeout = timeout
    validator = PartValidator(config=config)
    return [validator.summarize(p) for p in paths]
