"""Grading one student: stage the submission, nbgrader in the sandboxed kernel, the verifier, redaction.

Returns an :class:`~safegrade.report.Outcome` with nbgrader's run status,
the verifier's verdict per part, and the flags; the scores are settled by
:func:`safegrade.gradebook.reconcile` in the coordinating process.
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import signal
import subprocess
import time
from pathlib import Path

from . import nbgrader_cli
from .course import Course
from .notebooks import read_notebook
from .redact import ANSI, redact_notebook
from .report import Outcome, Part
from .sandbox import Limits, Sandbox
from .submission import id_problem, stage
from .verifier import verify_notebook

NBGRADER_MEMORY = 4 << 30


def _limit_nbgrader():
    resource.setrlimit(resource.RLIMIT_AS, (NBGRADER_MEMORY, NBGRADER_MEMORY))


def _last_error(stderr: str) -> str:
    lines = [ANSI.sub("", text).strip() for text in stderr.splitlines() if text.strip()]
    for line in reversed(lines):
        if "ERROR" in line or "Error" in line or "error" in line:
            return line[-200:]
    return lines[-1][-200:] if lines else "no output"


def grade_student(
    course: Course,
    student: str,
    uid: int | None,
    base: Path,
    canary: str,
    *,
    limits: Limits,
    cell_timeout: int,
    student_timeout: float,
) -> Outcome:
    t0 = time.monotonic()
    o = Outcome(student=student)
    for name in course.notebooks:
        for gid, (nb, pts) in course.max_points.items():
            if nb == name:
                o.parts.append(Part(gid, name, pts))
    o.max_score = sum(p.max_points for p in o.parts)
    problem = id_problem(student)
    if problem:
        o.flags.append(f"{problem}; not graded")
        return o
    original = course.root / "submitted" / student / course.assignment
    if not os.path.lexists(original):
        o.flags.append(f"no submission: submitted/{student}/{course.assignment}/ does not exist")
        return o
    sub = base / "submitted" / student / course.assignment  # what nbgrader and the verifier read: vetted copies
    try:
        o.flags.extend(stage([original.parent, original], sub))
    except OSError as e:
        o.flags.append(f"submission refused: {e}; not graded")
        return o
    present = sorted(p.name for p in sub.iterdir())
    if not present:
        o.flags.append("empty submission folder")
    for name in course.notebooks:
        if not (sub / name).is_file():
            others = [p for p in present if p.endswith(".ipynb")]
            o.flags.append(f"missing notebook {name}" + (f" (found: {', '.join(others)})" if others else ""))

    sandbox = Sandbox(base / f"s-{secrets.token_hex(6)}", uid=uid, watch=(course.root,), limits=limits).prepare()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "SAFEGRADE"))}
        env = nbgrader_cli.environment(base=env)
        env.update(SAFEGRADE_SANDBOX=json.dumps(sandbox.describe()), JUPYTER_PATH=str(base), PYTHONHASHSEED="0")
        cmd = [
            *nbgrader_cli.command("autograde", course.assignment),
            f"--student={student}",
            "--force",
            "--Execute.kernel_name=safegrade",
            f"--CourseDirectory.submitted_directory={base / 'submitted'}",
            "--KernelManager.transport=ipc",
            f"--KernelManager.ip={sandbox.dir}/kernel",
            f"--Execute.timeout={cell_timeout}",
        ]
        for attempt in range(3):
            proc = subprocess.Popen(
                cmd,
                cwd=course.root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                start_new_session=True,
                preexec_fn=_limit_nbgrader,
            )
            try:
                log, _ = proc.communicate(timeout=student_timeout)
                timed_out = False
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                log, _ = proc.communicate()
                timed_out = True
            sandbox.kill()
            if not timed_out and proc.returncode != 0 and "database is locked" in log and attempt < 2:
                continue
            break
        logs = course.root / "safegrade_logs" / course.assignment
        logs.mkdir(parents=True, exist_ok=True)
        (logs / f"{student}.log").write_text(log[-200_000:])
        autograded = course.root / "autograded" / student / course.assignment
        if timed_out:
            o.flags.append(f"nbgrader timed out after {student_timeout:g} s; scored by the verifier alone")
        elif proc.returncode != 0:
            o.flags.append(f"nbgrader could not grade ({_last_error(log)}); scored by the verifier alone")
        else:
            o.nbgrader_ok = True
        if "kernel died" in log.lower() or "DeadKernelError" in log:
            o.flags.append("the kernel died during grading (os._exit, crash or out of memory)")
        if "CellTimeoutError" in log or "Timeout waiting for execute reply" in log:
            o.flags.append(f"a cell ran longer than {cell_timeout} s and was interrupted")

        for name, plan in course.plans.items():
            try:
                student_nb = read_notebook(sub / name)
            except ValueError as e:
                student_nb = None
                if not str(e).startswith("missing"):
                    o.flags.append(str(e))
            verdict = verify_notebook(plan, sandbox, student_nb, timeout=student_timeout, call_timeout=cell_timeout)
            for part in o.parts:
                if part.notebook == name:
                    part.verifier = verdict.get(part.grade_id, "not checked")
            redacted_nb = autograded / name
            if redacted_nb.is_file():
                printed, canary_seen = redact_notebook(redacted_nb, course.secret, canary)
                if printed:
                    o.flags.append("output quoted hidden tests or solution text (removed from feedback)")
                if canary_seen:
                    o.flags.append("output contained a protected instructor file (removed from feedback)")
        o.attempts = sandbox.attempts()
        if o.attempts:
            shown = ", ".join(o.attempts[:3]) + (f" (+{len(o.attempts) - 3} more)" if len(o.attempts) > 3 else "")
            o.flags.append(f"sandbox recorded attempts: {shown}")
    finally:
        sandbox.cleanup()
    o.seconds = time.monotonic() - t0
    return o
