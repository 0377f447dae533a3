#!/usr/bin/env python3
"""Same as ``safegrade grade ARGS``: kept for instructors used to ``python autograder/grade_class.py ASSIGNMENT``."""

import sys

from safegrade.cli import main

if __name__ == "__main__":
    sys.exit(main(["grade", *sys.argv[1:]]))
