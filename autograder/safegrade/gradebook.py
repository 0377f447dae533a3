"""Reconciliation with nbgrader's gradebook: the lower of nbgrader's score and the verifier's, a person's score kept.

For each graded part the final score is the lower of nbgrader's score and
the verifier's verdict (full points or 0), every disagreement flagged with
its reason. It is written to the gradebook as the part's ``manual_score`` so
that ``nbgrader export`` and ``generate_feedback`` show it, unless a person
set a manual score there (kept and flagged for review): scores this command
wrote are told from a person's by a ledger of what it wrote. The flags, final once the
scores are settled, go to the record ``nbgrader export`` reads (:mod:`safegrade.flags`).
"""

from __future__ import annotations

import json

from . import flags
from .course import Course
from .report import Outcome


def reconcile(course: Course, outcomes: list[Outcome]) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    # Scores this command wrote before. A manual score that is not one of them was set by a
    # person (formgrader): like `nbgrader autograde`, keep it and ask for a review, never overwrite.
    ledger_path = course.root / "safegrade_logs" / course.assignment / "written_scores.json"
    ledger = json.loads(ledger_path.read_text()) if ledger_path.exists() else {}
    with Gradebook(course.db_url) as gb:
        for o in outcomes:
            for p in o.parts:
                grade = None
                if o.nbgrader_ok:
                    try:
                        grade = gb.find_grade(p.grade_id, p.notebook[:-6], course.assignment, o.student)
                        p.nbgrader = float(grade.auto_score) if grade.auto_score is not None else 0.0
                    except MissingEntry:
                        p.nbgrader = None
                verified = p.verifier is None
                if p.nbgrader is None:
                    p.final = p.max_points if verified else 0.0
                else:
                    p.final = min(p.nbgrader, p.max_points if verified else 0.0)
                if p.nbgrader is not None and p.nbgrader > p.final:
                    o.flags.append(
                        f"{p.grade_id}: nbgrader gave {p.nbgrader:g}/{p.max_points:g}, verifier says 0 ({p.verifier})"
                    )
                elif p.nbgrader is not None and verified and p.nbgrader < p.max_points:
                    o.flags.append(
                        f"{p.grade_id}: verifier passed but nbgrader gave {p.nbgrader:g}/{p.max_points:g}; kept the lower"
                    )
                if grade is None:
                    continue
                key = f"{o.student}/{p.notebook}/{p.grade_id}"
                person = grade.manual_score is not None and grade.manual_score != ledger.get(key)
                if person:
                    o.flags.append(
                        f"{p.grade_id}: kept the manual score {grade.manual_score:g} a grader set "
                        f"(safegrade computed {p.final:g}); marked for review"
                    )
                    p.final = float(grade.manual_score)
                    grade.needs_manual_grade = True
                else:
                    grade.manual_score = p.final
                    grade.needs_manual_grade = False
                    ledger[key] = p.final
            o.score = sum(p.final for p in o.parts)
        gb.db.commit()
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    ledger_path.write_text(json.dumps(ledger, indent=1, sort_keys=True))
    flags.record(course.root, course.assignment, {o.student: o.flags for o in outcomes})
