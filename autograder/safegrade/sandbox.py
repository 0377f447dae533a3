"""A sandbox for one student's code, on bubblewrap: the policy is ours, the isolation is bwrap's.

Each :class:`Sandbox` is a directory ``S`` (one per student per run) and a
way to start trusted Python code inside it (:mod:`safegrade.inside`, which
sets the rlimits and then hands over to ipykernel or the verifier's harness)::

    bwrap --unshare-all --die-with-parent --new-session --cap-drop ALL \\
          --ro-bind /usr /usr (+ /bin, /lib... as on the host) --proc /proc --dev /dev \\
          --ro-bind-fd ... (the Python environment, padlib, safegrade: read-only) \\
          --bind S S --ro-bind S/lib S/lib --size N --tmpfs S/work \\
          --seccomp FD -- python -I -B -m safegrade.inside S/lib/spec-N.json

What the code sees: an empty root with the system's ``/usr``, the Python
environment, ``padlib`` and ``safegrade`` (read-only), its own directory
``S`` (``S/lib``, where the grader puts its inputs, read-only) and a private
tmpfs of ``Limits.work_mb`` as working directory and ``HOME``. Nothing
else: not the course directory, the repository, ``/home``, ``/root``, ``/tmp``.
No network (own, empty network namespace), own pid/ipc/uts/user/cgroup
namespaces, own session (no terminal injection), killed with its parent,
no capabilities, and the seccomp filter of :mod:`safegrade.syscalls`.

Limits: rlimits always (memory as address space, CPU seconds, processes,
file size, open files, no core dumps), set inside the sandbox's user
namespace so that the process limit counts the sandbox's processes only;
and a memory + pids cgroup for the whole sandbox where the machine lets us
create one (:func:`cgroups_available`: cgroup v1 as root, or a delegated
cgroup v2 subtree). :func:`limits_in_force` says which.

As root, each student's sandbox also runs as its own unprivileged uid (no
other process uses it; the grader kills every process of that uid when the
student is done): bwrap runs privileged (no user namespace), keeps only
CAP_SETUID/CAP_SETGID for :mod:`safegrade.inside`, which drops to that uid
before anything else runs (and with it every capability). The Python
environment may live where that uid could not reach from outside
(``/root/.pyenv``): inside, its bound copy's parents are bwrap's. As an ordinary user, the sandbox runs as
that user inside a user namespace (unprivileged user namespaces must be
enabled; :func:`check_available` says how if they are not).

See ``autograder/SECURITY.md`` for the threat model and residual risks.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import cgroups

PACKAGE = Path(__file__).resolve().parent
PYTHON = os.path.abspath(sys.executable)  # this environment's python, as a path that exists inside too
BIND_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
BIND_SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives")
ROOT_NAMESPACES = ("--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try")
# paths whose use by student code the audit hook records (they are not there inside; trying says something)
WATCHED = ("/tmp", "/var/tmp", "/dev/shm", "/root", "/home", "/run", "/mnt", "/media", "/srv", "/work")


class SandboxUnavailable(RuntimeError):
    """This machine cannot run the sandbox; the message says how to fix it."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of student code (memory is address space per process, and the cgroup's total)."""

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


def _bwrap() -> str:
    """The ``bwrap`` on PATH; :class:`SandboxUnavailable` naming the package if there is none."""
    found = shutil.which("bwrap")
    if found is None:
        raise SandboxUnavailable(
            "bubblewrap (`bwrap`) is not installed; install the Debian package: "
            "sudo apt-get install bubblewrap (or run `python3 dev.py setup` as root)"
        )
    return found


