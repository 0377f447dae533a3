"""A sandbox for one student's code: own uid, no network, hidden files, resource limits.

Each :class:`Sandbox` is a directory ``S`` owned by a uid that no other
process on the machine uses (one per student per run), and a way to start a
Python module inside it::

    unshare --net --mount --pid --ipc --uts --fork --mount-proc --kill-child \\
        python -I -B safegrade/_enter.py S/spec.json

``_enter.py`` (root, inside the new namespaces) covers the course directory,
the repository (with its ``.git``), ``/tmp``, ``/home``, ``/root``,
``/dev/shm`` ... with empty tmpfs, binds back read-only only the Python
environment (and padlib when asked), gives the code a private 32 MB tmpfs as
its working directory, sets rlimits, drops to the sandbox uid and scrubs the
environment. See ``autograder/SECURITY.md`` for the threat model.

Requires Linux, root (to create namespaces and switch uid) and util-linux's
``unshare``. :func:`check_available` says what is missing and how to get it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
COURSE_ROOT = HERE.parent
REPO_ROOT = COURSE_ROOT.parent
ENTER = HERE / "_enter.py"
UNSHARE_FLAGS = ("--net", "--mount", "--pid", "--ipc", "--uts", "--fork", "--mount-proc", "--kill-child")
SYSTEM_HIDDEN = ("/tmp", "/var/tmp", "/dev/shm", "/root", "/home", "/run", "/mnt", "/media", "/srv", "/work")


class SandboxUnavailable(RuntimeError):
    """This machine cannot run the sandbox; the message says how to fix it."""


@dataclass(frozen=True)
class Limits:
    """Per-process resource limits inside the sandbox (memory is address space)."""

    memory_mb: int = 1536
    cpu_seconds: int = 60
    processes: int = 64
    file_mb: int = 16
    open_files: int = 256
    work_mb: int = 32

    def rlimits(self) -> dict[str, int]:
        return {
            "RLIMIT_AS": self.memory_mb << 20,
            "RLIMIT_CPU": self.cpu_seconds,
            "RLIMIT_NPROC": self.processes,
            "RLIMIT_FSIZE": self.file_mb << 20,
            "RLIMIT_NOFILE": self.open_files,
            "RLIMIT_CORE": 0,
        }


def check_available() -> None:
    """Raise :class:`SandboxUnavailable` with a how-to if the sandbox cannot work here."""
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable("the grading sandbox needs Linux namespaces; grade on a Linux machine")
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "the grading sandbox must start as root (it creates namespaces and switches to an unprivileged uid); "
            "run the grading command with sudo, or in a root container"
        )
    if shutil.which("unshare") is None:
        raise SandboxUnavailable("`unshare` is missing; install util-linux (apt-get install util-linux)")
    probe = subprocess.run(["unshare", *UNSHARE_FLAGS, "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise SandboxUnavailable(
            f"`unshare {' '.join(UNSHARE_FLAGS)}` failed ({probe.stderr.strip()}); in a container, "
            "run it with CAP_SYS_ADMIN (docker run --privileged or --cap-add SYS_ADMIN --security-opt seccomp=unconfined)"
        )


def kill_uid(uid: int) -> int:
    """SIGKILL every process whose real uid is ``uid`` (the sandbox's own uid); return how many."""
    killed = 0
    for _ in range(50):
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as f:
                    for line in f:
                        if line.startswith("Uid:"):
                            if int(line.split()[1]) == uid:
                                found.append(int(entry))
                            break
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
        if not found:
            return killed
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
                killed += 1
            except ProcessLookupError:
                pass
        time.sleep(0.02)
    return killed


@dataclass
class Sandbox:
    """One student's sandbox directory and uid.

    ``protect`` are extra directories to hide (the course directory and the
    repository are always hidden). ``reveal_padlib`` binds padlib back so that
    nbgrader's own tests, which import padlib, can run in the kernel.
    """

    base: Path
    uid: int
    protect: tuple[Path, ...] = ()
    limits: Limits = field(default_factory=Limits)
    reveal_padlib: bool = True

    def __post_init__(self):
        if self.uid < 1000:
            raise ValueError(f"sandbox uid must be >= 1000 (an unused, unprivileged uid); got {self.uid}")
        self.dir = Path(self.base) / f"sb{self.uid}"
        self.work = self.dir / "work"
        self.lib = self.dir / "lib"
        self._specs = 0

    def prepare(self) -> "Sandbox":
        self.dir.mkdir(mode=0o700, parents=True)
        os.chown(self.dir, self.uid, self.uid)
        self.work.mkdir(mode=0o700)
        self.lib.mkdir(mode=0o755)  # root-owned: the student's code can read, not change
        return self

    def _hidden(self) -> list[str]:
        paths = {str(p) for p in (COURSE_ROOT, REPO_ROOT, *self.protect)}
        paths.update(SYSTEM_HIDDEN)
        paths.add(tempfile.gettempdir())
        return sorted(paths)

    def _revealed(self, reveal_padlib: bool) -> list[tuple[str, bool]]:
        out = [(sys.prefix, False), (str(self.dir), True)]
        if sys.base_prefix != sys.prefix:
            out.append((sys.base_prefix, False))
        if reveal_padlib:
            out.append((str(self._padlib_dir()), False))
        return out

    @staticmethod
    def _padlib_dir() -> Path:
        """The padlib package next to this course directory (the repository's), else the installed one."""
        local = REPO_ROOT / "padlib"
        if (local / "__init__.py").is_file():
            return local
        import importlib.util

        spec = importlib.util.find_spec("padlib")
        if spec is None or not spec.origin or not spec.origin.endswith("__init__.py"):
            raise SandboxUnavailable("padlib is not installed in this Python; run `python3 dev.py setup`")
        return Path(spec.origin).resolve().parent

    def env(self) -> dict[str, str]:
        work = str(self.work)
        return {
            "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": work,
            "TMPDIR": work,
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "MPLBACKEND": "Agg",
            "MPLCONFIGDIR": f"{work}/.mpl",
            "IPYTHONDIR": f"{work}/.ipython",
            "JUPYTER_RUNTIME_DIR": f"{work}/.runtime",
            "JUPYTER_CONFIG_DIR": f"{work}/.jupyter",
            "JUPYTER_DATA_DIR": f"{work}/.jupyter-data",
            "JUPYTER_PLATFORM_DIRS": "1",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "NBGRADER_EXECUTION": "autograde",
            "SAFEGRADE_SANDBOX": "1",
        }

    @property
    def audit_log(self) -> Path:
        return self.lib / "audit.log"

    def attempts(self) -> list[str]:
        """Distinct audit records (protected paths, network, processes), in first-seen order."""
        try:
            lines = self.audit_log.read_bytes()[: 1 << 20].decode("utf-8", "replace").splitlines()
        except OSError:
            return []
        return list(dict.fromkeys(line for line in lines if line.strip()))

    def command(self, module: str, argv: list[str], sys_path: list[str] = (), *, reveal_padlib: bool | None = None) -> list[str]:
        """The command that runs ``python -m module *argv`` inside this sandbox."""
        self._specs += 1
        sys_path = list(sys_path)
        reveal_padlib = self.reveal_padlib if reveal_padlib is None else reveal_padlib
        if reveal_padlib:
            # padlib's parent on sys.path: inside, it holds only the revealed padlib (and the venv)
            sys_path.append(str(self._padlib_dir().parent))
        spec = {
            "uid": self.uid,
            "gid": self.uid,
            "hide": self._hidden(),
            "reveal": self._revealed(reveal_padlib),
            "audit_log": str(self.audit_log),
            "audit_paths": self._hidden(),
            "workdir": str(self.work),
            "work_bytes": self.limits.work_mb << 20,
            "limits": self.limits.rlimits(),
            "env": self.env(),
            "module": module,
            "argv": list(argv),
            "sys_path_prepend": list(sys_path),
        }
        path = self.lib / f"spec-{time.monotonic_ns()}.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(spec, f)
        return ["unshare", *UNSHARE_FLAGS, sys.executable, "-I", "-B", str(ENTER), str(path)]

    def kill(self) -> int:
        return kill_uid(self.uid)

    def cleanup(self) -> None:
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)
