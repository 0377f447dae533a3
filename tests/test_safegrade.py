"""safegrade: hostile and broken submissions graded with exact outcomes; a 50+ class with nothing lost.

Needs bubblewrap, libseccomp and user namespaces (`python3 dev.py setup`
installs the packages as root). Without them these tests fail with a message
saying how to get them; they never skip.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile.corpus import ASSIGNMENT, CASES, FULL, make_course, write_submission
from safegrade.runner import grade_class
from safegrade.sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent

# Hostile cases duplicate cells on purpose; nbformat's warning about their ids is expected here.
pytestmark = pytest.mark.filterwarnings("ignore::nbformat.warnings.DuplicateCellId")


def _hashes(folder: Path) -> dict[str, str]:
    """Content of every regular file under ``folder`` (links are the submissions' own: not followed)."""
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not any((folder / q).is_symlink() for q in (p.relative_to(folder), *p.relative_to(folder).parents))
    }


def _probe(tmp_path, code: str, uid=None, **kw):
    """Run ``code`` in a fresh sandbox (as student code runs there); its last line of output, as JSON."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="sb", dir=tmp_path))
    base.chmod(0o711)
    sb = Sandbox(base / "s", uid=uid, **kw).prepare()
    probe = sb.lib / "probe.py"
    probe.write_text(code)
    try:
        proc = sb.popen("script", [str(probe)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = proc.communicate(timeout=60)
    finally:
        sb.cleanup()
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


ISOLATION = """
import os, socket, resource, json
r = {'uid': os.getuid(), 'cwd': os.listdir('.'), 'env': sorted(os.environ)}
r['secret'] = os.path.exists(SECRET)
r['git'] = os.path.exists(REPO + '/.git')
r['source'] = os.path.exists(REPO + '/autograder/source')
r['as'] = resource.getrlimit(resource.RLIMIT_AS)[0]
r['nproc'] = resource.getrlimit(resource.RLIMIT_NPROC)[0]
r['seccomp'] = [l.split()[1] for l in open('/proc/self/status') if l.startswith('Seccomp:')]
try:
    socket.create_connection(('1.1.1.1', 53), timeout=2); r['net'] = True
except OSError:
    r['net'] = False
import padlib, safegrade.checks; r['padlib'] = hasattr(padlib, 'pad')
print(json.dumps(r))
"""


@pytest.mark.parametrize("as_uid", [None, 451234], ids=["own-user", "own-uid"])
def test_sandbox_isolation(sandbox_ok, tmp_path, as_uid):
    """Inside the sandbox: (as root) another uid, no network, the course and repository hidden, limits and seccomp set."""
    import os

    if as_uid is not None and os.geteuid() != 0:
        as_uid = None  # an ordinary user runs every sandbox as itself (the ordinary-user tests cover it)
    secret = tmp_path / "instructor_secret.txt"
    secret.write_text("solution text")
    code = f"SECRET = {str(secret)!r}\nREPO = {str(ROOT)!r}\n" + ISOLATION
    r = _probe(tmp_path, code, uid=as_uid, watch=(tmp_path,))
    assert r == {
        "uid": as_uid if as_uid is not None else os.getuid(),
        "cwd": [],
        "env": r["env"],
        "secret": False,
        "git": False,
        "source": False,
        "as": 1536 << 20,
        "nproc": 64,
        "seccomp": ["2"],
        "net": False,
        "padlib": True,
    }
    assert set(r["env"]) == set(Sandbox(tmp_path / "any").env())  # the scrubbed environment, nothing of the grader's
    assert not any(next(tmp_path.glob("sb*")).iterdir())


def _errnos_of(probes: dict[str, str]) -> str:
    lines = ["import ctypes, json", "r = {}"]
    for rule, call in probes.items():
        lines.append(f"r[{rule!r}] = ctypes.get_errno() if ({call}) == -1 else 0")
    return "\n".join(lines + ["print(json.dumps(r))"])


def test_each_seccomp_rule_refuses_its_call(sandbox_ok, tmp_path):
    """One probe per rule of safegrade.syscalls: refused inside the sandbox with the rule's errno, while the
    same call outside (the grader's own process) succeeds or fails otherwise, so it is the filter that refuses."""
    from hostile.corpus import syscall_probes
    from safegrade.syscalls import DENIED

    probes = syscall_probes()
    assert set(probes) == set(DENIED)
    inside = _probe(tmp_path, _errnos_of(probes))
    outside = json.loads(
        subprocess.run([sys.executable, "-c", _errnos_of(probes)], capture_output=True, text=True, check=True).stdout
    )
    for rule, (_, err) in DENIED.items():
        assert inside[rule] == err, (rule, inside[rule])
        assert outside[rule] != err, (rule, outside[rule])
    # what the filter leaves alone still works: local sockets (ipykernel's ipc transport), processes
    r = _probe(
        tmp_path,
        "import json, socket, subprocess\n"
        "a, b = socket.socketpair(); a.send(b'x'); ok = b.recv(1) == b'x'\n"
        "print(json.dumps({'unix': ok, 'child': subprocess.run(['true']).returncode}))",
    )
    assert r == {"unix": True, "child": 0}


def test_without_bubblewrap_nothing_is_graded_and_the_error_names_the_package(tmp_path):
    """`bwrap` not on PATH: `safegrade check` and `safegrade grade` stop before grading anyone, saying what to install."""
    import os

    exe = str(Path(sys.executable).with_name("safegrade"))
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))  # the venv's tools only: no /usr/bin/bwrap
    for cmd in ([exe, "check"], [exe, "grade", ASSIGNMENT, "--course", str(ROOT / "autograder")]):
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "bubblewrap (`bwrap`) is not installed" in done.stderr and "apt-get install bubblewrap" in done.stderr
    assert not list(tmp_path.iterdir())


