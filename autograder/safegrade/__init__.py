"""safegrade: grading that holds against broken and hostile submissions.

- :mod:`safegrade.sandbox`: one unprivileged uid, namespaces, hidden files and limits per student;
- :mod:`safegrade.kernel`: the ``safegrade`` kernelspec's launcher (nbgrader's kernel, sandboxed);
- :mod:`safegrade.verifier`: re-runs answers in a sandbox and compares outside it;
- :mod:`safegrade.runner`: grades a class, one student at a time per worker, nothing lost.

Entry point for instructors: ``python autograder/grade_class.py ASSIGNMENT``.
"""
