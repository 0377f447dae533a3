"""Grade a whole class: each student one Dask task, in its own sandbox; results stored by this process only.

:func:`grade_class`

1. vets each submission here (:func:`safegrade.student.prepare`: missing, empty,
   refused files, missing or renamed notebooks are flagged) and hashes it;
   a student whose submission (and assignment) is unchanged since it was last
   stored (:mod:`safegrade.ledger`) is skipped unless ``force``, so a re-run
   after a crash grades only what is missing;
2. sends the assignment's recorded data once to every worker and submits one
   task per student (:func:`safegrade.student.grade`: nbgrader's autograde in
   the sandboxed kernel, the verifier, redaction) to the cluster
   (:mod:`safegrade.cluster`: a TLS LocalCluster by default); a worker that dies
   has its tasks run again elsewhere by Dask, and each student's result is
   taken once;
3. as results come in, writes them in batches through one open gradebook
   (:func:`safegrade.gradebook.store`: the lower of nbgrader's score and the
   verifier's per part, a person's manual score kept), the autograded notebooks
   (the source of feedback) and the logs, then appends them to the ledger.

Submitted files are never written; a check compares their hashes before and after.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import ledger, worker
from .cluster import Grading, check_address, connect
from .course import Course, UsageError, sqlalchemy_url
from .gradebook import store
from .report import ClassReport, Outcome
from .sandbox import Limits, check_available, limits_in_force
from .student import grade, new_outcome, prepare
from .submission import id_problem

__all__ = ["UsageError", "grade_class"]

BATCH = 8  # results per gradebook transaction
BATCH_SECONDS = 5.0  # ... or as old as this


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


def _suspicious(keys: list[str], dask_scheduler=None) -> int:
    """On the scheduler: how many of ``keys`` were running on a worker that died (and so ran again)."""
    return sum(1 for k in keys if k in dask_scheduler.tasks and dask_scheduler.tasks[k].suspicious)


def _write_results(course: Course, results: list[dict]) -> None:
    """The autograded files (feedback's source) and nbgrader's log of each graded student, in the course."""
    logs = course.root / "safegrade_logs" / course.assignment
    logs.mkdir(parents=True, exist_ok=True)
    for r in results:
        s = r["outcome"].student
        if "log" in r:
            (logs / f"{s}.log").write_text(r["log"])
        if r.get("recorded") is None:
            continue
        dest = course.root / "autograded" / s / course.assignment
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True, exist_ok=True)
        worker.write_files(dest, r.get("autograded", {}))


class _Progress:
    """tqdm's bar on a terminal; otherwise one line per student through ``lines`` (or nothing)."""

    def __init__(self, total: int, lines):
        from tqdm import tqdm

        self.lines, self.total, self.done, self.flagged = lines, total, 0, 0
        self.bar = tqdm(total=total, file=sys.stderr, unit="student", desc="grading", disable=not sys.stderr.isatty())

    def update(self, o: Outcome) -> None:
        self.done += 1
        self.flagged += bool(o.flags)
        self.bar.update(1)
        self.bar.set_postfix(graded=self.done - self.flagged, flagged=self.flagged, remaining=self.total - self.done)
        if self.bar.disable and self.lines:
            self.lines(
                f"[{self.done:>3}/{self.total}] {o.student}: {o.seconds:.1f} s"
                + (f", {len(o.flags)} flag(s)" if o.flags else "")
            )

    def close(self) -> None:
        self.bar.close()


def check(course_dir, assignment: str, *, workers=None, scheduler=None, db=None) -> Course:
    """Everything that can be wrong before grading starts (sandbox, arguments, course, gradebook); the course."""
    check_available()
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise UsageError(f"workers must be a positive integer (argument --workers); got {workers!r}")
    if scheduler is not None:
        check_address(scheduler)
    return Course(Path(course_dir).resolve(), assignment, sqlalchemy_url(db) if db else None)


def grade_class(
    course_dir,
    assignment: str,
    *,
    workers: int | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    tls: dict | None = None,
    grading: Grading | None = None,
    students: list[str] | None = None,
    force: bool = False,
    db: str | None = None,
    student_timeout: float = 300,
    cell_timeout: int = 30,
    limits: Limits | None = None,
    progress=None,
) -> ClassReport:
    """Grade the submissions of ``assignment``; see the module docstring. Returns the class report.

    ``grading`` is an open cluster (:func:`safegrade.cluster.connect`) to use; else one is started
    (``workers``, or the older name ``jobs``) or reached (``scheduler``, ``tls``) for this call.
    ``students`` are graded whether or not they changed; ``db`` is the gradebook's URL.
    """
    workers = workers if workers is not None else jobs
    for s in students or []:
        problem = id_problem(s)
        if problem:
            raise UsageError(f"{problem} (argument --student)")
    starting = None
    if grading is None:  # start (or reach) the cluster and warm its workers while the course loads here
        check_available()
        if scheduler is not None:
            check_address(scheduler)
        starting = concurrent.futures.ThreadPoolExecutor(1).submit(_start, scheduler, workers, tls)
    try:
        course = check(course_dir, assignment, workers=workers, scheduler=scheduler, db=db)
    except BaseException:
        if starting is not None:
            with contextlib.suppress(Exception):
                starting.result().close()
        raise
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
    bundle = course.bundle(
        limits=limits,
        cell_timeout=cell_timeout,
        student_timeout=student_timeout,
        canary="safegrade-canary-" + secrets.token_hex(16),
        uid_base=_uid_base() if os.geteuid() == 0 else None,
    )
    t0 = time.monotonic()
    done = ledger.load(course.root, course.assignment)
    staging = Path(tempfile.mkdtemp(prefix="safegrade-staging-"))
    results: list[dict] = []  # not sent to a worker: nothing to grade
    tasks: list[tuple[str, dict[str, bytes], list[str], str]] = []
    resumed = 0
    try:
        for s in everyone:
            files, flags = prepare(course, s, staging)
            key = ledger.submission_key(files, flags, bundle.key)
            if not force and students is None and done.get(s, {}).get("key") == key:
                resumed += 1
                continue
            if files is None:
                o = new_outcome(course.notebooks, course.max_points, s)
                o.flags.extend(flags)
                results.append({"outcome": o, "recorded": None, "key": key})
            else:
                tasks.append((s, files, flags, key))
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    from nbgrader.api import Gradebook

    outcomes: list[Outcome] = []
    retried = 0
    own = starting is not None
    if starting is not None:  # before anything is written: an unreachable scheduler stops the run here
        grading = starting.result()
    try:
        bar = _Progress(len(results) + len(tasks), progress)
        with Gradebook(course.db_url) as gb:

            def flush(batch: list[dict]) -> None:
                if not batch:
                    return
                _write_results(course, batch)
                store(course, gb, batch)
                ledger.append(
                    course.root,
                    course.assignment,
                    [
                        {"student": r["outcome"].student, "key": r["key"], "score": r["outcome"].score}
                        | {"flags": r["outcome"].flags}
                        for r in batch
                        if not r.get("retry")  # a grader error: the next run tries again
                    ],
                )
                outcomes.extend(r["outcome"] for r in batch)
                for r in batch:
                    bar.update(r["outcome"])
                batch.clear()

            flush(results)
            if tasks:
                assert grading is not None
                if progress:
                    progress(f"grading {len(tasks)} student(s) on {_describe(grading)}; dashboard: {grading.dashboard}")
                retried = _run_tasks(grading.client, bundle, tasks, flush)
    finally:
        if own and grading is not None:
            grading.close()
    bar.close()
    outcomes.sort(key=lambda o: o.student)
    after = _tree_hashes(*protected)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    report = ClassReport(assignment, outcomes, time.monotonic() - t0, changed, limits_in_force())
    report.resumed, report.retried = resumed, retried
    report.dashboard = grading.dashboard if grading is not None else ""
    return report


def _start(scheduler: str | None, workers: int | None, tls: dict | None) -> Grading:
    """The cluster, its workers' fork servers started (they import nbgrader in parallel with the coordinator)."""
    grading = connect(scheduler, workers=workers, **(tls or {}))
    grading.client.run(worker.warm)  # type: ignore[attr-defined]  # quick: the imports run in the background
    return grading


def _describe(grading: Grading) -> str:
    info = grading.client.scheduler_info()  # type: ignore[attr-defined]
    return f"{len(info.get('workers', {}))} Dask worker(s) at {info.get('address', '?')}"


def _run_tasks(client, bundle, tasks, flush) -> int:
    """Submit one task per student, store results as they complete; return how many ran again.

    Results are stored in batches (one gradebook transaction each): a batch is stored when it holds
    BATCH results or its oldest result is BATCH_SECONDS old, whether or not more results arrive, so a
    coordinator killed while a slow student still runs loses at most the last few seconds' results.
    """
    from distributed import wait

    remote = client.scatter(bundle, broadcast=True)
    run = secrets.token_hex(4)
    futures = {}
    for i, (s, files, flags, key) in enumerate(tasks):
        fut = client.submit(
            grade, remote, s, files, flags, i, key=f"safegrade-{run}-{i}-{key[:12]}", pure=False, retries=0
        )
        futures[fut] = (s, key)
    batch: list[dict] = []
    oldest = 0.0  # when the batch's first result arrived
    seen: set[str] = set()
    pending = set(futures)
    try:
        while pending:
            timeout = max(0.1, oldest + BATCH_SECONDS - time.monotonic()) if batch else None
            try:
                done, pending = wait(pending, timeout=timeout, return_when="FIRST_COMPLETED")
            except TimeoutError:  # the batch is old enough: store it, wait for the rest
                done = set()
            for fut in done:
                s, key = futures[fut]
                if s in seen:  # a result arrives once per key; never count a student twice all the same
                    continue
                seen.add(s)
                try:
                    result = fut.result()
                except Exception as e:  # a bug or a machine problem: still never a silent gap
                    o = new_outcome(bundle.notebooks, bundle.max_points, s)
                    o.flags.append(f"grader error: {type(e).__name__}: {e}")
                    result = {"outcome": o, "recorded": None, "retry": True}
                result["key"] = key
                if not batch:
                    oldest = time.monotonic()
                batch.append(result)
            if batch and (len(batch) >= BATCH or time.monotonic() - oldest >= BATCH_SECONDS):
                flush(batch)
        flush(batch)
        return client.run_on_scheduler(_suspicious, [f.key for f in futures])
    finally:
        client.cancel(list(futures))
