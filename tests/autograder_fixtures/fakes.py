"""Fake submissions and temporary course directories for testing the autograder/ course.

Every fake submission is a real notebook built from the committed student
version (``autograder/release``) with its answer cells filled in from the
instructor's solution (``autograder/source``), then changed by one
:class:`Mistake`. Since they are rebuilt from the sources on every run, they
never go stale: when a solution changes so that a mistake no longer applies,
building it fails loudly.

Used by ``tests/test_autograder.py`` and ``tests/test_safegrade.py``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

# the temporary course directories and the nbgrader runner, shared with the benchmarks
from safegrade.testing import ASSIGNMENTS, COURSE, make_course, nbgrader, nbgrader_env, without_tests  # noqa: F401

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


# --- the parts of each assignment ---------------------------------------------------------------


def read(kind: str, assignment: str) -> nbformat.NotebookNode:
    """The ``source`` (instructor) or ``release`` (student) notebook of ``assignment``."""
    return nbformat.read(COURSE / kind / assignment / f"{assignment}.ipynb", as_version=4)


def grade_cells(assignment: str) -> dict[str, float]:
    """grade id -> points of every graded test cell, in notebook order."""
    return {
        c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points
        for c in read("source", assignment).cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }


def part_of(grade_id: str) -> str:
    """``test_pad_reflect_hidden`` -> ``pad_reflect``: the graded part a test cell belongs to."""
    return grade_id.removeprefix("test_").removesuffix("_visible").removesuffix("_hidden")


def parts(assignment: str) -> dict[str, float]:
    """graded part -> its points (visible + hidden test)."""
    out: dict[str, float] = {}
    for grade_id, points in grade_cells(assignment).items():
        out[part_of(grade_id)] = out.get(part_of(grade_id), 0) + points
    return out


def solutions(assignment: str) -> dict[str, str]:
    """answer cell grade id -> the instructor's solution code, markers removed."""
    return {
        c.metadata.nbgrader.grade_id: "\n".join(
            line for line in c.source.split("\n") if line.strip() not in SOLUTION_MARKERS
        )
        for c in read("source", assignment).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }


# --- fake submissions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mistake:
    """One change to a correct answer cell: replace ``old`` by ``new`` in it, or the whole cell if ``old`` is None."""

    answer: str
    new: str
    old: str | None = None

    def apply(self, source: str) -> str:
        if self.old is None:
            return self.new
        if self.old not in source:
            raise AssertionError(f"mistake for {self.answer!r} no longer applies: {self.old!r} is not in its solution")
        return source.replace(self.old, self.new)


@dataclass(frozen=True)
class Submission:
    """A fake student's notebook for one assignment, and the test cells it should fail."""

    student: str
    assignment: str
    mistakes: tuple[Mistake, ...] = ()
    blank: bool = False
    fails: tuple[str, ...] = field(default=())  # grade ids (or parts, meaning both their cells) that must score 0

    def notebook(self) -> nbformat.NotebookNode:
        nb = copy.deepcopy(read("release", self.assignment))
        if self.blank:
            return nb
        answers = solutions(self.assignment)
        for m in self.mistakes:
            answers[m.answer] = m.apply(answers[m.answer])
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = answers[grade_id]
        return nb

    def expected_scores(self) -> dict[str, float]:
        """grade id -> the exact score this submission must get."""
        cells = grade_cells(self.assignment)
        failing = {g for g in cells if self.blank or g in self.fails or part_of(g) in self.fails}
        return {g: (0.0 if g in failing else float(p)) for g, p in cells.items()}

    def write(self, course: Path) -> Path:
        path = course / "submitted" / self.student / self.assignment / f"{self.assignment}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(self.notebook(), path)
        return path


def _body(signature: str, *lines: str) -> str:
    return "\n".join([signature, *(f"    {line}" for line in lines)])


PADDING_MODES = [
    Submission("correct", "padding_modes"),
    Submission("blank", "padding_modes", blank=True),
    # One wrong mode each: loses that mode's visible and hidden points, nothing else.
    Submission(
        "wrong_constant",
        "padding_modes",
        fails=("pad_constant",),
        mistakes=(
            Mistake("pad_constant", old="value, dtype=x.dtype", new="0, dtype=x.dtype"),  # ignores `value`
        ),
    ),
    Submission(
        "wrong_reflect",
        "padding_modes",
        fails=("pad_reflect",),
        mistakes=(
            Mistake(
                "pad_reflect", old="np.arange(before, 0, -1)", new="np.arange(before - 1, -1, -1)"
            ),  # repeats the edge
        ),
    ),
    Submission(
        "wrong_symmetric",
        "padding_modes",
        fails=("pad_symmetric",),
        mistakes=(
            Mistake(
                "pad_symmetric", old="np.arange(n - 1, n - 1 - after, -1)", new="np.arange(n - 2, n - 2 - after, -1)"
            ),
        ),
    ),
    Submission(
        "wrong_replicate",
        "padding_modes",
        fails=("pad_replicate",),
        mistakes=(
            Mistake(
                "pad_replicate", old="for axis in range(x.ndim):", new="for axis in range(x.ndim)[-1:]:"
            ),  # last axis only
        ),
    ),
    Submission(
        "wrong_circular",
        "padding_modes",
        fails=("pad_circular",),
        mistakes=(
            Mistake(
                "pad_circular", old="np.arange(-before, n + after) % n", new="np.arange(before, n + before + after) % n"
            ),
        ),
    ),
    Submission(
        "wrong_causal",
        "padding_modes",
        fails=("pad_causal",),
        mistakes=(
            Mistake("pad_causal", old="out[before:] = x", new="out[:len(x)] = x"),  # zeros after, not before
        ),
    ),
    # Right values, wrong dtype: passes the visible test, loses only the hidden points.
    Submission(
        "float_constant",
        "padding_modes",
        fails=("test_pad_constant_hidden",),
        mistakes=(Mistake("pad_constant", old="value, dtype=x.dtype", new="value, dtype=float"),),
    ),
    # np.pad or padlib, under any name: loses those modes' points.
    Submission(
        "cheater",
        "padding_modes",
        fails=("pad_constant", "pad_reflect", "pad_symmetric", "pad_circular"),
        mistakes=(
            Mistake(
                "pad_constant",
                _body(
                    "def pad_constant(x, pad, value=0):",
                    'return getattr(np, "pa" + "d")(x, as_pair(pad), constant_values=value)',
                ),
            ),
            Mistake("pad_reflect", _body("def pad_reflect(x, pad):", 'return np.pad(x, as_pair(pad), mode="reflect")')),
            Mistake(
                "pad_symmetric",
                "from numpy import pad as extend\n\n\n"
                + _body("def pad_symmetric(x, pad):", 'return extend(x, as_pair(pad), mode="symmetric")'),
            ),
            Mistake(
                "pad_circular",
                "import padlib as helpers\n\n\n"
                + _body("def pad_circular(x, pad):", 'return helpers.pad(x, pad, "circular")'),
            ),
        ),
    ),
]

