"""Helpers for the graded notebooks in ``autograder/``: clear failure messages and rule checks.

The autograder's test cells call these, so that a failing test tells the
student what was expected and what they returned, side by side, in the
notebook and in the feedback HTML:

- :func:`check` calls a student's function and compares what it returns with
  the expected value; it also fails if the call modified an input array or
  used a forbidden function (``np.pad`` or ``padlib`` in the padding
  exercises).
- :func:`assert_array_matches` and :func:`assert_value_matches` are the two
  comparisons behind it, usable on their own.
- :func:`forbid` and :func:`forbidden_references` detect forbidden functions,
  at run time and in the function's code, including aliases such as
  ``from numpy import pad as p``.
- :func:`reference_helpers` swaps a student's helper functions for padlib's
  while one part is graded, so one mistake is not charged twice.

This module needs only numpy, so graded notebooks stay fast to grade; an array
check that fails in a Jupyter kernel also displays expected and returned as a
picture (:func:`picture`), importing matplotlib only then.
"""

from __future__ import annotations

import contextlib
import inspect
import numbers
import os
import sys
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, NoReturn, TypeGuard, cast

import numpy as np

if TYPE_CHECKING:
    import numpy.typing as npt

Target = Callable[..., object] | types.ModuleType  # what forbid and forbidden_references look for

__all__ = [
    "assert_array_matches",
    "assert_value_matches",
    "check",
    "forbid",
    "forbidden_references",
    "passed",
    "picture",
    "reference_helpers",
]

_PRINT: Final = {"threshold": 120, "linewidth": 60, "edgeitems": 3}


# --- comparisons -------------------------------------------------------------------------------


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"shape {value.shape}, {value.dtype}"
    return type(value).__name__


def _block(title: str, value: object) -> list[str]:
    if isinstance(value, np.ndarray):
        with np.printoptions(
            threshold=_PRINT["threshold"], linewidth=_PRINT["linewidth"], edgeitems=_PRINT["edgeitems"]
        ):
            text = np.array2string(value, separator=" ")
    else:
        text = repr(value)
    return [f"{title} ({_describe(value)}):", *text.splitlines()]


def _side_by_side(blocks: list[list[str]], gap: str = "   |   ") -> str:
    widths = [max(len(line) for line in b) for b in blocks]
    rows = max(len(b) for b in blocks)
    lines = []
    for i in range(rows):
        cells = [(b[i] if i < len(b) else "").ljust(w) for b, w in zip(blocks, widths, strict=True)]
        lines.append("  " + gap.join(cells).rstrip())
    return "\n".join(lines)


_RED, _RESET = "\x1b[1;31m", "\x1b[0m"


def _failure(message: str) -> AssertionError:
    """An AssertionError that a notebook shows as one block: the message, no traceback.

    IPython renders an exception through its ``_render_traceback_()`` when it has one, so the
    student (and nbgrader's feedback, which keeps what the notebook showed) sees which call
    failed, what was expected and what came back, and no frame of the grader's code or path.
    """
    error = AssertionError(message)
    first, *rest = message.split("\n")
    # IPython's hook, set on this one error (an AssertionError has no such attribute to mypy)
    error._render_traceback_ = lambda: [f"{_RED}AssertionError{_RESET}: {first}", *rest]  # type: ignore[attr-defined]
    return error


def passed(what: str) -> None:
    """Print the one-line confirmation a visible test cell ends with, so "passed" differs from "did not run".

    >>> passed("pad_constant")
    ✓ pad_constant: the visible tests pass (the hidden tests run when your work is graded)
    """
    print(f"✓ {what}: the visible tests pass (the hidden tests run when your work is graded)")


def _fail(problem: str, call: str, returned: object, expected: object, inputs: Mapping[str, object] | None) -> NoReturn:
    __tracebackhide__ = True  # IPython and pytest show the test line and the message, not these internals
    blocks = [_block(name, value) for name, value in (inputs or {}).items()]
    blocks += [_block("expected", expected), _block("you returned", returned)]
    head = f"{call} {problem}" if call else problem[0].upper() + problem[1:]
    message = f"{head}\n{_side_by_side(blocks)}"
    _show_picture(expected, returned)
    raise _failure(message)


_PICTURE_MAX_SIDE = 30  # cells; a larger array's picture is too small to read


