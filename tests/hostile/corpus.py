"""Hostile and broken submissions, generated from the instructor's source notebooks so they never go stale.

Each case turns the correct submission (the released notebook with the
instructor's solutions pasted into the answer cells) into a poisoned one.
``CASES`` maps a case name to (how to build it, the expected outcome). The
expected outcome is what ``safegrade`` must report: the exact score, and a
fragment that one of the flags must contain (``None``: no flag at all).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from safegrade.testing import correct_notebook

ASSIGNMENT = "padding_modes"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
FULL = 18.0  # 6 modes x (1 visible + 2 hidden) points
REFLECT_POINTS = 3.0


def _meta(cell):
    return cell.metadata.get("nbgrader", {})


def _cell(nb, grade_id):
    return next(c for c in nb.cells if _meta(c).get("grade_id") == grade_id)


def _append(nb, grade_id, code):
    _cell(nb, grade_id).source += "\n\n" + code


@dataclass(frozen=True)
class Target:
    """The graded part an attack goes after: its answer cell (named like its function), a wrong
    answer, and the points of its two test cells (visible and hidden) out of the assignment's."""

    assignment: str
    answer: str
    wrong: str
    points: float
    full: float

    @property
    def tests(self) -> tuple[str, str]:
        return f"test_{self.answer}_visible", f"test_{self.answer}_hidden"


REFLECT = Target(
    "padding_modes", "pad_reflect", "def pad_reflect(x, pad):\n    return pad_symmetric(x, pad)\n", REFLECT_POINTS, FULL
)
CONV2D = Target(
    "shapes_and_stride",
    "conv2d",
    "def conv2d(image, kernel, stride=1, padding='valid'):\n    return np.zeros((1, 1))\n",
    6.0,
    19.0,
)


def _wrong(nb, t):
    _append(nb, t.answer, t.wrong)


# --- the cases: each returns None, or writes the submission folder itself (returns True) ---------


def c_correct(nb):
    pass


def c_wrong_reflect(nb, t=REFLECT):
    """The part answered wrongly, nothing else."""
    _wrong(nb, t)


def c_patch_testing(nb, t=REFLECT):
    """Wrong reflect + numpy.testing, the grading helpers and AssertionError defanged."""
    _wrong(nb, t)
    _append(
        nb,
        t.answer,
        (
            "import numpy.testing, builtins\n"
            "numpy.testing.assert_array_equal = lambda *a, **k: None\n"
            "grading.check = lambda *a, **k: None\n"
            "grading.assert_array_matches = lambda *a, **k: None\n"
            "builtins.AssertionError = type('AssertionError', (Exception,), {})\n"
        ),
    )


def c_always_equal(nb, t=REFLECT):
    """Wrong reflect returning an ndarray subclass whose ==, bool and all() always succeed."""
    _append(
        nb,
        t.answer,
        (
            "class _Yes(np.ndarray):\n"
            "    def __eq__(self, other): return True\n"
            "    def __ne__(self, other): return False\n"
            "    def __bool__(self): return True\n"
            "    def all(self, *a, **k): return True\n"
            "    def any(self, *a, **k): return True\n"
            "    @property\n"
            "    def shape(self): return (10**9,)\n"
            f"def {t.answer}(*args, **kwargs):\n"
            "    return np.zeros(3).view(_Yes)\n"
        ),
    )


def c_input_transformer(nb, t=REFLECT):
    """Wrong reflect + an IPython input transformer that blanks every later test cell."""
    _wrong(nb, t)
    _append(
        nb,
        t.answer,
        (
            "def _blank(lines):\n"
            "    return ['pass\\n'] if any('grading.check' in l for l in lines) else lines\n"
            "get_ipython().input_transformers_cleanup.append(_blank)\n"
        ),
    )


def c_showtraceback(nb, t=REFLECT):
    """Wrong reflect + errors hidden: showtraceback and sys.excepthook replaced."""
    _wrong(nb, t)
    _append(
        nb,
        t.answer,
        (
            "import sys\n"
            "get_ipython().showtraceback = lambda *a, **k: None\n"
            "get_ipython()._showtraceback = lambda *a, **k: None\n"
            "sys.excepthook = lambda *a: None\n"
        ),
    )


