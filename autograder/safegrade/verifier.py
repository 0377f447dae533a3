"""Verdicts that student code cannot forge: re-run answers in a sandbox, compare outside it.

The checks are read from the instructor's own tests, so they never go stale:
:func:`make_plan` runs the source notebook here (trusted code) with
``safegrade.checks.check`` and ``reference_helpers`` replaced by recorders, and
keeps, for every autograder test cell (grade id), each call it makes: the
function, its arguments, the expected value, the comparison options, the
forbidden functions and the reference helpers.

For one student notebook, :func:`verify_notebook` then

1. takes the student's code cells minus every autograder test cell (known by
   grade id from the source notebook, whatever the student did to the
   metadata); the instructor's read-only cells come from the source;
2. runs them in a fresh sandbox (:mod:`safegrade.harness`) that only defines
   the functions, calls them on the recorded arguments with forbidden
   functions trapped, and saves plain tagged results;
3. decodes those results here as data (``np.load(allow_pickle=False)``,
   JSON; exact ``ndarray``/int/float/tuple types, nothing else) and compares
   them with the recorded expected values using safegrade.checks's own
   comparisons, in this process, which student code never touched.

A harness that dies (``os._exit``, segfault, out of memory) or hangs costs only
the grade id it was checking: the others are re-run in a fresh sandbox.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import subprocess
import time
import types
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import checks
from .encoding import decode, encode
from .notebooks import locked_cell_ids, meta, source_text, test_cell_ids
from .sandbox import Sandbox

MAX_RESULT_BYTES = 64 << 20


def _target_name(obj) -> str:
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    fn = getattr(obj, "_implementation", obj)
    return f"{fn.__module__}:{fn.__name__}"


@dataclass
class Plan:
    """What the verifier checks for one source notebook, recorded once per class run."""

    source_nb: object
    grade_ids: list[str]
    checks: dict[str, list[dict]]  # grade id -> calls (arguments encoded against ``arrays``)
    expected: dict[str, list[tuple]]  # grade id -> (expected, check_dtype, atol, call text)
    arrays: dict[str, np.ndarray]
    prelude: list[str]
    forbid_all: list[str]

    @functools.cached_property
    def inputs_npz(self) -> bytes:
        """``arrays`` as the harness reads them (``inputs.npz``), serialised once per plan, not per student."""
        buffer = io.BytesIO()
        np.savez(buffer, allow_pickle=False, **self.arrays)
        return buffer.getvalue()


class _Recorder:
    """What :func:`safegrade.checks.recording` hands the instructor's ``check`` calls to."""

    def __init__(self, grade_ids):
        self.gid = None
        self.helper_targets: dict[str, str] = {}
        self.checks: dict[str, list[dict]] = {gid: [] for gid in grade_ids}
        self.expected: dict[str, list[tuple]] = {gid: [] for gid in grade_ids}
        self.arrays: dict[str, np.ndarray] = {}
        self.forbid_all: set[str] = set()

    def check(self, func, args, exp, *, kwargs=None, forbidden=(), check_dtype=True, atol=0.0):
        if self.gid is None:
            return
        names = [_target_name(t) for t in forbidden]
        self.forbid_all.update(names)
        self.checks[self.gid].append(
            {
                "function": func.__name__,
                "args": encode(tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args), self.arrays),
                "kwargs": {k: encode(v, self.arrays) for k, v in (kwargs or {}).items()},
                "forbidden": names,
                "helpers": dict(self.helper_targets),
            }
        )
        call, _ = checks._call_text(func, args, dict(kwargs or {}))
        self.expected[self.gid].append((exp.copy() if isinstance(exp, np.ndarray) else exp, check_dtype, atol, call))

    @contextlib.contextmanager
    def helpers(self, namespace, **references):
        old = self.helper_targets
        self.helper_targets = {**old, **{k: _target_name(v) for k, v in references.items()}}
        try:
            yield
        finally:
            self.helper_targets = old


