"""A course directory and one of its assignments, loaded once per run: notebooks, verifier plans, points, secrets."""

from __future__ import annotations

from pathlib import Path

from .notebooks import points
from .redact import secret_lines
from .verifier import Plan, make_plan


class UsageError(ValueError):
    """Bad arguments or an unprepared course directory; the message says which and what to do."""


class Course:
    def __init__(self, course: Path, assignment: str):
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
        self.db_url = f"sqlite:///{course / 'gradebook.db'}"
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(self.db_url) as gb:
            try:
                gb.find_assignment(assignment)
            except MissingEntry:
                raise UsageError(
                    f"assignment {assignment!r} is not in the gradebook; run "
                    f"`nbgrader generate_assignment {assignment}` in {course} first"
                ) from None
            self.gradebook_students = sorted(s.id for s in gb.students)
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
