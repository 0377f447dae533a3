"""The grading worker: nbgrader's autograde in-process, in a fork of a process that imported it once.

A Dask worker is a long-lived process that grades many students. Starting one
``nbgrader autograde`` command per student costs about 3 s of CPU in imports
alone, so the worker keeps a fork server (the standard library's
``multiprocessing`` ``forkserver``, with nbgrader, nbconvert and traitlets
preloaded) and forks one child per student. The child runs nbgrader's
:class:`~nbgrader.converters.Autograde` converter through its Python API against a
**private course directory** made for that one task (the assignment's
configuration and source files, a gradebook holding only the assignment's
recorded cells, the vetted submission), in its own session, under a 4 GB
address-space limit, so that a crash, a hang or a memory bomb costs that
student only. The child writes what nbgrader recorded (per-cell auto scores,
comments, late penalty, timestamp) as JSON; only the coordinating process
writes the course's real gradebook (:mod:`safegrade.gradebook`).

The fork server cannot start in a daemonic process: Dask workers must run with
``distributed.worker.daemon: False`` (:mod:`safegrade.cluster` sets it for its
``LocalCluster``; for ``dask worker`` set ``DASK_DISTRIBUTED__WORKER__DAEMON=False``).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

NBGRADER_MEMORY = 4 << 30
_CONTEXT: multiprocessing.context.ForkServerContext | None = None
PRELOAD = [
    "safegrade.worker",
    "nbgrader.api",
    "nbgrader.converters",
    "nbgrader.preprocessors",
    "nbgrader.coursedir",
    "nbconvert.preprocessors",
    "nbclient",
    "jupyter_client.manager",
    "jupyter_client.provisioning",
    "ipykernel.kernelspec",
    "traitlets.config",
    "safegrade.export",
    "safegrade.feedback",
    "safegrade.overwrite",
]


def _context() -> multiprocessing.context.ForkServerContext:
    global _CONTEXT
    if _CONTEXT is None:
        if multiprocessing.current_process().daemon:
            raise RuntimeError(
                "this Dask worker is a daemonic process, which cannot start safegrade's fork server; "
                "start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False (`dask worker ... --no-nanny` "
                "also works)"
            )
        ctx = multiprocessing.context.ForkServerContext()
        # what the child imports for nbgrader's autograde, and what the course's nbgrader_config.py imports
        ctx.set_forkserver_preload(PRELOAD)
        _CONTEXT = ctx
    return _CONTEXT


def warm() -> None:
    """Start this worker's fork server now (it imports nbgrader in its own process, in the background)."""
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def write_files(root: Path, files: dict[str, bytes]) -> None:
    """Write ``{relative path: content}`` under ``root`` (paths as :func:`safegrade.submission.pack` makes them)."""
    for rel, data in files.items():
        parts = Path(rel).parts
        if not parts or Path(rel).is_absolute() or any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"refusing to write {rel!r} outside {root}")
        target = root.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def build_gradebook(db_path: Path, record: dict) -> None:
    """A gradebook at ``db_path`` holding only the assignment of ``record`` (:func:`safegrade.gradebook.assignment_record`)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{db_path}", record["course_id"]) as gb:
        gb.update_or_create_assignment(record["name"], duedate=record["duedate"])
        for nb in record["notebooks"]:
            gb.add_notebook(nb["name"], record["name"])
            for kind, cells in nb["cells"].items():
                for cell in cells:
                    fields = dict(cell)
                    name = fields.pop("name")
                    getattr(gb, f"update_or_create_{kind}_cell")(name, nb["name"], record["name"], **fields)


def private_course(base: Path, bundle, student: str, files: dict[str, bytes]) -> Path:
    """A course directory for one task: config, source files, the submission (the child adds the gradebook).

    ``bundle`` is the run's :class:`safegrade.course.Bundle`; the canary goes where nbgrader runs.
    """
    root = Path(tempfile.mkdtemp(prefix="course-", dir=base))
    (root / "nbgrader_config.py").write_text(bundle.config, encoding="utf-8")
    write_files(root / "source" / bundle.assignment, bundle.source_files)
    write_files(root / "submitted" / student / bundle.assignment, files)
    (root / "submitted" / student / bundle.assignment).mkdir(parents=True, exist_ok=True)
    (root / ".safegrade_canary").write_text(bundle.canary + "\n")
    return root


def _recorded(db_url: str, assignment: str, student: str) -> dict:
    """What nbgrader's autograde stored for the student: timestamp, and per notebook scores and comments."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return {}
        out: dict = {"timestamp": sub.timestamp.isoformat() if sub.timestamp else None, "notebooks": {}}
        for nb in sub.notebooks:
            out["notebooks"][nb.name] = {
                "late_submission_penalty": nb.late_submission_penalty,
                "grades": {g.name: g.auto_score for g in nb.grades},
                "comments": {c.name: c.auto_comment for c in nb.comments},
            }
        return out


