"""`nbgrader export` with the class grader's flags: every roster student has a row, 0 and the reason for a
missing, empty or refused submission (safegrade.export, configured in autograder/nbgrader_config.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hostile.corpus import ASSIGNMENT, FULL, make_course, write_submission
from safegrade import testing
from safegrade.runner import grade_class
from safegrade.sandbox import check_available

ROSTER = testing.COURSE / "roster.example.csv"


def _export(course: Path, env, *extra: str) -> dict[str, dict[str, str]]:
    testing.nbgrader("export", "--to", "grades.csv", *extra, cwd=course, env=env)
    with open(course / "grades.csv", newline="", encoding="utf-8") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


@pytest.mark.slow
def test_every_roster_student_is_exported_with_the_class_graders_flags(grading, tmp_path):
    """alice correct, bob an empty folder, carol nothing at all, dave a submission folder that is a link
    (refused): four rows, the last three with 0 and their flag; nbgrader's own columns unchanged; a later
    regrade of alice alone keeps the others' flags; a student added after grading is marked as not graded."""
    try:
        check_available()
    except Exception as e:  # fail, never skip: the capability is required
        pytest.fail(f"the grading sandbox is unavailable here: {e}")
    course = make_course(tmp_path)
    env = testing.nbgrader_env(tmp_path / "home")
    testing.nbgrader("db", "student", "import", str(ROSTER), cwd=course, env=env)
    testing.nbgrader("db", "student", "add", "dave", "--first-name=Dave", "--last-name=Bowman", cwd=course, env=env)
    write_submission(course, "alice", "correct")
    write_submission(course, "bob", "empty_folder")
    write_submission(course, "dave", "linked_folder")
    report = grade_class(course, ASSIGNMENT, grading=grading, cell_timeout=10, student_timeout=150)
    assert [o.student for o in report.outcomes] == ["alice", "bob", "carol", "dave"]

    rows = _export(course, env)
    assert sorted(rows) == ["alice", "bob", "carol", "dave"]
    assert {s: float(r["score"]) for s, r in rows.items()} == {"alice": FULL, "bob": 0.0, "carol": 0.0, "dave": 0.0}
    assert rows["alice"]["flags"] == ""
    assert "empty submission folder" in rows["bob"]["flags"]
    assert rows["carol"]["flags"] == "no submission: submitted/carol/padding_modes/ does not exist"
    assert rows["carol"]["timestamp"] == ""
    assert "is a symbolic link, not a folder (refused)" in rows["dave"]["flags"]
    assert {s: r["flags"] for s, r in rows.items()} == {o.student: " | ".join(o.flags) for o in report.outcomes}

    stock = _export(course, env, "--exporter=nbgrader.plugins.CsvExportPlugin")  # nbgrader's own, for comparison
    assert {s: {k: v for k, v in r.items() if k != "flags"} for s, r in rows.items()} == stock

    grade_class(course, ASSIGNMENT, grading=grading, cell_timeout=10, student_timeout=150, students=["alice"])
    testing.nbgrader("db", "student", "add", "erin", cwd=course, env=env)
    again = _export(course, env)
    assert {s: r["flags"] for s, r in again.items()} == {
        **{s: r["flags"] for s, r in rows.items()},
        "erin": "not graded by safegrade",
    }
    assert float(again["erin"]["score"]) == 0.0
