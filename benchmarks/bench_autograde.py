"""Autograding time per submission, as a ratio to nbgrader's floor.

Two temporary course directories are graded in the same run: the real course,
and its floor, the same notebooks with the body of every test cell replaced
by ``pass`` (so what is left is nbgrader's own cost: starting a kernel,
importing numpy and padlib, running the answer cells, writing the gradebook).
Each grades the same correct submissions with one ``nbgrader autograde`` call
per assignment. The ratio is what our tests add on top; the goal is <= 1.3.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "autograder_fixtures"))
import fakes  # noqa: E402

STUDENTS = 3  # per assignment and course: enough to average out kernel start-up jitter


def _grade(course: Path, env: dict[str, str]) -> float:
    """Seconds to autograde every submission of ``course`` (one nbgrader call per assignment)."""
    start = time.perf_counter()
    for assignment in fakes.ASSIGNMENTS:
        fakes.nbgrader("autograde", assignment, "--force", cwd=course, env=env)
    return time.perf_counter() - start


def run(report):
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as tmp:
        tmp = Path(tmp)
        (tmp / "home").mkdir()
        env = fakes.nbgrader_env(tmp / "home")
        courses = {
            "tests": fakes.make_course(tmp / "tests"),
            "floor": fakes.make_course(tmp / "floor", transform=fakes.without_tests),
        }
        for course in courses.values():
            for assignment in fakes.ASSIGNMENTS:
                fakes.nbgrader("generate_assignment", assignment, cwd=course, env=env)
                for i in range(STUDENTS):
                    fakes.Submission(f"student{i}", assignment).write(course)  # a correct submission
        submissions = STUDENTS * len(fakes.ASSIGNMENTS)
        # Interleave the two courses, twice, and keep each one's best time (less noise from other load).
        times = {name: [] for name in courses}
        for _ in range(2):
            for name, course in courses.items():
                times[name].append(_grade(course, env))
        per = {name: min(t) / submissions for name, t in times.items()}
        report("autograde: floor (test bodies = pass) s per submission", per["floor"], unit="s")
        report("autograde: our tests, s per submission", per["tests"], unit="s")
        ratio = per["tests"] / per["floor"]
        report("autograde: time per submission / nbgrader floor", ratio, goal="<= 1.3", met=ratio <= 1.3)