@dataclass(frozen=True)
class Job:
    """One student's autograde: the private course ``root``, who, and how (sent to the forked child).

    ``gradebook`` is (a template's path, the assignment's record): the template is built by the first child
    of a worker that needs it (nbgrader is imported there, not in the Dask worker), then copied per task.
    """

    root: str
    assignment: str
    student: str
    gradebook: tuple[str, dict]
    env: dict[str, str]
    overrides: dict


def _child(job: Job, out: str) -> None:
    """In the forked child: nbgrader's autograde of one student in its private course."""
    root, assignment, student, env, overrides = job.root, job.assignment, job.student, job.env, job.overrides
    os.setsid()
    template, record = Path(job.gradebook[0]), job.gradebook[1]
    if not template.exists():
        tmp = template.with_name(f".{template.name}.{os.getpid()}")
        build_gradebook(tmp, record)
        os.replace(tmp, template)
    shutil.copyfile(template, Path(root) / "gradebook.db")
    resource.setrlimit(resource.RLIMIT_AS, (NBGRADER_MEMORY, NBGRADER_MEMORY))
    log_fd = os.open(Path(out).with_suffix(".log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    sys.stdout = open(1, "w", buffering=1, closefd=False, errors="replace")
    sys.stderr = open(2, "w", buffering=1, closefd=False, errors="replace")
    os.environ.clear()
    os.environ.update(env)
    os.chdir(root)
    import logging

    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log
    from traitlets.config import Config, PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=root).load_config()
    config.merge(Config(overrides))
    config.CourseDirectory.root = root
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    app = Autograde(coursedir=coursedir, config=config)
    app.force = True
    app.create_student = True
    app.log.setLevel(logging.INFO)
    result = capture_log(app)
    record = {"success": bool(result.get("success")), "log": result.get("log", ""), "error": result.get("error", "")}
    record["recorded"] = _recorded(coursedir.db_url, assignment, student)
    Path(out).write_text(json.dumps(record), encoding="utf-8")
    sys.stdout.flush()
    sys.stderr.flush()


def autograde(job: Job, timeout: float) -> tuple[dict | None, str, bool]:
    """Run nbgrader's autograde of ``job`` in a forked child.

    Returns (its record or None if it died, the log, whether it timed out).
    """
    out = Path(job.root) / ".safegrade-autograde.json"
    proc = _context().Process(target=_child, args=(job, str(out)))
    proc.start()
    proc.join(timeout)
    timed_out = proc.is_alive()
    if timed_out and proc.pid is not None:  # started, so it has a pid: its session is the child's own
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.join()
    try:
        log = out.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    except OSError:
        log = ""
    try:
        record = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = None
    if record is not None:
        log = "\n".join(filter(None, [log, record["log"], record["error"]]))
    elif not timed_out:
        log += f"\n[ERROR] the nbgrader process died (exit status {proc.exitcode})"
    return record, log, timed_out
