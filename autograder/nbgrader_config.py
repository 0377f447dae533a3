"""nbgrader configuration of the Padding & Stride course. Run nbgrader from this directory.

Every path is relative to this directory: source/, release/, submitted/,
autograded/, feedback/ and gradebook.db live here; the local exchange is
./exchange (created on first use) unless --Exchange.root says otherwise (see README.md).
"""

from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.converters.autograde import Autograde
from nbgrader.preprocessors import GetGrades, OverwriteCells
from safegrade.export import FlaggedCsvExport
from safegrade.feedback import HideHiddenTests
from safegrade.overwrite import OverwriteReleasedCells

c = get_config()  # type: ignore[name-defined]  # noqa: F821 (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "padding-stride"
# Next to this file, whatever the working directory, and created up front: the formgrader
# disables release and collect while the exchange folder does not exist.
_exchange = Path(__file__).resolve().parent / "exchange"
_exchange.mkdir(exist_ok=True)
c.Exchange.root = str(_exchange)

# Feedback shows a hidden test's docstring and its error message, never its code.
c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]

# Honest hidden-test cells are not reported as changed (see safegrade.overwrite).
c.Autograde.sanitize_preprocessors = [
    OverwriteReleasedCells if p is OverwriteCells else p
    for p in Autograde.class_traits()["sanitize_preprocessors"].default()
]

# `nbgrader export`: every roster student, plus the flags the class grader recorded (see safegrade.export).
c.ExportApp.plugin_class = FlaggedCsvExport

# An assignment's percent-format source (source/NAME/NAME.py, see coursetools.release) is the
# instructor's, like the notebook made from it: it is not copied to release/.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.py"]