def c_sys_exit(nb, t=REFLECT):
    """Wrong reflect + sys.exit() at the end of the answer cell."""
    _wrong(nb, t)
    _append(nb, t.answer, "import sys\nsys.exit(0)\n")


def c_edit_tests(nb, t=REFLECT):
    """Wrong reflect + its test cells edited to pass, their points raised to 100, a test cell duplicated, kernel renamed."""
    _wrong(nb, t)
    for gid in t.tests:
        _cell(nb, gid).source = "pass"
        _meta(_cell(nb, gid))["points"] = 100
    i = nb.cells.index(_cell(nb, t.tests[0]))
    nb.cells.insert(i + 1, nbformat.from_dict(json.loads(json.dumps(nb.cells[i]))))
    nb.metadata["kernelspec"] = {"name": "no-such-kernel", "display_name": "x", "language": "python"}


def c_delete_tests(nb, t=REFLECT):
    """Wrong reflect + its test cells deleted and their metadata stripped."""
    _wrong(nb, t)
    nb.cells.remove(_cell(nb, t.tests[1]))
    visible = _cell(nb, t.tests[0])
    visible.metadata.pop("nbgrader")
    visible.source = "pass"


def c_duplicate_grade_id(nb):
    """The answer cell of reflect pasted twice (same grade id): stock nbgrader refuses the notebook."""
    i = nb.cells.index(_cell(nb, "pad_reflect"))
    nb.cells.insert(i + 1, nbformat.from_dict(json.loads(json.dumps(nb.cells[i]))))


def c_uses_np_pad(nb):
    """Reflect through an alias of np.pad: correct values, forbidden function."""
    _append(
        nb,
        "pad_reflect",
        "_p = getattr(np, 'p' + 'ad')\ndef pad_reflect(x, pad):\n    return _p(x, pad, mode='reflect')\n",
    )


def c_os_exit(nb):
    """The kernel killed with os._exit in a cell after the answers."""
    _append(nb, "pad_causal", "import os\nos._exit(1)\n")


def c_segfault(nb):
    """A segfault through ctypes in the reflect answer cell, after the definitions."""
    _append(nb, "pad_causal", "import ctypes\nctypes.string_at(0)\n")


def c_infinite_loop(nb):
    """pad_reflect never returns."""
    _append(nb, "pad_reflect", "def pad_reflect(x, pad):\n    while True:\n        pass\n")


def c_memory_bomb(nb):
    """A cell that allocates without bound, then everything else is correct."""
    _append(nb, "pad_causal", "_hog = []\nwhile True:\n    _hog.append(bytearray(50 << 20))\n")


def c_output_flood(nb):
    """Megabytes of output from a correct submission."""
    _append(nb, "pad_causal", "for _ in range(4000):\n    print('x' * 1000)\n")


def c_snoop(nb):
    """Reads the instructor's files, the gradebook, other students and the network; prints and writes what it can."""
    _append(
        nb,
        "pad_causal",
        (
            "import os, socket\n"
            "for _p in ['{COURSE}/source/padding_modes/padding_modes.ipynb', '{COURSE}/.safegrade_canary', '{REPO}/.git/HEAD',\n"
            "           '{REPO}/autograder/source/padding_modes/padding_modes.ipynb']:\n"
            "    try:\n"
            "        print(open(_p).read())\n"
            "    except OSError as e:\n"
            "        print('blocked:', e)\n"
            "for _p in ['{COURSE}/gradebook.db', '{COURSE}/submitted/correct/padding_modes/padding_modes.ipynb']:\n"
            "    try:\n"
            "        open(_p, 'w').write('{}')\n"
            "    except OSError as e:\n"
            "        print('blocked:', e)\n"
            "try:\n"
            "    os.listdir('{COURSE}/submitted')\n"
            "except OSError as e:\n"
            "    print('blocked:', e)\n"
            "try:\n"
            "    socket.create_connection(('1.1.1.1', 53), timeout=2)\n"
            "except OSError as e:\n"
            "    print('network:', e)\n"
        ),
    )