def check_available() -> None:
    """Raise :class:`SandboxUnavailable` with what to install or switch on if the sandbox cannot work here."""
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(
            "the grading sandbox needs Linux (bubblewrap and namespaces); grade on a Linux machine"
        )
    _bwrap()
    from . import syscalls

    try:
        syscalls.build()
    except Exception as e:
        raise SandboxUnavailable(f"cannot build the seccomp filter: {e}") from None
    # the namespaces the sandbox will use: as root without a user namespace, else with one
    unshare = ROOT_NAMESPACES if os.geteuid() == 0 else ("--unshare-all",)
    probe = subprocess.run(
        [_bwrap(), *unshare, "--die-with-parent", "--ro-bind", "/", "/", "true"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        raise SandboxUnavailable(
            f"bubblewrap cannot create namespaces here ({probe.stderr.strip() or probe.returncode}). "
            "Enable unprivileged user namespaces: sysctl -w kernel.unprivileged_userns_clone=1 (Debian/Ubuntu) "
            "and sysctl -w user.max_user_namespaces=15000 (and, on Ubuntu 24.04+, "
            "kernel.apparmor_restrict_unprivileged_userns=0); in a container, allow user namespaces "
            "(docker run --security-opt seccomp=unconfined)"
        )


def limits_in_force() -> str:
    """What limits student code here: rlimits always, plus the cgroup controllers we can use."""
    found = cgroups.available()
    return "rlimits (memory, CPU, processes, file size, open files, no core)" + (
        f" + {found} (memory, pids) per student" if found else "; no cgroup (none delegated to this user)"
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


def _readable_roots() -> list[Path]:
    """Read-only folders the sandboxed Python needs: the environment, the base Python, padlib and safegrade."""
    import padlib

    roots = {
        Path(sys.prefix).resolve(),
        Path(sys.base_prefix).resolve(),
        PACKAGE,
        Path(padlib.__file__).resolve().parent,
    }
    return sorted(roots, key=lambda p: len(str(p)))


@dataclass
class Sandbox:
    """One student's sandbox directory, and (as root) its own uid.

    ``watch`` are extra folders (the course directory) whose use the audit
    hook records; they are not visible inside in any case.
    """

    dir: Path
    uid: int | None = None
    watch: tuple[Path, ...] = ()
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self):
        if self.uid is not None and self.uid < 1000:
            raise ValueError(f"sandbox uid must be >= 1000 (an unused, unprivileged uid); got {self.uid}")
        if self.uid is not None and os.geteuid() != 0:
            raise ValueError("a sandbox uid can only be given when grading as root")
        self.dir = Path(self.dir)
        self.work = self.dir / "work"
        self.lib = self.dir / "lib"
        self.cgroup = cgroups.Group(f"safegrade-{self.dir.parent.name}-{self.dir.name}", self.limits, self.uid)

    def prepare(self) -> Sandbox:
        self.dir.mkdir(mode=0o700)
        self.work.mkdir(mode=0o700)
        self.lib.mkdir(mode=0o755)  # read-only inside (bound so), owned by the grader
        if self.uid is not None:
            os.chmod(self.dir, 0o711)  # bwrap and safegrade.inside start as capability-less root: they traverse it
            os.chown(self.dir, self.uid, self.uid)
            os.chown(self.work, self.uid, self.uid)
        self.audit_log.touch(mode=0o600)
        self.cgroup.create()
        return self

    def env(self) -> dict[str, str]:
        work = str(self.work)
        return {
            "PWD": work,
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

    def launch(self, target: str, argv: list[str]) -> tuple[list[str], list[int]]:
        """The bwrap command that runs ``target`` (``kernel`` or ``harness``) with ``argv`` inside, and the
        descriptors it needs open (keep them open until it has started; :meth:`close` them after)."""
        fds: list[int] = []

        def keep(fd: int) -> str:
            os.set_inheritable(fd, True)
            fds.append(fd)
            return str(fd)

        audit_fd = os.open(self.audit_log, os.O_WRONLY | os.O_APPEND)
        spec = {
            "target": target,
            "argv": list(argv),
            "limits": self.limits.rlimits(),
            "uid": self.uid,
            "cwd": str(self.work),
            "audit_fd": int(keep(audit_fd)),
            "watched": sorted({*WATCHED, *(str(p) for p in self.watch)}),
            "allowed": [str(p) for p in _readable_roots()] + [str(self.dir)],
        }
        spec_path = self.lib / f"spec-{time.monotonic_ns()}.json"
        spec_path.write_text(json.dumps(spec))
        if self.uid is None:  # an ordinary user: everything in a new user namespace, no capabilities
            cmd = [_bwrap(), "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
            work_mode = "0700"
        else:  # root: no user namespace; safegrade.inside drops to the student's uid (the two capabilities it keeps)
            cmd = [
                _bwrap(),
                *ROOT_NAMESPACES,
                "--die-with-parent",
                "--new-session",
                "--cap-drop",
                "ALL",
                "--cap-add",
                "CAP_SETUID",
                "--cap-add",
                "CAP_SETGID",
            ]
            work_mode = "1777"  # the tmpfs is created as root; only the student's uid lives in there
        for path in BIND_SYSTEM:
            if os.path.islink(path):
                cmd += ["--symlink", os.readlink(path), path]
            elif os.path.isdir(path):
                cmd += ["--ro-bind", path, path]
        for path in BIND_SYSTEM_FILES:
            cmd += ["--ro-bind-try", path, path]
        cmd += ["--proc", "/proc", "--dev", "/dev"]
        # the folders above what is bound: bwrap would create them 0700 (root's, as root), which the student's
        # uid could not traverse; none of them holds anything but the way down
        made: set[str] = set()
        for folder in [*_readable_roots(), self.dir]:
            for parent in reversed(Path(folder).parents):
                p = str(parent)
                if p != "/" and p not in made and not any(p == b or p.startswith(b + "/") for b in BIND_SYSTEM):
                    made.add(p)
                    cmd += ["--perms", "0755", "--dir", p]
        for root in _readable_roots():
            cmd += ["--ro-bind", str(root), str(root)]
        cmd += [
            "--bind",
            str(self.dir),
            str(self.dir),
            "--ro-bind",
            str(self.lib),
            str(self.lib),
            "--perms",
            work_mode,
            "--size",
            str(self.limits.work_mb << 20),
            "--tmpfs",
            str(self.work),
            "--chdir",
            "/",
        ]
        from . import syscalls

        bpf = syscalls.bpf_file()
        cmd += ["--seccomp", keep(os.dup(bpf.fileno()))]
        bpf.close()
        cmd += ["--", PYTHON, "-I", "-B", "-m", "safegrade.inside", str(spec_path)]
        return cmd, fds

    def enter(self) -> None:
        """In the child, before bwrap starts: join the student's cgroup (the uid drop happens inside)."""
        self.cgroup.join()

    def popen(self, target: str, argv: list[str], **kw) -> subprocess.Popen:
        """Start ``target`` in this sandbox (stdin/stdout/stderr to /dev/null unless given)."""
        cmd, fds = self.launch(target, argv)
        for stream in ("stdin", "stdout", "stderr"):
            kw.setdefault(stream, subprocess.DEVNULL)
        try:
            return subprocess.Popen(
                cmd, env=self.env(), pass_fds=fds, preexec_fn=self.enter, start_new_session=True, **kw
            )
        finally:
            for fd in fds:
                os.close(fd)

    def exec(self, target: str, argv: list[str]) -> None:
        """Replace this process by ``target`` in this sandbox (the kernel launcher does this)."""
        cmd, _ = self.launch(target, argv)
        self.enter()
        os.execve(cmd[0], cmd, self.env())

    def kill(self) -> int:
        """Kill what is left of the student's processes (as root, by uid; else the cgroup, if any)."""
        killed = kill_uid(self.uid) if self.uid is not None else 0
        return killed + self.cgroup.kill()

    def cleanup(self) -> None:
        self.kill()
        self.cgroup.remove()
        shutil.rmtree(self.dir, ignore_errors=True)

    def describe(self) -> dict:
        """What the kernel launcher needs to rebuild this sandbox (it is passed through the environment)."""
        return {
            "dir": str(self.dir),
            "uid": self.uid,
            "watch": [str(p) for p in self.watch],
            "limits": asdict(self.limits),
        }

    @classmethod
    def from_description(cls, d: dict) -> Sandbox:
        return cls(Path(d["dir"]), uid=d["uid"], watch=tuple(Path(p) for p in d["watch"]), limits=Limits(**d["limits"]))
