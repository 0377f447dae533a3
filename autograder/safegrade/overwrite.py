"""An nbgrader sanitize step: a submitted test cell is compared with what the student was given.

Configured in ``autograder/nbgrader_config.py`` in place of nbgrader's own
:class:`~nbgrader.preprocessors.OverwriteCells`.
"""

from __future__ import annotations

import copy

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells

__all__ = ["OverwriteReleasedCells"]


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
                if released.source != source.source and utils.compute_checksum(cell) == utils.compute_checksum(
                    released
                ):
                    cell.source = source.source
        return super().preprocess_cell(cell, resources, cell_index)
