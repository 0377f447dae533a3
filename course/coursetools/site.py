"""Build the course site: the executed lessons, the start page and the exercises, as static HTML.

    python3 dev.py site                        # build into build/site/ (git-ignored)
    python -m coursetools.site --out DIR       # the same, with the project's venv

For readers who install nothing. Every lesson found in course/ (by
:func:`coursetools.notebooks.lessons`) is executed once, in a fresh kernel, by
:func:`coursetools.notebooks.execute`; the released exercises (autograder/release/,
no solutions) are shown as they are handed out, not executed. Jupyter Book 1
(Sphinx, with its theme's assets bundled in the package) turns them into
HTML with no network access. Each page starts with a note that links the
notebook itself and says how to run it (``python3 dev.py course``); an
interactive widget, which needs a live kernel, is replaced by a note saying
so. The folders keep the repository's layout, so the notebooks' own relative
links (``../autograder/release/...``) work on the site too.

Open ``build/site/html/index.html`` in a browser.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import yaml

from . import notebooks

COURSE = notebooks.HERE
ROOT = COURSE.parent
RELEASE = ROOT / "autograder" / "release"
DEFAULT_OUT = ROOT / "build" / "site"
DOWNLOADS = "_notebooks"  # clean copies of the notebooks, linked from every page
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
RUN_IT = "python3 dev.py course"
WIDGET_NOTE = (
    '<p class="padlib-widget-note"><strong>Interactive explorer.</strong> It needs a running Python kernel, '
    f"so the site cannot show it: run this notebook yourself (<code>{RUN_IT}</code>) to use it.</p>"
)
# matplotlib's JavaScript animations link Font Awesome from a CDN for their buttons; the site's theme
# bundles Font Awesome and draws those icons itself, so the remote stylesheet is dropped.
REMOTE_STYLESHEET = re.compile(r"<link\b[^>]*\bhref=[\"']https?://[^>]*>", re.IGNORECASE)
CELL_TIMEOUT = 120  # seconds per cell: generous, the lessons' own budget is measured by the benchmark


def exercises() -> list[Path]:
    """The released (student) versions of the assignments, one notebook per assignment folder."""
    return sorted(RELEASE.glob("*/*.ipynb"))


def _execute(path: Path) -> nbformat.NotebookNode:
    nb, _seconds = notebooks.execute(path, timeout=CELL_TIMEOUT)
    return nb


def without_widgets(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with each widget output replaced by a note, and no widget state (whose viewer needs a CDN)."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for i, out in enumerate(cell.outputs):
            if WIDGET_VIEW in out.get("data", {}):
                cell.outputs[i] = nbformat.v4.new_output(
                    "display_data",
                    data={"text/html": WIDGET_NOTE, "text/plain": "[interactive widget: run the notebook]"},
                )
    return nb


def without_remote_stylesheets(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with no ``<link href="https://...">`` in its HTML outputs: the site works offline."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            html = out.get("data", {}).get("text/html")
            if html is not None:
                text = "".join(html) if isinstance(html, list) else html
                out["data"]["text/html"] = REMOTE_STYLESHEET.sub("", text)
    return nb


def with_header(nb: nbformat.NotebookNode, relpath: str, download: str, executed: bool) -> nbformat.NotebookNode:
    """Put a note after the page's title cell: which notebook this is, a link to it, and how to run it."""
    what = "This page shows the notebook" + (" after it ran" if executed else ", as it is handed out")
    note = (
        ":::{note}\n"
        f"{what}: `{relpath}`. {{download}}`Download the notebook <{download}>`, or run it yourself: "
        f"in a clone of the repository, `{RUN_IT}` opens the course in JupyterLab.\n"
        ":::"
    )
    nb = copy.deepcopy(nb)
    at = 1 if nb.cells and nb.cells[0].cell_type == "markdown" and nb.cells[0].source.lstrip().startswith("#") else 0
    nb.cells.insert(at, nbformat.v4.new_markdown_cell(note, id="site-header"))
    return nb


def _relative_link_to_folder(match: re.Match, page: Path, stage: Path) -> str:
    """A Markdown link to a folder becomes a link to that folder's index page on the site."""
    text, target = match.group(1), match.group(2)
    if "://" in target or target.startswith("#") or not target.endswith("/"):
        return match.group(0)
    if (stage / page.parent / target / "index.md").exists():
        return f"[{text}]({target}index.md)"
    return match.group(0)


def stage_notebook(nb: nbformat.NotebookNode, source: Path, stage: Path, executed: bool) -> str:
    """Write one page's notebook into the staging folder; returns its path there (without suffix), for the toc."""
    rel = source.relative_to(ROOT)
    download = stage / DOWNLOADS / rel
    download.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, download)
    page = stage / rel
    page.parent.mkdir(parents=True, exist_ok=True)
    link = Path(*[".."] * (len(rel.parts) - 1), DOWNLOADS, rel).as_posix()
    nb = with_header(without_remote_stylesheets(without_widgets(nb)), rel.as_posix(), link, executed)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = re.sub(
                r"\[([^\]]*)\]\(([^)\s]+)\)", lambda m: _relative_link_to_folder(m, rel, stage), cell.source
            )
    nbformat.write(nb, page)
    return rel.with_suffix("").as_posix()


