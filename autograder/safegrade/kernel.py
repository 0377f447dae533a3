"""Launcher of the ``safegrade`` kernel: ipykernel inside the student's sandbox, for nbgrader.

:func:`install` writes the kernelspec (``python -I -B -m safegrade.kernel -f
CONNECTION_FILE``) into a folder of the grading run, which the runner puts on
``JUPYTER_PATH`` for its ``nbgrader autograde`` call, with the student's
sandbox described in ``SAFEGRADE_SANDBOX`` (:meth:`Sandbox.describe`).
Without it the kernel refuses to start: it never runs student code
unsandboxed. The connection must use the ``ipc`` transport with sockets in
the sandbox directory, because the kernel has no network, not even the
grader's loopback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from .sandbox import Sandbox

NAME = "safegrade"


def install(folder: Path) -> Path:
    """Write the kernelspec under ``folder/kernels/safegrade``; return ``folder`` (for ``JUPYTER_PATH``)."""
    spec = Path(folder) / "kernels" / NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    os.path.abspath(sys.executable),
                    "-I",
                    "-B",
                    "-m",
                    "safegrade.kernel",
                    "-f",
                    "{connection_file}",
                ],
                "display_name": "Python 3 (safegrade sandbox, grading only)",
                "language": "python",
                "interrupt_mode": "signal",
                "metadata": {"debugger": False},
            }
        )
    )
    return Path(folder)


def main(argv: list[str]) -> None:
    if "-f" not in argv:
        raise SystemExit("safegrade kernel: usage: python -m safegrade.kernel -f CONNECTION_FILE [kernel args...]")
    i = argv.index("-f")
    connection_file, extra = argv[i + 1], argv[:i] + argv[i + 2 :]
    try:
        sandbox = Sandbox.from_description(json.loads(os.environ["SAFEGRADE_SANDBOX"]))
    except (KeyError, ValueError, TypeError) as e:
        raise SystemExit(
            f"safegrade kernel: no sandbox given ({e}); this kernel only runs under `safegrade grade`, "
            "which sets one up per student"
        ) from None
    with open(connection_file, encoding="utf-8") as f:
        info = json.load(f)
    if info.get("transport") != "ipc" or not str(info.get("ip", "")).startswith(str(sandbox.dir) + os.sep):
        raise SystemExit("safegrade kernel: the connection must use ipc sockets inside the sandbox directory")
    copy = sandbox.lib / f"connection-{os.getpid()}.json"
    fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(info, f)
    sandbox.exec("kernel", ["-f", str(copy), *extra])


if __name__ == "__main__":
    main(sys.argv[1:])
