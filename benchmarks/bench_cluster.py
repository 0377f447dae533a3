"""The class grader's scaling: students per minute on a LocalCluster of 1 and of 2 worker processes.

The same class of correct submissions graded (``--force``) on a cluster started and warmed up beforehand
(its start-up is the autograde benchmark's), so the numbers are the grading itself: the ratio 2 workers
/ 1 worker is what a second core buys (goal >= 1.7 on 2 idle cores). Also the per-student costs that
the model in autograder/README.md ("How far it scales") is built from.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from safegrade import testing

STUDENTS = 8


def run(report):
    from safegrade.cluster import connect
    from safegrade.runner import grade_class

    from .bench_autograde import _write_correct

    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as folder:
        tmp = Path(folder)
        env = testing.nbgrader_env(tmp / "home")
        assignment = "padding_modes"
        course = testing.make_course(tmp / "class", assignments=[assignment], generate=True, env=env)
        _write_correct(course, assignment, STUDENTS)
        rate = {}
        for n in (1, 2):
            with connect(workers=n) as grading:
                grade_class(course, assignment, grading=grading, students=[f"student{i}" for i in range(n)])  # warm
                start = time.perf_counter()
                r = grade_class(course, assignment, grading=grading, force=True)
                seconds = time.perf_counter() - start
            assert all(o.score == o.max_score for o in r.outcomes), [o.flags for o in r.outcomes]
            rate[n] = STUDENTS / seconds * 60
            report(f"class grader, {n} worker(s): students per minute", rate[n], unit="/m")
            if n == 1:
                per = sorted(o.seconds for o in r.outcomes)[len(r.outcomes) // 2]
                report("one student's task (nbgrader + verifier), median", per, unit="s")
        ratio = rate[2] / rate[1]
        report("class grader throughput: 2 workers / 1 worker", ratio, goal=">= 1.7", met=ratio >= 1.7)
