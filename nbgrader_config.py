"""nbgrader, started from the repository root: the course directory is autograder/.

`python3 dev.py course` (and `python3 dev.py instructor`) start JupyterLab here, so the formgrader
and nbgrader's JupyterLab extensions read this file. It only says where the course is and loads the
course's own configuration (autograder/nbgrader_config.py: course id, exchange, feedback step); the
gradebook, submissions and exchange stay in autograder/.
"""

from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

COURSE = Path(__file__).resolve().parent / "autograder"
c.CourseDirectory.root = str(COURSE)
load_subconfig(str(COURSE / "nbgrader_config.py"))  # noqa: F821 (provided by traitlets too)