def _drawable(value) -> bool:
    return (
        isinstance(value, np.ndarray)
        and value.ndim in (1, 2)
        and value.size > 0
        and value.dtype.kind in "biuf"
        and max(value.shape) <= _PICTURE_MAX_SIDE
    )


def picture(expected: np.ndarray, returned: np.ndarray) -> bytes:
    """PNG of ``expected`` and ``returned`` side by side, differing cells marked (:func:`padlib.plot.compare_arrays`).

    Drawn on a figure of its own (no pyplot, no global matplotlib state);
    matplotlib is imported here, on the first failure, never when a check passes.
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from padlib import plot

    rows = max(1 if a.ndim == 1 else a.shape[0] for a in (expected, returned))
    cols = max(a.shape[-1] for a in (expected, returned))
    fig = Figure(figsize=(2 * max(2.2, 0.4 * cols + 0.9), max(1.7, 0.4 * rows + 1.4)), layout="constrained")
    FigureCanvasAgg(fig)
    plot.compare_arrays(expected, returned, axes=fig.subplots(1, 2))
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=80)
    return out.getvalue()


PICTURE_TEXT = "[picture: expected and returned side by side, differing cells marked]"


def _show_picture(expected, returned) -> None:
    """In a Jupyter kernel, display :func:`picture` above the failure (a PNG output of the test cell).

    nbgrader keeps a test cell's display outputs, so the feedback HTML shows it
    too. It shows only what the message shows (expected and returned); outside a
    kernel (the verifier, doctests, a terminal) nothing is drawn. Its text
    form is a fixed line (:data:`PICTURE_TEXT`), never a quote of the test. The
    picture is an extra: if it cannot be drawn, the failure's message stands alone.
    """
    if not (_drawable(expected) and _drawable(returned)):
        return
    shell = _kernel_shell()
    if shell is None:
        return
    import base64

    try:
        png = picture(expected, returned)
    except Exception:  # a picture that fails must not hide the failure's message
        return
    from IPython.display import display

    display({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": PICTURE_TEXT}, raw=True)


def _kernel_shell():
    """The IPython shell of a Jupyter kernel this runs in, or None (imports nothing new when there is none)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return None
    shell = ipython.get_ipython()
    return shell if getattr(shell, "kernel", None) is not None else None


def assert_array_matches(
    returned: object,
    expected: npt.ArrayLike,
    call: str = "",
    *,
    check_dtype: bool = True,
    atol: float = 0.0,
    inputs: Mapping[str, object] | None = None,
) -> None:
    """Fail with a side-by-side message unless ``returned`` is an array equal to ``expected``.

    ``call`` describes what was called (``"pad_reflect(x, pad=2)"``);
    ``inputs`` maps argument names to the arrays shown next to the result.
    With ``check_dtype`` the dtype must match too (``int64`` stays ``int64``);
    ``atol`` allows that much rounding difference (for sums of floats).

    >>> assert_array_matches(np.array([3, 2, 1]), np.array([3, 2, 1]))
    >>> assert_array_matches(np.array([2, 1, 1]), np.array([3, 2, 1]), "f(x)")
    Traceback (most recent call last):
    ...
    AssertionError: f(x) returned the wrong values; first difference at index (0,): expected 3, you returned 2
      expected (shape (3,), int64):   |   you returned (shape (3,), int64):
      [3 2 1]                         |   [2 1 1]
    """
    __tracebackhide__ = True
    expected = np.asarray(expected)
    if not isinstance(returned, np.ndarray):
        _fail(f"must return a numpy array; it returned a {type(returned).__name__}", call, returned, expected, inputs)
    if returned.shape != expected.shape:
        _fail(
            f"returned an array of the wrong shape: expected {expected.shape}, you returned {returned.shape}",
            call,
            returned,
            expected,
            inputs,
        )
    if check_dtype and returned.dtype != expected.dtype:
        _fail(
            f"returned an array of the wrong dtype: expected {expected.dtype} (the input's dtype), you returned {returned.dtype}",
            call,
            returned,
            expected,
            inputs,
        )
    if atol:
        same = np.isclose(returned, expected, rtol=0, atol=atol, equal_nan=True)
    else:
        same = (returned == expected) | ((returned != returned) & (expected != expected))  # NaN matches NaN
    if not np.all(same):
        where = tuple(int(i) for i in np.argwhere(~same)[0])
        _fail(
            f"returned the wrong values; first difference at index {where}: "
            f"expected {expected[where].item()!r}, you returned {returned[where].item()!r}",
            call,
            returned,
            expected,
            inputs,
        )


