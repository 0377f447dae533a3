"""Verdicts that student code cannot forge: re-run answers in a sandbox, compare outside it.

For one student notebook, :func:`verify_notebook`

1. takes the student's code cells, minus every autograder test cell (known by
   grade id from the instructor's source notebook, whatever the student did to
   the metadata), with read-only instructor cells taken from the source;
2. runs them in a fresh sandbox (:mod:`safegrade.harness`, no padlib, np.pad
   trapped when the spec forbids it), which only defines the functions and
   calls them on the spec's inputs, saving plain results;
3. computes the expected results by running the instructor's own solution in
   *this* process, which student code never touched;
4. reads the student's results back as plain data (``np.load(allow_pickle=False)``,
   JSON of exact ints/floats/lists) and compares: exact type ``ndarray``, dtype,
   shape and values (NaN equal to NaN).

A spec (``safegrade/specs/<assignment>.py``) says which calls check which
graded test cell: ``FORBID`` (a tuple with ``"numpy.pad"``/``"padlib"``) and
``checks(rng) -> {grade_id: [Call, ...]}``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .sandbox import Sandbox

HARNESS = Path(__file__).resolve().parent / "harness.py"
MAX_NOTEBOOK_BYTES = 20 << 20
SPECS_DIR = Path(__file__).resolve().parent / "specs"


@dataclass(frozen=True)
class Call:
    """``function(*args, **kwargs)``; array arguments are numpy arrays."""

    function: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def describe(self) -> str:
        def show(a):
            return f"array(shape={a.shape}, dtype={a.dtype})" if isinstance(a, np.ndarray) else repr(a)

        parts = [show(a) for a in self.args] + [f"{k}={show(v)}" for k, v in self.kwargs.items()]
        return f"{self.function}({', '.join(parts)})"


@dataclass
class Spec:
    assignment: str
    forbid: tuple[str, ...]
    checks: dict[str, list[Call]]


def load_spec(assignment: str, specs_dir: Path | None = None) -> Spec:
    path = Path(specs_dir or SPECS_DIR) / f"{assignment}.py"
    if not path.is_file():
        raise FileNotFoundError(f"no verifier spec for assignment {assignment!r}: expected {path}")
    module_spec = importlib.util.spec_from_file_location(f"safegrade_spec_{assignment}", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    seed = getattr(module, "SEED", 20240606)
    return Spec(assignment, tuple(getattr(module, "FORBID", ())), module.checks(np.random.default_rng(seed)))


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


def student_code(source_nb, student_nb) -> list[str]:
    """The code the verifier runs: the student's cells without any test cell, instructor's locked cells from source."""
    tests = test_cell_ids(source_nb)
    locked = {
        nbgrader_meta(c)["grade_id"]: c.source
        for c in source_nb.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("locked") and nbgrader_meta(c).get("grade_id") not in tests
    }
    seen, cells = set(), []
    for cell in student_nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in tests:
            continue
        if gid in locked:
            if gid not in seen:
                cells.append(locked[gid])
            seen.add(gid)
            continue
        source = cell.get("source", "")
        cells.append("".join(source) if isinstance(source, list) else str(source))
    missing = [src for gid, src in locked.items() if gid not in seen]
    return missing + cells


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


def reference_results(source_nb, calls: dict[str, Call]) -> dict[str, dict]:
    """Expected results: the instructor's solution, run here (trusted), as the same records the harness writes."""
    tests = test_cell_ids(source_nb)
    namespace = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for cell in source_nb.cells:
            if cell.cell_type == "code" and nbgrader_meta(cell).get("grade_id") not in tests:
                exec(compile(cell.source, "<source>", "exec"), namespace)
        out = {}
        for cid, call in calls.items():
            args = [a.copy() if isinstance(a, np.ndarray) else a for a in call.args]
            kwargs = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in call.kwargs.items()}
            try:
                result = namespace[call.function](*args, **kwargs)
            except Exception as e:
                out[cid] = {"kind": "raised", "type": type(e).__name__}
                continue
            if type(result) is np.ndarray:
                out[cid] = {"kind": "ndarray", "value": result}
            else:
                out[cid] = {"kind": "json", "value": json.loads(json.dumps(result))}
    return out