def c_print_hidden(nb):
    """Prints the hidden tests it can see from inside its own function (the calling cell's source)."""
    _append(
        nb,
        "pad_reflect",
        (
            "_real_reflect = pad_reflect\n"
            "def pad_reflect(x, pad):\n"
            "    ip = get_ipython()\n"
            "    print(ip.user_ns['In'][-1] if ip.user_ns.get('In') else '')\n"
            "    return _real_reflect(x, pad)\n"
        ),
    )


def f_corrupt_json(folder: Path, nb):
    (folder / NOTEBOOK).write_text('{"cells": [', encoding="utf-8")


def f_missing(folder: Path, nb):
    (folder / "notes.txt").write_text("forgot the notebook\n")


def f_renamed(folder: Path, nb):
    nbformat.write(nb, str(folder / "padding_modes (1).ipynb"))


def f_empty(folder: Path, nb):
    pass


# --- hostile files (not code): each must neither reach outside the submission nor change what is run ---


def f_symlink_notebook(folder: Path, nb):
    """The notebook is a link to the instructor's source notebook (solutions and hidden tests included)."""
    course = folder.parents[2]
    (folder / NOTEBOOK).symlink_to(course / "source" / ASSIGNMENT / NOTEBOOK)


def f_linked_folder(folder: Path, nb):
    """The whole submission folder is a link to the instructor's source folder."""
    course = folder.parents[2]
    folder.rmdir()
    folder.symlink_to(course / "source" / ASSIGNMENT, target_is_directory=True)


def f_fifo_beside(folder: Path, nb):
    """A correct notebook next to a FIFO (a reader would hang) and a link to the gradebook."""
    nbformat.write(nb, str(folder / NOTEBOOK))
    import os

    os.mkfifo(folder / "pipe")
    (folder / "gradebook.db").symlink_to(folder.parents[2] / "gradebook.db")


def f_huge_beside(folder: Path, nb):
    """A correct notebook next to a 21 MB file."""
    nbformat.write(nb, str(folder / NOTEBOOK))
    with open(folder / "data.bin", "wb") as f:
        f.truncate(21 << 20)


def f_shadow_modules(folder: Path, nb):
    """A correct notebook next to numpy.py and padlib.py that would break every import if they were importable."""
    nbformat.write(nb, str(folder / NOTEBOOK))
    for name in ("numpy.py", "padlib.py", "safegrade.py"):
        (folder / name).write_text("raise ImportError('shadowed by the submission')\n")


# name -> (builder, expected score, flag fragment or None)
CASES: dict[str, tuple[Callable[..., None], float, str | None]] = {
    "correct": (c_correct, FULL, None),
    "wrong_reflect": (c_wrong_reflect, FULL - REFLECT_POINTS, None),
    "patch_testing": (c_patch_testing, FULL - REFLECT_POINTS, "verifier says 0"),
    "always_equal": (c_always_equal, FULL - REFLECT_POINTS, None),
    "input_transformer": (c_input_transformer, FULL - REFLECT_POINTS, "verifier says 0"),
    "showtraceback": (c_showtraceback, FULL - REFLECT_POINTS, None),
    "sys_exit": (c_sys_exit, FULL - REFLECT_POINTS, None),
    "edit_tests": (c_edit_tests, FULL - REFLECT_POINTS, None),
    "delete_tests": (c_delete_tests, FULL - REFLECT_POINTS, None),
    "duplicate_grade_id": (c_duplicate_grade_id, FULL, "nbgrader could not grade"),
    "uses_np_pad": (c_uses_np_pad, FULL - REFLECT_POINTS, None),
    "os_exit": (c_os_exit, 0.0, "the kernel died"),
    "segfault": (c_segfault, 0.0, "the kernel died"),
    "infinite_loop": (c_infinite_loop, FULL - REFLECT_POINTS, "interrupted"),
    "memory_bomb": (c_memory_bomb, FULL, None),
    "output_flood": (c_output_flood, FULL, None),
    "snoop": (c_snoop, FULL, "sandbox recorded attempts"),
    "print_hidden": (c_print_hidden, FULL, "quoted hidden tests"),
    "corrupt_json": (f_corrupt_json, 0.0, "not valid notebook JSON"),
    "missing_notebook": (f_missing, 0.0, "missing notebook padding_modes.ipynb"),
    "renamed_notebook": (f_renamed, 0.0, "found: padding_modes (1).ipynb"),
    "empty_folder": (f_empty, 0.0, "empty submission folder"),
    "symlink_notebook": (f_symlink_notebook, 0.0, "refused padding_modes.ipynb: a symbolic link"),
    "linked_folder": (f_linked_folder, 0.0, "is a symbolic link, not a folder (refused)"),
    "fifo_beside": (f_fifo_beside, FULL, "refused pipe: a FIFO"),
    "huge_beside": (f_huge_beside, FULL, "refused data.bin: larger than 20 MB"),
    "shadow_modules": (f_shadow_modules, FULL, None),
}


