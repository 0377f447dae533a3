"""coursetools: how the course's notebooks are made, for its authors and its test suite.

- :mod:`coursetools.notebooks`: the percent-format reader (jupytext) that turns ``course/src/NN_name.py``
  into the lesson notebooks, and the one way a lesson is executed (the tests, the benchmark, the site);
- :mod:`coursetools.release`: an assignment's percent source into its source notebook, then nbgrader's
  student version in ``autograder/release/``, and the check that both are fresh;
- :mod:`coursetools.site`: the static course site of the executed lessons (Jupyter Book 1).

Run them as ``python3 dev.py notebooks|release|site``. They work on this checkout (an editable
install), not on an installed copy: the lessons and assignments are files of the repository.
"""
