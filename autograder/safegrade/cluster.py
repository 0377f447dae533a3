"""The Dask cluster the class grader submits its tasks to: a TLS LocalCluster by default, or a real scheduler.

- Default: a ``LocalCluster`` of worker **processes** (one thread each), as many
  as the machine has cores unless ``workers`` says otherwise. It uses TLS with
  temporary credentials (``distributed.security.Security.temporary()``): on a
  shared machine anyone who can reach a Dask scheduler's port can run code as
  the instructor, so a connection without this run's certificate is refused.
  Its dashboard is on 127.0.0.1 if ``bokeh`` is installed (else off: the
  summary says so).
- ``scheduler="tls://HOST:PORT"`` with ``tls_ca_file``, ``tls_cert`` and
  ``tls_key`` (the certificates of the cluster; see autograder/README.md), or
  ``"tcp://HOST:PORT"`` (only on a network where every machine is trusted).

Workers must not be daemonic (:mod:`safegrade.worker` starts a fork server in
each): set here for the LocalCluster, ``DASK_DISTRIBUTED__WORKER__DAEMON=False``
for ``dask worker``.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass

SCHEMES = ("tls", "tcp")
CONNECT_TIMEOUT = 10


class ClusterError(RuntimeError):
    """The cluster could not be started or reached; the message names the argument."""


@dataclass
class Grading:
    """An open client (and the LocalCluster it started, if any); close() ends what this process started."""

    client: object
    cluster: object | None
    dashboard: str

    def close(self) -> None:
        self.client.close()  # type: ignore[attr-defined]
        if self.cluster is not None:
            self.cluster.close()  # type: ignore[attr-defined]

    def __enter__(self) -> Grading:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _dashboard(cluster_or_client) -> str:
    if importlib.util.find_spec("bokeh") is None:
        return "off (the Dask dashboard needs bokeh: pip install 'bokeh>=3.1')"
    return str(getattr(cluster_or_client, "dashboard_link", "") or "off")


def check_address(scheduler: str) -> None:
    scheme, sep, rest = scheduler.partition("://")
    if not sep or scheme not in SCHEMES or ":" not in rest:
        raise ClusterError(
            f"--scheduler must be tls://HOST:PORT or tcp://HOST:PORT (allowed schemes: {', '.join(SCHEMES)}); "
            f"got {scheduler!r}"
        )


def connect(
    scheduler: str | None = None,
    *,
    workers: int | None = None,
    tls_ca_file: str | None = None,
    tls_cert: str | None = None,
    tls_key: str | None = None,
) -> Grading:
    """A client on the default TLS LocalCluster, or on ``scheduler``; raises :class:`ClusterError`."""
    import dask
    from distributed import Client, LocalCluster
    from distributed.security import Security

    if scheduler is None:
        n = workers or os.cpu_count() or 1
        with dask.config.set({"distributed.worker.daemon": False, "distributed.scheduler.allowed-failures": 3}):
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                protocol="tls://",
                host="127.0.0.1",
                security=Security.temporary(),
                dashboard_address="127.0.0.1:0",
                silence_logs=50,
            )
            client = Client(cluster, security=cluster.security)
        return Grading(client, cluster, _dashboard(cluster))
    check_address(scheduler)
    security = None
    if scheduler.startswith("tls://"):
        given = {"--tls-ca-file": tls_ca_file, "--tls-cert": tls_cert, "--tls-key": tls_key}
        missing = [name for name, value in given.items() if not value]
        if missing:
            raise ClusterError(f"a tls:// scheduler needs {', '.join(missing)} (the cluster's certificates)")
        security = Security(
            tls_ca_file=tls_ca_file, tls_client_cert=tls_cert, tls_client_key=tls_key, require_encryption=True
        )
    try:
        client = Client(scheduler, security=security, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as e:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {scheduler} (argument --scheduler) within {CONNECT_TIMEOUT} s: {e}"
        ) from None
    return Grading(client, None, _dashboard(client))