def assert_value_matches(
    returned: object, expected: object, call: str = "", *, inputs: Mapping[str, object] | None = None
) -> None:
    """Fail unless ``returned`` equals ``expected``, with matching types.

    ``expected`` is an int, a tuple of numbers, or a list of such tuples (records,
    compared one by one). A float where an int is expected is wrong (``3.0`` is
    not a length), an int where a float is expected is fine, a list where a tuple
    is expected is accepted.

    >>> assert_value_matches((1, 2), (1, 2))
    >>> assert_value_matches(3.0, 3, "output_size(8, 3, stride=2)")
    Traceback (most recent call last):
    ...
    AssertionError: output_size(8, 3, stride=2) must return an int; it returned 3.0 (float)
    >>> assert_value_matches([(3, 1, 0.0), (5, 2, 1)], [(3, 1, 0.0), (5, 2, 0.5)], "receptive_field(layers)")
    Traceback (most recent call last):
    ...
    AssertionError: receptive_field(layers) (record 1) returned (5, 2, 1.0); expected (5, 2, 0.5)
    """
    __tracebackhide__ = True
    if isinstance(expected, list):  # one record per item, e.g. per layer
        if not isinstance(returned, (list, tuple)):
            raise _failure(
                f"{call} must return a list of {len(expected)} records; it returned {returned!r} ({type(returned).__name__})"
            )
        if len(returned) != len(expected):
            raise _failure(f"{call} returned {len(returned)} records; expected {len(expected)}, one per item")
        for i, (r, e) in enumerate(zip(returned, expected, strict=True)):
            assert_value_matches(r, e, f"{call} (record {i})")
        return
    if isinstance(expected, tuple):
        kinds = (
            f"{len(expected)} ints"
            if all(_is_int(v) for v in expected)
            else "(" + ", ".join("int" if _is_int(v) else "number" for v in expected) + ")"
        )
        if not (
            isinstance(returned, (tuple, list))
            and len(returned) == len(expected)
            and all(_is_int(r) if _is_int(e) else _is_real(r) for r, e in zip(returned, expected, strict=True))
        ):
            raise _failure(
                f"{call} must return a tuple of {kinds}; it returned {returned!r} ({type(returned).__name__})"
            )
        got = tuple(int(r) if _is_int(e) else float(r) for r, e in zip(returned, expected, strict=True))
        if got != expected:
            raise _failure(f"{call} returned {got}; expected {expected}")
        return
    if _is_int(expected):
        if not _is_int(returned):
            raise _failure(f"{call} must return an int; it returned {returned!r} ({type(returned).__name__})")
        if int(returned) != expected:
            raise _failure(f"{call} returned {int(returned)}; expected {expected}")
        return
    if returned != expected:
        raise _failure(f"{call} returned {returned!r}; expected {expected!r}")


def _is_int(v: object) -> TypeGuard[numbers.Integral | np.integer[Any]]:
    return isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, bool)


def _is_real(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, np.bool_))


# --- forbidden functions -------------------------------------------------------------------------


def _unwrap(fn: Any) -> Any:
    fn = getattr(fn, "_implementation", fn)  # numpy's array-function dispatchers
    return inspect.unwrap(fn) if callable(fn) else fn


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


class _Rules:
    """What a set of forbidden targets (functions or modules) covers."""

    def __init__(self, targets: Iterable[Target]) -> None:
        self.names: dict[types.CodeType | str, str] = {}  # code object or file -> readable name
        self.modules: dict[str, str] = {}  # module name prefix -> readable name
        self.objects: dict[int, str] = {}  # id(object) -> readable name
        here = os.path.abspath(__file__)
        for target in targets:
            if isinstance(target, types.ModuleType):
                name = target.__name__
                self.modules[name] = name
                self.objects[id(target)] = name
                folders = list(getattr(target, "__path__", []))
                files = [os.path.abspath(cast(str, target.__file__))] if not folders else []
                for folder in folders:
                    for entry in os.listdir(folder):
                        if entry.endswith(".py"):
                            files.append(os.path.abspath(os.path.join(folder, entry)))
                for f in files:
                    if f != here:
                        self.names[f] = name
            else:
                impl = _unwrap(target)
                module = getattr(target, "__module__", None) or getattr(impl, "__module__", "")
                name = f"{'np' if module == 'numpy' else module}.{target.__name__}"
                self.objects[id(target)] = name
                self.objects[id(impl)] = name
                for code in _code_objects(impl.__code__):
                    self.names[code] = name

    def match_code(self, code: types.CodeType) -> str | None:
        return self.names.get(code) or self.names.get(code.co_filename)

    def match_object(self, obj: object) -> str | None:
        name = self.objects.get(id(obj))
        if name:
            return name
        if isinstance(obj, types.ModuleType):
            return next((n for m, n in self.modules.items() if obj.__name__.startswith(m + ".")), None)
        if callable(obj):
            impl = _unwrap(obj)
            code = getattr(impl, "__code__", None)
            if code is not None:
                return self.match_code(code)
        return None


