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

import csv
import hashlib
import json
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import kernel, nbgrader_cli
from .notebooks import points, read_notebook
from .sandbox import Limits, Sandbox, check_available, limits_in_force
from .verifier import Plan, make_plan, verify_notebook

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,63}$")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
REDACTED = "[safegrade: line removed because it quoted hidden tests or solution text]"
NBGRADER_MEMORY = 4 << 30


class UsageError(ValueError):
    """Bad arguments or an unprepared course directory; the message says which and what to do."""


@dataclass
class Part:
    grade_id: str
    notebook: str
    max_points: float
    nbgrader: float | None = None
    verifier: str | None = "not run"  # None when verified; else the reason
    final: float = 0.0


@dataclass
class Outcome:
    student: str
    score: float = 0.0
    max_score: float = 0.0
    flags: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)
    seconds: float = 0.0
    nbgrader_ok: bool = False

    @property
    def status(self) -> str:
        return "flagged" if self.flags else "ok"


@dataclass
class ClassReport:
    assignment: str
    outcomes: list[Outcome]
    seconds: float
    integrity: list[str]  # changed protected files (must stay empty)
    limits: str = ""  # which limits were in force (rlimits, cgroups)

    def table(self) -> str:
        width = max([7] + [len(o.student) for o in self.outcomes])
        lines = [f"{'student':<{width}}  {'score':>11}  {'status':<7}  flags and reasons",
                 f"{'-' * width}  {'-' * 11}  {'-' * 7}  {'-' * 40}"]
        for o in self.outcomes:
            score = f"{o.score:g}/{o.max_score:g}"
            reasons = "; ".join(o.flags) if o.flags else ""
            lines.append(f"{o.student:<{width}}  {score:>11}  {o.status:<7}  {reasons}")
        flagged = sum(o.status == "flagged" for o in self.outcomes)
        lines.append(f"{len(self.outcomes)} students: {len(self.outcomes) - flagged} ok, {flagged} flagged; "
                     f"graded in {self.seconds:.1f} s")
        if self.limits:
            lines.append(f"limits in force: {self.limits}")
        if self.integrity:
            lines.append("INTEGRITY ALARM: protected files changed during grading: " + ", ".join(self.integrity))
        return "\n".join(lines)

    def write_csv(self, path: Path) -> None:
        grade_ids = [p.grade_id for p in self.outcomes[0].parts] if self.outcomes else []
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["student", "score", "max_score", "status", *grade_ids, "flags", "attempts"])
            for o in self.outcomes:
                by_id = {p.grade_id: p.final for p in o.parts}
                w.writerow([o.student, f"{o.score:g}", f"{o.max_score:g}", o.status,
                            *[f"{by_id.get(g, 0):g}" for g in grade_ids], " | ".join(o.flags), " | ".join(o.attempts)])


def _tree_hashes(*roots: Path) -> dict[str, str]:
    out = {}
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _secret_lines(source_nb, release_nb) -> set[str]:
    """Lines of the instructor's notebook that the released notebook does not show (hidden tests, solutions)."""
    public = set()
    if release_nb is not None:
        for cell in release_nb.cells:
            public.update(line.strip() for line in cell.source.splitlines())
    secret = set()
    for cell in source_nb.cells:
        for line in cell.source.splitlines():
            s = line.strip()
            if len(s) >= 16 and s not in public and not s.startswith("###"):
                secret.add(s)
    return secret


def _redact_text(text: str, secret: set[str], canary: str) -> tuple[str, bool, bool]:
    changed = leaked_canary = False
    lines = text.split("\n")
    for i, line in enumerate(lines):
        plain = ANSI.sub("", line)
        if canary in plain:
            lines[i], changed, leaked_canary = REDACTED, True, True
        elif any(s in plain for s in secret):
            lines[i], changed = REDACTED, True
    return "\n".join(lines), changed, leaked_canary


