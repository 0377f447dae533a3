#!/usr/bin/env python3
"""The project's one door: set up, open the course, test, benchmark.

    python3 dev.py course   # set up .venv if needed, then open the course in JupyterLab
    python3 dev.py test     # set up .venv if needed, then run the whole test suite
    python3 dev.py bench    # set up .venv if needed, then print the benchmark ratios
    python3 dev.py setup    # only set up

Needs nothing but Python 3.11+ (and, for the browser tests, the Debian
package `chromium`, which `setup` installs with apt-get when it runs as root).
The virtual environment is rebuilt only when pyproject.toml changes.
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


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    rest = argv[1:]
    if task in ("course", "test", "bench"):
        activate()
    if task == "setup":
        setup()
    elif task == "course":
        setup()
        os.execv(str(BIN / "jupyter"), [str(BIN / "jupyter"), "lab", str(ROOT / "course" / "00_start_here.ipynb"), *rest])
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
