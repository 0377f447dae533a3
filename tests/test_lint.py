"""The code passes ruff (lint and format) and mypy as configured in pyproject.toml.

These are what ``python3 dev.py lint`` and ``.pre-commit-config.yaml`` run; here they make
``python3 dev.py test`` (and so CI) fail on a lint, format or type error. ruff takes a second and
runs in the quick tier; mypy checks the whole project (padlib strictly) and is a slow test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / cmd[0]), *cmd[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing_to_report():
    done = _run("ruff", "check", "--output-format", "concise", "--no-cache", ".")
    assert done.returncode == 0, f"ruff check (fix with `.venv/bin/ruff check --fix`):\n{done.stdout}{done.stderr}"


def test_the_code_is_formatted_as_ruff_formats_it():
    done = _run("ruff", "format", "--check", "--no-cache", ".")
    assert done.returncode == 0, f"unformatted (fix with `.venv/bin/ruff format`):\n{done.stdout}{done.stderr}"


@pytest.mark.slow
def test_mypy_finds_no_type_error(tmp_path):
    # a cache of its own: two runs of the suite at once must not share (and corrupt) .mypy_cache
    done = _run("mypy", "--cache-dir", str(tmp_path / "mypy-cache"))
    assert done.returncode == 0, f"mypy:\n{done.stdout}{done.stderr}"
    assert "Success: no issues found" in done.stdout
