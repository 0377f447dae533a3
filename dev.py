#!/usr/bin/env python3
"""The project's one door: set up, open the course, test, benchmark.

    python3 dev.py course      # set up .venv if needed, then open your copy of the course in JupyterLab
    python3 dev.py instructor  # the same JupyterLab, opened on nbgrader's formgrader (autograder/)
    python3 dev.py my-work     # only make or top up your copy of the lessons and exercises (my-work/)
    python3 dev.py test     # set up .venv if needed, then run the whole test suite (lint and types included)
    python3 dev.py bench    # set up .venv if needed, then print the benchmark ratios
    python3 dev.py setup    # only set up
    python3 dev.py site     # build the course site (executed lessons, exercises) into build/site/
    python3 dev.py lint     # ruff (lint and format check) and mypy, configured in pyproject.toml
    python3 dev.py notebooks [--check | --run 03]  # lessons: course/src/*.py -> course/*.ipynb; or run and time
    python3 dev.py release [--check]    # exercises: autograder/source/*/NAME.py -> NAME.ipynb -> release/
    python3 dev.py lock     # regenerate requirements-lock.txt from pyproject.toml (needs the package index)

Needs nothing but Python 3.11+, and Debian packages that `setup` installs
with apt-get when it runs as root: `chromium` (the browser tests),
`bubblewrap` + `libseccomp2` (the class grader's sandbox, safegrade) and
`postgresql` (the tests of safegrade's PostgreSQL gradebook; no server is started).
Set-up installs the exact versions and hashes in requirements-lock.txt, with
uv (itself installed from the lock) or, if uv cannot be had or
PADLIB_INSTALLER=pip, with pip. It reinstalls only when pyproject.toml or
the lock changes.

The lessons you run and save are copies in my-work/ (git-ignored), made on
the first `course` and topped up with new lessons later, never overwritten:
your work never blocks a `git pull` of the course.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("PADLIB_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".padlib-installed"
LOCK = ROOT / "requirements-lock.txt"
INSTALLERS = ("uv", "pip")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
MY_WORK = Path(os.environ.get("PADLIB_MY_WORK", ROOT / "my-work"))
# What a learner edits, as paths under the repository; my-work/ keeps the same layout, so the
# start page's links (../autograder/release/...) lead to the copies too.
WORKING_FILES = ("course/[0-9][0-9]_*.ipynb", "autograder/release/*/*.ipynb")


def run(*cmd: str | Path, **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def _fingerprint() -> str:
    """What the environment is made from: the project's metadata and the lock."""
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", LOCK):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def xdist_defaults(args: list[str]) -> list[str]:
    """pytest-xdist's options for `dev.py test`, unless the arguments choose (`-n 0` runs in one process):
    one worker per core, up to 4, tests that share a session fixture kept on one worker (tests/conftest.py)."""
    if any(a.startswith(("-n", "--numprocesses", "--dist")) for a in args) or "no:xdist" in args:
        return []
    workers = min(os.cpu_count() or 1, 4)
    return ["-n", str(workers), "--dist", "loadgroup"] if workers > 1 else []


def find_chromium() -> str | None:
    for path in CHROMIUM_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("chromium")


def find_postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, pg_ctl): Debian keeps them off PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _libseccomp() -> bool:
    import ctypes.util

    return ctypes.util.find_library("seccomp") is not None


# Debian package -> (is it there?, what fails without it)
SYSTEM_PACKAGES = {
    "chromium": (lambda: find_chromium() is not None, "the browser tests"),
    "bubblewrap": (lambda: shutil.which("bwrap") is not None, "the class grader (safegrade) and its tests"),
    "libseccomp2": (_libseccomp, "the class grader's seccomp filter and its tests"),
    "postgresql": (lambda: find_postgres_bin() is not None, "the class grader's PostgreSQL gradebook tests"),
}


def ensure_system_packages() -> None:
    """Install the Debian packages the tests need, if we can (root with apt-get); else say what is missing."""
    missing = [name for name, (present, _) in SYSTEM_PACKAGES.items() if not present()]
    if not missing:
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run("apt-get", "update", "-q", env=env)
        run("apt-get", "install", "-y", "-q", "--no-install-recommends", *missing, env=env)
    else:
        for name in missing:
            print(
                f"note: {name} is not installed; {SYSTEM_PACKAGES[name][1]} will fail until it is.\n"
                f"      On Debian/Ubuntu: sudo apt-get install {name}",
                file=sys.stderr,
            )


def _drop_cuda_tensorflow() -> None:
    """A .venv made before pyproject.toml asked for `tensorflow-cpu` holds the CUDA build of the same
    package; both install the `tensorflow` folder, so the old one goes first."""
    if (
        sys.platform == "linux"
        and platform.machine() == "x86_64"
        and any(VENV.glob("lib/python*/site-packages/tensorflow-*.dist-info"))
    ):
        run(PY, "-m", "pip", "uninstall", "-y", "tensorflow")


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py is the bootstrap: it runs on whatever python3 there is)
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    _installer()  # a wrong PADLIB_INSTALLER is reported before anything is created
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    if not STAMP.exists() or STAMP.read_text() != _fingerprint():
        install()
        STAMP.write_text(_fingerprint())
    ensure_system_packages()


# ------------------------------------------------------------------ the locked environment


def _installer() -> str:
    choice = os.environ.get("PADLIB_INSTALLER", "uv")
    if choice not in INSTALLERS:
        sys.exit(f"PADLIB_INSTALLER must be one of {', '.join(INSTALLERS)}; got {choice!r}.")
    return choice


