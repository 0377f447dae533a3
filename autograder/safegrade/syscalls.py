"""The seccomp filter of the sandbox: system calls student code must not make, refused with an errno.

Built with libseccomp through ``pyseccomp`` (a ctypes binding to the system's
libseccomp, API-compatible with libseccomp's own Python binding, and
installable in a virtual environment, which Debian's ``python3-seccomp`` is
not: it is built for the system Python only). libseccomp compiles the rules
to BPF for this machine's architecture; calls from any other ABI (e.g. 32-bit
``int 0x80``) kill the process. bubblewrap loads the program (``--seccomp FD``)
just before it starts the sandboxed Python.

Everything not listed is allowed: the filter narrows what namespaces, the
missing network and the dropped capabilities already deny, so a kernel bug
in one of these interfaces cannot be reached from student code.
"""

from __future__ import annotations

import errno
import socket
import tempfile

CLONE_NAMESPACES = {  # clone() flags that would create a namespace
    "CLONE_NEWNS": 0x00020000,
    "CLONE_NEWCGROUP": 0x02000000,
    "CLONE_NEWUTS": 0x04000000,
    "CLONE_NEWIPC": 0x08000000,
    "CLONE_NEWUSER": 0x10000000,
    "CLONE_NEWPID": 0x20000000,
    "CLONE_NEWNET": 0x40000000,
}

# rule name -> (system calls, errno they get). "socket" is refused for every family but AF_UNIX (ipykernel's
# ipc transport) and route netlink (getifaddrs(), which libzmq calls and aborts the kernel without; it sees
# only the sandbox's own, empty network namespace).
DENIED = {
    "socket": (("socket", "socketpair"), errno.EAFNOSUPPORT),
    "ptrace": (("ptrace", "process_vm_readv", "process_vm_writev"), errno.EPERM),
    "mount": (("mount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsmount"), errno.EPERM),
    "keyctl": (("keyctl", "add_key", "request_key"), errno.EPERM),
    "bpf": (("bpf",), errno.EPERM),
    "namespaces": (("unshare", "setns"), errno.EPERM),
    "perf_event_open": (("perf_event_open",), errno.EPERM),
}


def build():
    """The filter, as a ``pyseccomp.SyscallFilter`` (not loaded)."""
    try:
        import pyseccomp as seccomp
    except ImportError as e:  # a declared dependency: missing means a broken set-up
        raise RuntimeError(
            "pyseccomp is not installed; run `python3 dev.py setup` "
            "(or pip install pyseccomp) and make sure libseccomp2 is installed"
        ) from e

    f = seccomp.SyscallFilter(seccomp.ALLOW)
    for name, (calls, err) in DENIED.items():
        for call in calls:
            if name != "socket":
                f.add_rule(seccomp.ERRNO(err), call)
                continue
            for family in (0, *range(socket.AF_UNIX + 1, socket.AF_NETLINK)):
                f.add_rule(seccomp.ERRNO(err), call, seccomp.Arg(0, seccomp.EQ, family))
            f.add_rule(seccomp.ERRNO(err), call, seccomp.Arg(0, seccomp.GT, socket.AF_NETLINK))
            f.add_rule(
                seccomp.ERRNO(err), call, seccomp.Arg(0, seccomp.EQ, socket.AF_NETLINK), seccomp.Arg(2, seccomp.NE, 0)
            )  # NETLINK_ROUTE only
    for flag in CLONE_NAMESPACES.values():  # the same namespaces through clone()
        f.add_rule(seccomp.ERRNO(errno.EPERM), "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
    # clone3 passes its flags in memory, out of a filter's reach: refuse it; glibc then falls back to clone
    f.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
    return f


def bpf_file():
    """An open temporary file holding the compiled filter, positioned at its start (for ``bwrap --seccomp``)."""
    out = tempfile.TemporaryFile()
    build().export_bpf(out)
    out.flush()
    out.seek(0)
    return out
