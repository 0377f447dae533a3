"""The course in a real browser: JupyterLab, widgets and nbgrader's pages, end to end.

A learner opens the lessons in JupyterLab and runs them; a student works on an
exercise; an instructor opens nbgrader's formgrader. These tests do the same
with the system Chromium (driven by Playwright) against a JupyterLab server on
127.0.0.1 in a temporary directory. Screenshots go to artifacts/browser/.

Chromium missing is a broken set-up, so the tests fail (they never skip) and
say how to install it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import pytest

from browser_support import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    CHROMIUM_CANDIDATES,
    MISSING_CHROMIUM,
    ROOT,
    JupyterLabServer,
    LabPage,
    find_chromium,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

COURSE = ROOT / "course"
AUTOGRADER = ROOT / "autograder"
LESSONS = sorted(p.name for p in COURSE.glob("[0-9][0-9]_*.ipynb"))

# Waiting limits only (no assertion is about speed). A lesson is meant to run in
# under 20 s; on a busy 2-core machine with TensorFlow starting up, allow far more.
LESSON_TIMEOUT = 300.0
CELL_TIMEOUT = 120.0

_IGNORE = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "gradebook.db", "submitted",
                                 "autograded", "feedback", "exchange", "*.pyc")


# --------------------------------------------------------------------------
# Fixtures: one browser and one JupyterLab server for the module.
# (Module scope, not session: the browser and the asyncio loop of Playwright's
# sync API are gone before the rest of the suite runs.)
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        pytest.fail(MISSING_CHROMIUM.format(candidates=", ".join(CHROMIUM_CANDIDATES)), pytrace=False)
    return path


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # Playwright gives every launch a fresh, temporary user-data-dir.
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory) -> Path:
    """The learner's folder: a copy of course/ and of the released exercises."""
    root = tmp_path_factory.mktemp("lab-root")
    if COURSE.is_dir():
        shutil.copytree(COURSE, root / "course", ignore=_IGNORE)
    release = AUTOGRADER / "release"
    if release.is_dir():
        shutil.copytree(release, root / "exercises", ignore=_IGNORE)
    return root


@pytest.fixture(scope="module")
def lab(lab_root, tmp_path_factory):
    server = JupyterLabServer(lab_root, tmp_path_factory.mktemp("lab-home"), name="learner")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def lab_page(browser, lab):
    """A fresh browser context (no cookies, no storage) per test; the test's kernels stop afterwards."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield LabPage(page, lab)
    finally:
        context.close()
        lab.shutdown_kernels()


def write_notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(textwrap.dedent(src).strip()) for src in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


# --------------------------------------------------------------------------
# The browser infrastructure itself, on a small notebook made here.
# --------------------------------------------------------------------------


def test_lab_runs_a_notebook_and_reports_errors(lab_page, lab_root):
    """Run All in the UI executes every cell, figures render, and an error is seen as one.

    This pins down the machinery the lesson tests rely on: a warning on stderr
    is not an error, a raised exception is, and matplotlib figures arrive in the
    page as decoded images (the kernel gets the inline backend, not Agg).
    """
    write_notebook(
        lab_root / "scratch" / "smoke.ipynb",
        "import warnings; warnings.warn('only a warning'); print('hello from the kernel')",
        """
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1, 2], [0, 1, 4]); ax.set_title('smoke'); plt.show()
        """,
        "1 / 0",
        "print('not reached: Run All stops at the error')",
    )
    lab_page.open_notebook("scratch/smoke.ipynb")
    lab_page.run_all()
    state = lab_page.wait_until_idle(CELL_TIMEOUT)

    cells = state["cells"]
    assert [c["executionCount"] is not None for c in cells] == [True, True, True, False]
    errors = lab_page.error_report(state)
    assert len(errors) == 1 and "ZeroDivisionError" in errors[0], errors
    rendered = lab_page.rendered()
    assert "hello from the kernel" in rendered[0]["outputs"][0]["text"]
    images = [img for out in rendered[1]["outputs"] for img in out["images"]]
    assert images and all(img["complete"] and img["width"] > 50 for img in images), rendered[1]
