"""Shared fixtures. TensorFlow is imported only by the tests that ask for it.

Under pytest-xdist (``-n 2 --dist loadgroup``) a session fixture is made once per worker, so every
test that uses one of the expensive session fixtures below is put in that fixture's xdist group
(:data:`XDIST_GROUPS`): they all land on one worker and the fixture is still made once.
"""

from __future__ import annotations

import datetime
import json
import os
import time
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's C++ start-up chatter out of test logs
os.environ.setdefault("MPLBACKEND", "Agg")
# TensorFlow is our oracle, so use its reference (Eigen) kernels. Its default oneDNN kernels in
# TF 2.21 return wrong values for some strided SAME convolutions: see
# test_conv.py::test_strided_same_on_a_one_pixel_wide_input, found by hypothesis.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


@pytest.fixture(scope="session")
def tf():
    """TensorFlow, imported once. It is a declared dependency: missing means a broken set-up, not a skip."""
    import tensorflow

    return tensorflow


ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.name for p in (ROOT / "course").glob("[0-9][0-9]_*.ipynb"))
# Session fixture -> the xdist group of every test that uses it (directly or through other fixtures).
# ordinary_user shares "grading": its set-up opens folders of this Python for the user and its teardown
# closes them again, which must not happen while a test on another worker still runs as that user.
# Module fixtures count too: under --dist loadgroup a module's tests are spread like any others.
XDIST_GROUPS = {
    "executed_lessons": "lessons",
    "grading": "grading",
    "ordinary_user": "grading",
    "graded": "nbgrader",  # test_autograder.py: every fake submission through stock nbgrader
    "lab": "browser",  # test_browser.py: one JupyterLab server for the page tests
    "instructor_lab": "browser",
}


@pytest.fixture(scope="session")
def executed_lessons() -> dict:
    """Every lesson in course/, executed once per session (tests/lesson_support.py): {name: (notebook, seconds)},
    or (None, the error) for a lesson that failed. The lessons' tests and the site's build share it."""
    from lesson_support import run_all

    results = run_all(LESSONS)
    print("\nlesson run times: " + ", ".join(f"{n[:2]} {s:.1f} s" for n, (nb, s) in results.items() if nb))
    return results


@pytest.fixture(scope="session")
def sandbox_ok():
    """The class grader's sandbox works here (bubblewrap, libseccomp, user namespaces): else fail, never skip."""
    from safegrade.sandbox import check_available

    try:
        check_available()
    except Exception as e:  # the capability is required
        pytest.fail(f"the grading sandbox is unavailable here: {e}")


@pytest.fixture(scope="session")
def grading():
    """The class grader's default cluster (a TLS LocalCluster of 2 worker processes), started once per session:
    the class-grader tests share it, as a class shares one cluster (workers pay their imports once)."""
    from safegrade.cluster import connect

    with connect(workers=2) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def ordinary_user():
    """An unprivileged account made for the test run (removed after), able to run this environment's Python."""
    import pwd
    import secrets
    import stat
    import subprocess
    import sys

    if os.geteuid() != 0:  # already an ordinary user: that user it is
        yield pwd.getpwuid(os.getuid()).pw_name
        return
    name = f"sgt{secrets.token_hex(3)}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    # the Python environment may sit under /root (pyenv): let the user traverse the folders on the way
    opened = []
    for folder in [*Path(sys.base_prefix).resolve().parents, *Path(sys.prefix).resolve().parents]:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            opened.append((folder, mode))
            folder.chmod(mode | stat.S_IXOTH)
    try:
        yield name
    finally:
        for folder, mode in opened:
            folder.chmod(stat.S_IMODE(mode))
        subprocess.run(["userdel", name], check=False)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups into the node ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        groups = {XDIST_GROUPS[name] for name in getattr(item, "fixturenames", ()) if name in XDIST_GROUPS}
        if len(groups) > 1:
            raise pytest.UsageError(f"{item.nodeid} uses session fixtures of two xdist groups: {sorted(groups)}")
        if groups:
            item.add_marker(pytest.mark.xdist_group(groups.pop()))


# ------------------------------------------------------------------ how long the suite took

# A run of the whole suite (no paths, -k or -m) leaves its wall time and outcome here, for
# `python3 dev.py bench` to report (benchmarks/bench_suite.py, which times the quick tier itself):
# nothing in the suite is timed.
SUITE_RUNS = ROOT / "artifacts" / "test-runs"
FULL_SUITE_RECORD = SUITE_RUNS / "last-full-suite.json"


def is_full_suite(config: pytest.Config) -> bool:
    return (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.option.keyword
        and not config.option.markexpr
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_STARTED] = (time.perf_counter(), os.getloadavg()[0])


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if not is_full_suite(config) or hasattr(config, "workerinput"):  # an xdist worker: the controller writes it
        return
    if exitstatus == pytest.ExitCode.INTERRUPTED:  # stopped by hand: its time says nothing about the suite
        return
    started, load_before = config.stash[_STARTED]
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    stats = reporter.stats if reporter else {}
    counts = {
        k: len([r for r in v if getattr(r, "when", "call") in ("call", "setup", "teardown")])
        for k, v in stats.items()
        if k in ("passed", "failed", "error", "skipped", "xfailed", "xpassed")
    }
    record = {
        "seconds": round(time.perf_counter() - started, 1),
        "exitstatus": int(exitstatus),
        "outcomes": counts,
        "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
        "xdist_workers": getattr(config.option, "numprocesses", None) or 0,
        "args": config.invocation_params.args,
    }
    SUITE_RUNS.mkdir(parents=True, exist_ok=True)
    FULL_SUITE_RECORD.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


_STARTED = pytest.StashKey[tuple[float, float]]()