def _compare(got: dict | None, want: dict) -> str | None:
    """None if ``got`` matches ``want``, else what differs."""
    if got is None:
        return "no result (the sandboxed run died, timed out or was interrupted)"
    kind = got.get("kind")
    if kind == "rejected":
        return f"returned a {got.get('type')}, not a plain numpy array or number"
    if kind == "raised" and want["kind"] != "raised":
        return f"raised {got.get('type')}: {got.get('message', '')}"
    if kind != want["kind"]:
        return f"returned a {kind} result, expected {want['kind']}"
    if kind == "raised":
        return None if got.get("type") == want["type"] else f"raised {got.get('type')}, expected {want['type']}"
    if kind == "json":
        return None if got.get("value") == want["value"] else f"returned {got.get('value')!r}, expected {want['value']!r}"
    a, b = got["value"], want["value"]
    if a.dtype != b.dtype:
        return f"returned dtype {a.dtype}, expected {b.dtype}"
    if a.shape != b.shape:
        return f"returned shape {a.shape}, expected {b.shape}"
    if not np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"):
        return "returned wrong values"
    return None


def _read_result(out_dir: Path, cid: str) -> dict | None:
    meta = out_dir / f"{cid}.json"
    try:
        if meta.stat().st_size > 1 << 20:
            return None
        record = json.loads(meta.read_text(encoding="utf-8"))
        if not isinstance(record, dict):
            return None
        if record.get("kind") == "ndarray":
            value = np.load(out_dir / f"{cid}.npy", allow_pickle=False)
            if type(value) is not np.ndarray or value.dtype.hasobject:
                return None
            record["value"] = value
        return record
    except (OSError, ValueError, TypeError, EOFError):
        return None


@dataclass
class Plan:
    """Everything about one source notebook the verifier needs, computed once per class run."""

    spec: Spec
    source_nb: object
    grade_ids: list[str]
    calls: dict[str, Call]
    owner: dict[str, str]
    expected: dict[str, dict]
    arrays: dict[str, np.ndarray]
    job_calls: list[dict]


def make_plan(spec: Spec, source_nb) -> Plan:
    """The calls that check each autograder test cell of ``source_nb``, with the instructor's results."""
    grade_ids = [nbgrader_meta(c)["grade_id"] for c in source_nb.cells
                 if nbgrader_meta(c).get("grade_id") in test_cell_ids(source_nb)]
    calls, owner = {}, {}
    for gid in grade_ids:
        for call in spec.checks.get(gid, []):
            cid = f"c{len(calls):04d}"
            calls[cid], owner[cid] = call, gid
    arrays, job_calls = {}, []

    def ref(x):
        if isinstance(x, np.ndarray):
            key = f"a{len(arrays)}"
            arrays[key] = x
            return {"array": key}
        return x

    for cid, call in calls.items():
        job_calls.append({"id": cid, "function": call.function, "args": [ref(a) for a in call.args],
                          "kwargs": {k: ref(v) for k, v in call.kwargs.items()}})
    expected = reference_results(source_nb, calls)
    return Plan(spec, source_nb, grade_ids, calls, owner, expected, arrays, job_calls)


def verify_notebook(plan: Plan, sandbox: Sandbox, student_nb, *, timeout: float = 60,
                    call_timeout: int = 10) -> dict[str, str | None]:
    """``{grade_id: None (verified) or the reason it is not}`` for every test cell of the plan's notebook."""
    verdict: dict[str, str | None] = {gid: None for gid in plan.grade_ids}
    for gid in plan.grade_ids:
        if gid not in plan.spec.checks:
            verdict[gid] = f"no verifier check for {gid} in the {plan.spec.assignment} spec"
    if not plan.calls:
        return verdict
    if student_nb is None:
        return {gid: "no readable notebook" for gid in plan.grade_ids}
    stamp = time.monotonic_ns()
    run = sandbox.lib / f"job{stamp}"
    run.mkdir(mode=0o755)
    out = sandbox.dir / f"out{stamp}"
    out.mkdir(mode=0o700)
    os.chown(out, sandbox.uid, sandbox.uid)
    (run / "job.json").write_text(json.dumps({
        "cells": student_code(plan.source_nb, student_nb),
        "calls": plan.job_calls,
        "forbid": list(plan.spec.forbid),
        "call_timeout": call_timeout,
    }))
    np.savez(run / "inputs.npz", **plan.arrays)
    shutil.copy(HARNESS, run / "safegrade_harness.py")
    cmd = sandbox.command("safegrade_harness", [str(run), str(out)], sys_path=[str(run)],
                          reveal_padlib="padlib" not in plan.spec.forbid)
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    finally:
        sandbox.kill()
        if proc.poll() is None:
            proc.kill()
        proc.wait()

    for cid, want in plan.expected.items():
        gid = plan.owner[cid]
        if verdict[gid] is not None:
            continue
        problem = _compare(_read_result(out, cid), want)
        if problem:
            verdict[gid] = f"{plan.calls[cid].describe()}: {problem}"
    return verdict
