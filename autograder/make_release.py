"""Generate the student versions in release/ from the instructor sources in source/, with nbgrader.

    python -m autograder.make_release           # regenerate release/ (and the gradebook's copy of the tests)
    python -m autograder.make_release --check   # regenerate into a temporary directory; fail if release/ is stale

(from the repository root; ``python autograder/make_release.py`` works too).

Run it after every edit of a source notebook and commit release/ with it. The
student versions are never edited by hand: this runs
``nbgrader generate_assignment ASSIGNMENT --force`` once per assignment, which
removes the solutions and hidden tests, clears outputs, locks the read-only
cells and records every test (hidden ones included) in gradebook.db for
autograding.
"""

from __future__ import annotations

import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

from safegrade import nbgrader_cli

HERE = Path(__file__).resolve().parent
ASSIGNMENTS = ("padding_modes", "shapes_and_stride", "transposed_and_receptive")


def nbgrader(*args: str, cwd: Path) -> None:
    """Run nbgrader (the one next to this Python); stop with its output if it fails."""
    try:
        nbgrader_cli.run(*args, cwd=cwd)
    except RuntimeError as e:
        sys.exit(str(e))


def generate(course: Path) -> None:
    """``nbgrader generate_assignment`` for every assignment of the course directory ``course``."""
    for assignment in ASSIGNMENTS:
        nbgrader("generate_assignment", assignment, "--force", cwd=course)


def stale_files(course: Path = HERE) -> list[str]:
    """Files of ``course``/release that differ from a fresh generation (missing and extra files included)."""
    with tempfile.TemporaryDirectory(prefix="padlib-release-") as tmp:
        fresh = Path(tmp)
        shutil.copy(course / "nbgrader_config.py", fresh)
        shutil.copytree(course / "source", fresh / "source")
        generate(fresh)
        committed, regenerated = _files(course / "release"), _files(fresh / "release")
        stale = sorted(committed ^ regenerated)
        stale += sorted(f for f in committed & regenerated
                        if not filecmp.cmp(course / "release" / f, fresh / "release" / f, shallow=False))
        return stale


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.is_dir() else set()


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        stale = stale_files()
        if stale:
            print("release/ is stale; run `python -m autograder.make_release` and commit autograder/release/:")
            print("\n".join(f"  {f}" for f in stale))
            return 1
        print("release/ is up to date")
        return 0
    if argv:
        print(__doc__)
        return 2
    generate(HERE)
    print(f"generated {', '.join(ASSIGNMENTS)} into {HERE / 'release'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
