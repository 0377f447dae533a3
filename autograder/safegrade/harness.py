"""Runs inside the sandbox: define the student's functions, call them, save plain results.

Copied into the sandbox's read-only ``lib/`` directory and run as a module by
:mod:`safegrade.verifier`. It reads ``lib/job.json`` and ``lib/inputs.npz``
(written by the grader) and writes, after every call, ``out/NNNN.json`` and,
for arrays, ``out/NNNN.npy`` (``allow_pickle=False``). Nothing it writes is
trusted: the grader re-reads it as plain data and compares in its own process.
Student code runs in this process, so it can forge these files; it cannot see
the expected results, which never enter the sandbox.
"""

from __future__ import annotations

import json
import os
import signal
import sys

_DEVNULL = open(os.devnull, "w")


class ForbiddenCall(RuntimeError):
    """The graded function used something the exercise forbids (np.pad, padlib)."""


def _trap(what):
    def trapped(*args, **kwargs):
        raise ForbiddenCall(f"{what} is not allowed in this exercise")

    return trapped


def _install_traps(forbid):
    import numpy as np

    if "numpy.pad" in forbid:
        import numpy.lib._arraypad_impl as impl

        np.pad = _trap("np.pad")
        for name in dir(impl):
            if callable(getattr(impl, name)) and not isinstance(getattr(impl, name), type):
                setattr(impl, name, _trap(f"numpy.lib._arraypad_impl.{name}"))
    if "padlib" in forbid:
        import importlib.abc

        class _NoPadlib(importlib.abc.MetaPathFinder):
            def find_spec(self, fullname, path=None, target=None):
                if fullname == "padlib" or fullname.startswith("padlib."):
                    raise ForbiddenCall("padlib is not allowed in this exercise")
                return None

        sys.meta_path.insert(0, _NoPadlib())


def _plain_json(x):
    """``x`` if it is made only of exact int/float/bool/str/None/list/tuple (no subclasses), else raise."""
    if x is None or type(x) in (int, float, bool, str):
        return x
    if type(x) in (list, tuple):
        return [_plain_json(v) for v in x]
    raise TypeError(type(x).__module__ + "." + type(x).__qualname__)


def _to_python(cell):
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(cell)
    except Exception:
        return cell


def main():
    lib, out = sys.argv[1], sys.argv[2]
    with open(os.path.join(lib, "job.json"), encoding="utf-8") as f:
        job = json.load(f)
    import numpy as np

    inputs = dict(np.load(os.path.join(lib, "inputs.npz"), allow_pickle=False))
    _install_traps(set(job["forbid"]))

    def on_alarm(signum, frame):
        raise TimeoutError("call took too long")

    namespace = {"__name__": "__main__"}
    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = _DEVNULL
    for i, cell in enumerate(job["cells"]):
        try:
            exec(compile(_to_python(cell), f"<cell {i}>", "exec"), namespace)
        except BaseException:  # a broken cell is the student's problem, not the harness's
            pass
    for call in job["calls"]:
        record = {"id": call["id"]}
        args = [inputs[a["array"]].copy() if isinstance(a, dict) else a for a in call["args"]]
        kwargs = {k: (inputs[v["array"]].copy() if isinstance(v, dict) else v) for k, v in call["kwargs"].items()}
        signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(int(job["call_timeout"]))
        try:
            fn = namespace.get(call["function"])
            if fn is None:
                raise NameError(f"{call['function']} is not defined")
            result = fn(*args, **kwargs)
            signal.alarm(0)
            if type(result) is np.ndarray:
                if result.dtype.hasobject:
                    record.update(kind="rejected", type="object ndarray")
                else:
                    np.save(os.path.join(out, f"{call['id']}.npy"), result, allow_pickle=False)
                    record.update(kind="ndarray")
            else:
                try:
                    record.update(kind="json", value=_plain_json(result))
                except TypeError as e:
                    record.update(kind="rejected", type=str(e))
        except BaseException as e:  # noqa: BLE001 - report any failure as data
            signal.alarm(0)
            record.update(kind="raised", type=type(e).__name__, message=str(e)[:200])
        with open(os.path.join(out, f"{call['id']}.json"), "w", encoding="utf-8") as f:
            json.dump(record, f)
    sys.stdout, sys.stderr = real_stdout, real_stderr
    os._exit(0)  # skip atexit hooks the student may have registered


if __name__ == "__main__":
    main()
