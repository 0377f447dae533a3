"""Support for the browser tests: a JupyterLab server on loopback and a page driver.

The browser tests drive the real user interface: a JupyterLab server (with the
nbgrader extensions the project installs) started in a temporary directory on
127.0.0.1, and the system Chromium driven by Playwright's Python package. No
browser is downloaded at test time; the Debian package ``chromium`` is used.

Everything the server writes (config, data, runtime files, IPython profile,
workspaces and JupyterLab settings) goes to the temporary directory, so the
tests never read or change the user's own Jupyter set-up.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # the tests may run as root (CI containers); Chromium refuses its sandbox then
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    # Without these Chromium phones home at start-up; on a closed network the
    # refused connections slow it down and clutter the logs.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--metrics-recording-only",
]

MISSING_CHROMIUM = (
    "Chromium is not installed, so the browser tests cannot run.\n"
    "The browser tests drive the system Chromium (no browser is downloaded at test time).\n"
    "Install it with:  sudo apt-get install chromium      (Debian/Ubuntu)\n"
    "or run the project's set-up as root:  python3 dev.py setup\n"
    "Looked for: {candidates} and `chromium` on PATH."
)

# Generous limits for *waiting only*; no test asserts on how long anything took.
SERVER_START_TIMEOUT = 120.0
SERVER_STOP_TIMEOUT = 30.0


def find_chromium() -> str | None:
    """Path of the system Chromium, or None. Same search as dev.py's."""
    for path in CHROMIUM_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_or_fail() -> str:
    """Path of the system Chromium; without one the test fails with :data:`MISSING_CHROMIUM` (not a skip)."""
    import pytest

    path = find_chromium()
    if path is None:
        pytest.fail(MISSING_CHROMIUM.format(candidates=", ".join(CHROMIUM_CANDIDATES)), pytrace=False)
    return path


@contextlib.contextmanager
def launched_chromium(path: str) -> Iterator[Any]:
    """Headless Chromium at ``path`` under Playwright's sync API, closed on exit: the browser tests' one browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # Playwright gives every launch a fresh, temporary user-data-dir.
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


_PARENT_WATCH = """\
# Written by tests/browser_support.py: stop this server when the test process is gone.
import os, signal, threading, time

def _padlib_watch_parent(parent=int(os.environ.get("PADLIB_TEST_PARENT_PID", "0"))):
    while parent:
        time.sleep(1)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os.kill(os.getpid(), signal.SIGTERM)
            return

threading.Thread(target=_padlib_watch_parent, name="padlib-parent-watch", daemon=True).start()
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))


