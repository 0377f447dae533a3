"""The feedback step: a student's feedback shows each hidden test's docstring and error message, never its code.

:class:`HideHiddenTests` is an nbgrader preprocessor, configured in the
course's ``nbgrader_config.py`` for ``generate_feedback``.
"""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
HIDDEN_NOTE = "# (hidden tests, run by the grader)"


def hide_hidden_tests(nb) -> int:
    """Remove hidden tests from an autograded notebook before it becomes feedback; return how many cells changed.

    In every code cell with a ``### BEGIN HIDDEN TESTS`` region, the region is
    replaced by one comment line, and each error output keeps only its last
    line (``AssertionError: ...`` with our message): a full traceback would
    quote lines of the hidden test.

    >>> nb = {"cells": [{"cell_type": "code", "source": '"Checks f."\\n### BEGIN HIDDEN TESTS\\nsecret()\\n### END HIDDEN TESTS',
    ...        "outputs": [{"output_type": "error", "ename": "AssertionError", "evalue": "wrong",
    ...                     "traceback": ["Traceback", "secret()", "AssertionError: wrong"]}]}]}
    >>> hide_hidden_tests(nb)
    1
    >>> nb["cells"][0]["source"]
    '"Checks f."\\n# (hidden tests, run by the grader)'
    >>> nb["cells"][0]["outputs"][0]["traceback"]
    ['AssertionError: wrong']
    """
    changed = 0
    for cell in nb["cells"]:
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] != "code" or HIDDEN_BEGIN not in source:
            continue
        kept, hidden = [], False
        for line in source.split("\n"):
            if HIDDEN_BEGIN in line:
                hidden = True
                kept.append(line[: line.index(HIDDEN_BEGIN)] + HIDDEN_NOTE)
            elif HIDDEN_END in line:
                hidden = False
            elif not hidden:
                kept.append(line)
        cell["source"] = "\n".join(kept)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        changed += 1
    return changed


class HideHiddenTests(NbGraderPreprocessor):
    """Feedback step: :func:`hide_hidden_tests` on the autograded notebook."""

    def preprocess(self, nb, resources):
        hide_hidden_tests(nb)
        return nb, resources