def forbidden_references(func: Callable[..., object], *targets: Target) -> list[str]:
    """The forbidden targets that ``func``'s code refers to, through any name.

    Looks at the global names the function (and its nested functions, and the
    other functions of the notebook it calls by name) refers to, its default
    arguments and its closure, and reports those that are one of ``targets``
    (functions or modules), whatever name they were imported under.

    >>> from numpy import pad as p
    >>> def sneaky(x):
    ...     return p(x, 1)
    >>> forbidden_references(sneaky, np.pad)
    ['np.pad']
    >>> forbidden_references(lambda x: x[::-1], np.pad)
    []
    """
    rules = _Rules(targets)
    found: list[str] = []
    seen: set[int] = set()

    def visit(target: object) -> None:
        fn = _unwrap(target)
        code = getattr(fn, "__code__", None)
        if code is None or id(fn) in seen:
            return
        seen.add(id(fn))
        namespace = getattr(fn, "__globals__", {})
        builtins = namespace.get("__builtins__", {})
        builtins = builtins if isinstance(builtins, dict) else vars(builtins)
        values = list(fn.__defaults__ or ()) + list((fn.__kwdefaults__ or {}).values())
        values += [c.cell_contents for c in (fn.__closure__ or ()) if _has_contents(c)]
        for c in _code_objects(code):
            for name in c.co_names:
                if name in namespace:
                    values.append(namespace[name])
                elif name in builtins:
                    values.append(builtins[name])
        for value in values:
            hit = rules.match_object(value)
            if hit and hit not in found:
                found.append(hit)
            elif hit is None and isinstance(value, types.FunctionType) and value.__globals__ is namespace:
                visit(value)  # another function of the same notebook

    visit(func)
    return found


