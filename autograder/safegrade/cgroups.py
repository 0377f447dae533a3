"""Memory and process limits for a whole sandbox, with cgroups, where the machine lets us have them.

Two cases are used when found (:func:`available`):

- cgroup v1 with the ``memory`` and ``pids`` hierarchies writable (root): one
  group per student under each, its ``cgroup.procs`` handed to the student's
  uid so that the sandbox's first process can move itself in before it drops
  to that uid;
- a delegated cgroup v2 subtree (systemd's ``Delegate=``, or root on a
  cgroup2 machine): our own cgroup's parent is writable and offers the
  ``memory`` and ``pids`` controllers.

Otherwise nothing (and :func:`available` returns None): the rlimits alone
limit each process, and the report says so.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

V1 = Path("/sys/fs/cgroup")


def _v2_parent() -> Path | None:
    try:
        line = next(entry for entry in Path("/proc/self/cgroup").read_text().splitlines() if entry.startswith("0::"))
    except (OSError, StopIteration):
        return None
    for mount in (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/unified")):
        if (mount / "cgroup.controllers").is_file():
            here = mount / line[3:].lstrip("/")
            parent = here.parent if here != mount else mount
            try:
                controllers = (parent / "cgroup.subtree_control").read_text().split()
            except OSError:
                continue
            if {"memory", "pids"} <= set(controllers) and os.access(parent, os.W_OK):
                return parent
    return None


def available() -> str | None:
    """``"cgroup v1"``, ``"cgroup v2"`` or None: what :class:`Group` will use on this machine."""
    if all(os.access(V1 / c, os.W_OK) and (V1 / c / "cgroup.procs").is_file() for c in ("memory", "pids")):
        return "cgroup v1"
    if _v2_parent() is not None:
        return "cgroup v2"
    return None


class Group:
    """One student's cgroup(s): created by the grader, joined by the sandbox's first process."""

    def __init__(self, name: str, limits, uid: int | None):
        self.kind = available()
        self.uid = uid
        self.limits = limits
        if self.kind == "cgroup v1":
            self.dirs = [V1 / "memory" / name, V1 / "pids" / name]
        elif self.kind == "cgroup v2" and (parent := _v2_parent()) is not None:
            self.dirs = [parent / name]
        else:
            self.dirs = []

    def create(self) -> None:
        memory = (self.limits.memory_mb + self.limits.work_mb) << 20  # the tmpfs counts as memory too
        for d in self.dirs:
            d.mkdir(exist_ok=True)
        if self.kind == "cgroup v1":
            (self.dirs[0] / "memory.limit_in_bytes").write_text(str(memory))
            (self.dirs[1] / "pids.max").write_text(str(self.limits.processes))
        elif self.kind == "cgroup v2":
            (self.dirs[0] / "memory.max").write_text(str(memory))
            (self.dirs[0] / "memory.swap.max").write_text("0") if (self.dirs[0] / "memory.swap.max").exists() else None
            (self.dirs[0] / "pids.max").write_text(str(self.limits.processes))
        if self.uid is not None:
            for d in self.dirs:
                os.chown(d / "cgroup.procs", self.uid, self.uid)

    def join(self) -> None:
        """Move the calling process in (called in the child, before exec)."""
        for d in self.dirs:
            with open(d / "cgroup.procs", "w") as f:
                f.write("0" if self.kind == "cgroup v2" else str(os.getpid()))

    def pids(self) -> list[int]:
        out: set[int] = set()
        for d in self.dirs:
            try:
                out.update(int(p) for p in (d / "cgroup.procs").read_text().split())
            except OSError:
                pass
        return sorted(out)

    def kill(self) -> int:
        killed = 0
        for _ in range(50):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
                except (ProcessLookupError, PermissionError):
                    pass
        return killed

    def remove(self) -> None:
        for d in self.dirs:
            try:
                d.rmdir()
            except OSError:
                pass