SHAPES_AND_STRIDE = [
    Submission("correct", "shapes_and_stride"),
    Submission("blank", "shapes_and_stride", blank=True),
    # One wrong padding name each: loses that name's points only (one function, four graded parts).
    Submission(
        "wrong_valid",
        "shapes_and_stride",
        fails=("padding_valid",),
        mistakes=(Mistake("padding_amounts", old="return (0, 0)", new="return 0"),),
    ),
    Submission(
        "wrong_full",
        "shapes_and_stride",
        fails=("padding_full",),
        mistakes=(
            Mistake(
                "padding_amounts",
                old="return (effective - 1, effective - 1)",
                new="return (kernel_size - 1, kernel_size - 1)",
            ),
        ),
    ),
    Submission(
        "wrong_causal",
        "shapes_and_stride",
        fails=("padding_causal",),
        mistakes=(Mistake("padding_amounts", old="return (effective - 1, 0)", new="return (0, effective - 1)"),),
    ),
    Submission(
        "wrong_same",
        "shapes_and_stride",
        fails=("padding_same",),
        mistakes=(
            Mistake(
                "padding_amounts",
                old="return (total // 2, total - total // 2)",
                new="return (total - total // 2, total // 2)",
            ),
        ),
    ),
    Submission(
        "wrong_output_size",
        "shapes_and_stride",
        fails=("output_size",),
        mistakes=(
            Mistake("output_size", old="// stride + 1", new="/ stride + 1"),  # a float
        ),
    ),
    Submission(
        "wrong_conv2d",
        "shapes_and_stride",
        fails=("conv2d",),
        mistakes=(
            Mistake("conv2d", old="* kernel)", new="* kernel[::-1, ::-1])"),  # flips the kernel: a true convolution
        ),
    ),
    Submission(
        "cheater",
        "shapes_and_stride",
        fails=("conv2d",),
        mistakes=(
            Mistake(
                "conv2d",
                _body(
                    'def conv2d(image, kernel, stride=1, padding="valid"):',
                    "return padlib.conv2d(image, kernel, stride=stride, padding=padding)",
                ),
            ),
        ),
    ),
]

TRANSPOSED_AND_RECEPTIVE = [
    Submission("correct", "transposed_and_receptive"),
    Submission("blank", "transposed_and_receptive", blank=True),
    Submission(
        "wrong_transposed_output_size",
        "transposed_and_receptive",
        fails=("transposed_output_size",),
        mistakes=(
            Mistake(
                "transposed_output_size", old="max(effective, stride)", new="effective"
            ),  # Keras's "valid" rule forgotten
        ),
    ),
    Submission(
        "wrong_conv_transpose2d",
        "transposed_and_receptive",
        fails=("conv_transpose2d",),
        mistakes=(
            Mistake(
                "conv_transpose2d", old="+= image[i, j] * kernel", new="= image[i, j] * kernel"
            ),  # overlapping stamps do not add up
        ),
    ),
    Submission(
        "wrong_receptive_field",
        "transposed_and_receptive",
        fails=("receptive_field",),
        mistakes=(
            Mistake(
                "receptive_field",
                old="start += ((effective - 1) / 2 - before) * jump",
                new="start += (effective - 1) / 2 - before",
            ),
        ),
    ),
    # The same output size and receptive field, but through padlib: those parts are lost.
    Submission(
        "cheater",
        "transposed_and_receptive",
        fails=("conv_transpose2d", "receptive_field"),
        mistakes=(
            Mistake(
                "conv_transpose2d",
                "from padlib import conv_transpose2d as upsample\n\n\n"
                + _body(
                    'def conv_transpose2d(image, kernel, stride=1, padding="valid", output_padding=None):',
                    "return upsample(image, kernel, stride=stride, padding=padding, output_padding=output_padding)",
                ),
            ),
            Mistake(
                "receptive_field",
                _body("def receptive_field(layers):", "return [tuple(r) for r in padlib.receptive_field(layers)]"),
            ),
        ),
    ),
]

SUBMISSIONS = {
    "padding_modes": PADDING_MODES,
    "shapes_and_stride": SHAPES_AND_STRIDE,
    "transposed_and_receptive": TRANSPOSED_AND_RECEPTIVE,
}