def _has_contents(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018 (reading an empty closure cell raises ValueError)
    except ValueError:
        return False
    return True


@contextlib.contextmanager
def forbid(*targets: Target, call: str = "your function") -> Iterator[list[str]]:
    """Fail if code run inside the block calls any of ``targets`` (functions or modules).

    Every Python-level call is watched (with :func:`sys.setprofile`), so the
    check holds whatever name the function was reached through: ``np.pad``,
    an alias, ``getattr``, or a helper that calls it.

    >>> with forbid(np.pad, call="pad_twice(x)"):
    ...     np.pad(np.zeros(2), 1)
    Traceback (most recent call last):
    ...
    AssertionError: pad_twice(x) called np.pad, which this exercise forbids: build the result with numpy indexing instead
    """
    __tracebackhide__ = True
    rules = _Rules(targets)
    hits: list[str] = []

    def watch(frame: types.FrameType, event: str, arg: object) -> None:
        if event == "call":
            hit = rules.match_code(frame.f_code)
            if hit and hit not in hits:
                hits.append(hit)

    previous = sys.getprofile()
    sys.setprofile(watch)
    try:
        yield hits
    finally:
        sys.setprofile(previous)
    if hits:
        raise _failure(
            f"{call} called {' and '.join(hits)}, which this exercise forbids: build the result with numpy indexing instead"
        )


# --- one call, checked ---------------------------------------------------------------------------


def _call_text(
    func: Callable[..., object], args: tuple[object, ...], kwargs: Mapping[str, object]
) -> tuple[str, dict[str, npt.NDArray[Any]]]:
    """``"pad_reflect(x, pad=2)"`` and the array arguments by name."""
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
        named = list(bound.arguments.items())
    except (TypeError, ValueError):
        named = [(f"arg{i}", a) for i, a in enumerate(args)] + list(kwargs.items())
    parts: list[str] = []
    arrays: dict[str, npt.NDArray[Any]] = {}
    for i, (name, value) in enumerate(named):
        if isinstance(value, np.ndarray):
            arrays[name] = value
            parts.append(name)
        else:
            parts.append(repr(value) if i == 0 else f"{name}={value!r}")
    return f"{getattr(func, '__name__', 'function')}({', '.join(parts)})", arrays


def check(
    func: Callable[..., object],
    args: tuple[object, ...],
    expected: object,
    *,
    kwargs: Mapping[str, object] | None = None,
    forbidden: tuple[Target, ...] = (),
    check_dtype: bool = True,
    atol: float = 0.0,
) -> None:
    """Call ``func(*args, **kwargs)`` and fail clearly unless it returns ``expected``.

    Also fails if the call modified one of its input arrays, or if ``func``
    uses one of ``forbidden`` (functions or modules; see :func:`forbid` and
    :func:`forbidden_references`). Arrays are compared with
    :func:`assert_array_matches` (``check_dtype`` and ``atol`` passed on), everything else
    with :func:`assert_value_matches`.

    >>> def pad_zero(x, pad):
    ...     out = np.zeros(len(x) + 2 * pad, dtype=x.dtype)
    ...     out[pad:pad + len(x)] = x
    ...     return out
    >>> check(pad_zero, (np.array([1, 2]), 1), np.array([0, 1, 2, 0]))
    >>> check(pad_zero, (np.array([1, 2]), 1), np.array([0, 0, 1, 2, 0, 0]))
    Traceback (most recent call last):
    ...
    AssertionError: pad_zero(x, pad=1) returned an array of the wrong shape: expected (6,), you returned (4,)
      x (shape (2,), int64):   |   expected (shape (6,), int64):   |   you returned (shape (4,), int64):
      [1 2]                    |   [0 0 1 2 0 0]                   |   [0 1 2 0]
    """
    __tracebackhide__ = True
    if _recorder is not None:  # the verifier is reading the instructor's tests (see recording)
        return _recorder.check(
            func, args, expected, kwargs=kwargs, forbidden=forbidden, check_dtype=check_dtype, atol=atol
        )
    kwargs = dict(kwargs or {})
    call, arrays = _call_text(func, args, kwargs)
    if forbidden:
        used = forbidden_references(func, *forbidden)
        if used:
            raise _failure(
                f"{call} uses {' and '.join(used)}, which this exercise forbids: build the result with numpy indexing instead"
            )
    before = {name: a.copy() for name, a in arrays.items()}
    with forbid(*forbidden, call=call) if forbidden else contextlib.nullcontext():
        returned = func(*args, **kwargs)
    for name, a in arrays.items():
        if a.shape != before[name].shape or not np.array_equal(a, before[name], equal_nan=a.dtype.kind in "fc"):
            raise _failure(f"{call} modified its input {name}; return a new array and leave the input unchanged")
    if isinstance(expected, np.ndarray):
        assert_array_matches(returned, expected, call, check_dtype=check_dtype, atol=atol, inputs=before)
    else:
        assert_value_matches(returned, expected, call)


@contextlib.contextmanager
def reference_helpers(namespace: dict[str, Any], **references: object) -> Iterator[None]:
    """Inside the block, ``namespace[name]`` is ``references[name]``; restored afterwards.

    The convolution is graded on its own: while its tests run, a student's
    ``padding_amounts`` and ``output_size`` are replaced by padlib's, so a
    mistake in those costs their points only, not the convolution's too.

    >>> ns = {"size": lambda: "mine"}
    >>> with reference_helpers(ns, size=lambda: "reference"):
    ...     ns["size"]()
    'reference'
    >>> ns["size"]()
    'mine'
    """
    if _recorder is not None:
        with _recorder.helpers(namespace, **references):
            yield
        return
    missing = object()
    saved = {name: namespace.get(name, missing) for name in references}
    namespace.update(references)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value


# --- the verifier's hook ----------------------------------------------------------------------

_recorder = None


@contextlib.contextmanager
def recording(recorder):
    """While active, :func:`check` and :func:`reference_helpers` hand their arguments to ``recorder``.

    ``recorder.check(func, args, expected, **options)`` is called instead of
    checking, and ``recorder.helpers(namespace, **references)`` (a context
    manager) instead of swapping helpers: that is how :mod:`safegrade.verifier`
    reads which calls each instructor's test makes, to repeat them outside
    the student's kernel.
    """
    global _recorder
    previous, _recorder = _recorder, recorder
    try:
        yield recorder
    finally:
        _recorder = previous