def write_submission(course: Path, student: str, case: str, target: Target = REFLECT) -> None:
    """``case`` built against ``target`` (cases that attack no particular part ignore it)."""
    builder = CASES[case][0]
    folder = course / "submitted" / student / target.assignment
    folder.mkdir(parents=True)
    nb = correct_notebook(course, target.assignment)
    if builder.__name__.startswith("f_"):
        builder(folder, nb)
    else:
        builder(nb) if target == REFLECT else builder(nb, target)
        repo = Path(__file__).resolve().parents[2]
        for cell in nb.cells:
            cell.source = cell.source.replace("{COURSE}", str(course)).replace("{REPO}", str(repo))
        nbformat.write(nb, str(folder / f"{target.assignment}.ipynb"))
    if case != "empty_folder" and not folder.is_symlink():
        (folder / "timestamp.txt").write_text("2024-06-01 12:00:00.000000 UTC")


def make_course(root: Path, assignment: str = ASSIGNMENT) -> Path:
    """A temporary course directory ``root/course``: the real nbgrader_config.py and source/, generated."""
    from safegrade import testing

    return testing.make_course(
        root / "course", assignments=[assignment], generate=True, env=testing.nbgrader_env(root / "home")
    )


# --- system calls the sandbox's seccomp filter refuses: one probe per rule --------------------------
# Each probe makes the raw call with arguments that are harmless outside the sandbox and fail there
# with another errno (or succeed), so that the errno inside shows it was the filter that refused.


def _syscall(name: str, *args: str) -> str:
    import pyseccomp

    nr = pyseccomp.resolve_syscall(pyseccomp.system_arch(), name)
    return f"__import__('ctypes').CDLL(None, use_errno=True).syscall({nr}, {', '.join(args)})"


def syscall_probes() -> dict[str, str]:
    """seccomp rule (``safegrade.syscalls.DENIED``) -> an expression making one of its calls (returns -1 when refused)."""
    return {
        "socket": _syscall("socket", "2", "1", "0"),  # AF_INET, SOCK_STREAM
        "ptrace": _syscall("ptrace", "3", "999999999", "0", "0"),  # PTRACE_PEEKUSER on no such pid: ESRCH outside
        "mount": _syscall("mount", "None", "b'/no/such/dir'", "None", "0", "None"),  # ENOENT outside (as root)
        "keyctl": _syscall("keyctl", "0", "-2", "0"),  # KEYCTL_GET_KEYRING_ID of the process keyring: works outside
        "bpf": _syscall("bpf", "9999", "None", "0"),  # no such command: EINVAL outside
        "namespaces": _syscall("unshare", "0"),  # unshare nothing: works outside
        "perf_event_open": _syscall("perf_event_open", "None", "0", "-1", "-1", "0"),  # EFAULT outside
    }


def c_syscall(nb, rule: str):
    """pad_reflect makes a refused system call first, and answers only if the call went through."""
    _append(
        nb,
        "pad_reflect",
        (
            "import ctypes as _ct\n"
            "_reflect = pad_reflect\n"
            "def pad_reflect(x, pad):\n"
            f"    if {syscall_probes()[rule]} == -1:\n"
            "        raise OSError(_ct.get_errno(), 'the system call was refused')\n"
            "    return _reflect(x, pad)\n"
        ),
    )


for _rule in ("socket", "ptrace", "mount", "keyctl", "bpf", "namespaces", "perf_event_open"):
    CASES[f"syscall_{_rule}"] = ((lambda rule: lambda nb: c_syscall(nb, rule))(_rule), FULL - REFLECT_POINTS, None)
    CASES[f"syscall_{_rule}"][0].__name__ = f"c_syscall_{_rule}"
