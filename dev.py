#!/usr/bin/env python3
"""The project's one door: set up, open the course, test, benchmark.

    python3 dev.py course   # set up .venv if needed, then open the course in JupyterLab
    python3 dev.py test     # set up .venv if needed, then run the whole test suite
    python3 dev.py bench    # set up .venv if needed, then print the benchmark ratios
    python3 dev.py setup    # only set up

Needs nothing but Python 3.11+, and Debian packages that `setup` installs
with apt-get when it runs as root: `chromium` (the browser tests) and
`bubblewrap` + `libseccomp2` (the class grader's sandbox, safegrade).
The virtual environment is rebuilt only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
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


def _libseccomp() -> bool:
    import ctypes.util

    return ctypes.util.find_library("seccomp") is not None


# Debian package -> (is it there?, what fails without it)
SYSTEM_PACKAGES = {
    "chromium": (lambda: find_chromium() is not None, "the browser tests"),
    "bubblewrap": (lambda: shutil.which("bwrap") is not None, "the class grader (safegrade) and its tests"),
    "libseccomp2": (_libseccomp, "the class grader's seccomp filter and its tests"),
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


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    if not STAMP.exists() or STAMP.read_text() != _fingerprint():
        run(PY, "-m", "pip", "install", "--upgrade", "pip")
        run(PY, "-m", "pip", "install", "-e", f"{ROOT}[dev,grader]")
        STAMP.write_text(_fingerprint())
    ensure_system_packages()


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
