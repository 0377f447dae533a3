"""Every lesson executed once per test session, shared by the lessons' tests and the site's build.

tests/test_course.py checks what the lessons print and draw; tests/test_site.py builds the course
site from the same runs (coursetools.site's ``build(executed=...)``), so each lesson runs once in
a test session, not once per test module. conftest.py's ``executed_lessons`` fixture calls
:func:`run_all`. Each lesson runs in a fresh ``python3`` kernel (cwd ``course/``, padlib from this
checkout) with :data:`FIGURE_CHECK` before it and :data:`FIGURE_REPORT` after it, as extra cells
with ids starting ``test-``; :func:`as_published` takes them out again.
"""

from __future__ import annotations

import copy
import os
from concurrent.futures import ProcessPoolExecutor

import nbformat
from coursetools import notebooks

CELL_TIMEOUT = 120  # seconds per cell: generous, the lessons' budget (20 s each) is measured by the benchmark
CHECK_CELL_PREFIX = "test-"

# Run before a lesson: every plt.show() first checks each figure for a title and labelled axes
# (colour bars and hidden axes excepted), for texts outside the figure (a clipped title) and for
# texts that overlap (a colour bar's label on the next panel's, digits running together), measured
# with the renderer's get_window_extent after layout. Run after it: print what was found.
FIGURE_CHECK = """
import matplotlib.pyplot as _plt

_figure_report = {"figures": 0, "problems": []}
_plt_show = _plt.show


def _show_checked(*args, **kwargs):
    for number in _plt.get_fignums():
        figure = _plt.figure(number)
        _figure_report["figures"] += 1
        suptitle = figure.get_suptitle()
        for ax in figure.axes:
            if ax.get_label() == "<colorbar>" or not ax.axison:
                continue
            title = suptitle or "".join(ax.get_title(loc) for loc in ("left", "center", "right"))
            if not (title and ax.get_xlabel() and ax.get_ylabel()):
                _figure_report["problems"].append((number, title, ax.get_xlabel(), ax.get_ylabel()))
        _figure_report["problems"].extend((number, problem) for problem in _text_problems(figure))
    return _plt_show(*args, **kwargs)


_plt.show = _show_checked


def _text_problems(figure):
    # As drawn (layout applied): pairs of texts that overlap (digits running together, a colour bar's
    # label on the next panel's), and texts that run into another Axes (a title under the next colour
    # bar). Not the figure's edge: the inline backend saves with bbox_inches="tight", which never clips.
    import numpy as _np
    from matplotlib.text import Text as _Text

    figure.draw_without_rendering()
    renderer = figure.canvas.get_renderer()
    texts = list(figure.texts)  # suptitle and figure texts
    for ax in figure.axes:
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        legend = ax.get_legend()
        texts += list(legend.get_texts()) if legend else []
    texts = [t for t in texts if isinstance(t, _Text) and t.get_visible() and t.get_text().strip()]
    boxes = _np.array([t.get_window_extent(renderer).extents for t in texts]).reshape(-1, 4)
    found = []

    def overlap(a, b):
        return min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1

    for t, box in zip(texts, boxes):
        for ax in figure.axes:
            if ax is not t.axes and ax.get_visible() and overlap(box, ax.get_window_extent(renderer).extents):
                found.append(f"{t.get_text()[:40]!r} runs into the Axes {(ax.get_title() or ax.get_label())[:30]!r}")
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if overlap(boxes[i], boxes[j]):
                found.append(f"overlap: {texts[i].get_text()[:30]!r} and {texts[j].get_text()[:30]!r}")
    return found
"""
FIGURE_REPORT = 'print("FIGURES CHECKED:", _figure_report["figures"], "| PROBLEMS:", _figure_report["problems"])'


def run_one(name: str) -> tuple[str, str | None, float | str]:
    """Worker process: execute one notebook; return its JSON and seconds, or None and the error text."""
    from nbclient.exceptions import CellExecutionError

    try:
        nb, seconds = notebooks.execute(
            notebooks.HERE / name, timeout=CELL_TIMEOUT, prelude=FIGURE_CHECK, epilogue=FIGURE_REPORT
        )
    except CellExecutionError as error:
        return name, None, str(error)[-3000:]
    return name, nbformat.writes(nb), seconds


def run_all(names: list[str]) -> dict[str, tuple[nbformat.NotebookNode | None, float | str]]:
    """Every notebook, executed once: {name: (notebook, seconds)} or {name: (None, error)};
    two at a time (COURSE_WORKERS)."""
    workers = int(os.environ.get("COURSE_WORKERS", "2"))
    results: dict[str, tuple[nbformat.NotebookNode | None, float | str]] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for name, text, extra in pool.map(run_one, names):
            results[name] = (nbformat.reads(text, as_version=4), extra) if text else (None, extra)
    return results


def as_published(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The executed lesson as a plain run shows it: without the check cells, execution counts from 1."""
    nb = copy.deepcopy(nb)
    nb.cells = [cell for cell in nb.cells if not cell.get("id", "").startswith(CHECK_CELL_PREFIX)]
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.execution_count is not None:
            count += 1
            cell.execution_count = count
            for out in cell.outputs:
                if out.output_type == "execute_result":
                    out.execution_count = count
    return nb
