"""A submission's files are hostile too: copy only what is safe to grade into a staging folder, flag the rest.

nbgrader and the verifier read a student's work from the staged copy, never
from ``submitted/`` itself, so whatever a student hands in can neither reach
anything outside the submission nor change what the grader runs:

- a symbolic link (to the instructor's source notebook, the gradebook,
  ``/etc/shadow``...) is refused, whatever it points to, and so is a
  submission or student folder that is itself a link;
- special files (FIFOs that would hang a reader, sockets, devices) are refused;
- a file over :data:`MAX_FILE_BYTES`, a submission over :data:`MAX_TOTAL_BYTES`,
  more than :data:`MAX_FILES` files or folders nested deeper than
  :data:`MAX_DEPTH`: the excess is refused;
- files are opened with ``O_NOFOLLOW`` and copied by content: a link swapped in
  between the check and the copy fails instead of being followed.

Files beside the notebook are copied like nbgrader does, but nothing of them
reaches the sandboxed kernel, whose working directory is its own empty tmpfs.
Every refusal is a flag with its reason.

Student ids: every folder name nbgrader accepts is graded (non-ASCII
letters, dots, ``@``, ``+``...); only an id that would escape its folder
(:func:`id_problem`) is refused, with a flag.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 20 << 20
MAX_TOTAL_BYTES = 64 << 20
MAX_FILES = 200
MAX_DEPTH = 4


def id_problem(student: str) -> str | None:
    """Why ``student`` cannot be used as a folder name, or None (every other id is graded)."""
    if student in ("", ".", ".."):
        return f"student id {student!r} is not a folder name"
    if "/" in student or "\\" in student or "\0" in student:
        return f"student id {student!r} would escape its folder (it holds a path separator or NUL)"
    return None


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "a special file"


def stage(folders: list[Path], dest: Path) -> list[str]:
    """Copy the safe files of the submission folder ``folders[-1]`` into ``dest``; return the refusals.

    ``folders`` are the folders from ``submitted/`` down to the submission
    (``[submitted/S, submitted/S/A]``): none of them may be a link.
    """
    for folder in folders:
        try:
            st = os.lstat(folder)
        except FileNotFoundError:
            raise
        if stat.S_ISLNK(st.st_mode):
            raise FileNotFoundError(f"{folder.name} is a symbolic link, not a folder (refused)")
        if not stat.S_ISDIR(st.st_mode):
            raise FileNotFoundError(f"{folder.name} is not a folder")
    refused: list[str] = []
    totals = {"bytes": 0, "files": 0}
    dest.mkdir(parents=True)
    _copy_tree(folders[-1], dest, "", 0, refused, totals)
    return refused


def _copy_tree(src: Path, dest: Path, rel: str, depth: int, refused: list[str], totals: dict) -> None:
    with os.scandir(src) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = f"{rel}{entry.name}"
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                refused.append(f"refused {name}: a symbolic link")
            elif stat.S_ISDIR(st.st_mode):
                if depth + 1 >= MAX_DEPTH:
                    refused.append(f"refused {name}/: folders nested deeper than {MAX_DEPTH}")
                    continue
                (dest / entry.name).mkdir()
                _copy_tree(Path(entry.path), dest / entry.name, f"{name}/", depth + 1, refused, totals)
            elif not stat.S_ISREG(st.st_mode):
                refused.append(f"refused {name}: {_kind(st.st_mode)}")
            elif st.st_size > MAX_FILE_BYTES:
                refused.append(f"refused {name}: larger than {MAX_FILE_BYTES >> 20} MB")
            elif totals["bytes"] + st.st_size > MAX_TOTAL_BYTES or totals["files"] >= MAX_FILES:
                refused.append(
                    f"refused {name}: the submission is over {MAX_TOTAL_BYTES >> 20} MB or {MAX_FILES} files"
                )
            else:
                try:
                    _copy_file(Path(entry.path), dest / entry.name, st.st_size)
                except OSError as e:
                    refused.append(f"refused {name}: {e.strerror or e}")
                    continue
                totals["bytes"] += st.st_size
                totals["files"] += 1


def _copy_file(src: Path, dst: Path, size: int) -> None:
    fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file any more")
        with os.fdopen(os.dup(fd), "rb") as f, open(dst, "xb") as out:
            data = f.read(size + 1)
            if len(data) > size:
                raise OSError(0, "grew while it was copied")
            out.write(data)
    finally:
        os.close(fd)


def pack(folder: Path) -> dict[str, bytes]:
    """The staged submission ``folder`` as ``{relative path: content}``: what a grading task receives."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not p.is_symlink():
            out[p.relative_to(folder).as_posix()] = p.read_bytes()
    return out
