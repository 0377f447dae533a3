"""Build the lesson notebooks in course/ from their sources in course/src/; the percent-format reader.

Each lesson is written once, as a plain Python file in jupytext's "percent"
format (``# %%`` starts a code cell, ``# %% [markdown]`` a Markdown cell whose
lines start with ``# ``; the rest of a ``# %%`` line is the cell's metadata,
e.g. ``tags=["hide-input"]``). This module turns every ``src/NN_name.py`` into
``NN_name.ipynb`` with :func:`from_percent`: no outputs, no execution counts,
stable cell ids and only the kernel in the metadata, so diffs stay readable
and the test suite can check that the committed notebooks are fresh. The
assignment sources are read by the same function (:mod:`coursetools.release`).

    python3 dev.py notebooks              # rewrite the notebooks
    python3 dev.py notebooks --check      # exit 1 if any is stale
    python3 dev.py notebooks --run 01 03  # execute and time lessons

(``python -m coursetools.notebooks ...`` with the project's venv is the same.)

:func:`execute` is also what the tests (tests/test_course.py) and the
benchmark (benchmarks/bench_course.py) use to run a lesson.
"""

from __future__ import annotations

import copy
import os
import sys
import time
from pathlib import Path
from typing import Any

import jupytext
import nbformat

HERE = Path(__file__).resolve().parents[1]  # course/: this package ships in the checkout (an editable install)
SOURCES = HERE / "src"
METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
    "language_info": {"name": "python"},
}


# Keys jupytext keeps in a cell's metadata to write the same text back (blank lines, explicit end
# markers): bookkeeping for a round trip we never make, so the notebooks do not carry them.
JUPYTEXT_BOOKKEEPING = ("cell_marker", "lines_to_next_cell", "lines_to_end_of_cell_marker", "skipline", "noskipline")


def from_percent(
    text: str, *, metadata: dict[str, Any] | None = None, ids: str = "position", name: str = "<percent source>"
) -> nbformat.NotebookNode:
    """The notebook a percent-format source stands for, read by jupytext.

    ``# %%`` starts a code cell, ``# %% [markdown]`` a Markdown cell (its lines start with ``# ``);
    what follows on the header line is the cell's metadata, in jupytext's ``key=value`` form, e.g.
    ``# %% tags=["hide-input"]`` or ``# %% nbgrader={"grade": true, "grade_id": "squares", "points": 2}``.
    The notebook (nbformat 4.5) has no outputs and no execution counts, each cell's metadata as its
    header gives it (jupytext's own bookkeeping dropped, so the notebook does not change with
    jupytext's version), and ``metadata`` (default: the python3 kernel, :data:`METADATA`) as the only
    notebook metadata. Cell ids, by ``ids``:

    - ``"position"``: ``cell-01``, ``cell-02``, ... (a lesson: they stay put when a cell is edited);
    - ``"header"``: the cell's nbgrader ``grade_id``, else its header's ``id="..."`` (an assignment,
      whose ids nbgrader keeps); a cell without one, or an id used twice, is a ValueError naming ``name``.
    """
    if ids not in ("position", "header"):
        raise ValueError(f"ids must be 'position' or 'header'; got {ids!r}")
    parsed = jupytext.reads(text, fmt="py:percent")
    nb = nbformat.v4.new_notebook(metadata=copy.deepcopy(METADATA if metadata is None else metadata))
    for i, cell in enumerate(parsed.cells, start=1):
        make = nbformat.v4.new_markdown_cell if cell.cell_type == "markdown" else nbformat.v4.new_code_cell
        if cell.cell_type not in ("markdown", "code"):
            raise ValueError(
                f"{name}: cell {i} is a {cell.cell_type} cell; a source holds only code and markdown cells"
            )
        kept = {k: v for k, v in cell.metadata.items() if k not in JUPYTEXT_BOOKKEEPING}
        explicit = kept.pop("id", None)
        if ids == "position":
            cell_id = f"cell-{i:02d}"
        else:
            cell_id = kept.get("nbgrader", {}).get("grade_id") or explicit
            if not cell_id:
                raise ValueError(
                    f'{name}: a cell has no id: give its header id="..." or nbgrader grade_id\n{cell.source[:200]}'
                )
        nb.cells.append(make(cell.source, id=cell_id, metadata=kept))
    given = [cell.id for cell in nb.cells]
    repeated = sorted({i for i in given if given.count(i) > 1})
    if repeated:
        raise ValueError(f"{name}: cell ids must be unique; repeated: {', '.join(repeated)}")
    nbformat.validate(nb)
    return nb


def build(source: Path) -> nbformat.NotebookNode:
    """The notebook for one source file (see :func:`from_percent`)."""
    return from_percent(source.read_text(encoding="utf-8"), name=str(source))


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def lessons() -> list[Path]:
    """The course's notebooks, in learning order."""
    return sorted(HERE.glob("[0-9][0-9]_*.ipynb"))


def execute(
    path: Path, *, timeout: int = 60, prelude: str | None = None, epilogue: str | None = None
) -> tuple[nbformat.NotebookNode, float]:
    """Run a notebook top to bottom in a fresh ``python3`` kernel (cwd ``course/``).

    ``prelude`` and ``epilogue``, if given, are run as extra code cells before
    the first and after the last cell (the tests use them to inspect figures).

    The kernel is this Python's (the project's venv), so the lesson imports the installed padlib, as
    a learner's does; the caller's ``TF_*`` variables are left out. Returns the executed notebook and
    the wall time in seconds, kernel start-up included. Raises ``nbclient.exceptions.CellExecutionError`` on
    the first failing cell.
    """
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    if prelude:
        nb.cells.insert(0, nbformat.v4.new_code_cell(prelude, id="test-prelude"))
    if epilogue:
        nb.cells.append(nbformat.v4.new_code_cell(epilogue, id="test-epilogue"))
    # No TF_* variable of the caller reaches the kernel: the lesson quiets TensorFlow itself, as it must
    # for a learner whose JupyterLab sets nothing (the test suite sets some for its own process).
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env.update(MPLBACKEND="module://matplotlib_inline.backend_inline")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(HERE)}})
    start = time.perf_counter()
    client.execute(env=env)
    return nb, time.perf_counter() - start


def main(argv: list[str]) -> int:
    if argv[:1] == ["--run"]:
        wanted = argv[1:]
        for path in lessons():
            if not wanted or any(path.name.startswith(w) for w in wanted):
                _, seconds = execute(path)
                print(f"{path.name:<32} {seconds:6.1f} s", flush=True)
        return 0
    check = "--check" in argv
    stale = []
    for source in sorted(SOURCES.glob("[0-9][0-9]_*.py")):
        target = HERE / f"{source.stem}.ipynb"
        text = render(build(source))
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(target.name)
        if not check:
            target.write_text(text, encoding="utf-8")
    verb = "stale" if check else "written"
    print(f"{len(stale)} notebook(s) {verb}" + (f": {', '.join(stale)}" if stale else ""))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