def test_cli_rejects_unknown_assignment(tmp_path):
    done = subprocess.run(
        [str(Path(sys.executable).with_name("safegrade")), "grade", "no_such_thing"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert (
        "unknown assignment 'no_such_thing' (argument ASSIGNMENT); allowed values: padding_modes, shapes_and_stride, transposed_and_receptive"
        in done.stderr
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / "autograder" / "grade_class.py"), ASSIGNMENT, "--jobs", "0"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "--jobs: expected a positive int, got '0'" in done.stderr


# One class of 56 for the corpus and the nothing-lost tests: every hostile or broken case once (named by
# the case), the rest correct submissions, graded in one run as a class is.
CLASS_SIZE = 56
EXTRA_CORRECT = {f"s{i:02d}": "correct" for i in range(CLASS_SIZE - len(CASES))}


@pytest.fixture(scope="module")
def class_run(sandbox_ok, grading, tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("class"))
    students = {case: case for case in CASES} | EXTRA_CORRECT
    for student, case in students.items():
        write_submission(course, student, case)
    submitted = _hashes(course / "submitted")
    t0 = time.monotonic()
    report = grade_class(course, ASSIGNMENT, grading=grading, cell_timeout=10, student_timeout=150)
    print(f"\n{len(students)} students graded in {time.monotonic() - t0:.1f} s")
    return course, students, report, submitted


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_corpus_case(class_run, case):
    """Every hostile or broken case gets its exact score and the expected flag (or none)."""
    course, _, report, _ = class_run
    _, score, flag = CASES[case]
    outcome = next(o for o in report.outcomes if o.student == case)
    assert outcome.score == score, (outcome.score, outcome.flags)
    assert outcome.max_score == FULL
    if flag is None:
        assert all("verifier says 0" not in f for f in outcome.flags) or case not in ("correct", "wrong_reflect")
    else:
        assert any(flag in f for f in outcome.flags), outcome.flags
    if case in ("correct", "wrong_reflect"):
        assert outcome.flags == []


@pytest.mark.slow
def test_corpus_nothing_lost_nothing_leaked(class_run):
    course, students, report, submitted_before = class_run
    assert sorted(o.student for o in report.outcomes) == sorted(students)
    assert report.integrity == []
    assert _hashes(course / "submitted") == submitted_before  # submissions never modified
    assert not (course / ".safegrade_canary").exists()
    import sqlite3

    sqlite3.connect(course / "gradebook.db").execute("select count(*) from grade").fetchone()  # gradebook intact
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # what `nbgrader export` reads
        in_gradebook = {s.student.id: s.score for s in gb.find_assignment(ASSIGNMENT).submissions}
    # the gradebook's scores are the table's, also for students nbgrader could not grade (the verifier's alone)
    scores = {o.student: o.score for o in report.outcomes}
    assert {s: scores[s] for s in in_gradebook} == in_gradebook
    assert {s for s, score in scores.items() if score > 0} <= set(in_gradebook)
    assert {"infinite_loop", "duplicate_grade_id"} <= set(in_gradebook)
    hidden = "random_pad_cases"  # appears only in hidden tests
    for nb in (course / "autograded").rglob("*.ipynb"):
        text = nb.read_text()
        import json

        outputs = json.dumps([c.get("outputs", []) for c in json.loads(text)["cells"]])
        assert hidden not in outputs, nb
        assert "### BEGIN SOLUTION" not in outputs and "np.take(out, index" not in outputs, nb


POISON = (
    "wrong_reflect",
    "patch_testing",
    "always_equal",
    "input_transformer",
    "corrupt_json",
    "empty_folder",
    "os_exit",
    "memory_bomb",
    "snoop",
    "duplicate_grade_id",
)


@pytest.mark.slow
def test_class_of_56_nothing_lost_and_reproducible(class_run, grading):
    """56 students (every case of the corpus, the rest correct) graded in one run; ten poisoned ones and two
    correct ones graded again: the same scores, part by part, nobody missing."""
    course, students, first, _ = class_run
    print(first.table())
    again = sorted(POISON) + ["s00", "s01"]
    second = grade_class(course, ASSIGNMENT, grading=grading, cell_timeout=10, student_timeout=150, students=again)
    assert len(students) == CLASS_SIZE and [o.student for o in first.outcomes] == sorted(students)
    for o in first.outcomes:
        _, score, flag = CASES[students[o.student]]
        assert o.score == score, (o.student, o.score, o.flags)
        if students[o.student] == "correct":
            assert o.flags == [], (o.student, o.flags)
        elif flag is not None:
            assert any(flag in f for f in o.flags), (o.student, o.flags)
    assert [o.student for o in second.outcomes] == sorted(again)
    regraded = {o.student: (o.score, [p.final for p in o.parts]) for o in second.outcomes}
    assert regraded == {o.student: (o.score, [p.final for p in o.parts]) for o in first.outcomes if o.student in again}
    assert first.integrity == [] and second.integrity == []


@pytest.mark.slow
def test_regrading_keeps_a_manual_score_a_grader_set(sandbox_ok, grading, tmp_path):
    """Like `nbgrader autograde`, a regrade never overwrites a score a person set in formgrader:
    it keeps it, flags it, and marks the cell for review; scores it wrote itself it updates."""
    from nbgrader.api import Gradebook

    course = make_course(tmp_path)
    write_submission(course, "ann", "wrong_reflect")
    write_submission(course, "ben", "correct")
    first = grade_class(course, ASSIGNMENT, grading=grading, cell_timeout=10, student_timeout=150)
    scores = {o.student: o.score for o in first.outcomes}
    assert scores == {"ann": CASES["wrong_reflect"][1], "ben": FULL}

    hidden = next(p for p in first.outcomes[0].parts if p.grade_id == "test_pad_reflect_hidden")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # what a grader does in formgrader
        grade = gb.find_grade(hidden.grade_id, hidden.notebook[:-6], ASSIGNMENT, "ann")
        grade.manual_score = 1.0  # partial credit for the reflect part
        gb.db.commit()

    again = grade_class(course, ASSIGNMENT, grading=grading, force=True, cell_timeout=10, student_timeout=150)
    ann, ben = again.outcomes
    assert ann.score == scores["ann"] + 1.0
    assert any("kept the manual score 1 a grader set (safegrade computed 0)" in f for f in ann.flags), ann.flags
    assert ben.score == FULL and ben.flags == []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade(hidden.grade_id, hidden.notebook[:-6], ASSIGNMENT, "ann")
        assert grade.manual_score == 1.0 and grade.needs_manual_grade
        assert gb.find_submission(ASSIGNMENT, "ann").score == scores["ann"] + 1.0


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ["padding_modes", "shapes_and_stride", "transposed_and_receptive"])
def test_honest_submissions_get_exactly_nbgraders_scores(sandbox_ok, grading, tmp_path, assignment):
    """No false fails: on every honest fake submission of tests/test_autograder.py (correct,
    blank, one part wrong, np.pad where forbidden), safegrade's verifier agrees with stock
    nbgrader cell by cell, so hardening costs no honest student a point."""
    from autograder_fixtures import fakes

    course = fakes.make_course(
        tmp_path / "course", assignments=[assignment], generate=True, env=fakes.nbgrader_env(tmp_path / "home")
    )
    submissions = {f"{s.student}": s for s in fakes.SUBMISSIONS[assignment]}
    for s in submissions.values():
        s.write(course)
    report = grade_class(course, assignment, grading=grading, cell_timeout=10, student_timeout=150)
    assert sorted(o.student for o in report.outcomes) == sorted(submissions)
    for o in report.outcomes:
        got = {p.grade_id: p.final for p in o.parts}
        assert got == submissions[o.student].expected_scores(), (o.student, o.flags)
        disagreements = [f for f in o.flags if "verifier" in f]
        assert not disagreements, (o.student, disagreements)


FORGERIES = (
    "wrong_reflect",
    "patch_testing",
    "always_equal",
    "input_transformer",
    "showtraceback",
    "sys_exit",
    "edit_tests",
    "delete_tests",
)


@pytest.mark.slow
def test_forgeries_earn_nothing_in_shapes_and_stride(sandbox_ok, grading, tmp_path):
    """The attacks that fool stock nbgrader, aimed at shapes_and_stride's conv2d (6 points):
    each loses exactly those points, with the same flags as in padding_modes."""
    from hostile.corpus import CONV2D

    course = make_course(tmp_path, CONV2D.assignment)
    for case in FORGERIES:
        write_submission(course, case, case, CONV2D)
    report = grade_class(course, CONV2D.assignment, grading=grading, cell_timeout=10, student_timeout=150)
    for o in report.outcomes:
        assert (o.score, o.max_score) == (CONV2D.full - CONV2D.points, CONV2D.full), (o.student, o.score, o.flags)
        flag = CASES[o.student][2]
        if flag is not None:
            assert any(flag in f for f in o.flags), (o.student, o.flags)
    assert sorted(o.student for o in report.outcomes) == sorted(FORGERIES)


# --- the same class graded as root and as an ordinary user ----------------------------------------

SAME_CLASS = (
    "correct",
    "wrong_reflect",
    "patch_testing",
    "always_equal",
    "os_exit",
    "memory_bomb",
    "corrupt_json",
    "syscall_socket",
    "syscall_ptrace",
)


def _csv_table(csv_path: Path, course: Path) -> dict[str, tuple]:
    """The rows of a class grader's CSV table: student -> (score, {part: points}, flags with COURSE for the path)."""
    import csv

    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {
        r["student"]: (
            r["score"],
            {k: r[k] for k in r if k.startswith("test_")},
            r["flags"].replace(str(course), "COURSE"),
        )
        for r in rows
    }


@pytest.mark.slow
def test_root_and_an_ordinary_user_grade_the_same_class_alike(class_run, ordinary_user, tmp_path):
    """The class grader as root (a uid per student: the class of 56 above) and, through the installed
    `safegrade grade` command, as an ordinary user (bubblewrap's user namespaces) on the same submissions:
    the same scores, per part, and the same flags."""
    import os
    import shutil
    import tempfile

    class_course, _, report, _ = class_run
    report.write_csv(tmp_path / "as-root.csv")
    as_root = {s: row for s, row in _csv_table(tmp_path / "as-root.csv", class_course).items() if s in SAME_CLASS}

    root = Path(tempfile.mkdtemp(prefix="sg-user-"))
    try:
        course = make_course(root)
        for case in SAME_CLASS:
            write_submission(course, case, case)
        exe = str(Path(sys.executable).with_name("safegrade"))
        cmd = [exe, "grade", ASSIGNMENT, "--course", str(course), "--cell-timeout", "10", "--timeout", "150"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "SAFEGRADE"))}
        if os.geteuid() == 0:
            shutil.chown(root, ordinary_user)
            for p in root.rglob("*"):
                shutil.chown(p, ordinary_user)
            env["HOME"] = str(root)
            cmd = ["runuser", "-m", "-u", ordinary_user, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=course, timeout=1200)
        assert done.returncode in (0, 1), done.stdout + done.stderr
        assert "limits in force: rlimits" in done.stdout
        as_user = _csv_table(course / f"safegrade_{ASSIGNMENT}.csv", course)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    assert sorted(as_user) == sorted(SAME_CLASS)
    assert as_user == as_root
    for case, (score, _, _) in as_user.items():
        assert float(score) == CASES[case][1], (case, as_user[case])


