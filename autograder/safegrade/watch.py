"""Grade on submit: ``safegrade watch ASSIGNMENT`` follows ``submitted/`` and grades what is new or changed.

Every ``interval`` seconds it (with ``collect``) runs ``nbgrader collect
ASSIGNMENT --update`` (the exchange's inbound folder into ``submitted/``),
and when anything under ``submitted/`` changed since its last look it runs
:func:`safegrade.runner.grade_class` on one cluster kept for the whole watch.
That grades only the students whose submission is not the one last stored
(:mod:`safegrade.ledger`), so a second submission gets the newer one graded and
a restart grades nothing twice and loses nothing: a result is in the ledger
only once it is in the gradebook. Each graded student's feedback is then
generated and released (nbgrader's API, in this process).

Stop it with Ctrl-C or SIGTERM: it finishes the round it is in (a second signal
stops it at once); a kill at any moment loses nothing a restart does not redo.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from . import nbgrader_cli
from .cluster import connect
from .course import sqlalchemy_url
from .runner import check, grade_class


def _fingerprint(folder: Path) -> tuple:
    """Names, sizes and modification times of everything under ``folder`` (a change means: look again)."""
    if not folder.is_dir():
        return ()
    out = []
    for p in sorted(folder.rglob("*")):
        try:
            st = p.lstat()
        except OSError:
            continue
        out.append((str(p), st.st_size, st.st_mtime_ns))
    return tuple(out)


def release_feedback(course: Path, assignment: str, students: list[str], db: str | None = None) -> dict[str, str]:
    """``nbgrader generate_feedback`` and ``release_feedback`` for ``students``; {student: error} for failures."""
    import os

    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import PyFileConfigLoader

    here = os.getcwd()
    os.chdir(course)
    try:
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
        config.CourseDirectory.root = str(course)
        if db:
            config.CourseDirectory.db_url = sqlalchemy_url(db)
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        failed = {}
        for s in students:
            for step in (api.generate_feedback, api.release_feedback):
                result = step(assignment, s)
                if not result.get("success"):
                    failed[s] = (result.get("error") or result.get("log") or "").strip().splitlines()[-1:]
                    break
        return {s: " ".join(e) for s, e in failed.items()}
    finally:
        os.chdir(here)


def watch(
    course_dir,
    assignment: str,
    *,
    interval: float = 5.0,
    collect: bool = False,
    feedback: bool = True,
    progress=None,
    workers: int | None = None,
    scheduler: str | None = None,
    tls: dict | None = None,
    rounds: int | None = None,
    **options,
) -> int:
    """Watch and grade until stopped (or for ``rounds`` looks); returns the exit status."""
    course = Path(course_dir).resolve()
    say = progress or (lambda line: None)

    stopping = threading.Event()

    def stop(signum, frame):  # finish the round (its results are stored), then leave; a second signal: at once
        stopping.set()
        signal.signal(signum, signal.SIG_DFL)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    check(course, assignment, workers=workers, scheduler=scheduler, db=options.get("db"))  # bad arguments fail now
    seen: tuple | None = None
    with connect(scheduler, workers=workers, **(tls or {})) as grading:
        say(f"watching {course / 'submitted'} for {assignment}; dashboard: {grading.dashboard}")
        n = 0
        while not stopping.is_set() and (rounds is None or n < rounds):
            n += 1
            if collect:
                nbgrader_cli.run("collect", assignment, "--update", cwd=course, check=False)
            now = _fingerprint(course / "submitted")
            if now != seen:
                seen = now
                report = grade_class(course, assignment, grading=grading, progress=progress, **options)
                graded = [o.student for o in report.outcomes if o.nbgrader_ok]
                for o in report.outcomes:
                    say(f"graded {o.student}: {o.score:g}/{o.max_score:g}" + (" (flagged)" if o.flags else ""))
                if feedback and graded:
                    for s, error in release_feedback(course, assignment, graded, options.get("db")).items():
                        say(f"feedback for {s} failed: {error}")
            stopping.wait(interval)
        say("stopped; a restart goes on from the ledger")
    return 0
