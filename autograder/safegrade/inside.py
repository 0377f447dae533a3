"""The first code that runs inside a sandbox (trusted, from the read-only safegrade package).

``python -I -B -m safegrade.inside SPEC.json``, started by bubblewrap
(:mod:`safegrade.sandbox`). In order, before any student code:

0. as root: drop to the student's uid (bwrap left only CAP_SETUID/SETGID for this);
1. set the rlimits (here, inside the sandbox's user namespace, so the process
   limit counts the sandbox's processes only);
2. install an audit hook that records attempts on watched paths, the network
   and new processes to the grader's log (best effort: student code shares
   this interpreter and could forge or silence it; the real barriers are
   bubblewrap's and seccomp's);
3. hand over to the target, in this process: ``kernel`` (ipykernel, for
   nbgrader), ``harness`` (:mod:`safegrade.harness`, for the verifier) or
   ``script`` (a file of code: how the tests probe the sandbox).
"""

from __future__ import annotations

import json
import os
import resource
import sys

_WATCHED = {
    "open",
    "os.listdir",
    "os.scandir",
    "os.chdir",
    "os.remove",
    "os.rename",
    "shutil.rmtree",
    "socket.connect",
    "socket.sendto",
    "socket.getaddrinfo",
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "ctypes.dlopen",
}


def _install_audit(fd: int, watched_paths, allowed_paths) -> None:
    watched = tuple(p.rstrip("/") + "/" for p in watched_paths)
    allowed = tuple(p.rstrip("/") + "/" for p in allowed_paths)
    # ancestors of what is visible are listed by the import system itself (every import path is in there)
    ancestors = {"/"}
    for p in allowed:
        parts = p.strip("/").split("/")
        ancestors.update("/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    write, fspath, abspath = os.write, os.fspath, os.path.abspath

    def hook(event, args):
        if event not in _WATCHED:
            return
        try:
            if event.startswith("socket.") or event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn"):
                detail = repr(args[1] if event.startswith("socket.") else args[0])[:160]
                if detail in ("'uname'", "b'uname'"):  # platform.processor(), called by IPython itself
                    return
            elif event == "ctypes.dlopen":
                if args[0] is None:  # ctypes.CDLL(None): the program's own symbols, as libraries look them up
                    return
                detail = repr(args[0])[:160]
            else:
                if not args or not isinstance(args[0], (str, bytes, os.PathLike)):
                    return
                path = abspath(os.fsdecode(fspath(args[0]))) + "/"
                if not path.startswith(watched) or path.startswith(allowed) or path in ancestors:
                    return
                detail = path[:-1][:160]
            write(fd, f"{event} {detail}\n".encode("utf-8", "replace"))
        except Exception:
            pass

    sys.addaudithook(hook)


def main(spec_path: str) -> None:
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    for name, value in spec["limits"].items():
        resource.setrlimit(getattr(resource, name), (int(value), int(value)))
    uid = spec.get("uid")
    if uid is not None:  # graded as root: become the student's own uid, losing every capability with it
        if int(uid) < 1000:
            raise SystemExit("safegrade: refusing to run sandboxed code as a system uid")
        os.setgroups([])
        os.setresgid(int(uid), int(uid), int(uid))
        os.setresuid(int(uid), int(uid), int(uid))
        if 0 in os.getresuid() or 0 in os.getresgid():
            raise SystemExit("safegrade: privilege drop failed")
    os.umask(0o077)
    os.chdir(spec["cwd"])
    os.environ["PWD"] = spec["cwd"]  # bwrap set it to where it started us
    audit_fd = int(spec["audit_fd"])
    os.set_inheritable(audit_fd, False)
    _install_audit(audit_fd, spec["watched"], spec["allowed"])
    target, argv = spec["target"], spec["argv"]
    if target == "kernel":
        sys.argv = ["ipykernel_launcher", *argv]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
    elif target == "harness":
        from safegrade import harness

        harness.main(argv)
    elif target == "script":  # a file of code, run as student code would be (the tests probe the sandbox so)
        with open(argv[0], encoding="utf-8") as f:
            code = compile(f.read(), argv[0], "exec")
        sys.argv = list(argv)
        exec(code, {"__name__": "__main__"})
    else:
        raise SystemExit(f"safegrade.inside: unknown target {target!r}")


if __name__ == "__main__":
    main(sys.argv[1])
