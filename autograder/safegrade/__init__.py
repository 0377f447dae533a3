"""safegrade: grading that holds against broken and hostile submissions.

One job per module:

- :mod:`safegrade.cli`: the ``safegrade`` command (``grade``, ``check``, ``validate``);
- :mod:`safegrade.validate`: a student's notebook validated by nbgrader, summed up per graded part
  (:mod:`safegrade.part_validator`: nbgrader's Validator, imported only once the arguments are checked);
- :mod:`safegrade.runner`: a class, each student one Dask task, results stored as they come, nothing lost;
- :mod:`safegrade.cluster`: the Dask client and cluster (a TLS LocalCluster by default, or a scheduler);
- :mod:`safegrade.ledger`: what was graded and stored, by submission hash (re-runs grade only what is missing);
- :mod:`safegrade.watch`: ``safegrade watch``, grading on submit, restart-safe;
- :mod:`safegrade.course`: the course directory and assignment, loaded once; the data a task receives;
- :mod:`safegrade.submission`: a submission's files vetted, staged and packed;
- :mod:`safegrade.student`: one student: vetted here, graded as a task (nbgrader, the verifier, redaction);
- :mod:`safegrade.worker`: the fork server in each worker: nbgrader's autograde in-process, in a private course;
- :mod:`safegrade.gradebook`: the gradebook, written by the coordinator only: nbgrader's records, reconciliation;
- :mod:`safegrade.redact`: feedback without hidden tests or solutions;
- :mod:`safegrade.report`: the outcomes, the table and the CSV;
- :mod:`safegrade.flags`: the flags per student, the durable record; :mod:`safegrade.export`: the
  ``nbgrader export`` plugin that adds them as a column;
- :mod:`safegrade.sandbox`, :mod:`safegrade.inside`, :mod:`safegrade.syscalls`, :mod:`safegrade.cgroups`:
  the bubblewrap sandbox, the first code inside it, its seccomp filter, its cgroups;
- :mod:`safegrade.kernel`: the ``safegrade`` kernelspec's launcher (nbgrader's kernel, sandboxed);
- :mod:`safegrade.verifier` (trusted side) and :mod:`safegrade.harness` (inside the sandbox), sharing
  only :mod:`safegrade.encoding`;
- :mod:`safegrade.checks`, :mod:`safegrade.cases`: what the assignment notebooks call;
- :mod:`safegrade.feedback`: the nbgrader preprocessor that hides hidden tests in feedback;
- :mod:`safegrade.notebooks`: reading notebooks and their cell roles;
- :mod:`safegrade.nbgrader_cli`, :mod:`safegrade.testing`: running nbgrader; the course factory of the tests.
"""
