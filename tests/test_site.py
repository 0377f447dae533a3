"""The course site (python3 dev.py site), built once and read in headless Chromium as a reader would.

The site is built into a temporary folder by coursetools.site from the
session's lesson runs (every lesson executed once per session, shared with
tests/test_course.py), served from 127.0.0.1, and every page is opened in the system
Chromium. Each page must show no error, load every figure, link its notebook
and say how to run it; no link inside the site may be broken, and no page may
fetch anything from outside (the site is read offline). Screenshots go to
artifacts/site/.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path
from typing import Any

import nbformat
import pytest
from browser_support import ARTIFACTS, ROOT, chromium_or_fail, launched_chromium
from coursetools import site as make_site
from lesson_support import as_published

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("lessons")]

LESSONS = sorted((ROOT / "course").glob("[0-9][0-9]_*.ipynb"))
EXERCISES = sorted((ROOT / "autograder" / "release").glob("*/*.ipynb"))
NOTEBOOK_PAGES = [p.relative_to(ROOT).with_suffix(".html").as_posix() for p in LESSONS + EXERCISES]
PAGES = ["index.html", "autograder/release/index.html", *NOTEBOOK_PAGES]
SHOTS = ARTIFACTS.parent / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory, executed_lessons) -> Path:
    """The built site: <out>/html (the pages) and <out>/book (the notebooks it was built from).

    Built by coursetools.site's ``build`` from the session's lesson runs (conftest.py's
    ``executed_lessons``, which tests/test_course.py reads too), so each lesson runs once per session.
    """
    failed = {name: error for name, (nb, error) in executed_lessons.items() if nb is None}
    assert not failed, f"lessons failed, so the site cannot be built: {failed}"
    out = tmp_path_factory.mktemp("site")
    make_site.build(out, executed={name: as_published(nb) for name, (nb, _) in executed_lessons.items()})
    return out


def test_the_site_command_refuses_a_bad_job_count():
    """`python3 dev.py site` runs coursetools.site, which executes the lessons itself (build() with no runs)."""
    result = subprocess.run(
        [sys.executable, "-m", "coursetools.site", "--jobs", "0"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2 and "--jobs must be 1 or more; got 0" in result.stderr


def test_the_site_is_built_only_from_a_run_of_every_lesson(tmp_path, executed_lessons):
    some = dict(list(executed_lessons.items())[1:])
    with pytest.raises(ValueError, match="no executed notebook given for 00_start_here.ipynb"):
        make_site.build(tmp_path, executed={name: nb for name, (nb, _) in some.items()})


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_QuietHandler, directory=str(site / "html"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    with launched_chromium(chromium_or_fail()) as browser:
        yield browser


@pytest.fixture(scope="module")
def visited(site, server, browser) -> dict[str, Any]:
    """Open every page once; record what a reader's browser saw and every link the page has."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    remote: list[str] = []

    def only_local(route):
        if urllib.parse.urlsplit(route.request.url).hostname == "127.0.0.1" or route.request.url.startswith("data:"):
            route.continue_()
        else:
            remote.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    pages = {}
    for name in PAGES:
        page = context.new_page()
        seen: dict = {"console_errors": [], "page_errors": [], "failed": [], "remote": []}
        page.on("console", lambda msg, s=seen: msg.type == "error" and s["console_errors"].append(msg.text))
        page.on("pageerror", lambda exc, s=seen: s["page_errors"].append(str(exc)))
        page.on("response", lambda r, s=seen: r.status >= 400 and s["failed"].append(f"{r.status} {r.url}"))
        before = len(remote)
        response = page.goto(f"{server}/{name}", wait_until="networkidle")
        seen["status"] = response.status if response else None
        seen.update(page.evaluate(_READ_PAGE))
        seen["remote"] = remote[before:]
        shot = SHOTS / name.replace("/", "__").replace(".html", ".png")
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        page.close()
        pages[name] = seen
    # Every link inside the site, from every page, must lead to a file the server has.
    targets = {urllib.parse.urldefrag(href)[0] for seen in pages.values() for href in seen["links"]}
    broken = {}
    for url in sorted(t for t in targets if t.startswith(server)):
        status = context.request.get(url).status
        if status != 200:
            broken[url] = status
    context.close()
    return {"pages": pages, "broken": broken, "remote": remote}


_READ_PAGE = """
() => {
  const article = document.querySelector('article') || document.body;
  return {
    title: document.title,
    text: article.innerText,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    images: Array.from(article.querySelectorAll('img')).map(img => ({
      src: img.currentSrc.slice(0, 80), complete: img.complete, width: img.naturalWidth})),
    errorOutputs: article.querySelectorAll('.output.error, .output.traceback').length,
    stderrOutputs: Array.from(article.querySelectorAll('.output.stderr')).map(e => e.innerText.slice(0, 300)),
    widgetNotes: article.querySelectorAll('.padlib-widget-note').length,
    downloads: Array.from(article.querySelectorAll('a[href$=".ipynb"]')).map(a => a.href),
  };
}
"""


