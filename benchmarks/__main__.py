"""Run every benchmark module (or those named on the command line) and print one table."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv):
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    wanted = [f"bench_{a}" for a in argv]
    unknown = [w for w in wanted if w not in names]
    if unknown:
        sys.exit(f"unknown benchmark(s) {', '.join(unknown)}; available: {', '.join(n[6:] for n in names)}")
    rows = []

    def report(name, value, *, goal=None, unit="x", met=None):
        rows.append((name, value, goal, unit, met))
        status = "" if met is None else ("  goal met" if met else "  GOAL MISSED")
        print(f"  {name:<58} {value:10.3f} {unit:<3} {('goal ' + goal) if goal else '':<14}{status}", flush=True)

    for name in wanted or names:
        print(f"[{name[6:]}]", flush=True)
        importlib.import_module(f"benchmarks.{name}").run(report)
    missed = [r for r in rows if r[4] is False]
    print(f"\n{len(rows)} measurements, {len(missed)} goal(s) missed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