def make_plan(source_nb) -> Plan:
    """Record the calls each autograder test cell of ``source_nb`` makes through safegrade.checks."""
    grade_ids = test_cell_ids(source_nb)
    tests = set(grade_ids)
    recorder = _Recorder(grade_ids)
    namespace = {"__name__": "__main__"}
    with (
        checks.recording(recorder),
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        for cell in source_nb.cells:
            if cell.cell_type != "code":
                continue
            recorder.gid = meta(cell).get("grade_id") if meta(cell).get("grade_id") in tests else None
            exec(compile(cell.source, f"<source {recorder.gid}>", "exec"), namespace)
    locked = locked_cell_ids(source_nb)
    prelude = [
        c.source
        for c in source_nb.cells
        if c.cell_type == "code" and meta(c).get("grade_id") in locked and meta(c).get("grade_id") not in tests
    ]
    return Plan(
        source_nb, grade_ids, recorder.checks, recorder.expected, recorder.arrays, prelude, sorted(recorder.forbid_all)
    )


def student_code(source_nb, student_nb) -> list[str]:
    """The student's code cells without any autograder test cell or instructor read-only cell."""
    skip = set(test_cell_ids(source_nb)) | locked_cell_ids(source_nb)
    return [
        source_text(cell)
        for cell in student_nb.get("cells", [])
        if isinstance(cell, dict) and cell.get("cell_type") == "code" and meta(cell).get("grade_id") not in skip
    ]


def _compare(record, want) -> str | None:
    """None if the student's result ``record`` matches, else what differs."""
    exp, check_dtype, atol, call = want
    if not isinstance(record, dict):
        return f"{call}: no result"
    if "raised" in record:
        return f"{call} raised {record['raised']}: {record.get('message', '')}"[:300]
    if "rejected" in record:
        return f"{call} returned a {record['rejected']}, not a plain numpy array or Python value"
    if record.get("mutated"):
        return f"{call} modified its input"
    returned = record["value"]
    try:
        if isinstance(exp, np.ndarray):
            checks.assert_array_matches(returned, exp, call, check_dtype=check_dtype, atol=atol)
        else:
            checks.assert_value_matches(returned, exp, call)
    except AssertionError as e:
        return str(e).splitlines()[0][:300]
    except Exception as e:  # odd data from the sandbox
        return f"{call}: result could not be compared ({type(e).__name__})"
    return None


def _read_results(out: Path, gid: str) -> list | None:
    try:
        meta, data = out / f"{gid}.json", out / f"{gid}.npz"
        if meta.stat().st_size > MAX_RESULT_BYTES or data.stat().st_size > MAX_RESULT_BYTES:
            return None
        records = json.loads(meta.read_text(encoding="utf-8"))
        with np.load(data, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        if any(type(a) is not np.ndarray or a.dtype.hasobject for a in arrays.values()):
            return None
        for r in records:
            if isinstance(r, dict) and "ok" in r:
                r["value"] = decode(r["ok"], arrays)
        return records
    except Exception:
        return None


def verify_notebook(
    plan: Plan, sandbox: Sandbox, student_nb, *, timeout: float = 120, call_timeout: int = 10
) -> dict[str, str | None]:
    """``{grade_id: None (verified) or the reason it is not}`` for every test cell of the plan's notebook."""
    verdict: dict[str, str | None] = {}
    for gid in plan.grade_ids:
        if not plan.checks[gid]:
            verdict[gid] = f"{gid} makes no safegrade.checks.check call the verifier could record"
    if student_nb is None:
        return {gid: "no readable notebook" for gid in plan.grade_ids}
    run = sandbox.lib / f"job{time.monotonic_ns()}"
    run.mkdir(mode=0o755)
    (run / "job.json").write_text(
        json.dumps(
            {
                "prelude": plan.prelude,
                "cells": student_code(plan.source_nb, student_nb),
                "checks": plan.checks,
                "forbid_all": plan.forbid_all,
                "call_timeout": call_timeout,
            }
        )
    )
    (run / "inputs.npz").write_bytes(plan.inputs_npz)
    deadline = time.monotonic() + timeout
    pending = [gid for gid in plan.grade_ids if gid not in verdict]
    while pending:
        out = sandbox.dir / f"out{time.monotonic_ns()}"
        out.mkdir(mode=0o700)
        if sandbox.uid is not None:
            os.chown(out, sandbox.uid, sandbox.uid)
        proc = sandbox.popen("harness", [str(run), str(out), *pending])
        try:
            proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        finally:
            sandbox.kill()
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        progressed = False
        for gid in list(pending):
            records = _read_results(out, gid)
            if records is not None:
                progressed = True
                pending.remove(gid)
                wants = plan.expected[gid]
                if len(records) != len(wants):
                    verdict[gid] = "the sandboxed run returned the wrong number of results"
                    continue
                verdict[gid] = next((p for p in map(_compare, records, wants) if p), None)
            elif (out / f"{gid}.started").exists():
                progressed = True
                pending.remove(gid)
                verdict[gid] = (
                    "the sandboxed run died or hung while checking this part (os._exit, crash, out of memory or time)"
                )
        if not progressed or time.monotonic() >= deadline:
            for gid in pending:
                verdict[gid] = (
                    "the sandboxed run died before checking this part (student cells crashed it, or time ran out)"
                )
            break
    return verdict
