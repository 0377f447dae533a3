"""nbgrader configuration of the Padding & Stride course. Run nbgrader from this directory.

Every path is relative to this directory: source/, release/, submitted/,
autograded/, feedback/ and gradebook.db live here; the local exchange is
./exchange (created on first use) unless --Exchange.root says otherwise (see README.md).
"""

from pathlib import Path

import copy

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader import utils
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, OverwriteCells
from traitlets import Bool

from padlib.grading import hide_hidden_tests

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "padding-stride"
# Next to this file, whatever the working directory, and created up front: the formgrader
# disables release and collect while the exchange folder does not exist.
_exchange = Path(__file__).resolve().parent / "exchange"
_exchange.mkdir(exist_ok=True)
c.Exchange.root = str(_exchange)


class HideHiddenTests(Preprocessor):
    """Feedback shows a hidden test's docstring and its error message, never its code."""

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        hide_hidden_tests(nb)
        return nb, resources


c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]


class OverwriteReleasedCells(OverwriteCells):
    """nbgrader's OverwriteCells, comparing a submitted test cell with what was released.

    The gradebook keeps each test cell as written, hidden tests included, with that text's checksum;
    the student got the cell without its hidden tests (jupyter/nbgrader#1961). So stock nbgrader
    finds every hidden-test cell of every honest submission "changed" and logs
    "Attribute 'checksum' ... has changed!". Here a cell that is exactly the released one gets the
    instructor's text back without a warning; a cell the student edited is reported as before.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id and utils.is_locked(cell):
            try:
                source = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
            except Exception:  # not in the gradebook: OverwriteCells reports it
                source = None
            if source is not None and source.locked:
                released = copy.deepcopy(cell)
                released.source = source.source
                ClearHiddenTests(parent=self)._remove_hidden_test_region(released)
                if released.source != source.source and utils.compute_checksum(cell) == utils.compute_checksum(released):
                    cell.source = source.source
        return super().preprocess_cell(cell, resources, cell_index)


c.Autograde.sanitize_preprocessors = [OverwriteReleasedCells if p is OverwriteCells else p
                                      for p in Autograde.class_traits()["sanitize_preprocessors"].default()]
