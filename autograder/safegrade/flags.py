"""The flags the class grader settled for each student, kept per assignment: ``safegrade_logs/ASSIGNMENT/flags.json``.

This is the durable record that ``nbgrader export`` reads (:mod:`safegrade.export`):

- not the summary CSV ``safegrade_ASSIGNMENT.csv``: that is the report of one run, rewritten
  whole each time (a ``--student`` regrade leaves only those students in it) and movable with ``--csv``;
- not the gradebook: a student who handed in nothing has no submission there, so no place for a
  comment, and cell comments are shown to students in their feedback.

Each run merges its students into the record (the others keep theirs), written atomically next to
the ledger of scores (:mod:`safegrade.gradebook`).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def path(course_root: Path, assignment: str) -> Path:
    return Path(course_root) / "safegrade_logs" / assignment / "flags.json"


def load(course_root: Path, assignment: str) -> dict[str, list[str]] | None:
    """{student: flags} as last graded, or None if the class grader never graded ``assignment`` here."""
    p = path(course_root, assignment)
    if not p.is_file():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def record(course_root: Path, assignment: str, flags: dict[str, list[str]]) -> None:
    """Merge ``flags`` (this run's students) into the record."""
    p = path(course_root, assignment)
    p.parent.mkdir(parents=True, exist_ok=True)
    merged = (load(course_root, assignment) or {}) | {s: list(f) for s, f in flags.items()}
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=".flags-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=1, sort_keys=True, ensure_ascii=False)
    os.replace(tmp, p)
