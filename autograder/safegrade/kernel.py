"""Launcher of the ``safegrade`` kernelspec: ipykernel inside the student's sandbox.

jupyter_client starts this (as the grader, root) with ``-f CONNECTION_FILE``
and nbgrader's extra arguments. The grading runner (:mod:`safegrade.runner`)
has already created the student's sandbox directory and passes it in the
environment (``SAFEGRADE_BASE``, ``SAFEGRADE_UID``, ``SAFEGRADE_LIMITS``,
``SAFEGRADE_PROTECT``). Without them the kernel refuses to start: it never
runs student code unsandboxed. The connection file asks for the ``ipc``
transport with sockets in the sandbox directory, because the kernel has no
network, not even the grader's loopback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safegrade.sandbox import Limits, Sandbox  # noqa: E402


def main(argv: list[str]) -> None:
    if "-f" not in argv:
        raise SystemExit("safegrade kernel: usage: kernel.py -f CONNECTION_FILE [kernel args...]")
    i = argv.index("-f")
    connection_file, extra = argv[i + 1], argv[:i] + argv[i + 2 :]
    try:
        base, uid = os.environ["SAFEGRADE_BASE"], int(os.environ["SAFEGRADE_UID"])
        limits = Limits(**json.loads(os.environ["SAFEGRADE_LIMITS"]))
    except (KeyError, ValueError, TypeError) as e:
        raise SystemExit(
            f"safegrade kernel: no sandbox given ({e}); this kernel only runs under "
            "`python autograder/grade_class.py`, which sets one up per student"
        ) from None
    protect = tuple(Path(p) for p in os.environ.get("SAFEGRADE_PROTECT", "").split(os.pathsep) if p)
    sandbox = Sandbox(base=Path(base), uid=uid, protect=protect, limits=limits, reveal_padlib=True)
    with open(connection_file, encoding="utf-8") as f:
        info = json.load(f)
    if info.get("transport") != "ipc" or not str(info.get("ip", "")).startswith(str(sandbox.dir) + os.sep):
        raise SystemExit("safegrade kernel: the connection must use ipc sockets inside the sandbox directory")
    copy = sandbox.dir / f"connection-{os.getpid()}.json"
    fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(info, f)
    os.chown(copy, uid, uid)
    cmd = sandbox.command("ipykernel_launcher", ["-f", str(copy), *extra])
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
