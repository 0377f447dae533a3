"""The project's promises about itself: one environment, a lazy import, one test command."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


# conda-forge's `tensorflow` is the CPU build that PyPI calls `tensorflow-cpu`.
_CONDA_NAME = {"tensorflow-cpu": "tensorflow"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(requirement: str) -> str:
    """The version range, without the environment marker (conda resolves the platform itself)."""
    return requirement.split(";")[0].strip()[len(_name(requirement)) :].replace(" ", "")


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_side = {_CONDA_NAME.get(_name(r), _name(r)): _spec(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_side = {_name(d): _spec(d) for d in conda if _name(d) not in ("python", "pip")}
    assert conda_side == pip_side
    python = next(d for d in conda if _name(d) == "python")
    assert _spec(python) == project["requires-python"]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section and "--no-deps" in pip_section


def test_import_padlib_does_not_import_tensorflow_matplotlib_or_ipywidgets():
    code = (
        "import sys, padlib\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'matplotlib', 'ipywidgets') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_padlib_keras_is_loaded_on_first_use():
    code = "import padlib, sys\nassert 'tensorflow' not in sys.modules\npadlib.keras.Padding2D\nprint('keras' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^\s*(python3 dev\.py \w+)\s*$", readme, flags=re.M)
    assert "python3 dev.py course" in commands and "python3 dev.py test" in commands
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert ci[-1] == "exec python3 dev.py test"
