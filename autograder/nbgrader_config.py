"""nbgrader configuration of the Padding & Stride course. Run nbgrader from this directory.

Every path is relative to this directory: source/, release/, submitted/,
autograded/, feedback/ and gradebook.db live here; the local exchange is
./exchange (created on first use) unless --Exchange.root says otherwise (see README.md).
"""

from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader.preprocessors import GetGrades
from traitlets import Bool

from safegrade.checks import hide_hidden_tests

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
