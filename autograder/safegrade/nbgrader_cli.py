"""The one way this project starts nbgrader: the ``nbgrader`` next to this Python, with its tools on PATH.

nbgrader runs ``alembic`` (its gradebook migrations) from ``PATH``, so the
virtual environment's ``bin`` goes first. Everything nbgrader imports
(``padlib``, ``safegrade`` for the course's ``nbgrader_config.py``) is
installed, so no ``PYTHONPATH`` is needed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
EXE = BIN / "nbgrader"


def environment(home: Path | None = None, base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with the venv's tools first on PATH.

    With ``home``, also a private ``HOME`` and Jupyter config directory (no user configuration).
    """
    env = dict(os.environ if base is None else base)
    env["PATH"] = os.pathsep.join([str(BIN), env.get("PATH", "")])
    if home is not None:
        env["HOME"] = str(home)
        env["JUPYTER_CONFIG_DIR"] = str(Path(home) / ".jupyter")
    return env


def command(*args: str) -> list[str]:
    return [str(EXE), *args]


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None, check: bool = True, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` in ``cwd``; with ``check``, raise with its output if it fails."""
    done = subprocess.run(
        command(*args), cwd=cwd, env=env or environment(), capture_output=True, text=True, timeout=timeout
    )
    if check and done.returncode != 0:
        raise RuntimeError(
            f"nbgrader {' '.join(args)} exited {done.returncode} in {cwd}:\n{done.stdout}\n{done.stderr}"
        )
    return done
