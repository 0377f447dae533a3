"""The project's promises about itself: one environment, a lazy import, one test command."""

from __future__ import annotations

import os
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
    pip_side = {_CONDA_NAME.get(_name(r), _name(r)): _spec(r) for r in _every_requirement(project)}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    # what conda-forge lacks comes from PyPI in the pip section (e.g. pyseccomp)
    from_pypi = [d for d in pip_section if not d.startswith("-")]
    conda_side = {_name(d): _spec(d) for d in conda + from_pypi if _name(d) not in ("python", "pip")}
    assert conda_side == pip_side
    python = next(d for d in conda if _name(d) == "python")
    assert _spec(python) == project["requires-python"]
    assert "-e ." in pip_section and "--no-deps" in pip_section


def _every_requirement(project: dict) -> list[str]:
    """[project] dependencies and every extra: what dev.py installs and the lock pins."""
    return project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]


def test_import_padlib_does_not_import_tensorflow_matplotlib_or_ipywidgets():
    code = (
        "import sys, padlib\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'matplotlib', 'ipywidgets') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_nbformat_loads_without_the_slow_iri_checker():
    """The environment leaves out rfc3987-syntax (pyproject.toml's [tool.uv] says why): importing nbformat, as
    every nbgrader command and JupyterLab does, builds no Lark grammar."""
    code = "import sys, nbformat, jsonschema\nprint(sorted(m for m in ('rfc3987_syntax', 'lark') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    excluded = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["exclude-dependencies"]
    assert excluded == ["rfc3987-syntax"]
    assert "rfc3987-syntax==" not in (ROOT / "requirements-lock.txt").read_text()


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


# --------------------------------------------------------------------------- the lock


def _locked_pins() -> dict[str, list[tuple[str, str]]]:
    """requirements-lock.txt as {name: [(version, marker), ...]}; a name has several pins where markers split it."""
    from packaging.utils import canonicalize_name

    pins: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        if not line or line[0] in " #":
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)\s*(?:;\s*(.*?))?\s*\\", line)
        assert match, f"requirements-lock.txt: not an exact pin with hashes: {line!r}"
        name, version, marker = match.groups()
        pins.setdefault(canonicalize_name(name), []).append((version, marker or ""))
    return pins


def test_lock_pins_every_requirement_of_pyproject_within_its_range():
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = _locked_pins()
    for text in _every_requirement(project):
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"pyproject.toml requires {name}, requirements-lock.txt lacks it: run python3 dev.py lock"
        for version, marker in pins[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements-lock.txt pins {name}=={version} ({marker or 'everywhere'}), outside pyproject's "
                f"{requirement.specifier}: run python3 dev.py lock"
            )


def test_every_locked_pin_carries_hashes():
    text = (ROOT / "requirements-lock.txt").read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    for entry in entries:
        if entry.strip() and not entry.startswith("#"):
            assert "--hash=sha256:" in entry, f"no hash for {entry.splitlines()[0]}"


def test_the_version_is_set_once_in_padlib():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "padlib.__version__"}
    import importlib.metadata

    import padlib

    assert importlib.metadata.version("padlib") == padlib.__version__


def test_dev_py_names_the_allowed_installers_when_given_another(tmp_path):
    env = {**os.environ, "PADLIB_INSTALLER": "conda", "PADLIB_VENV": str(tmp_path / "venv")}
    result = subprocess.run([sys.executable, str(ROOT / "dev.py"), "setup"], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "PADLIB_INSTALLER must be one of uv, pip; got 'conda'" in result.stderr
    assert not (tmp_path / "venv").exists()
