"""Plain tagged data between the grader and the sandbox: both sides import this, and nothing else of each other.

Only exact ``numpy.ndarray`` (no object dtype), ``None``, ``bool``,
``int``, ``float``, ``str``, ``list``, ``tuple`` and numpy scalars pass;
anything else (subclasses included) raises ``TypeError`` when encoding.
Arrays travel in an ``.npz`` file read with ``allow_pickle=False``; the rest
in JSON.
"""

from __future__ import annotations


def encode(x, arrays: dict):
    """Tagged plain data for ``x``; arrays are stored in ``arrays`` under a key. Raises TypeError otherwise."""
    import numpy as np

    t = type(x)
    if t is np.ndarray:
        if x.dtype.hasobject:
            raise TypeError("object ndarray")
        key = f"r{len(arrays)}"
        arrays[key] = x
        return {"array": key}
    if x is None or t in (int, float, bool, str):
        return x
    if t is list:
        return [encode(v, arrays) for v in x]
    if t is tuple:
        return {"tuple": [encode(v, arrays) for v in x]}
    if isinstance(x, np.generic) and t.__module__ == "numpy":
        return {"np": x.dtype.str, "v": x.item()}
    raise TypeError(f"{t.__module__}.{t.__qualname__}")


def decode(y, arrays: dict):
    """The value :func:`encode` tagged (arrays copied out of ``arrays``)."""
    import numpy as np

    if isinstance(y, list):
        return [decode(v, arrays) for v in y]
    if isinstance(y, dict):
        if "array" in y:
            return arrays[y["array"]].copy()
        if "tuple" in y:
            return tuple(decode(v, arrays) for v in y["tuple"])
        if "np" in y:
            return np.dtype(y["np"]).type(y["v"])
    return y
