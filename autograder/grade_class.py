#!/usr/bin/env python3
"""Grade a whole class safely: sandboxed kernels, verified verdicts, nothing lost.

    python autograder/grade_class.py padding_modes
    python autograder/grade_class.py shapes_and_stride --jobs 2 --student alice --student bob

Run as root (the sandbox creates namespaces and switches every student to its
own unprivileged uid), after `nbgrader generate_assignment` and
`nbgrader collect` (or with submissions in submitted/STUDENT/ASSIGNMENT/).
Prints progress, then a summary table (score, status, flags with reasons),
and writes it as CSV to safegrade_ASSIGNMENT.csv in the course directory.
Exit status: 0 all graded without flags, 1 some students flagged, 2 bad usage
or the sandbox is unavailable, 3 protected files changed during grading.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from safegrade.runner import UsageError, grade_class  # noqa: E402
from safegrade.sandbox import Limits, SandboxUnavailable  # noqa: E402


def _positive(kind):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}")
        return value

    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignment", metavar="ASSIGNMENT", help="assignment id (a folder of source/)")
    parser.add_argument("--course", type=Path, default=Path(__file__).resolve().parent,
                        help="nbgrader course directory (default: this autograder/ folder)")
    parser.add_argument("--jobs", type=_positive(int), default=2, help="students graded at once (default 2)")
    parser.add_argument("--student", action="append", help="grade only this student (repeatable)")
    parser.add_argument("--timeout", type=_positive(float), default=300,
                        help="seconds allowed per student for nbgrader, and again for the verifier (default 300)")
    parser.add_argument("--cell-timeout", type=_positive(int), default=30, help="seconds per notebook cell (default 30)")
    parser.add_argument("--memory-mb", type=_positive(int), default=Limits.memory_mb,
                        help=f"address-space limit of student code in MB (default {Limits.memory_mb})")
    parser.add_argument("--csv", type=Path, default=None, help="where to write the table (default: COURSE/safegrade_ASSIGNMENT.csv)")
    args = parser.parse_args(argv)
    try:
        report = grade_class(args.course, args.assignment, jobs=args.jobs, students=args.student,
                             student_timeout=args.timeout, cell_timeout=args.cell_timeout,
                             limits=Limits(memory_mb=args.memory_mb), progress=lambda line: print(line, file=sys.stderr, flush=True))
    except (UsageError, SandboxUnavailable, FileNotFoundError) as e:
        print(f"grade_class: error: {e}", file=sys.stderr)
        return 2
    print(report.table())
    out = args.csv or (args.course / f"safegrade_{args.assignment}.csv")
    report.write_csv(out)
    print(f"table written to {out}")
    if report.integrity:
        return 3
    return 1 if any(o.status == "flagged" for o in report.outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
