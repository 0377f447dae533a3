"""The ``safegrade`` command: grade a class safely, or check that this machine can.

    safegrade grade padding_modes
    safegrade grade shapes_and_stride --course autograder --workers 2 --student alice --student bob
    safegrade grade padding_modes --scheduler tls://head:8786 --tls-ca-file ca.pem --tls-cert me.pem --tls-key me.key
    safegrade grade padding_modes --db postgresql://grader@localhost:5432/padding_stride
    safegrade watch padding_modes --collect   # grade on submit: each new submission graded, feedback released
    safegrade check            # can this machine run the sandbox? which limits are in force?
    safegrade validate padding_modes/padding_modes.ipynb   # a student's check: one line per part, exit 1 if one fails

``grade`` runs after `nbgrader generate_assignment` and `nbgrader collect`
(or with submissions in submitted/STUDENT/ASSIGNMENT/), as root or as an
ordinary user (bubblewrap; as root each student also gets its own uid).
Each student is one task on a Dask cluster: by default a local one (TLS,
temporary credentials, one worker process per core). A student whose
submission is unchanged since its result was stored is not graded again
(--force regrades all), so a run that was killed is finished by running it
again. It prints progress (a bar on a terminal), then a summary table
(score, status, flags with reasons, the limits in force), and writes it as
CSV to safegrade_ASSIGNMENT.csv in the course directory.
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
    _add_cluster(grade)
    grade.add_argument("--student", action="append", help="grade only this student, changed or not (repeatable)")
    grade.add_argument(
        "--force", action="store_true", help="regrade every student, also those unchanged since last stored"
    )
    grade.add_argument(
        "--csv", type=Path, default=None, help="where to write the table (default: COURSE/safegrade_ASSIGNMENT.csv)"
    )
    watch = sub.add_parser(
        "watch", help="grade each new or changed submission as it arrives, with its feedback; restart-safe"
    )
    watch.add_argument("assignment", metavar="ASSIGNMENT", help="assignment id (a folder of source/)")
    watch.add_argument(
        "--course", type=Path, default=DEFAULT_COURSE, help=f"nbgrader course directory (default: {DEFAULT_COURSE})"
    )
    _add_cluster(watch)
    watch.add_argument(
        "--interval", type=_positive(float), default=5.0, help="seconds between looks for submissions (default 5)"
    )
    watch.add_argument(
        "--collect",
        action="store_true",
        help="also run `nbgrader collect` each time (the exchange's inbound folder -> submitted/)",
    )
    watch.add_argument("--no-feedback", action="store_true", help="do not generate and release feedback")
    sub.add_parser("check", help="check that the sandbox works here; print the limits in force")
    _add_validate(sub)
    return top


def _add_cluster(p: argparse.ArgumentParser) -> None:
    """Where grading runs and how it is limited: the options ``grade`` and ``watch`` share."""
    p.add_argument(
        "--workers",
        "--jobs",
        dest="workers",
        type=_positive(int),
        default=None,
        help="worker processes of the default local Dask cluster (default: one per core)",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="tls://HOST:PORT",
        help="grade on this Dask scheduler instead (tls://, with the --tls-* options, or tcp:// on a trusted network)",
    )
    p.add_argument("--tls-ca-file", default=None, help="CA certificate of a tls:// scheduler (PEM)")
    p.add_argument("--tls-cert", default=None, help="this client's certificate for a tls:// scheduler (PEM)")
    p.add_argument("--tls-key", default=None, help="this client's private key for a tls:// scheduler (PEM)")
    p.add_argument(
        "--db",
        default=None,
        metavar="URL",
        help="the gradebook: postgresql://USER:PASSWORD@HOST:PORT/DATABASE (default: COURSE/gradebook.db, SQLite)",
    )
    p.add_argument(
        "--timeout",
        type=_positive(float),
        default=300,
        help="seconds allowed per student for nbgrader, and again for the verifier (default 300)",
    )
    p.add_argument("--cell-timeout", type=_positive(int), default=30, help="seconds per notebook cell (default 30)")
    p.add_argument(
        "--memory-mb",
        type=_positive(int),
        default=Limits.memory_mb,
        help=f"memory limit of student code in MB (default {Limits.memory_mb})",
    )


def _grading_options(args) -> dict:
    return {
        "workers": args.workers,
        "scheduler": args.scheduler,
        "tls": {"tls_ca_file": args.tls_ca_file, "tls_cert": args.tls_cert, "tls_key": args.tls_key},
        "db": args.db,
        "student_timeout": args.timeout,
        "cell_timeout": args.cell_timeout,
        "limits": Limits(memory_mb=args.memory_mb),
    }


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
    from .cluster import ClusterError
    from .runner import UsageError, grade_class

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        if args.command == "watch":
            from .watch import watch

            return watch(
                args.course,
                args.assignment,
                interval=args.interval,
                collect=args.collect,
                feedback=not args.no_feedback,
                progress=say,
                **_grading_options(args),
            )
        report = grade_class(
            args.course,
            args.assignment,
            students=args.student,
            force=args.force,
            progress=say,
            **_grading_options(args),
        )
    except (UsageError, SandboxUnavailable, ClusterError, FileNotFoundError) as e:
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
