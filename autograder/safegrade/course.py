"""A course directory and one of its assignments, loaded once per run: notebooks, verifier plans, points, secrets.

:meth:`Course.bundle` is what every grading task receives (scattered once to the
workers): the assignment's recorded data, never a path into the course directory.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .notebooks import points
from .redact import secret_lines
from .sandbox import Limits
from .verifier import Plan, make_plan


class UsageError(ValueError):
    """Bad arguments or an unprepared course directory; the message says which and what to do."""


def sqlalchemy_url(db: str) -> str:
    """``--db`` as nbgrader's ``db_url``: ``postgresql://`` goes through psycopg (version 3), the one installed."""
    for plain in ("postgresql://", "postgres://"):
        if db.startswith(plain):
            return "postgresql+psycopg://" + db[len(plain) :]
    return db


def check_database(db_url: str) -> None:
    """Connect once, before any grading: a wrong URL or an unreachable server is a UsageError naming --db."""
    import sqlalchemy

    shown = sqlalchemy.engine.make_url(db_url).render_as_string(hide_password=True) if "://" in db_url else db_url
    if not db_url.startswith(("sqlite:///", "postgresql+psycopg://")):
        raise UsageError(f"--db must be a postgresql://USER@HOST:PORT/DATABASE URL (or sqlite:///PATH); got {shown!r}")
    try:
        args = {"connect_timeout": 5} if db_url.startswith("postgresql") else {}
        engine = sqlalchemy.create_engine(db_url, connect_args=args)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise UsageError(f"cannot open the gradebook database {shown} (argument --db): {first}") from None


@dataclass
class Bundle:
    """What a grading task needs of the assignment (plain data, sent once to each worker)."""

    assignment: str
    key: str  # a hash of the assignment's recorded data: a changed assignment regrades everyone
    record: dict  # the gradebook's rows of the assignment (safegrade.gradebook.assignment_record)
    config: str  # the course's nbgrader_config.py
    source_files: dict[str, bytes]
    notebooks: list[str]
    max_points: dict[str, tuple[str, float]]
    plans: dict[str, Plan]
    secret: set[str]
    course_root: str  # only as a name: the sandbox's audit hook records attempts on it
    canary: str = ""
    limits: Limits = field(default_factory=Limits)
    cell_timeout: int = 30
    student_timeout: float = 300
    uid_base: int | None = None


class Course:
    def __init__(self, course: Path, assignment: str, db_url: str | None = None):
        self.root = course
        self.assignment = assignment
        if not (course / "nbgrader_config.py").is_file():
            raise UsageError(f"course directory {course} has no nbgrader_config.py (argument --course)")
        source = course / "source"
        available = sorted(p.name for p in source.iterdir() if p.is_dir()) if source.is_dir() else []
        if assignment not in available:
            raise UsageError(
                f"unknown assignment {assignment!r} (argument ASSIGNMENT); allowed values: "
                f"{', '.join(available) or '(none: source/ is empty)'}"
            )
        self.source_dir = source / assignment
        self.notebooks = sorted(p.name for p in self.source_dir.glob("*.ipynb"))
        self.db_url = db_url or f"sqlite:///{course / 'gradebook.db'}"
        if db_url is not None:
            check_database(db_url)
        elif not (course / "gradebook.db").is_file():
            raise UsageError(
                f"assignment {assignment!r} is not in the gradebook ({course / 'gradebook.db'} does not exist); "
                f"run `nbgrader generate_assignment {assignment}` in {course} first"
            )
        from nbgrader.api import Gradebook, MissingEntry

        from .gradebook import assignment_record

        with Gradebook(self.db_url) as gb:
            try:
                gb.find_assignment(assignment)
            except MissingEntry:
                raise UsageError(
                    f"assignment {assignment!r} is not in the gradebook; run "
                    f"`nbgrader generate_assignment {assignment}` in {course} first"
                    + (" with --CourseDirectory.db_url set to the same database" if db_url else "")
                ) from None
            self.gradebook_students = sorted(s.id for s in gb.students)
            self.record = assignment_record(gb, assignment)
        import nbformat

        self.plans: dict[str, Plan] = {}
        self.secret: set[str] = set()
        self.max_points: dict[str, tuple[str, float]] = {}
        for name in self.notebooks:
            source_nb = nbformat.read(str(self.source_dir / name), as_version=4)
            self.plans[name] = make_plan(source_nb)
            release = course / "release" / assignment / name
            release_nb = nbformat.read(str(release), as_version=4) if release.is_file() else None
            self.secret |= secret_lines(source_nb, release_nb)
            for gid, pts in points(source_nb).items():
                self.max_points[gid] = (name, pts)

    def bundle(self, **settings) -> Bundle:
        """The assignment's recorded data for the grading tasks; ``settings`` are the run's limits and timeouts."""
        from .submission import pack

        config = (self.root / "nbgrader_config.py").read_text(encoding="utf-8")
        source_files = pack(self.source_dir)
        digest = hashlib.sha256(json.dumps(self.record, sort_keys=True, default=str).encode())
        digest.update(config.encode())
        for name in sorted(source_files):
            digest.update(name.encode() + b"\0" + hashlib.sha256(source_files[name]).digest())
        return Bundle(
            assignment=self.assignment,
            key=digest.hexdigest(),
            record=self.record,
            config=config,
            source_files=source_files,
            notebooks=self.notebooks,
            max_points=self.max_points,
            plans=self.plans,
            secret=self.secret,
            course_root=str(self.root),
            **settings,
        )