def _staged(site: Path, page: str) -> nbformat.NotebookNode:
    return nbformat.read(site / "book" / page.replace(".html", ".ipynb"), as_version=4)


def _outputs(nb: nbformat.NotebookNode) -> list:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def test_the_site_has_the_start_page_every_lesson_and_every_exercise(site):
    html = site / "html"
    for page in PAGES:
        assert (html / page).is_file(), f"the site has no {page}"
    # The site opens on the start page.
    assert "course/00_start_here.html" in (html / "index.html").read_text(encoding="utf-8")


def test_lessons_are_shown_executed_and_exercises_without_solutions(site):
    for lesson in LESSONS:
        nb = _staged(site, lesson.relative_to(ROOT).with_suffix(".html").as_posix())
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{lesson.name} was not executed for the site"
    for exercise in EXERCISES:
        shown = _staged(site, exercise.relative_to(ROOT).with_suffix(".html").as_posix())
        assert "### BEGIN SOLUTION" not in "\n".join(c.source for c in shown.cells)
        assert "raise NotImplementedError" in "\n".join(c.source for c in shown.cells)


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_offline_with_no_error(visited, page):
    seen = visited["pages"][page]
    assert seen["status"] == 200
    assert seen["page_errors"] == [], f"{page}: JavaScript errors {seen['page_errors']}"
    assert seen["console_errors"] == [], f"{page}: console errors {seen['console_errors']}"
    assert seen["failed"] == [], f"{page}: failed requests {seen['failed']}"
    assert seen["remote"] == [], f"{page} fetches from outside the site (it must work offline): {seen['remote']}"
    assert seen["errorOutputs"] == 0 and "Traceback (most recent call last)" not in seen["text"], (
        f"{page} shows an error"
    )
    assert seen["stderrOutputs"] == [], f"{page} shows error output: {seen['stderrOutputs']}"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_page_shows_every_figure_of_its_notebook(site, visited, page):
    seen = visited["pages"][page]
    figures = sum(1 for out in _outputs(_staged(site, page)) if "image/png" in out.get("data", {}))
    assert len(seen["images"]) >= figures, f"{page}: the notebook has {figures} figures, the page {len(seen['images'])}"
    not_loaded = [img["src"] for img in seen["images"] if not (img["complete"] and img["width"] > 0)]
    assert not_loaded == [], f"{page}: images that did not load: {not_loaded}"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_page_links_its_notebook_and_says_how_to_run_it(visited, page):
    seen = visited["pages"][page]
    notebook = Path(page).with_suffix(".ipynb").name
    assert any(href.endswith("/" + notebook) for href in seen["downloads"]), f"{page} does not link {notebook}"
    assert "python3 dev.py course" in seen["text"], f"{page} does not say how to run the notebook"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_widgets_are_shown_as_a_note_to_run_the_notebook(site, visited, page):
    notes = sum(1 for out in _outputs(_staged(site, page)) if "padlib-widget-note" in str(out.get("data", {})))
    assert all(
        "application/vnd.jupyter.widget-view+json" not in out.get("data", {}) for out in _outputs(_staged(site, page))
    )
    assert visited["pages"][page]["widgetNotes"] == notes


def test_the_explorers_lessons_have_widget_notes(visited):
    """Lessons 3 and 5 end with padlib.widgets.explorer(): on the site it is a note, not nothing."""
    with_notes = [page for page, seen in visited["pages"].items() if seen["widgetNotes"]]
    assert "course/03_padding_types.html" in with_notes and "course/05_stride.html" in with_notes


def test_no_link_inside_the_site_is_broken(visited):
    assert visited["broken"] == {}, f"broken links: {visited['broken']}"
    assert visited["remote"] == []


def _pages_with_animations(site: Path) -> list[str]:
    def animated(page: str) -> bool:
        return any(
            'class="animation"' in str(out.get("data", {}).get("text/html", ""))
            for out in _outputs(_staged(site, page))
        )

    return [page for page in NOTEBOOK_PAGES if animated(page)]


def test_animations_play_on_the_site(site, server, browser):
    """matplotlib's JavaScript animations work offline: their buttons have icons and Play moves the frames."""
    pages = _pages_with_animations(site)
    assert pages, "no lesson shows an animation (padlib.plot.animate_conv), but the course promises one"
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    try:
        for name in pages:
            page = context.new_page()
            page.goto(f"{server}/{name}", wait_until="networkidle")
            animation = page.locator(".animation").first
            buttons = animation.locator("button")
            assert buttons.count() > 0 and animation.locator("button svg").count() == buttons.count(), (
                f"{name}: the animation's buttons have no icons"
            )
            frame = animation.locator("input[type=range]")
            assert frame.input_value() == "0"
            animation.locator("button[title='Play']").click()
            page.wait_for_function("el => el.value !== '0'", arg=frame.element_handle(), timeout=30_000)
            page.close()
    finally:
        context.close()