class JupyterLabServer:
    """``jupyter lab`` on 127.0.0.1 with a random token, isolated from the user's config.

    ``root`` is the server's root directory (what the file browser shows);
    ``cwd`` is the server process's working directory (nbgrader reads its
    course's ``nbgrader_config.py`` from there). ``home`` holds the isolated
    Jupyter/IPython directories and the server log.
    """

    def __init__(self, root: Path, home: Path, cwd: Path | None = None, name: str = "lab"):
        self.root = Path(root)
        self.home = Path(home)
        self.cwd = Path(cwd) if cwd else self.root
        self.name = name
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.home / f"{name}-server.log"
        self.proc: subprocess.Popen | None = None
        self._log: IO[str] | None = None

    # ----------------------------------------------------------------- set-up
    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        # The test suite sets MPLBACKEND=Agg for itself; a learner's kernel must
        # get ipykernel's inline backend, or no figure would reach the browser.
        env.pop("MPLBACKEND", None)
        for var in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PREFER_ENV_PATH"):
            env.pop(var, None)
        # Nor the TF_* variables tests/conftest.py sets: a learner's kernel has none, and the
        # lessons must quiet TensorFlow by themselves.
        for var in [v for v in env if v.startswith("TF_")]:
            env.pop(var)
        # No PYTHONPATH tricks: kernels import padlib the way a learner's do, from
        # the project's (editable) install in the virtual environment.
        # As in an activated virtual environment: nbgrader runs the `alembic`
        # command from PATH when it creates a gradebook.
        env["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", os.defpath)))
        env.update(
            JUPYTER_CONFIG_DIR=str(self.home / "config"),
            JUPYTER_DATA_DIR=str(self.home / "data"),
            JUPYTER_RUNTIME_DIR=str(self.home / "runtime"),
            IPYTHONDIR=str(self.home / "ipython"),
            JUPYTER_PLATFORM_DIRS="1",
            PADLIB_TEST_PARENT_PID=str(os.getpid()),
            PYTHONUNBUFFERED="1",
        )
        return env

    def _write_settings(self) -> None:
        """JupyterLab user settings for a quiet, deterministic UI in the isolated config dir."""
        settings = self.home / "config" / "lab" / "user-settings" / "@jupyterlab"
        # No "Would you like to receive official Jupyter news?" toast, no update check.
        _write_json(
            settings / "apputils-extension" / "notification.jupyterlab-settings",
            {"fetchNews": "false", "checkForUpdates": False},
        )
        # Render every cell (no virtual scrolling), so the whole executed
        # notebook is in the page for the assertions and the screenshot.
        _write_json(settings / "notebook-extension" / "tracker.jupyterlab-settings", {"windowingMode": "none"})
        # If the test process dies without running its teardown (SIGKILL, a CI
        # time-out), the server notices within seconds and shuts down with its kernels.
        (self.home / "config" / "jupyter_server_config.py").write_text(_PARENT_WATCH)

    def start(self) -> JupyterLabServer:
        for sub in ("config", "data", "runtime", "ipython"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        self._write_settings()
        cmd = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--ServerApp.terminals_enabled=False",
            # Safety nets in case the test process is killed before its teardown runs.
            "--ServerApp.shutdown_no_activity_timeout=1200",
            "--MappingKernelManager.cull_idle_timeout=1200",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # Lets the tests read the notebook model (outputs, execution state)
            # next to what the page shows; the actions themselves go through the UI.
            "--LabApp.expose_app_in_browser=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")  # CI containers run as root
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.cwd,
            env=self._environment(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab ({self.name}) exited with code {self.proc.returncode} during start-up.\n"
                    f"Server log {self.log_path}:\n{self.log_tail()}"
                )
            try:
                status = self.api("GET", "/api/status")
                if status is not None:
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"JupyterLab ({self.name}) did not answer on {self.base_url} within "
                    f"{SERVER_START_TIMEOUT:.0f} s.\nServer log {self.log_path}:\n{self.log_tail()}"
                )
            time.sleep(0.25)

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # --------------------------------------------------------------- REST API
    def api(self, method: str, path: str, body=None, timeout: float = 30.0):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else {}

    def url(self, path: str = "/lab") -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}token={self.token}"

    def shutdown_kernels(self) -> None:
        """Stop every running kernel (each lesson's kernel is freed before the next one starts)."""
        for kernel in self.api("GET", "/api/kernels"):
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except urllib.error.HTTPError as exc:  # already gone
                if exc.code != 404:
                    raise
        for session in self.api("GET", "/api/sessions"):
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except urllib.error.HTTPError as exc:
                if exc.code != 404:
                    raise

    # --------------------------------------------------------------- teardown
    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:  # the clean way: the server stops its kernels, then exits
                self.api("POST", "/api/shutdown", timeout=10)
            except Exception:
                pass
            try:
                self.proc.wait(SERVER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                pass
        # Whatever is left in the server's process group (kernels included) goes now.
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _group_alive(self.proc.pid):
                time.sleep(0.2)
            if not _group_alive(self.proc.pid):
                break
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        if self._log:
            self._log.close()
        self.proc = None


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie leader still counts until reaped; look for live members.
    for pid_dir in Path("/proc").iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            stat = (pid_dir / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            return True
    return False


# --------------------------------------------------------------------------
# The page driver: what a learner does, expressed with Playwright.
# --------------------------------------------------------------------------

# Everything the tests read about the open notebook, from JupyterLab's own model.
_NOTEBOOK_STATE_JS = """
() => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.content || !panel.content.model || !panel.sessionContext) { return null; }
  const session = panel.sessionContext.session;
  const kernel = session && session.kernel;
  const cells = [];
  const model = panel.content.model.cells;
  for (let i = 0; i < model.length; i++) {
    const c = model.get(i);
    const cell = {index: i, type: c.type, source: c.sharedModel.getSource(),
                  executionCount: c.type === 'code' ? c.executionCount : null,
                  executionState: c.type === 'code' ? (c.executionState || null) : null,
                  outputs: []};
    if (c.type === 'code') {
      for (let j = 0; j < c.outputs.length; j++) {
        const o = c.outputs.get(j).toJSON();
        cell.outputs.push({
          output_type: o.output_type, name: o.name || null,
          ename: o.ename || null, evalue: o.evalue || null,
          traceback: o.traceback ? o.traceback.join('\\n') : null,
          mimes: o.data ? Object.keys(o.data) : [],
          text: o.text ? (Array.isArray(o.text) ? o.text.join('') : o.text) : null,
          html: o.data && o.data['text/html'] ? [].concat(o.data['text/html']).join('') : null,
        });
      }
    }
    cells.push(cell);
  }
  return {path: panel.context.path, kernelStatus: kernel ? kernel.status : 'no kernel',
          connection: kernel ? kernel.connectionStatus : 'no kernel', cells: cells};
}
"""

# What the page shows: every rendered output, per cell, in order.
_RENDERED_OUTPUTS_JS = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = Array.from(panel.node.querySelectorAll('.jp-Notebook .jp-Cell'));
  return cells.map((cell, index) => ({
    index: index,
    prompt: (cell.querySelector('.jp-InputArea-prompt') || {innerText: ''}).innerText.trim(),
    // Top-level outputs only, in model order (a widget's own output areas are nested inside one).
    outputs: Array.from(cell.querySelectorAll(
        ':scope .jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output')).map(o => ({
      mime: o.getAttribute('data-mime-type'),
      text: o.innerText,
      images: Array.from(o.querySelectorAll('img')).map(img => ({
        complete: img.complete, width: img.naturalWidth, height: img.naturalHeight})),
      svgs: o.querySelectorAll('svg').length,
      widgets: o.querySelectorAll('.jupyter-widgets').length,
    })),
  }));
}
"""

_TRACEBACK_MARKERS = ("Traceback (most recent call last)", "Error displaying widget", "Javascript Error")


class LabPage:
    """A JupyterLab tab in Chromium, driven like a person would (menus, keyboard, mouse)."""

    def __init__(self, page, server: JupyterLabServer):
        self.page = page
        self.server = server

    # -------------------------------------------------------------- navigation
    def open_notebook(self, path: str, timeout: float = 120.0) -> None:
        """Open ``path`` (relative to the server root) in a fresh workspace and wait for its kernel."""
        self.page.goto(self.server.url(f"/lab/tree/{path}?reset"))
        self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=timeout * 1000)
        self.wait_for(
            "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
            " return !!k && k.status === 'idle' && k.connectionStatus === 'connected'; }",
            timeout,
            f"the kernel of {path} to start and become idle",
        )
        self.hide_left_sidebar()

    def hide_left_sidebar(self) -> None:
        """Collapse the file browser, as a learner does to read a lesson (and for wider screenshots)."""
        current = self.page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
        if current.count():
            current.first.click()
            self.page.locator("#jp-left-stack").wait_for(state="hidden")

    def wait_for(self, js: str, timeout: float, what: str, arg=None) -> None:
        """Wait (generously) until ``js`` is truthy; on time-out, save a screenshot and say what we waited for."""
        try:
            self.page.wait_for_function(js, arg=arg, timeout=timeout * 1000, polling=250)
        except Exception as exc:
            shot = self.failure_screenshot(what)
            raise AssertionError(
                f"Timed out after {timeout:.0f} s waiting for {what}.\nScreenshot: {shot}\n"
                f"Server log tail:\n{self.server.log_tail(25)}"
            ) from exc

    # ----------------------------------------------------------------- actions
    def menu(self, top: str, command: str) -> None:
        """Click a top menu (e.g. "Run"), then the entry bound to a JupyterLab command."""
        self.page.locator(".lm-MenuBar-item").filter(has_text=re.compile(rf"^\s*{re.escape(top)}\s*$")).first.click()
        item = self.page.locator(f"li.lm-Menu-item[data-command='{command}']")
        item.first.click()

    def run_all(self) -> None:
        self.menu("Run", "runmenu:run-all")

    def cell(self, index: int):
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").nth(index)

    def replace_cell_source(self, index: int, text: str) -> None:
        """Click into a cell's editor, select all, and type ``text`` as a person would."""
        editor = self.cell(index).locator(".cm-content")
        editor.scroll_into_view_if_needed()
        editor.click()
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.press("Delete")
        # Typing goes through CodeMirror, which auto-indents and closes brackets;
        # insert_text puts the text in as one edit (like a paste), which keeps it exact.
        self.page.keyboard.insert_text(text)

    def run_cells(self, *indices: int, timeout: float = 120.0) -> dict:
        """Select each cell in turn (click its prompt) and press Ctrl+Enter; wait until all have run."""
        before = max([c["executionCount"] or 0 for c in self.state()["cells"]], default=0)
        for index in indices:
            prompt = self.cell(index).locator(".jp-InputArea-prompt")
            prompt.scroll_into_view_if_needed()
            prompt.click()
            self.page.keyboard.press("Control+Enter")
        self.wait_for(
            "([cells, before]) => { const m = window.jupyterapp.shell.currentWidget.content.model.cells;"
            " return cells.every(i => (m.get(i).executionCount || 0) > before); }",
            timeout,
            f"cells {list(indices)} to run",
            arg=[list(indices), before],
        )
        return self.wait_until_idle(timeout, f"the kernel to be idle after running cells {list(indices)}")

    # ---------------------------------------------------------------- reading
    def state(self) -> dict:
        state = self.page.evaluate(_NOTEBOOK_STATE_JS)
        if state is None:
            raise AssertionError("No notebook is open in JupyterLab's main area.")
        return state

    def rendered(self) -> list[dict]:
        return self.page.evaluate(_RENDERED_OUTPUTS_JS)

    def wait_until_idle(self, timeout: float, what: str = "the notebook to finish running") -> dict:
        """Wait until the kernel is idle and no cell is queued or running ([*]), twice in a row."""
        js = """
        () => {
          const w = window.jupyterapp.shell.currentWidget;
          const k = w.sessionContext.session && w.sessionContext.session.kernel;
          if (!k || k.status !== 'idle') { window.__padlibIdle = 0; return false; }
          const cells = w.content.model.cells;
          for (let i = 0; i < cells.length; i++) {
            const c = cells.get(i);
            if (c.type === 'code' && c.executionState === 'running') { window.__padlibIdle = 0; return false; }
          }
          const prompts = Array.from(w.node.querySelectorAll('.jp-InputArea-prompt'));
          if (prompts.some(p => p.innerText.includes('*'))) { window.__padlibIdle = 0; return false; }
          window.__padlibIdle = (window.__padlibIdle || 0) + 1;
          return window.__padlibIdle >= 3;
        }
        """
        self.page.evaluate("() => { window.__padlibIdle = 0; }")
        self.wait_for(js, timeout, what)
        return self.state()

    # ------------------------------------------------------------ assertions
    def error_report(self, state: dict | None = None) -> list[str]:
        """Every error a learner would see: error outputs in the model, tracebacks on the page."""
        state = state or self.state()
        rendered = self.rendered()
        problems = []
        seen = set()
        for cell in state["cells"]:
            for k, out in enumerate(cell["outputs"]):
                if out["output_type"] == "error":
                    seen.add((cell["index"], k))
                    shown = ""
                    if cell["index"] < len(rendered) and k < len(rendered[cell["index"]]["outputs"]):
                        shown = rendered[cell["index"]]["outputs"][k]["text"]
                    problems.append(
                        f"cell {cell['index']} raised {out['ename']}: {out['evalue']}\n"
                        f"  source: {cell['source'][:300]!r}\n  shown on the page:\n{_indent(shown[-2500:])}"
                    )
        for cell in rendered:
            for k, out in enumerate(cell["outputs"]):
                if (cell["index"], k) not in seen and any(m in out["text"] for m in _TRACEBACK_MARKERS):
                    problems.append(f"cell {cell['index']} shows an error on the page:\n{_indent(out['text'][-2500:])}")
        return problems

    def stderr_boxes(self) -> list[str]:
        """The text of every stderr output the page shows (JupyterLab draws them as red boxes)."""
        return [
            f"cell {cell['index']}: {out['text'][:600]}"
            for cell in self.rendered()
            for out in cell["outputs"]
            if out["mime"] == "application/vnd.jupyter.stderr"
        ]

    # ------------------------------------------------------------ screenshots
    def screenshot(self, path: Path, full_notebook: bool = True) -> Path:
        """Save a screenshot; with ``full_notebook`` the window is made tall enough to show every cell."""
        path.parent.mkdir(parents=True, exist_ok=True)
        original = self.page.viewport_size
        try:
            if full_notebook:
                height = self.page.evaluate(
                    "() => { const w = window.jupyterapp.shell.currentWidget;"
                    " if (!w) { return 0; }"
                    " const nodes = w.node.querySelectorAll('.jp-WindowedPanel-outer, .jp-WindowedPanel-inner, .jp-Notebook');"
                    " return Math.max(0, ...Array.from(nodes).map(n => n.scrollHeight)); }"
                )
                if height:
                    self.page.set_viewport_size(
                        {"width": original["width"], "height": min(max(original["height"], int(height) + 200), 20000)}
                    )
                    self.page.wait_for_timeout(500)  # let the layout settle after the resize
                    self.page.evaluate(
                        "() => { const w = window.jupyterapp.shell.currentWidget;"
                        " for (const n of w.node.querySelectorAll('.jp-WindowedPanel-outer, .jp-Notebook'))"
                        " { n.scrollTop = 0; } }"
                    )
                    self.page.wait_for_timeout(200)
            self.page.screenshot(path=str(path))
        finally:
            if full_notebook and original:
                self.page.set_viewport_size(original)
        return path

    def failure_screenshot(self, what: str) -> Path | str:
        safe = "".join(ch if ch.isalnum() else "_" for ch in what)[:80]
        path = ARTIFACTS / "failures" / f"{safe}.png"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(path))
            return path
        except Exception as exc:  # the page may be gone; the original error matters more
            return f"(no screenshot: {exc})"


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())
