"""How long the test suite takes: the quick tier, timed here, and the full suite, from its last run.

The quick tier (``python3 dev.py test -m "not slow and not browser"``, README) is what a contributor
runs on every change; goal: under 60 s on 2 cores. That command runs here as a subprocess (with
dev.py's pytest-xdist workers, as a contributor runs it), timed wall clock from start to exit. The
full suite (``python3 dev.py test``) takes minutes, too long to run inside the benchmark: every
whole-suite run writes its wall time, outcome and load average to
``artifacts/test-runs/last-full-suite.json`` (tests/conftest.py), and that is reported here, with
its date; goal: under 15 minutes on 2 cores on an idle machine. Both grow with the load of a shared
machine, so the load average is printed next to them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUICK_TIER = "not slow and not browser"
QUICK_GOAL, FULL_GOAL = 60.0, 15 * 60.0
# Written by tests/conftest.py (pytest_sessionfinish) at the end of every run of the whole suite.
FULL_SUITE_RECORD = ROOT / "artifacts" / "test-runs" / "last-full-suite.json"


def run(report) -> None:
    load = os.getloadavg()[0]
    start = time.perf_counter()
    result = subprocess.run(  # the README's command, so with dev.py's xdist workers
        [sys.executable, str(ROOT / "dev.py"), "test", "-q", "-m", QUICK_TIER, "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1]
    print(f"  quick tier: {summary} (load average {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    if result.returncode != 0:
        print("  the quick tier FAILED: its time says nothing; run it to see why", flush=True)
    report(
        'suite: quick tier (-m "not slow and not browser")',
        seconds,
        goal=f"<= {QUICK_GOAL:g} s",
        unit="s",
        met=result.returncode == 0 and seconds <= QUICK_GOAL,
    )
    if not FULL_SUITE_RECORD.exists():
        print(f"  full suite: no record yet ({FULL_SUITE_RECORD.relative_to(ROOT)}); run `python3 dev.py test` once")
        return
    last = json.loads(FULL_SUITE_RECORD.read_text(encoding="utf-8"))
    outcomes = ", ".join(f"{n} {k}" for k, n in last["outcomes"].items())
    before, after = last["load_average"]
    print(
        f"  full suite, last run {last['finished']}: {outcomes}, exit status {last['exitstatus']}, "
        f"xdist workers {last['xdist_workers']}, load average {before:.1f} -> {after:.1f} on {last['cpus']} CPUs"
    )
    report(
        "suite: full suite (last run, from session start)",
        last["seconds"],
        goal=f"<= {FULL_GOAL:g} s",
        unit="s",
        met=last["exitstatus"] == 0 and last["seconds"] <= FULL_GOAL,
    )