def _locked(name: str) -> str:
    """The lock's entry for one package (pin and hashes), as a requirements file of its own."""
    lines = LOCK.read_text().splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{name}==")), None)
    if start is None:
        sys.exit(f"{LOCK.name} does not pin {name}; regenerate it with: python3 dev.py lock")
    entry = [lines[start]]
    while entry[-1].endswith("\\"):
        entry.append(lines[start + len(entry)])
    return "\n".join(entry) + "\n"


def ensure_uv() -> Path | None:
    """uv inside the venv, installed by pip with the version and hashes of the lock; None if that fails."""
    uv = BIN / "uv"
    if uv.exists():
        return uv
    requirement = VENV / "uv-requirement.txt"
    requirement.write_text(_locked("uv"))
    try:
        run(PY, "-m", "pip", "install", "--require-hashes", "--no-deps", "-r", requirement)
    except subprocess.CalledProcessError:
        print("note: could not install uv; installing with pip instead", file=sys.stderr)
        return None
    return uv


def install() -> None:
    """Make the venv exactly the lock, then add this checkout (editable) on top.

    uv is told to compile the bytecode at install time, as pip does: uv leaves it to the first import,
    and where PYTHONDONTWRITEBYTECODE is set (as in some CI and container set-ups) it is never written,
    so every test process, lesson kernel and JupyterLab start would compile TensorFlow's source again.
    """
    uv = ensure_uv() if _installer() == "uv" else None
    if uv:
        run(uv, "pip", "sync", "--python", PY, "--require-hashes", "--compile-bytecode", LOCK)
        run(uv, "pip", "install", "--python", PY, "--no-deps", "-e", ROOT)
    else:  # pip keeps what the lock no longer lists (uv's sync removes it)
        _drop_cuda_tensorflow()
        # --no-deps: the lock is the whole environment, and leaves out what pyproject's [tool.uv] excludes
        run(PY, "-m", "pip", "install", "--require-hashes", "--no-deps", "-r", LOCK)
        run(PY, "-m", "pip", "install", "--no-deps", "-e", ROOT)


def lock(extra: list[str]) -> None:
    """Regenerate the lock from pyproject.toml: every platform, Python >= requires-python, with hashes.

    Pins already in the lock are kept unless pyproject.toml needs others;
    pass --upgrade (or --upgrade-package NAME) to move them.
    """
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    uv = BIN / "uv"
    if not uv.exists() and not (LOCK.exists() and ensure_uv()):
        run(PY, "-m", "pip", "install", "uv")
    run(
        uv,
        "pip",
        "compile",
        "pyproject.toml",
        "--extra",
        "dev",
        "--extra",
        "grader",
        "--universal",
        "--generate-hashes",
        "--custom-compile-command",
        "python3 dev.py lock",
        "--quiet",
        "-o",
        LOCK.name,
        *extra,
        cwd=ROOT,
    )


def lint(paths: list[str]) -> int:
    """ruff (lint, then format check) and mypy, as configured in pyproject.toml; all three run."""
    checks = {
        "ruff check": [BIN / "ruff", "check", "--output-format", "concise", *paths],
        "ruff format": [BIN / "ruff", "format", "--check", *paths],
        "mypy": [BIN / "mypy", *paths],
    }
    failed = [name for name, cmd in checks.items() if subprocess.run([str(c) for c in cmd], cwd=ROOT).returncode]
    if failed:
        print("lint failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


def activate() -> None:
    """Act like an activated venv for what we start: nbgrader runs `alembic` from PATH."""
    os.environ["VIRTUAL_ENV"] = str(VENV)
    os.environ["PATH"] = os.pathsep.join([str(BIN), os.environ.get("PATH", "")])


def my_work() -> list[Path]:
    """Copy into MY_WORK every lesson and exercise it does not have yet; return the new copies.

    A copy that exists is never touched, so a learner's edits and outputs survive updates."""
    added = []
    for pattern in WORKING_FILES:
        for source in sorted(ROOT.glob(pattern)):
            target = MY_WORK / source.relative_to(ROOT)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                added.append(target)
    return added


def lab(*args: str) -> None:
    """JupyterLab with the repository as its root and working directory (nbgrader_config.py is read
    from there: the formgrader finds the course in autograder/)."""
    os.chdir(ROOT)
    jupyter = str(BIN / "jupyter")
    os.execv(jupyter, [jupyter, "lab", f"--ServerApp.root_dir={ROOT}", *args])


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    if task in ("course", "instructor", "test", "bench", "site", "lint", "notebooks", "release"):
        activate()
    if task == "setup":
        setup()
    elif task == "my-work":
        for path in my_work():
            print(f"new: {path}")
        print(f"your copy of the course: {MY_WORK / 'course' / '00_start_here.ipynb'}")
    elif task == "course":
        setup()
        my_work()
        lab(str(MY_WORK / "course" / "00_start_here.ipynb"), *rest)
    elif task == "instructor":
        setup()
        lab("--ServerApp.default_url=/formgrader", *rest)
    elif task == "test":
        setup()
        return subprocess.run([str(PY), "-m", "pytest", *xdist_defaults(rest), *rest], cwd=ROOT).returncode
    elif task == "bench":
        setup()
        return subprocess.run([str(PY), "-m", "benchmarks", *rest], cwd=ROOT).returncode
    elif task in ("site", "notebooks", "release"):  # coursetools.site, .notebooks, .release
        setup()
        return subprocess.run([str(PY), "-m", f"coursetools.{task}", *rest], cwd=ROOT).returncode
    elif task == "lint":
        setup()
        return lint(rest)
    elif task == "lock":
        lock(rest)
    else:
        print(__doc__)
        return 0 if task in ("help", "-h", "--help") else 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
