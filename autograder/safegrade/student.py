"""Grading one student: the submission vetted (coordinator), then graded as one Dask task (worker).

:func:`prepare` runs in the coordinating process: it checks the student id and
the submission folder, stages the safe files (:mod:`safegrade.submission`) and
packs them as bytes, so that a task never gets a path into the instructor's
course directory. :func:`grade` is the task, run by a Dask worker with the
assignment's recorded data (:class:`safegrade.course.Bundle`): nbgrader's
autograde in the sandboxed kernel (:mod:`safegrade.worker`), the verifier in
the same student's sandbox, redaction of the autograded notebook. It returns
plain data: the :class:`~safegrade.report.Outcome` (nbgrader's run status, the
verifier's verdict per part, the flags), what nbgrader recorded (per-cell auto
scores, comments, timestamp) and the autograded files for feedback. The
scores are settled by :func:`safegrade.gradebook.store` in the coordinating
process, the only one that writes the gradebook.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from . import kernel, nbgrader_cli, worker
from .course import Bundle, Course
from .notebooks import read_notebook
from .redact import ANSI, redact_notebook
from .report import Outcome, Part
from .sandbox import Sandbox
from .submission import id_problem, pack, stage
from .verifier import verify_notebook


def new_outcome(notebooks: list[str], max_points: dict[str, tuple[str, float]], student: str) -> Outcome:
    o = Outcome(student=student)
    for name in notebooks:
        for gid, (nb, pts) in max_points.items():
            if nb == name:
                o.parts.append(Part(gid, name, pts))
    o.max_score = sum(p.max_points for p in o.parts)
    return o


def prepare(course: Course, student: str, staging: Path) -> tuple[dict[str, bytes] | None, list[str]]:
    """The student's vetted submission files (None: nothing to grade) and the flags found on the way."""
    problem = id_problem(student)
    if problem:
        return None, [f"{problem}; not graded"]
    original = course.root / "submitted" / student / course.assignment
    if not os.path.lexists(original):
        return None, [f"no submission: submitted/{student}/{course.assignment}/ does not exist"]
    folder = Path(tempfile.mkdtemp(dir=staging)) / "s"
    try:
        flags = stage([original.parent, original], folder)
    except OSError as e:
        return None, [f"submission refused: {e}; not graded"]
    try:
        files = pack(folder)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    present = sorted({name.split("/")[0] for name in files})
    if not present:
        flags.append("empty submission folder")
    for name in course.notebooks:
        if name not in files:
            others = [p for p in present if p.endswith(".ipynb")]
            flags.append(f"missing notebook {name}" + (f" (found: {', '.join(others)})" if others else ""))
    return files, flags


def _last_error(log: str) -> str:
    lines = [ANSI.sub("", text).strip() for text in log.splitlines() if text.strip()]
    for line in reversed(lines):
        if "ERROR" in line or "Error" in line or "error" in line:
            return line[-200:]
    return lines[-1][-200:] if lines else "no output"


def _env(sandbox: Sandbox, base: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "SAFEGRADE", "DASK_"))}
    env = nbgrader_cli.environment(base=env)
    env.update(SAFEGRADE_SANDBOX=json.dumps(sandbox.describe()), JUPYTER_PATH=str(base), PYTHONHASHSEED="0")
    return env


_BASE: Path | None = None


def _base() -> Path:
    """This worker process's folder: the kernelspec, the assignments' gradebooks, the tasks' private courses."""
    global _BASE
    if _BASE is None or not _BASE.is_dir():
        _BASE = Path(tempfile.mkdtemp(prefix="safegrade-worker-"))
        os.chmod(_BASE, 0o711)
        kernel.install(_BASE)
    return _BASE


def grade(bundle: Bundle, student: str, files: dict[str, bytes], flags: list[str], uid_index: int | None) -> dict:
    """The Dask task: grade one student's ``files``; returns plain data (see the module docstring)."""
    t0 = time.monotonic()
    o = new_outcome(bundle.notebooks, bundle.max_points, student)
    o.flags.extend(flags)
    base = _base()
    uid = bundle.uid_base + uid_index if (bundle.uid_base is not None and uid_index is not None) else None
    if os.geteuid() != 0:
        uid = None
    root = worker.private_course(base, bundle, student, files)
    sub = root / "submitted" / student / bundle.assignment
    sandbox = Sandbox(
        base / f"s-{secrets.token_hex(6)}", uid=uid, watch=(Path(bundle.course_root),), limits=bundle.limits
    ).prepare()
    recorded: dict = {}
    autograded_files: dict[str, bytes] = {}
    log = ""
    try:
        overrides = {
            "Execute": {"kernel_name": "safegrade", "timeout": bundle.cell_timeout},
            "KernelManager": {"transport": "ipc", "ip": f"{sandbox.dir}/kernel"},
        }
        template = (str(base / f"gradebook-{bundle.key[:16]}.db"), bundle.record)
        job = worker.Job(str(root), bundle.assignment, student, template, _env(sandbox, base), overrides)
        record, log, timed_out = worker.autograde(job, bundle.student_timeout)
        sandbox.kill()
        if timed_out:
            o.flags.append(f"nbgrader timed out after {bundle.student_timeout:g} s; scored by the verifier alone")
        elif record is None or not record["success"]:
            o.flags.append(f"nbgrader could not grade ({_last_error(log)}); scored by the verifier alone")
        else:
            o.nbgrader_ok = True
        if record is not None:
            recorded = record["recorded"]
        if "kernel died" in log.lower() or "DeadKernelError" in log:
            o.flags.append("the kernel died during grading (os._exit, crash or out of memory)")
        if "CellTimeoutError" in log or "Timeout waiting for execute reply" in log:
            o.flags.append(f"a cell ran longer than {bundle.cell_timeout} s and was interrupted")

        autograded = root / "autograded" / student / bundle.assignment
        for name, plan in bundle.plans.items():
            try:
                student_nb = read_notebook(sub / name)
            except ValueError as e:
                student_nb = None
                if not str(e).startswith("missing"):
                    o.flags.append(str(e))
            verdict = verify_notebook(
                plan, sandbox, student_nb, timeout=bundle.student_timeout, call_timeout=bundle.cell_timeout
            )
            for part in o.parts:
                if part.notebook == name:
                    part.verifier = verdict.get(part.grade_id, "not checked")
            redacted_nb = autograded / name
            if redacted_nb.is_file():
                printed, canary_seen = redact_notebook(redacted_nb, bundle.secret, bundle.canary)
                if printed:
                    o.flags.append("output quoted hidden tests or solution text (removed from feedback)")
                if canary_seen:
                    o.flags.append("output contained a protected instructor file (removed from feedback)")
        autograded_files = pack(autograded) if autograded.is_dir() else {}
        o.attempts = sandbox.attempts()
        if o.attempts:
            shown = ", ".join(o.attempts[:3]) + (f" (+{len(o.attempts) - 3} more)" if len(o.attempts) > 3 else "")
            o.flags.append(f"sandbox recorded attempts: {shown}")
    finally:
        sandbox.cleanup()
        shutil.rmtree(root, ignore_errors=True)
    o.seconds = time.monotonic() - t0
    return {"outcome": o, "recorded": recorded, "autograded": autograded_files, "log": log[-200_000:]}
