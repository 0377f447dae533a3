"""``nbgrader export`` with a ``flags`` column: every roster student, 0 for no submission, and why.

An nbgrader export plugin (``c.ExportApp.plugin_class`` in the course's ``nbgrader_config.py``;
elsewhere ``nbgrader export --exporter=safegrade.export.FlaggedCsvExport``). Its rows and columns
are nbgrader's own :class:`~nbgrader.plugins.CsvExportPlugin`'s (one per student of the gradebook
and assignment, 0 and an empty timestamp for a student who submitted nothing), written as proper
CSV (quoted where a name or a flag holds a comma), plus ``flags``: what the class grader recorded
for that student (:mod:`safegrade.flags`: a missing, empty or refused submission, a verifier
disagreement...), joined with `` | ``. Empty when there is nothing to flag, or when the class grader
never graded that assignment; ``not graded by safegrade`` for a student it has not seen.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import CsvExportPlugin

from . import flags

KEYS = [
    "assignment",
    "duedate",
    "timestamp",
    "student_id",
    "last_name",
    "first_name",
    "email",
    "raw_score",
    "late_submission_penalty",
    "score",
    "max_score",
]
NOT_GRADED = "not graded by safegrade"


class FlaggedCsvExport(CsvExportPlugin):
    """nbgrader's CSV export plus a ``flags`` column from the class grader's record."""

    def _course_root(self) -> Path:
        coursedir = getattr(self.parent, "coursedir", None)
        return Path(coursedir.root) if coursedir is not None else Path.cwd()

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "grades.csv"
        students = [str(s) for s in self.student]
        assignments = [str(a) for a in self.assignment]
        root = self._course_root()
        self.log.info("Exporting grades with safegrade's flags to %s", dest)
        with open(dest, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow([*KEYS, "flags"])
            for assignment in gradebook.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                recorded = flags.load(root, assignment.name)
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    row = {
                        "assignment": assignment.name,
                        "duedate": assignment.duedate,
                        "student_id": student.id,
                        "last_name": student.last_name,
                        "first_name": student.first_name,
                        "email": student.email,
                        "max_score": assignment.max_score,
                    }
                    try:
                        submission = gradebook.find_submission(assignment.name, student.id)
                    except MissingEntry:
                        row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0)
                    else:
                        penalty = submission.late_submission_penalty
                        row.update(
                            timestamp=submission.timestamp,
                            raw_score=submission.score,
                            late_submission_penalty=penalty,
                            score=max(0.0, submission.score - penalty),
                        )
                    if recorded is None:
                        row["flags"] = ""
                    elif student.id not in recorded:
                        row["flags"] = NOT_GRADED
                    else:
                        row["flags"] = " | ".join(recorded[student.id])
                    out.writerow(["" if row[k] is None else str(row[k]) for k in [*KEYS, "flags"]])
