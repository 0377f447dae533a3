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
import io
import json
import os
import shutil
import subprocess
import sys
import time
import types
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import harness
from .sandbox import REPO_ROOT, Sandbox

HARNESS = Path(harness.__file__).resolve()
MAX_NOTEBOOK_BYTES = 20 << 20
MAX_RESULT_BYTES = 64 << 20


def nbgrader_meta(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def test_cell_ids(source_nb) -> set[str]:
    """Grade ids of the autograder test cells (graded, not an answer) in the instructor's notebook."""
    return {
        nbgrader_meta(c)["grade_id"]
        for c in source_nb.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")
    }


def read_notebook(path: Path):
    """The notebook at ``path``, or raise ValueError with a reason a person can act on."""
    import nbformat

    if not path.is_file():
        raise ValueError(f"missing notebook {path.name}")
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise ValueError(f"notebook {path.name} is larger than {MAX_NOTEBOOK_BYTES >> 20} MB")
    try:
        return nbformat.read(str(path), as_version=4)
    except Exception as e:  # nbformat raises several types for broken JSON
        raise ValueError(f"notebook {path.name} is not valid notebook JSON ({type(e).__name__})") from None


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
    helper_names: list[str]


def make_plan(source_nb) -> Plan:
    """Record the calls each autograder test cell of ``source_nb`` makes through safegrade.checks."""
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from safegrade import checks as grading

    tests = test_cell_ids(source_nb)
    grade_ids = [nbgrader_meta(c)["grade_id"] for c in source_nb.cells
                 if c.cell_type == "code" and nbgrader_meta(c).get("grade_id") in tests]
    checks = {gid: [] for gid in grade_ids}
    expected = {gid: [] for gid in grade_ids}
    arrays: dict[str, np.ndarray] = {}
    current = {"gid": None, "helpers": {}}
    forbid_all: set[str] = set()

    def record(func, args, exp, *, kwargs=None, forbidden=(), check_dtype=True, atol=0.0):
        gid = current["gid"]
        if gid is None:
            return
        names = [_target_name(t) for t in forbidden]
        forbid_all.update(names)
        checks[gid].append({
            "function": func.__name__,
            "args": harness.encode(tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args), arrays),
            "kwargs": {k: harness.encode(v, arrays) for k, v in (kwargs or {}).items()},
            "forbidden": names,
            "helpers": dict(current["helpers"]),
        })
        call, _ = grading._call_text(func, args, dict(kwargs or {}))
        expected[gid].append((exp.copy() if isinstance(exp, np.ndarray) else exp, check_dtype, atol, call))

    @contextlib.contextmanager
    def helpers(namespace, **references):
        old = current["helpers"]
        current["helpers"] = {**old, **{k: _target_name(v) for k, v in references.items()}}
        try:
            yield
        finally:
            current["helpers"] = old

    namespace = {"__name__": "__main__"}
    saved = grading.check, grading.reference_helpers
    grading.check, grading.reference_helpers = record, helpers
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for cell in source_nb.cells:
                if cell.cell_type != "code":
                    continue
                current["gid"] = nbgrader_meta(cell).get("grade_id") if nbgrader_meta(cell).get("grade_id") in tests else None
                exec(compile(cell.source, f"<source {current['gid']}>", "exec"), namespace)
    finally:
        grading.check, grading.reference_helpers = saved
    prelude = [c.source for c in source_nb.cells if c.cell_type == "code" and nbgrader_meta(c).get("locked")
               and nbgrader_meta(c).get("grade_id") not in tests]
    helper_names = sorted({n for calls in checks.values() for c in calls for n in c["helpers"]})
    return Plan(source_nb, grade_ids, checks, expected, arrays, prelude, sorted(forbid_all), helper_names)


def student_code(source_nb, student_nb) -> list[str]:
    """The student's code cells without any autograder test cell or instructor read-only cell."""
    tests = test_cell_ids(source_nb)
    locked = {nbgrader_meta(c).get("grade_id") for c in source_nb.cells if nbgrader_meta(c).get("locked")}
    cells = []
    for cell in student_nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in tests or (gid in locked and gid is not None):
            continue
        source = cell.get("source", "")
        cells.append("".join(source) if isinstance(source, list) else str(source))
    return cells


def _compare(record, want) -> str | None:
    """None if the student's result ``record`` matches, else what differs."""
    from safegrade import checks as grading

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
            grading.assert_array_matches(returned, exp, call, check_dtype=check_dtype, atol=atol)
        else:
            grading.assert_value_matches(returned, exp, call)
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
                r["value"] = harness.decode(r["ok"], arrays)
        return records
    except Exception:
        return None


def verify_notebook(plan: Plan, sandbox: Sandbox, student_nb, *, timeout: float = 120,
                    call_timeout: int = 10) -> dict[str, str | None]:
    """``{grade_id: None (verified) or the reason it is not}`` for every test cell of the plan's notebook."""
    verdict: dict[str, str | None] = {}
    for gid in plan.grade_ids:
        if not plan.checks[gid]:
            verdict[gid] = f"{gid} makes no safegrade.checks.check call the verifier could record"
    if student_nb is None:
        return {gid: "no readable notebook" for gid in plan.grade_ids}
    stamp = time.monotonic_ns()
    run = sandbox.lib / f"job{stamp}"
    run.mkdir(mode=0o755)
    (run / "job.json").write_text(json.dumps({
        "prelude": plan.prelude,
        "cells": student_code(plan.source_nb, student_nb),
        "checks": plan.checks,
        "forbid_all": plan.forbid_all,
        "helper_names": plan.helper_names,
        "call_timeout": call_timeout,
    }))
    np.savez(run / "inputs.npz", **plan.arrays)
    shutil.copy(HARNESS, run / "safegrade_harness.py")
    deadline = time.monotonic() + timeout
    pending = [gid for gid in plan.grade_ids if gid not in verdict]
    while pending:
        out = sandbox.dir / f"out{time.monotonic_ns()}"
        out.mkdir(mode=0o700)
        os.chown(out, sandbox.uid, sandbox.uid)
        cmd = sandbox.command("safegrade_harness", [str(run), str(out), *pending], sys_path=[str(run)])
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
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
                verdict[gid] = "the sandboxed run died or hung while checking this part (os._exit, crash, out of memory or time)"
        if not progressed or time.monotonic() >= deadline:
            for gid in pending:
                verdict[gid] = "the sandboxed run died before checking this part (student cells crashed it, or time ran out)"
            break
    return verdict
