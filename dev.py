#!/usr/bin/env python3
"""The project's one door: set up, open the course, test, benchmark.

    python3 dev.py course      # set up .venv if needed, then open your copy of the course in JupyterLab
    python3 dev.py instructor  # the same JupyterLab, opened on nbgrader's formgrader (autograder/)
    python3 dev.py my-work     # only make or top up your copy of the lessons and exercises (my-work/)
    python3 dev.py test     # set up .venv if needed, then run the whole test suite
    python3 dev.py bench    # set up .venv if needed, then print the benchmark ratios
    python3 dev.py setup    # only set up

Needs nothing but Python 3.11+ (and, for the browser tests, the Debian
package `chromium`, which `setup` installs with apt-get when it runs as root).
The virtual environment is rebuilt only when pyproject.toml changes.

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
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
MY_WORK = Path(os.environ.get("PADLIB_MY_WORK", ROOT / "my-work"))
# What a learner edits, as paths under the repository; my-work/ keeps the same layout, so the
# start page's links (../autograder/release/...) lead to the copies too.
WORKING_FILES = ("course/[0-9][0-9]_*.ipynb", "autograder/release/*/*.ipynb")


def run(*cmd: str | Path, **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def find_chromium() -> str | None:
    for path in CHROMIUM_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("chromium")


def ensure_chromium() -> None:
    """The browser tests drive the system Chromium; install it if we can."""
    if find_chromium():
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run("apt-get", "update", "-q", env=env)
        run("apt-get", "install", "-y", "-q", "--no-install-recommends", "chromium", env=env)
    else:
        print(
            "note: Chromium is not installed; the browser tests will fail until it is.\n"
            "      On Debian/Ubuntu: sudo apt-get install chromium",
            file=sys.stderr,
        )


def _drop_cuda_tensorflow() -> None:
    """A .venv made before pyproject.toml asked for `tensorflow-cpu` holds the CUDA build of the same
    package; both install the `tensorflow` folder, so the old one goes first."""
    if sys.platform == "linux" and platform.machine() == "x86_64" and any(VENV.glob("lib/python*/site-packages/tensorflow-*.dist-info")):
        run(PY, "-m", "pip", "uninstall", "-y", "tensorflow")


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    if not STAMP.exists() or STAMP.read_text() != _fingerprint():
        run(PY, "-m", "pip", "install", "--upgrade", "pip")
        _drop_cuda_tensorflow()
        run(PY, "-m", "pip", "install", "-e", f"{ROOT}[dev]")
        STAMP.write_text(_fingerprint())
    ensure_chromium()


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
    if task in ("course", "instructor", "test", "bench"):
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
        return subprocess.run([str(PY), "-m", "pytest", *rest], cwd=ROOT).returncode
    elif task == "bench":
        setup()
        return subprocess.run([str(PY), "-m", "benchmarks", *rest], cwd=ROOT).returncode
    else:
        print(__doc__)
        return 0 if task in ("help", "-h", "--help") else 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
