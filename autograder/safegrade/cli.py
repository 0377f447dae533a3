"""The ``safegrade`` command: grade a class safely, or check that this machine can.

    safegrade grade padding_modes
    safegrade grade shapes_and_stride --course autograder --jobs 2 --student alice --student bob
    safegrade check            # can this machine run the sandbox? which limits are in force?
    safegrade validate padding_modes/padding_modes.ipynb   # a student's check: one line per part, exit 1 if one fails

``grade`` runs after `nbgrader generate_assignment` and `nbgrader collect`
(or with submissions in submitted/STUDENT/ASSIGNMENT/), as root or as an
ordinary user (bubblewrap; as root each student also gets its own uid).
It prints progress, then a summary table (score, status, flags with
reasons, the limits in force), and writes it as CSV to
safegrade_ASSIGNMENT.csv in the course directory.
Exit status: 0 all graded without flags, 1 some students flagged, 2 bad usage
or the sandbox is unavailable, 3 protected files changed during grading.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .sandbox import Limits, SandboxUnavailable, check_available, limits_in_force

DEFAULT_COURSE = Path(__file__).resolve().parents[1]  # the course directory this package ships in


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


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="safegrade",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    grade = sub.add_parser("grade", help="grade every submission of an assignment")
    grade.add_argument("assignment", metavar="ASSIGNMENT", help="assignment id (a folder of source/)")
    grade.add_argument(
        "--course", type=Path, default=DEFAULT_COURSE, help=f"nbgrader course directory (default: {DEFAULT_COURSE})"
    )
    grade.add_argument("--jobs", type=_positive(int), default=2, help="students graded at once (default 2)")
    grade.add_argument("--student", action="append", help="grade only this student (repeatable)")
    grade.add_argument(
        "--timeout",
        type=_positive(float),
        default=300,
        help="seconds allowed per student for nbgrader, and again for the verifier (default 300)",
    )
    grade.add_argument("--cell-timeout", type=_positive(int), default=30, help="seconds per notebook cell (default 30)")
    grade.add_argument(
        "--memory-mb",
        type=_positive(int),
        default=Limits.memory_mb,
        help=f"memory limit of student code in MB (default {Limits.memory_mb})",
    )
    grade.add_argument(
        "--csv", type=Path, default=None, help="where to write the table (default: COURSE/safegrade_ASSIGNMENT.csv)"
    )
    sub.add_parser("check", help="check that the sandbox works here; print the limits in force")
    _add_validate(sub)
    return top


def _add_validate(sub) -> None:
    v = sub.add_parser(
        "validate",
        help="check a notebook as nbgrader validate does: one line per graded part, "
        "exit 0 only if every part passes (1 if one fails, 2 for bad arguments)",
    )
    v.add_argument("notebooks", metavar="NOTEBOOK", nargs="+", help="a student's .ipynb file (several allowed)")
    v.add_argument(
        "--timeout", type=_positive(int), default=None, help="seconds allowed per cell (default: nbgrader's, 30)"
    )


def _validate(args) -> int:
    from .validate import NotANotebook, check_argument, validate

    try:
        paths = [check_argument(name) for name in args.notebooks]
    except NotANotebook as e:
        print(f"safegrade validate: error: {e}", file=sys.stderr)
        return 2
    results = validate(paths, timeout=args.timeout)
    for r in results:
        print("\n".join(r.lines()))
    return 0 if all(r.passed for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "validate":
        return _validate(args)
    if args.command == "check":
        try:
            check_available()
        except SandboxUnavailable as e:
            print(f"safegrade: error: {e}", file=sys.stderr)
            return 2
        print(f"sandbox available; limits in force: {limits_in_force()}")
        return 0
    from .runner import UsageError, grade_class

    try:
        report = grade_class(
            args.course,
            args.assignment,
            jobs=args.jobs,
            students=args.student,
            student_timeout=args.timeout,
            cell_timeout=args.cell_timeout,
            limits=Limits(memory_mb=args.memory_mb),
            progress=lambda line: print(line, file=sys.stderr, flush=True),
        )
    except (UsageError, SandboxUnavailable, FileNotFoundError) as e:
        print(f"safegrade: error: {e}", file=sys.stderr)
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
