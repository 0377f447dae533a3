"""The gradebook, written by the coordinating process only: nbgrader's records of each task, then reconciliation.

:func:`assignment_record` reads the assignment's rows (notebooks, grade,
solution, task and source cells, due date) that ``nbgrader generate_assignment``
recorded: the grading tasks rebuild a private gradebook from them
(:func:`safegrade.worker.build_gradebook`).

:func:`store` writes a batch of task results in one transaction of one open
:class:`~nbgrader.api.Gradebook`: first what nbgrader's autograde recorded in the
task's private gradebook (the submission and its timestamp, per-cell auto
scores, comments, late penalty: what ``nbgrader autograde`` itself writes), then
the reconciliation. For each graded part the final score is the lower of
nbgrader's score and the verifier's verdict (full points or 0), every
disagreement flagged with its reason. It is written as the part's
``manual_score`` so that ``nbgrader export`` and ``generate_feedback`` show it,
unless a person set a manual score there (kept and flagged for review): scores
this command wrote are told from a person's by a ledger of what it wrote
(``written_scores.json``). The flags, final once the scores are settled, go to
the record ``nbgrader export`` reads (:mod:`safegrade.flags`).
"""

from __future__ import annotations

import datetime
import json
import os
import tempfile
import warnings
from pathlib import Path

from . import flags
from .course import Course
from .report import Outcome

CELL_KINDS = {
    "grade": ("grade_cells", ("max_score", "cell_type")),
    "solution": ("solution_cells", ()),
    "task": ("task_cells", ("max_score", "cell_type")),
    "source": ("source_cells", ("cell_type", "locked", "source", "checksum")),
}


def assignment_record(gb, assignment: str) -> dict:
    """The assignment's rows in the gradebook as plain data."""
    a = gb.find_assignment(assignment)
    return {
        "name": a.name,
        "course_id": a.course_id,
        "duedate": a.duedate,
        "notebooks": [
            {
                "name": nb.name,
                "cells": {
                    kind: [{"name": c.name, **{f: getattr(c, f) for f in fields}} for c in getattr(nb, attr)]
                    for kind, (attr, fields) in CELL_KINDS.items()
                },
            }
            for nb in a.notebooks
        ],
    }


def _store_recorded(gb, assignment: str, student: str, recorded: dict) -> None:
    """What nbgrader's autograde wrote for ``student`` in the task's gradebook, written to this one."""
    gb.update_or_create_student(student)
    if not recorded:
        return
    stamp = recorded.get("timestamp")
    kwargs = {"timestamp": datetime.datetime.fromisoformat(stamp)} if stamp else {}
    _create_submission(gb, assignment, student, **kwargs)
    for nb_name, nb in recorded["notebooks"].items():
        submitted = gb.find_submission_notebook(nb_name, assignment, student)
        submitted.late_submission_penalty = nb["late_submission_penalty"]
        for grade in submitted.grades:
            if grade.name in nb["grades"]:
                grade.auto_score = nb["grades"][grade.name]
                # as nbgrader's SaveAutoGrades: a manual score, or no auto score, needs a look
                grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        for comment in submitted.comments:
            if comment.name in nb["comments"]:
                comment.auto_comment = nb["comments"][comment.name]


def _create_submission(gb, assignment: str, student: str, **kwargs) -> None:
    """nbgrader's update_or_create_submission (a grade row for every graded cell), without its harmless
    autoflush warning (see autograder/README.md)."""
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not in session, add operation along", category=SAWarning)
        gb.update_or_create_submission(assignment, student, **kwargs)


def _grade_row(gb, assignment: str, student: str, grade_id: str, notebook: str, *, create: bool):
    """The gradebook's row of ``grade_id`` for a student nbgrader could not grade. With ``create`` (the verifier
    alone gave the part points), made with the submission if nbgrader recorded none, so that `nbgrader export`
    shows the score safegrade gave; a student who earned nothing keeps no submission, as with stock nbgrader."""
    from nbgrader.api import MissingEntry

    try:
        return gb.find_grade(grade_id, notebook, assignment, student)
    except MissingEntry:
        if not create:
            return None
    _create_submission(gb, assignment, student)
    return gb.find_grade(grade_id, notebook, assignment, student)


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def store(course: Course, gb, results: list[dict]) -> None:
    """Write ``results`` (task results: outcome, recorded) to the open gradebook ``gb``, reconciled; one commit."""
    from nbgrader.api import MissingEntry

    # Scores this command wrote before. A manual score that is not one of them was set by a
    # person (formgrader): like `nbgrader autograde`, keep it and ask for a review, never overwrite.
    ledger_path = course.root / "safegrade_logs" / course.assignment / "written_scores.json"
    ledger = json.loads(ledger_path.read_text()) if ledger_path.exists() else {}
    outcomes: list[Outcome] = []
    for result in results:
        o: Outcome = result["outcome"]
        outcomes.append(o)
        graded = result.get("recorded") is not None and result.get("graded", True)
        if graded:
            _store_recorded(gb, course.assignment, o.student, result["recorded"])
        for p in o.parts:
            grade = None
            if o.nbgrader_ok:
                try:
                    grade = gb.find_grade(p.grade_id, p.notebook[:-6], course.assignment, o.student)
                    p.nbgrader = float(grade.auto_score) if grade.auto_score is not None else 0.0
                except MissingEntry:
                    p.nbgrader = None
            elif graded:  # nbgrader could not grade (a cell timed out, a kernel died...): the verifier's score
                earned = p.verifier is None and p.max_points > 0
                grade = _grade_row(gb, course.assignment, o.student, p.grade_id, p.notebook[:-6], create=earned)
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
    _write_json(ledger_path, ledger)
    flags.record(course.root, course.assignment, {o.student: o.flags for o in outcomes})
