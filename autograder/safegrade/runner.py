"""Grade a whole class: every student in its own sandbox and nbgrader run, then confirmed and reconciled.

For each student (``jobs`` at a time), :func:`grade_class`

1. checks the submission folder (missing, empty, missing or renamed notebooks: flagged);
2. runs ``nbgrader autograde ASSIGNMENT --student=S --force`` in its own
   process, with a time limit, its kernel being the sandboxed ``safegrade``
   kernel (so one broken submission cannot stop or change another);
3. runs the verifier (:mod:`safegrade.verifier`) in the same student's sandbox;
4. redacts, in the autograded notebook (the source of feedback), any output
   line quoting hidden tests or solution text, and notes attempts seen by the
   sandbox's audit log or by outcome (a canary planted in the course directory);

then, in this process, reads nbgrader's scores from the gradebook and takes
for each graded part the lower of nbgrader's score and the verifier's verdict
(full points or 0), flagging every disagreement with its reason. The final
score is written to the gradebook as the part's ``manual_score`` so that
``nbgrader export`` and ``generate_feedback`` show it, unless a person set a
manual score there (kept and flagged for review). Submitted files are
never written; a check compares their hashes before and after.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from . import kernel
from .course import Course, UsageError
from .gradebook import reconcile
from .report import ClassReport, Outcome
from .sandbox import Limits, check_available, limits_in_force
from .student import grade_student

__all__ = ["UsageError", "grade_class"]


def _tree_hashes(*roots: Path) -> dict[str, str]:
    out = {}
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _uid_base() -> int:
    """A block of 1000 uids no process uses right now (one uid per student of this run)."""
    used = set()
    for entry in os.listdir("/proc"):
        try:
            used.add(os.stat(f"/proc/{entry}").st_uid)
        except (FileNotFoundError, NotADirectoryError):
            pass
    rng = secrets.SystemRandom()
    while True:
        base = rng.randrange(300, 900) * 1000
        if not any(base <= u < base + 1000 for u in used):
            return base


def grade_class(
    course_dir,
    assignment: str,
    *,
    jobs: int = 2,
    students: list[str] | None = None,
    student_timeout: float = 300,
    cell_timeout: int = 30,
    limits: Limits | None = None,
    progress=None,
) -> ClassReport:
    """Grade every submission of ``assignment``; see the module docstring. Returns the class report."""
    check_available()
    if not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"jobs must be a positive integer (argument --jobs); got {jobs!r}")
    course = Course(Path(course_dir).resolve(), assignment)
    submitted = course.root / "submitted"
    names = sorted(p.name for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []
    everyone = sorted(set(names) | set(course.gradebook_students))
    if students is not None:
        unknown = sorted(set(students) - set(everyone))
        if unknown:
            raise UsageError(
                f"unknown student(s) {', '.join(unknown)} (argument --student); allowed values: "
                f"{', '.join(everyone) or '(none)'}"
            )
        everyone = sorted(students)
    limits = limits or Limits()
    protected = (submitted, course.source_dir, course.root / "release")
    before = _tree_hashes(*protected)
    canary = "safegrade-canary-" + secrets.token_hex(16)
    canary_file = course.root / ".safegrade_canary"
    canary_file.write_text(canary + "\n")
    base = Path(tempfile.mkdtemp(prefix="safegrade-"))
    os.chmod(base, 0o711)
    kernel.install(base)
    uid0 = _uid_base() if os.geteuid() == 0 else None
    t0 = time.monotonic()
    done, lock = [0], threading.Lock()
    outcomes: dict[str, Outcome] = {}
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {
                pool.submit(
                    grade_student,
                    course,
                    s,
                    None if uid0 is None else uid0 + i,
                    base,
                    canary,
                    limits=limits,
                    cell_timeout=cell_timeout,
                    student_timeout=student_timeout,
                ): s
                for i, s in enumerate(everyone)
            }
            for fut in as_completed(futures):
                s = futures[fut]
                try:
                    outcomes[s] = fut.result()
                except Exception as e:  # a bug or a machine problem: still never a silent gap
                    outcomes[s] = Outcome(student=s, flags=[f"grader error: {type(e).__name__}: {e}"])
                with lock:
                    done[0] += 1
                    if progress:
                        o = outcomes[s]
                        progress(
                            f"[{done[0]:>3}/{len(everyone)}] {s}: {o.seconds:.1f} s"
                            + (f", {len(o.flags)} flag(s)" if o.flags else "")
                        )
    finally:
        canary_file.unlink(missing_ok=True)
        shutil.rmtree(base, ignore_errors=True)
    ordered = [outcomes[s] for s in everyone]
    reconcile(course, ordered)
    after = _tree_hashes(*protected)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return ClassReport(assignment, ordered, time.monotonic() - t0, changed, limits_in_force())
