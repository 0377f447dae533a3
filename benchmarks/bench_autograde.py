"""Autograding time per correct submission: our tests against nbgrader's floor, the class grader against stock
nbgrader, and the sandbox's start-up against a bare Python.

- floor: two temporary course directories, the real one and the same notebooks with the body of every
  test cell replaced by ``pass`` (what is left is nbgrader's own cost), each graded with one
  ``nbgrader autograde`` call; the ratio is what our tests add (goal <= 1.3);
- class grader: ``safegrade grade --workers 2`` (its default cluster: a TLS LocalCluster of 2 worker
  processes, started by the command and counted; sandbox per student, verifier, reconciliation) against
  stock serial ``nbgrader autograde`` on the same correct submissions, in the same run (goal <= 1.5);
- sandbox start-up: ``python -c pass`` inside a fresh sandbox (bwrap, seccomp, safegrade.inside)
  against the same bare (median of repeats).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from safegrade import testing

STUDENTS = 3  # per assignment and course for the floor: enough to average out kernel start-up jitter
CLASS = 24  # correct submissions for the class grader comparison (its cluster's start-up, ~20-30 s, is counted)


def _write_correct(course: Path, assignment: str, students: int) -> None:
    import nbformat

    nb = testing.correct_notebook(course, assignment)
    for i in range(students):
        path = course / "submitted" / f"student{i}" / assignment / f"{assignment}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _floor(report, tmp: Path, env) -> None:
    courses = {
        "tests": testing.make_course(tmp / "tests", generate=True, env=env),
        "floor": testing.make_course(tmp / "floor", transform=testing.without_tests, generate=True, env=env),
    }
    for course in courses.values():
        for assignment in testing.ASSIGNMENTS:
            _write_correct(course, assignment, STUDENTS)
    times: dict[str, list[float]] = {name: [] for name in courses}
    for _ in range(2):  # interleaved, twice; each one's best time (less noise from other load)
        for name, course in courses.items():
            times[name].append(
                _timed(
                    lambda course=course: [
                        testing.nbgrader("autograde", a, "--force", cwd=course, env=env) for a in testing.ASSIGNMENTS
                    ]
                )
            )
    per = {name: min(t) / (STUDENTS * len(testing.ASSIGNMENTS)) for name, t in times.items()}
    report("autograde: floor (test bodies = pass) s per submission", per["floor"], unit="s")
    report("autograde: our tests, s per submission", per["tests"], unit="s")
    ratio = per["tests"] / per["floor"]
    report("autograde: time per submission / nbgrader floor", ratio, goal="<= 1.3", met=ratio <= 1.3)


def _class_grader(report, tmp: Path, env) -> None:
    assignment = "padding_modes"
    course = testing.make_course(tmp / "class", assignments=[assignment], generate=True, env=env)
    _write_correct(course, assignment, CLASS)
    exe = str(Path(sys.executable).with_name("safegrade"))
    stock = _timed(lambda: testing.nbgrader("autograde", assignment, "--force", cwd=course, env=env))
    ours = _timed(
        lambda: subprocess.run(
            [exe, "grade", assignment, "--course", str(course), "--workers", "2"],
            env=env,
            capture_output=True,
            check=True,
        )
    )
    report("class grader (2 Dask workers): s per correct submission", ours / CLASS, unit="s")
    report("stock nbgrader autograde (serial): s per correct submission", stock / CLASS, unit="s")
    ratio = ours / stock
    report("class grader / stock nbgrader, per correct submission", ratio, goal="<= 1.5", met=ratio <= 1.5)


def _sandbox_start(report, tmp: Path) -> None:
    from safegrade.sandbox import Sandbox

    def bare():
        subprocess.run([sys.executable, "-c", "pass"], check=True)

    def sandboxed():
        base = Path(tempfile.mkdtemp(dir=tmp))
        base.chmod(0o711)
        sb = Sandbox(base / "s").prepare()
        script = sb.lib / "pass.py"  # what the sandbox can see of the grader's files
        script.write_text("pass\n")
        try:
            proc = sb.popen("script", [str(script)])
            assert proc.wait(timeout=60) == 0
        finally:
            sb.cleanup()

    runs: dict[str, list[float]] = {"bare": [], "sandboxed": []}
    for _ in range(15):
        runs["bare"].append(_timed(bare))
        runs["sandboxed"].append(_timed(sandboxed))
    med = {k: statistics.median(v) for k, v in runs.items()}
    report("python -c pass, bare", med["bare"] * 1000, unit="ms")
    report("python in a fresh sandbox (bwrap+seccomp+set-up)", med["sandboxed"] * 1000, unit="ms")
    report("sandbox start-up / bare python", med["sandboxed"] / med["bare"], unit="x")


def run(report):
    with tempfile.TemporaryDirectory(prefix="bench-autograde-") as name:
        tmp = Path(name)
        (tmp / "home").mkdir()
        env = testing.nbgrader_env(tmp / "home")
        _sandbox_start(report, tmp)
        _class_grader(report, tmp, env)
        _floor(report, tmp, env)
