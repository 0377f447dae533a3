"""Inside the namespaces: hide the filesystem, limit, drop to the sandbox uid, then run.

Run as root by :mod:`safegrade.sandbox` under ``unshare --net --mount --pid
--ipc --uts --fork --mount-proc``, as ``python -I _enter.py SPEC.json``. It
uses only the standard library, and nothing in the sandbox can be imported
before the mounts and the privilege drop are done.

Steps, in order (each one fails closed: an error aborts before student code runs):

1. keep a handle (an ``O_PATH`` descriptor) on every path to re-reveal;
2. mount an empty read-only tmpfs over every hidden root (course directory,
   repository, /tmp, /home, /root, /dev/shm, ...);
3. bind the revealed paths back, read-only except the sandbox's own directory;
4. mount a small private tmpfs as the working directory (owned by the sandbox uid);
5. set resource limits (memory, CPU time, processes, file size, open files, no core);
6. clear supplementary groups, set gid then uid (a uid no one else uses), umask 077;
7. replace the environment with a scrubbed one;
8. hand over to the target: a module (``runpy``) such as ``ipykernel_launcher``.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC = 1, 2, 4, 32, 4096, 16384
_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p)


def _mount(source, target, fstype, flags, data=None):
    enc = lambda s: None if s is None else os.fsencode(s)  # noqa: E731
    if _libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount({source!r} -> {target!r}, {fstype!r}): {os.strerror(err)}")


def _hide(path, mode="0755"):
    _mount("none", path, "tmpfs", MS_NOSUID | MS_NODEV, f"size=64k,nr_inodes=4096,mode={mode}")


_WATCHED = {"open", "os.listdir", "os.scandir", "os.chdir", "os.remove", "os.rename", "shutil.rmtree",
            "socket.connect", "socket.sendto", "socket.getaddrinfo", "subprocess.Popen", "os.system", "os.exec",
            "os.posix_spawn", "ctypes.dlopen"}


def _install_audit(fd, watched_paths, allowed_paths):
    """Record attempts on protected paths, network and processes (best effort: the student can forge their own log)."""
    watched = tuple(p.rstrip("/") + "/" for p in watched_paths)
    allowed = tuple(p.rstrip("/") + "/" for p in allowed_paths)
    # ancestors of what is revealed (and of sys.path entries) are listed by the import system itself
    ancestors = {"/"}
    for p in list(allowed) + [e.rstrip("/") + "/" for e in sys.path if e.startswith("/")]:
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
    uid, gid = int(spec["uid"]), int(spec["gid"])
    if uid == 0 or gid == 0:
        raise SystemExit("safegrade: refusing to run sandboxed code as root")
    hide = sorted({os.path.realpath(p) for p in spec["hide"] if os.path.isdir(p)}, key=len)
    reveal = [(os.path.realpath(p), bool(w)) for p, w in spec["reveal"] if os.path.exists(p)]

    # 1. handles on what we re-reveal, before anything is covered
    handles = [(path, writable, os.open(path, os.O_PATH)) for path, writable in reveal]
    # 2. cover the hidden roots (parents first, so nested roots end up covered too)
    covered = []
    for path in hide:
        if os.path.isdir(path):
            _hide(path)
            covered.append(path)
    # 3. re-reveal: create the mount point inside the covering tmpfs, bind from the handle
    for path, writable, fd in sorted(handles, key=lambda h: len(h[0])):
        if not os.path.exists(path):
            if os.path.isdir(f"/proc/self/fd/{fd}"):
                os.makedirs(path, exist_ok=True)
            else:
                open(path, "a").close()
        _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        if not writable:
            _mount(None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
        os.close(fd)
    # files that must vanish even inside a revealed tree (for example numpy's np.pad source)
    for path in spec.get("blank_files", []):
        if os.path.isfile(path):
            _mount("/dev/null", path, None, MS_BIND)
    # hidden roots become read-only once their mount points exist
    for path in covered:
        _mount(None, path, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=64k")
    # 4. a private, size-limited working directory
    work = spec["workdir"]
    _mount("none", work, "tmpfs", MS_NOSUID | MS_NODEV,
           f"size={int(spec['work_bytes'])},nr_inodes=4096,mode=0700,uid={uid},gid={gid}")

    audit_fd = os.open(spec["audit_log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644) if spec.get("audit_log") else None
    # 5. limits
    limits = spec["limits"]
    for name, value in limits.items():
        value = int(value)
        resource.setrlimit(getattr(resource, name), (value, value))
    # 6. drop privileges for good
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getuid() == 0 or os.geteuid() == 0:
        raise SystemExit("safegrade: privilege drop failed")
    os.umask(0o077)
    os.chdir(work)
    # 7. scrubbed environment
    os.environ.clear()
    os.environ.update(spec["env"])
    if audit_fd is not None:
        _install_audit(audit_fd, spec.get("audit_paths", []), [p for p, _ in reveal])
    # 8. the target
    sys.argv = [spec["module"], *spec["argv"]]
    sys.path[:0] = spec.get("sys_path_prepend", [])
    import runpy

    runpy.run_module(spec["module"], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1])