def exercises_index(stage: Path, pages: list[str]) -> str:
    """autograder/release/index.md: the exercises page (the start page links the folder)."""
    lines = ["# Exercises", "", "The auto-graded assignments, as handed out (no solutions):", ""]
    for page in pages:
        name = Path(page).name
        lines.append(f"- [{name}]({Path(page).relative_to('autograder/release').as_posix()}.ipynb)")
    lines += [
        "",
        f"To work on them, run `{RUN_IT}` in a clone of the repository and open the notebook in JupyterLab.",
        "",
    ]
    index = stage / "autograder" / "release" / "index.md"
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_text("\n".join(lines), encoding="utf-8")
    return "autograder/release/index"


def write_book_config(
    stage: Path, root: str, lessons: list[str], exercises_page: str, exercise_pages: list[str]
) -> None:
    toc = {
        "format": "jb-book",
        "root": root,
        "parts": [
            {"caption": "Lessons", "chapters": [{"file": page} for page in lessons]},
            {
                "caption": "Exercises",
                "chapters": [{"file": exercises_page, "sections": [{"file": p} for p in exercise_pages]}],
            },
        ],
    }
    config = {
        "title": "Padding & Stride",
        "author": "the Padding & Stride course",
        "only_build_toc_files": True,
        "exclude_patterns": [f"{DOWNLOADS}/**", "**/.ipynb_checkpoints"],
        "execute": {"execute_notebooks": "off"},  # executed above, once each
        "html": {"use_repository_button": False, "use_issues_button": False, "use_edit_page_button": False},
        "launch_buttons": {"notebook_interface": "jupyterlab", "binderhub_url": "", "thebe": False},
        "sphinx": {
            "recursive_update": True,
            "config": {  # merged into Jupyter Book's defaults, not replacing them
                # Jupyter Book's extensions less sphinx_thebe (live code from a CDN; it also declares its script
                # twice, a JavaScript error on every page) and intersphinx (inventories from the network).
                "extensions": [
                    "sphinx_togglebutton",
                    "sphinx_copybutton",
                    "myst_nb",
                    "jupyter_book",
                    "sphinx_comments",
                    "sphinx_external_toc",
                    "sphinx_design",
                    "sphinx_book_theme",
                ],
                "nb_ipywidgets_js": {},  # no widget manager from a CDN: widgets are notes (see without_widgets)
                "html_context": {"default_mode": "light"},  # unset, the theme logs an error on a first visit
                "html_show_copyright": False,
            },
        },
    }
    (stage / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def build(out: Path, jobs: int = 2, executed: Mapping[str, nbformat.NotebookNode] | None = None) -> Path:
    """Execute, stage and build; returns the folder of the HTML site (its index.html is the start page).

    ``executed`` ({notebook file name: executed notebook}, one for every lesson) skips the execution:
    the test suite builds the site from the lesson runs its other tests read.
    """
    stage = out / "book"
    html = out / "html"
    for folder in (stage, html, out / "_build"):
        shutil.rmtree(folder, ignore_errors=True)
    stage.mkdir(parents=True)
    lessons = notebooks.lessons()
    if not lessons:
        sys.exit(f"no lesson notebooks in {COURSE}")
    if executed is None:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            runs = list(pool.map(_execute, lessons))
    else:
        missing = sorted({p.name for p in lessons} - set(executed))
        if missing:
            raise ValueError(f"no executed notebook given for {', '.join(missing)}")
        runs = [executed[p.name] for p in lessons]
    # The exercises and their index page first: the lessons' links to that folder are rewritten to the index.
    exercise_pages = [stage_notebook(nbformat.read(p, as_version=4), p, stage, executed=False) for p in exercises()]
    index = exercises_index(stage, exercise_pages)
    pages = [stage_notebook(nb, path, stage, executed=True) for nb, path in zip(runs, lessons, strict=True)]
    write_book_config(stage, pages[0], pages[1:], index, exercise_pages)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    subprocess.run(
        [
            str(jupyter_book),
            "build",
            str(stage),
            "--path-output",
            str(out),
            "--warningiserror",
            "--keep-going",
            "--quiet",
        ],
        check=True,
    )
    shutil.move(out / "_build" / "html", html)
    shutil.rmtree(out / "_build", ignore_errors=True)
    return html


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT.relative_to(ROOT)})"
    )
    parser.add_argument("--jobs", type=int, default=2, help="lessons executed at the same time (default: 2)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be 1 or more; got {args.jobs}")
    html = build(args.out.resolve(), args.jobs)
    print(f"site built: {html / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
