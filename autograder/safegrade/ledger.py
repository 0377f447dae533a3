"""What the class grader has graded and stored: ``safegrade_logs/ASSIGNMENT/graded.jsonl``.

One JSON line per student whose result is in the gradebook, appended (and
fsynced) only after the gradebook transaction holding it committed: ``{"student",
"key", "score", "flags"}``, ``key`` being :func:`submission_key` of what was
graded. A re-run (``safegrade grade`` after a crash, ``safegrade watch`` after a
restart) grades only the students whose key is not the last one recorded for
them: a missing or changed submission, or a changed assignment. A line cut short
by a crash is ignored (that student is graded again), and a student recorded
twice (a re-run that raced a crash) counts once: the last line wins.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def path(course_root: Path, assignment: str) -> Path:
    return Path(course_root) / "safegrade_logs" / assignment / "graded.jsonl"


def submission_key(files: dict[str, bytes] | None, flags: list[str], assignment_key: str) -> str:
    """A hash of a submission as graded: its vetted files, what was refused, and the assignment's recorded data."""
    digest = hashlib.sha256(assignment_key.encode())
    for name in sorted(files or {}):
        digest.update(b"\0file\0" + name.encode() + b"\0" + hashlib.sha256(files[name]).digest())  # type: ignore[index]
    for flag in flags:
        digest.update(b"\0flag\0" + flag.encode())
    digest.update(b"\0none" if files is None else b"\0some")
    return digest.hexdigest()


def load(course_root: Path, assignment: str) -> dict[str, dict]:
    """{student: last complete record}."""
    p = path(course_root, assignment)
    out: dict[str, dict] = {}
    if not p.is_file():
        return out
    for line in p.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a line a crash cut short
        if isinstance(record, dict) and "student" in record and "key" in record:
            out[record["student"]] = record
    return out


def append(course_root: Path, assignment: str, records: list[dict]) -> None:
    """Append ``records`` as one write, then fsync: after this returns they survive a crash."""
    if not records:
        return
    p = path(course_root, assignment)
    p.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records).encode()
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        if os.fstat(fd).st_size:  # a previous run killed mid-line: start on a line of our own
            with open(p, "rb") as f:
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    data = b"\n" + data
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