def redact_notebook(path: Path, secret: set[str], canary: str) -> tuple[bool, bool]:
    """Remove output lines quoting secret text; return (a printed output quoted it, the canary appeared)."""
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:
        return False, False
    printed = canary_seen = False
    touched = False
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            fields = []
            if "text" in out:
                fields.append((out, "text"))
            for key in list(out.get("data", {})):
                if isinstance(out["data"][key], str):
                    fields.append((out["data"], key))
            if "evalue" in out:
                fields.append((out, "evalue"))
            for holder, key in fields:
                new, changed, canary_hit = _redact_text(holder[key], secret, canary)
                if changed:
                    holder[key], touched = new, True
                    printed |= out.get("output_type") != "error"
                    canary_seen |= canary_hit
            if "traceback" in out:
                tb = []
                for frame in out["traceback"]:
                    new, changed, canary_hit = _redact_text(frame, secret, canary)
                    touched |= changed
                    canary_seen |= canary_hit
                    tb.append(new)
                out["traceback"] = tb
    if touched:
        mode = path.stat().st_mode
        os.chmod(path, 0o644)
        nbformat.write(nb, str(path))
        os.chmod(path, mode & 0o777)
    return printed, canary_seen


class _Course:
    def __init__(self, course: Path, assignment: str):
        self.root = course
        self.assignment = assignment
        if not (course / "nbgrader_config.py").is_file():
            raise UsageError(f"course directory {course} has no nbgrader_config.py (argument --course)")
        source = course / "source"
        available = sorted(p.name for p in source.iterdir() if p.is_dir()) if source.is_dir() else []
        if assignment not in available:
            raise UsageError(f"unknown assignment {assignment!r} (argument ASSIGNMENT); allowed values: "
                             f"{', '.join(available) or '(none: source/ is empty)'}")
        self.source_dir = source / assignment
        self.notebooks = sorted(p.name for p in self.source_dir.glob("*.ipynb"))
        self.db_url = f"sqlite:///{course / 'gradebook.db'}"
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(self.db_url) as gb:
            try:
                gb.find_assignment(assignment)
            except MissingEntry:
                raise UsageError(f"assignment {assignment!r} is not in the gradebook; run "
                                 f"`nbgrader generate_assignment {assignment}` in {course} first") from None
            self.gradebook_students = sorted(s.id for s in gb.students)
        import nbformat

        self.plans: dict[str, Plan] = {}
        self.secret: set[str] = set()
        self.max_points: dict[str, tuple[str, float]] = {}
        for name in self.notebooks:
            source_nb = nbformat.read(str(self.source_dir / name), as_version=4)
            self.plans[name] = make_plan(source_nb)
            release = course / "release" / assignment / name
            release_nb = nbformat.read(str(release), as_version=4) if release.is_file() else None
            self.secret |= _secret_lines(source_nb, release_nb)
            for gid, pts in points(source_nb).items():
                self.max_points[gid] = (name, pts)


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


def _limit_nbgrader():
    resource.setrlimit(resource.RLIMIT_AS, (NBGRADER_MEMORY, NBGRADER_MEMORY))


def _last_error(stderr: str) -> str:
    lines = [ANSI.sub("", l).strip() for l in stderr.splitlines() if l.strip()]
    for line in reversed(lines):
        if "ERROR" in line or "Error" in line or "error" in line:
            return line[-200:]
    return lines[-1][-200:] if lines else "no output"


def _grade_one(course: _Course, student: str, uid: int | None, base: Path, canary: str, *, limits: Limits,
               cell_timeout: int, student_timeout: float) -> Outcome:
    t0 = time.monotonic()
    o = Outcome(student=student)
    for name in course.notebooks:
        for gid, (nb, pts) in course.max_points.items():
            if nb == name:
                o.parts.append(Part(gid, name, pts))
    o.max_score = sum(p.max_points for p in o.parts)
    sub = course.root / "submitted" / student / course.assignment
    if not STUDENT_ID.match(student):
        o.flags.append("invalid student id (folder name); not graded")
        return o
    if not sub.is_dir():
        o.flags.append(f"no submission: submitted/{student}/{course.assignment}/ does not exist")
        return o
    present = sorted(p.name for p in sub.iterdir())
    if not present:
        o.flags.append("empty submission folder")
    for name in course.notebooks:
        if not (sub / name).is_file():
            others = [p for p in present if p.endswith(".ipynb")]
            o.flags.append(f"missing notebook {name}" + (f" (found: {', '.join(others)})" if others else ""))

    sandbox = Sandbox(base / f"s-{secrets.token_hex(6)}", uid=uid,
                      watch=(course.root,), limits=limits).prepare()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "SAFEGRADE"))}
        env = nbgrader_cli.environment(base=env)
        env.update(SAFEGRADE_SANDBOX=json.dumps(sandbox.describe()), JUPYTER_PATH=str(base), PYTHONHASHSEED="0")
        cmd = [*nbgrader_cli.command("autograde", course.assignment),
               f"--student={student}", "--force", "--Execute.kernel_name=safegrade",
               "--KernelManager.transport=ipc", f"--KernelManager.ip={sandbox.dir}/kernel",
               f"--Execute.timeout={cell_timeout}"]
        for attempt in range(3):
            proc = subprocess.Popen(cmd, cwd=course.root, env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                                    start_new_session=True, preexec_fn=_limit_nbgrader)
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


