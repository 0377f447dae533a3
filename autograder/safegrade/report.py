"""What grading a class produces: per part, per student, per class; the table and the CSV."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Part:
    grade_id: str
    notebook: str
    max_points: float
    nbgrader: float | None = None
    verifier: str | None = "not run"  # None when verified; else the reason
    final: float = 0.0


@dataclass
class Outcome:
    student: str
    score: float = 0.0
    max_score: float = 0.0
    flags: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)
    seconds: float = 0.0
    nbgrader_ok: bool = False

    @property
    def status(self) -> str:
        return "flagged" if self.flags else "ok"


@dataclass
class ClassReport:
    assignment: str
    outcomes: list[Outcome]
    seconds: float
    integrity: list[str]  # changed protected files (must stay empty)
    limits: str = ""  # which limits were in force (rlimits, cgroups)
    resumed: int = 0  # students skipped: unchanged since their result was stored (safegrade.ledger)
    retried: int = 0  # students whose task ran again because a worker died
    dashboard: str = ""

    def table(self) -> str:
        width = max([7] + [len(o.student) for o in self.outcomes])
        lines = [
            f"{'student':<{width}}  {'score':>11}  {'status':<7}  flags and reasons",
            f"{'-' * width}  {'-' * 11}  {'-' * 7}  {'-' * 40}",
        ]
        for o in self.outcomes:
            score = f"{o.score:g}/{o.max_score:g}"
            reasons = "; ".join(o.flags) if o.flags else ""
            lines.append(f"{o.student:<{width}}  {score:>11}  {o.status:<7}  {reasons}")
        flagged = sum(o.status == "flagged" for o in self.outcomes)
        lines.append(
            f"{len(self.outcomes)} students: {len(self.outcomes) - flagged} ok, {flagged} flagged; "
            f"graded in {self.seconds:.1f} s"
        )
        lines.append(
            f"{self.resumed} unchanged since last stored (not graded again; --force regrades), "
            f"{self.retried} retried after a worker was lost"
        )
        if self.limits:
            lines.append(f"limits in force: {self.limits}")
        if self.integrity:
            lines.append("INTEGRITY ALARM: protected files changed during grading: " + ", ".join(self.integrity))
        return "\n".join(lines)

    def write_csv(self, path: Path) -> None:
        grade_ids = [p.grade_id for p in self.outcomes[0].parts] if self.outcomes else []
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["student", "score", "max_score", "status", *grade_ids, "flags", "attempts"])
            for o in self.outcomes:
                by_id = {p.grade_id: p.final for p in o.parts}
                w.writerow(
                    [
                        o.student,
                        f"{o.score:g}",
                        f"{o.max_score:g}",
                        o.status,
                        *[f"{by_id.get(g, 0):g}" for g in grade_ids],
                        " | ".join(o.flags),
                        " | ".join(o.attempts),
                    ]
                )
