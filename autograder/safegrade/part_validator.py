"""nbgrader's Validator reporting per graded part, for ``safegrade validate`` (:mod:`safegrade.validate`).

Kept apart from the command so that its argument checks run without importing nbgrader.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbgrader import utils
from nbgrader.validator import Validator

from .validate import NotebookResult, PartResult

_PART = re.compile(r"^test_(?P<part>.+?)(?:_visible|_hidden)$")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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