def _reconcile(course: _Course, outcomes: list[Outcome]) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    # Scores this command wrote before. A manual score that is not one of them was set by a
    # person (formgrader): like `nbgrader autograde`, keep it and ask for a review, never overwrite.
    ledger_path = course.root / "safegrade_logs" / course.assignment / "written_scores.json"
    ledger = json.loads(ledger_path.read_text()) if ledger_path.exists() else {}
    with Gradebook(course.db_url) as gb:
        for o in outcomes:
            for p in o.parts:
                grade = None
                if o.nbgrader_ok:
                    try:
                        grade = gb.find_grade(p.grade_id, p.notebook[:-6], course.assignment, o.student)
                        p.nbgrader = float(grade.auto_score) if grade.auto_score is not None else 0.0
                    except MissingEntry:
                        p.nbgrader = None
                verified = p.verifier is None
                if p.nbgrader is None:
                    p.final = p.max_points if verified else 0.0
                else:
                    p.final = min(p.nbgrader, p.max_points if verified else 0.0)
                if p.nbgrader is not None and p.nbgrader > p.final:
                    o.flags.append(f"{p.grade_id}: nbgrader gave {p.nbgrader:g}/{p.max_points:g}, "
                                   f"verifier says 0 ({p.verifier})")
                elif p.nbgrader is not None and verified and p.nbgrader < p.max_points:
                    o.flags.append(f"{p.grade_id}: verifier passed but nbgrader gave {p.nbgrader:g}/{p.max_points:g}; kept the lower")
                if grade is None:
                    continue
                key = f"{o.student}/{p.notebook}/{p.grade_id}"
                person = grade.manual_score is not None and grade.manual_score != ledger.get(key)
                if person:
                    o.flags.append(f"{p.grade_id}: kept the manual score {grade.manual_score:g} a grader set "
                                   f"(safegrade computed {p.final:g}); marked for review")
                    p.final = float(grade.manual_score)
                    grade.needs_manual_grade = True
                else:
                    grade.manual_score = p.final
                    grade.needs_manual_grade = False
                    ledger[key] = p.final
            o.score = sum(p.final for p in o.parts)
        gb.db.commit()
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    ledger_path.write_text(json.dumps(ledger, indent=1, sort_keys=True))


def grade_class(course_dir, assignment: str, *, jobs: int = 2, students: list[str] | None = None,
                student_timeout: float = 300, cell_timeout: int = 30, limits: Limits | None = None,
                progress=None) -> ClassReport:
    """Grade every submission of ``assignment``; see the module docstring. Returns the class report."""
    check_available()
    if not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"jobs must be a positive integer (argument --jobs); got {jobs!r}")
    course = _Course(Path(course_dir).resolve(), assignment)
    submitted = course.root / "submitted"
    names = sorted(p.name for p in submitted.iterdir() if p.is_dir()) if submitted.is_dir() else []
    everyone = sorted(set(names) | set(course.gradebook_students))
    if students is not None:
        unknown = sorted(set(students) - set(everyone))
        if unknown:
            raise UsageError(f"unknown student(s) {', '.join(unknown)} (argument --student); allowed values: "
                             f"{', '.join(everyone) or '(none)'}")
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
                pool.submit(_grade_one, course, s, None if uid0 is None else uid0 + i, base, canary, limits=limits,
                            cell_timeout=cell_timeout, student_timeout=student_timeout): s
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
                        progress(f"[{done[0]:>3}/{len(everyone)}] {s}: {o.seconds:.1f} s"
                                 + (f", {len(o.flags)} flag(s)" if o.flags else ""))
    finally:
        canary_file.unlink(missing_ok=True)
        shutil.rmtree(base, ignore_errors=True)
    ordered = [outcomes[s] for s in everyone]
    _reconcile(course, ordered)
    after = _tree_hashes(*protected)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return ClassReport(assignment, ordered, time.monotonic() - t0, changed, limits_in_force())