@pytest.mark.slow
def test_every_student_id_nbgrader_accepts_is_graded(sandbox_ok, grading, tmp_path):
    """JupyterHub user names with non-ASCII letters, dots, @ and + are graded like any other; only an id that
    would escape its folder (here one in the gradebook) is refused, with a flag, and nothing is written for it."""
    from nbgrader.api import Gradebook

    course = make_course(tmp_path)
    ids = ["zoë.müller", "ann@uni.example", "bob+1", "Ωmega_2"]
    for student in ids:
        write_submission(course, student, "correct")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.add_student("../escape")
    report = grade_class(course, ASSIGNMENT, grading=grading, cell_timeout=10, student_timeout=150)
    outcomes = {o.student: o for o in report.outcomes}
    assert sorted(outcomes) == sorted([*ids, "../escape"])
    for student in ids:
        assert (outcomes[student].score, outcomes[student].flags) == (FULL, []), (student, outcomes[student].flags)
    escape = outcomes["../escape"]
    assert escape.score == 0 and any("would escape its folder" in f for f in escape.flags), escape.flags
    assert not (course / "escape").exists() and not (tmp_path / "escape").exists()
    assert not any("escape" in str(p) for p in (course / "safegrade_logs").rglob("*"))


def test_verifier_records_every_check_of_transposed_and_receptive():
    """Every test cell of the third assignment makes checks the verifier records (its records and
    arrays included), with the forbidden targets and the swapped-in reference helper by name, and
    every expected value travels through safegrade.encoding unchanged."""
    import nbformat
    import numpy as np
    from safegrade import encoding, verifier
    from safegrade.testing import COURSE

    source = nbformat.read(
        COURSE / "source" / "transposed_and_receptive" / "transposed_and_receptive.ipynb", as_version=4
    )
    plan = verifier.make_plan(source)
    counts = {gid: len(plan.checks[gid]) for gid in plan.grade_ids}
    assert counts == {
        "test_transposed_output_size_visible": 8,
        "test_transposed_output_size_hidden": counts["test_transposed_output_size_hidden"],
        "test_conv_transpose2d_visible": 6,
        "test_conv_transpose2d_hidden": 151,
        "test_receptive_field_visible": 6,
        "test_receptive_field_hidden": 202,
    }
    assert counts["test_transposed_output_size_hidden"] > 1000
    conv = plan.checks["test_conv_transpose2d_hidden"][5]
    assert conv["helpers"] == {"transposed_output_size": "padlib._transpose:transposed_output_size"}
    assert (
        "padlib._transpose:conv_transpose2d" in conv["forbidden"]
        and "numpy._core.numeric:convolve" in conv["forbidden"]
    )
    assert plan.checks["test_receptive_field_hidden"][0]["forbidden"] == ["padlib"]
    for gid in plan.grade_ids:
        for expected, *_ in plan.expected[gid]:
            arrays: dict = {}
            back = encoding.decode(encoding.encode(expected, arrays), arrays)
            assert type(back) is type(expected)
            if isinstance(expected, np.ndarray):
                assert back.dtype == expected.dtype and np.array_equal(back, expected)
            else:
                assert back == expected
    records = [e for e, *_ in plan.expected["test_receptive_field_visible"]]
    assert records[3][-1] == (195, 32, 33.0)  # AlexNet at pool5
