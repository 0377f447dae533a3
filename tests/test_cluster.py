"""safegrade on Dask: the default cluster refuses strangers, a lost worker or a killed coordinator loses and
doubles nobody, a PostgreSQL gradebook exports as SQLite does, and `safegrade watch` grades on submit.

Real components only, started here on 127.0.0.1: the default TLS LocalCluster (the session fixture
``grading``), a ``dask scheduler`` with two ``dask worker`` processes, a PostgreSQL server in a
temporary folder (Debian's ``postgresql``: ``python3 dev.py setup`` installs it as root; without it the
PostgreSQL test fails with the install command), ``safegrade grade`` and ``safegrade watch`` as
processes. Nothing here is timed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hostile.corpus import ASSIGNMENT, CASES, FULL, make_course, write_submission
from safegrade import ledger, testing
from safegrade.runner import grade_class

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SAFEGRADE = str(BIN / "safegrade")
# a small class: honest, one part wrong, blank-ish and hostile cases of the corpus, each with a known score
CLASS = {
    "s_correct": "correct",
    "s_wrong": "wrong_reflect",
    "s_patch": "patch_testing",
    "s_exit": "os_exit",
    "s_empty": "empty_folder",
    "s_correct2": "correct",
}
pytestmark = pytest.mark.filterwarnings("ignore::nbformat.warnings.DuplicateCellId")


def _class_course(root: Path, students: dict[str, str] = CLASS) -> Path:
    course = make_course(root)
    for student, case in students.items():
        write_submission(course, student, case)
    return course


def _expected(students: dict[str, str]) -> dict[str, float]:
    return {s: CASES[case][1] for s, case in students.items()}


# in the gradebook: an empty folder gets no submission (nbgrader stops before it records one), as with stock nbgrader
IN_GRADEBOOK = {s: v for s, v in _expected(CLASS).items() if CLASS[s] != "empty_folder"}


def _gradebook_scores(course: Path, db_url: str | None = None) -> dict[str, float]:
    """{student: total score} as the gradebook has it (nbgrader's own API), one submission per student."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url or f"sqlite:///{course / 'gradebook.db'}") as gb:
        subs = gb.find_assignment(ASSIGNMENT).submissions
        students = [s.student.id for s in subs]
        assert len(students) == len(set(students)), students  # nobody twice
        return {s.student.id: s.score for s in subs}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, what: str, timeout: float = 600, every: float = 0.5):
    """Poll ``predicate`` until it is true (returns it); fail naming ``what`` after ``timeout`` (a hang, not a time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"gave up waiting for {what} after {timeout:g} s")


# --- the default cluster -------------------------------------------------------------------------------


def _tls_without_a_certificate_is_refused(port: int) -> bool:
    """A TLS handshake with no client certificate: True if the server ends it (it asks for one), False if it talks."""
    import ssl

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, ctx.wrap_socket(raw) as tls:
            tls.sendall(b"\0" * 8)
            return tls.recv(1) == b""  # TLS 1.3: the server's refusal arrives as an alert on the first read
    except TimeoutError:
        return False  # it waited for more: not refused
    except (ssl.SSLError, ConnectionError):
        return True


@pytest.mark.slow
def test_default_cluster_refuses_a_connection_without_its_credentials(grading):
    """The default LocalCluster speaks TLS with this run's temporary certificates: a TLS client without a
    certificate, a Dask client with other temporary certificates, and plain TCP to the same port are refused."""
    from distributed import Client
    from distributed.security import Security

    address = grading.client.scheduler.address
    assert address.startswith("tls://127.0.0.1:")
    assert grading.client.submit(sum, [1, 2]).result() == 3  # the grader's own client works
    port = int(address.rsplit(":", 1)[1])
    assert _tls_without_a_certificate_is_refused(port)
    for target, security in ((address, Security.temporary()), (f"tcp://127.0.0.1:{port}", None)):
        with pytest.raises((OSError, TimeoutError)):
            Client(target, security=security, timeout=5, set_as_default=False)


@pytest.mark.slow
def test_bad_input_is_refused_before_anything_is_written(sandbox_ok, tmp_path, capsys):
    """Unreachable scheduler, bad scheduler address, bad or unreachable database, an assignment never generated,
    a student id that escapes its folder: each a clear error naming the argument, exit status 2, nothing written."""
    from safegrade import cli

    course = testing.make_course(tmp_path / "course", assignments=["padding_modes"])  # not generated
    generated = make_course(tmp_path / "gen")
    write_submission(generated, "ann", "correct")
    dead = f"127.0.0.1:{_free_port()}"
    cases = [
        (
            generated,
            ["--scheduler", f"tcp://{dead}"],
            f"cannot reach the Dask scheduler at tcp://{dead} (argument --scheduler)",
        ),
        (generated, ["--scheduler", "http://x:1"], "--scheduler must be tls://HOST:PORT or tcp://HOST:PORT"),
        (generated, ["--scheduler", f"tls://{dead}"], "a tls:// scheduler needs --tls-ca-file, --tls-cert, --tls-key"),
        (generated, ["--db", "mysql://x@y/z"], "--db must be a postgresql://"),
        (generated, ["--db", f"postgresql://nobody@{dead}/gradebook"], "(argument --db)"),
        (
            generated,
            ["--student", "../etc"],
            "would escape its folder (it holds a path separator or NUL) (argument --student)",
        ),
        (generated, ["--student", ".."], "is not a folder name (argument --student)"),
        (course, [], "assignment 'padding_modes' is not in the gradebook ("),
    ]
    for where, extra, message in cases:
        before = sorted(str(p) for p in where.rglob("*"))
        status = cli.main(["grade", ASSIGNMENT, "--course", str(where), *extra])  # the command, in this process
        err = capsys.readouterr().err
        assert status == 2, (extra, err)
        assert message in err, (extra, err)
        assert sorted(str(p) for p in where.rglob("*")) == before, extra  # nothing written


# --- a coordinator killed half-way, then the same command again ------------------------------------------


@pytest.mark.slow
def test_coordinator_killed_half_way_then_rerun_grades_only_the_missing(sandbox_ok, tmp_path):
    """`safegrade grade` SIGKILLed once some results are stored; the same command again grades only the
    students not stored yet; the final gradebook has every student once with the expected score.
    The last student's correct notebook first sleeps 8 s (in nbgrader's run and the verifier's), so the first
    run is still busy when it is killed: a result is stored within runner.BATCH_SECONDS of arriving."""
    import nbformat

    students = CLASS | {"s_zslow": "correct"}
    course = _class_course(tmp_path, students)
    slow = course / "submitted" / "s_zslow" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(slow, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("import time\ntime.sleep(8)"))
    nbformat.write(nb, slow)
    cmd = [SAFEGRADE, "grade", ASSIGNMENT, "--course", str(course), "--workers", "2", "--cell-timeout", "10"]
    env = testing.nbgrader_env(tmp_path / "home")
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait(lambda: len(ledger.load(course, ASSIGNMENT)) >= 2 or first.poll() is not None, "two stored results")
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    stored = ledger.load(course, ASSIGNMENT)
    assert 2 <= len(stored) < len(students) and "s_zslow" not in stored, stored  # killed half-way
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    graded = {row["student"] for row in csv.DictReader(open(course / f"safegrade_{ASSIGNMENT}.csv"))}
    assert graded == set(students) - set(stored)  # only the missing ones
    assert f"{len(stored)} unchanged since last stored" in done.stdout
    assert _gradebook_scores(course) == IN_GRADEBOOK | {"s_zslow": FULL}
    final = ledger.load(course, ASSIGNMENT)
    assert {s: r["score"] for s, r in final.items()} == _expected(students)
    lines = (course / "safegrade_logs" / ASSIGNMENT / "graded.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["student"] for line in lines if line.startswith("{")) == sorted(students)


# --- a real cluster: dask scheduler + two dask workers, one killed while grading -------------------------


@pytest.fixture
def dask_cluster(tmp_path):
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 (plain tcp: loopback only; a real
    deployment uses tls:// and certificates, see autograder/README.md). Yields (address, worker processes)."""
    scheduler_file = tmp_path / "scheduler.json"
    env = dict(testing.nbgrader_env(tmp_path / "home"), DASK_DISTRIBUTED__WORKER__DAEMON="False")
    procs = [
        subprocess.Popen(
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
    ]  # fmt: skip
    try:
        _wait(lambda: scheduler_file.exists() and scheduler_file.stat().st_size, "the scheduler", timeout=120)
        address = json.loads(scheduler_file.read_text())["address"]
        workers = [
            subprocess.Popen(
                [str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--host", "127.0.0.1", "--name", f"w{i}"],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )
            for i in range(2)
        ]  # fmt: skip
        procs += workers
        yield address, workers
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()


@pytest.mark.slow
def test_a_worker_killed_while_grading_loses_and_doubles_nobody(sandbox_ok, dask_cluster, tmp_path):
    """Grading on a scheduler the test started, one of its two workers SIGKILLed while a task runs on it:
    Dask runs that student again on the other worker; every student has the expected score, once."""
    import threading

    from distributed import Client

    address, workers = dask_cluster
    course = _class_course(tmp_path)
    with Client(address, timeout=30, set_as_default=False) as watcher:
        _wait(lambda: len(watcher.scheduler_info()["workers"]) == 2, "two workers", timeout=120)
        pids = {pid: addr for addr, pid in watcher.run(os.getpid).items()}
        killed: list[int] = []

        def kill_one_while_busy():
            def busy():
                processing = watcher.processing()
                return next((pid for pid, addr in pids.items() if processing.get(addr)), None)

            pid = _wait(busy, "a worker with a task", timeout=600, every=0.2)
            time.sleep(2)  # well inside the task (nbgrader is running)
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

        killer = threading.Thread(target=kill_one_while_busy, daemon=True)
        killer.start()
        report = grade_class(course, ASSIGNMENT, scheduler=address, cell_timeout=10, student_timeout=150)
        killer.join(timeout=5)
    assert killed and killed[0] in [w.pid for w in workers]
    assert report.retried >= 1
    assert {o.student: o.score for o in report.outcomes} == _expected(CLASS)
    assert sorted(o.student for o in report.outcomes) == sorted(CLASS)  # nobody missing, nobody twice
    assert _gradebook_scores(course) == IN_GRADEBOOK
    assert all(not any("grader error" in f for f in o.flags) for o in report.outcomes)


# --- PostgreSQL --------------------------------------------------------------------------------------------


def _postgres_bin() -> Path:
    found = testing.find_postgres_bin()
    if found is None:
        pytest.fail(
            "PostgreSQL's server programs are not installed: apt-get install postgresql (python3 dev.py setup does it as root)"
        )
    return found


@pytest.fixture
def postgres(ordinary_user, tmp_path_factory):
    """A PostgreSQL server in a temporary folder, run by an unprivileged user, on a loopback port; yields its URL."""
    pg = _postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="safegrade-pg-"))
    folder.chmod(0o755)
    data, port = folder / "data", _free_port()
    as_user = ["runuser", "-u", ordinary_user, "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, ordinary_user)

    def run(*cmd):
        return subprocess.run([*as_user, *cmd], check=True, capture_output=True, text=True, timeout=120, cwd=folder)

    run(str(pg / "initdb"), "-D", str(data), "-U", "grader", "--auth=trust", "-E", "UTF8", "--no-sync")
    run(str(pg / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")  # fmt: skip
    try:
        run(str(pg / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "grader", "gradebook")
        yield f"postgresql://grader@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run([*as_user, str(pg / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_a_postgresql_gradebook_exports_as_sqlite_does(sandbox_ok, grading, postgres, tmp_path):
    """The same class graded with two workers into SQLite and into PostgreSQL (`--db`): `nbgrader export`
    gives the same CSV, and formgrader's gradebook API (nbgrader.apps.NbGraderAPI) reads the scores."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from safegrade.course import sqlalchemy_url
    from traitlets.config import Config

    students = {"ann": "correct", "bob": "wrong_reflect", "cat": "patch_testing"}
    env = testing.nbgrader_env(tmp_path / "home")
    exports = {}
    for kind in ("sqlite", "postgresql"):
        course = make_course(tmp_path / kind)
        db = sqlalchemy_url(postgres) if kind == "postgresql" else f"sqlite:///{course / 'gradebook.db'}"
        if kind == "postgresql":
            testing.nbgrader(
                "generate_assignment", ASSIGNMENT, "--force", f"--CourseDirectory.db_url={db}", cwd=course, env=env
            )
        for student, case in students.items():
            write_submission(course, student, case)
        report = grade_class(course, ASSIGNMENT, grading=grading, db=db, cell_timeout=10, student_timeout=150)
        assert {o.student: o.score for o in report.outcomes} == _expected(students)
        out = course / "grades.csv"
        testing.nbgrader("export", f"--CourseDirectory.db_url={db}", f"--to={out}", cwd=course, env=env)
        # the rows in student order: nbgrader writes them in the database's order, which PostgreSQL does not keep
        exports[kind] = sorted(csv.DictReader(io.StringIO(out.read_text())), key=lambda r: r["student_id"])
        if kind == "postgresql":
            config = Config()
            config.CourseDirectory.root = str(course)
            config.CourseDirectory.db_url = db
            api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
            seen = {s["student"]: s["score"] for s in api.get_submissions(ASSIGNMENT)}
            assert seen == _expected(students)
    assert exports["postgresql"] == exports["sqlite"]
    assert {r["student_id"]: float(r["score"]) for r in exports["sqlite"]} == _expected(students)


# --- grade on submit -----------------------------------------------------------------------------------------


def _submit(course: Path, student: str, case: str, staging: Path) -> None:
    """Hand in ``case`` for ``student`` as the exchange would: written elsewhere, then moved into place."""
    tmp_course = staging / student / "course"
    if not tmp_course.exists():
        shutil.copytree(course / "release", tmp_course / "release")
        shutil.copytree(course / "source", tmp_course / "source")
    shutil.rmtree(tmp_course / "submitted", ignore_errors=True)
    write_submission(tmp_course, student, case)
    # what `nbgrader submit` adds: the secret that names the student's released feedback in the exchange
    (tmp_course / "submitted" / student / ASSIGNMENT / "submission_secret.txt").write_text(os.urandom(16).hex())
    dest = course / "submitted" / student / ASSIGNMENT
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        old = staging / f"old-{time.monotonic_ns()}"
        dest.rename(old)
    (tmp_course / "submitted" / student / ASSIGNMENT).rename(dest)


@pytest.mark.slow
def test_watch_grades_each_submission_on_arrival_and_survives_a_restart(sandbox_ok, tmp_path):
    """`safegrade watch`: three submissions arriving one after another are graded and get released feedback with
    no manual step; the watcher SIGKILLed and restarted in between regrades nobody; a second submission by a
    student is graded (the newer one)."""
    course = make_course(tmp_path)
    staging = tmp_path / "staging"
    env = testing.nbgrader_env(tmp_path / "home")
    cmd = [SAFEGRADE, "watch", ASSIGNMENT, "--course", str(course), "--workers", "1", "--interval", "1",
           "--cell-timeout", "10"]  # fmt: skip

    def start():
        log = open(tmp_path / f"watch-{time.monotonic_ns()}.log", "w")
        return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def stored(student: str, n: int = 1):
        lines = course / "safegrade_logs" / ASSIGNMENT / "graded.jsonl"
        if not lines.exists():
            return False
        return [json.loads(x) for x in lines.read_text().splitlines() if f'"student": "{student}"' in x][n - 1 :]

    def feedback(student: str, released: int):
        html = course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        return html.exists() and len(list((course / "exchange").rglob("feedback/*.html"))) >= released

    watcher = start()
    try:
        _submit(course, "ann", "wrong_reflect", staging)
        _wait(lambda: stored("ann") and feedback("ann", 1), "ann graded with feedback")
        _submit(course, "bob", "correct", staging)
        _wait(lambda: stored("bob") and feedback("bob", 2), "bob graded with feedback")
        os.killpg(watcher.pid, signal.SIGKILL)
        watcher.wait()
        watcher = start()
        _submit(course, "cat", "correct", staging)
        _wait(lambda: stored("cat") and feedback("cat", 3), "cat graded with feedback")
        _submit(course, "ann", "correct", staging)  # ann hands in again: the newer one is graded
        _wait(lambda: stored("ann", 2), "ann's second submission graded")
    finally:
        os.killpg(watcher.pid, signal.SIGTERM)
        watcher.wait(timeout=60)
    lines = [json.loads(x) for x in (course / "safegrade_logs" / ASSIGNMENT / "graded.jsonl").read_text().splitlines()]
    assert [r["student"] for r in lines] == ["ann", "bob", "cat", "ann"]  # the restart regraded nobody
    assert [r["score"] for r in lines] == [CASES["wrong_reflect"][1], FULL, FULL, FULL]
    assert _gradebook_scores(course) == {"ann": FULL, "bob": FULL, "cat": FULL}
    assert len(list((course / "exchange").rglob("feedback/*.html"))) >= 3
    page = (course / "feedback" / "cat" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "HIDDEN TESTS" not in page and "(hidden tests, run by the grader)" in page  # the course's feedback step
