"""Runs inside the sandbox: define the student's functions, call them, save plain results.

Started by :mod:`safegrade.verifier` through :mod:`safegrade.inside` (target
``harness``, arguments ``JOB OUT GRADE_ID...``). It reads ``JOB/job.json``
and ``JOB/inputs.npz`` (written by the grader, read-only here), runs
the instructor's read-only cells, makes forbidden functions raise (their code
objects are replaced, so every reference to them is covered), runs the
student's cells, then for each grade id calls the student's functions and
writes ``OUT/<grade_id>.json`` (+ ``.npz``): plain, tagged data only. Nothing
it writes is trusted: the grader decodes it as data and compares in its own
process, with expected values that never enter the sandbox.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import types
from typing import Any

from safegrade.encoding import decode, encode


def _forbidden(*args, **kwargs):
    raise RuntimeError("safegrade: this function is forbidden in this exercise")


def _functions_of(target):
    """The plain Python functions a target name (``mod`` or ``mod:attr``) covers."""
    import importlib

    name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(name)
    except Exception:
        return []
    if attr:
        obj = getattr(module, attr, None)
        objs = [getattr(obj, "_implementation", obj)]
    else:
        objs = []
        for mod_name, mod in list(sys.modules.items()):
            if mod_name == name or mod_name.startswith(name + "."):
                for value in list(vars(mod).values()):
                    objs.append(getattr(value, "_implementation", value))
    return [f for f in objs if isinstance(f, types.FunctionType) and not f.__code__.co_freevars]


_FOUND: dict[str, tuple[int, list]] = {}  # target -> (len(sys.modules) when looked up, its functions)


def _functions_cached(target):
    """:func:`_functions_of`, looked up again only when a module was imported since: a module target
    (``padlib``) walks every loaded module's namespace, which cost half the harness's time per call."""
    known = _FOUND.get(target)
    if known is None or known[0] != len(sys.modules):
        known = _FOUND[target] = (len(sys.modules), _functions_of(target))
    return known[1]


def _trap(targets):
    saved = []
    for target in targets:
        for f in _functions_cached(target):
            saved.append((f, f.__code__))
            f.__code__ = _forbidden.__code__
    return saved


def _untrap(saved):
    for f, code in reversed(saved):
        f.__code__ = code


def _run(cells, shell, seconds):
    """Run cells as the kernel would (IPython: magics, get_ipython), each under a time limit."""
    for cell in cells:
        signal.alarm(seconds)
        try:
            shell.run_cell(cell, store_history=True)
        except BaseException:  # a broken cell is the student's problem, not the harness's
            pass
        finally:
            signal.alarm(0)


def main(argv: list[str]) -> None:
    lib, out, grade_ids = argv[0], argv[1], argv[2:]
    with open(os.path.join(lib, "job.json"), encoding="utf-8") as f:
        job = json.load(f)
    import numpy as np

    inputs = dict(np.load(os.path.join(lib, "inputs.npz"), allow_pickle=False))
    namespace: dict[str, Any] = {"__name__": "__main__"}
    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = open(os.devnull, "w")  # what the student's code prints goes nowhere

    def on_alarm(signum, frame):
        raise TimeoutError("took too long")

    signal.signal(signal.SIGALRM, on_alarm)
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(user_ns=namespace)
    _run(job["prelude"], shell, int(job["call_timeout"]))
    import importlib

    def resolve(target):
        mod, _, attr = target.partition(":")
        return getattr(importlib.import_module(mod), attr)

    all_traps = _trap(job["forbid_all"])  # trapped while the student's cells run
    _run(job["cells"], shell, int(job["call_timeout"]))
    _untrap(all_traps)

    for gid in grade_ids:
        open(os.path.join(out, f"{gid}.started"), "w").close()
        arrays: dict[str, np.ndarray] = {}
        records: list[dict] = []
        for call in job["checks"][gid]:
            args = decode(call["args"], inputs)
            kwargs = {name: decode(value, inputs) for name, value in call["kwargs"].items()}  # encoded one by one
            before = [a.copy() for a in [*args, *kwargs.values()] if isinstance(a, np.ndarray)]
            saved_helpers = {n: namespace.get(n) for n in call["helpers"]}
            for n, target in call["helpers"].items():
                namespace[n] = resolve(target)
            traps = _trap(call["forbidden"])
            signal.signal(signal.SIGALRM, on_alarm)
            signal.alarm(int(job["call_timeout"]))
            try:
                fn = namespace.get(call["function"])
                if fn is None:
                    raise NameError(f"{call['function']} is not defined")
                result = fn(*args, **kwargs)
                signal.alarm(0)
                after = [a for a in [*args, *kwargs.values()] if isinstance(a, np.ndarray)]
                mutated = any(
                    a.shape != b.shape or not np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
                    for a, b in zip(after, before, strict=True)
                )
                try:
                    records.append({"ok": encode(result, arrays), "mutated": mutated})
                except TypeError as e:
                    records.append({"rejected": str(e)})
            except BaseException as e:  # any failure is reported as data
                signal.alarm(0)
                records.append({"raised": type(e).__name__, "message": str(e)[:300]})
            finally:
                _untrap(traps)
                namespace.update(saved_helpers)
            if records[-1].get("raised") == "TimeoutError":  # the part has failed; do not spend 10 s per case
                records.extend([records[-1]] * (len(job["checks"][gid]) - len(records)))
                break
        np.savez(os.path.join(out, f"{gid}.npz"), allow_pickle=False, **arrays)
        with open(os.path.join(out, f"{gid}.json"), "w", encoding="utf-8") as f:
            json.dump(records, f)
    sys.stdout, sys.stderr = real_stdout, real_stderr
    os._exit(0)  # skip atexit hooks the student may have registered
