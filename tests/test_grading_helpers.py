"""safegrade.checks, .cases and .feedback: the messages students read and the rule checks the autograder relies on."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest
from safegrade import cases, feedback
from safegrade import checks as grading

import padlib

NOT_ALLOWED = (np.pad, padlib)


def by_indexing(x, pad):
    index = np.clip(np.arange(-pad, len(x) + pad), 0, len(x) - 1)
    return x[index]


# --- messages ------------------------------------------------------------------------------------


def test_wrong_values_message_shows_input_expected_and_returned_side_by_side():
    x = np.array([1, 2, 3])
    with pytest.raises(AssertionError) as err:
        grading.check(lambda x, pad: x[[0, 0, 1, 2, 2]], (x, 1), np.array([0, 1, 2, 3, 0]))
    lines = str(err.value).splitlines()
    assert (
        lines[0]
        == "<lambda>(x, pad=1) returned the wrong values; first difference at index (0,): expected 0, you returned 1"
    )
    assert lines[1].split("|") == [
        "  x (shape (3,), int64):   ",
        "   expected (shape (5,), int64):   ",
        "   you returned (shape (5,), int64):",
    ]
    assert lines[2].split("|") == [
        "  [1 2 3]                  ",
        "   [0 1 2 3 0]                     ",
        "   [1 1 2 3 3]",
    ]


def test_two_dimensional_arrays_stay_aligned():
    expected = np.arange(6).reshape(2, 3)
    with pytest.raises(AssertionError, match="first difference at index \\(1, 2\\)") as err:
        grading.assert_array_matches(np.array([[0, 1, 2], [3, 4, 9]]), expected, "f(x)")
    body = str(err.value).splitlines()[1:]
    assert body == [
        "  expected (shape (2, 3), int64):   |   you returned (shape (2, 3), int64):",
        "  [[0 1 2]                          |   [[0 1 2]",
        "   [3 4 5]]                         |    [3 4 9]]",
    ]


@pytest.mark.parametrize(
    ("returned", "match"),
    [
        ([0, 1, 0], "must return a numpy array; it returned a list"),
        (np.zeros(4, dtype=np.int64), r"wrong shape: expected \(3,\), you returned \(4,\)"),
        (np.array([0.0, 1.0, 0.0]), "wrong dtype: expected int64 \\(the input's dtype\\), you returned float64"),
    ],
)
def test_wrong_type_shape_and_dtype_are_named(returned, match):
    with pytest.raises(AssertionError, match=match):
        grading.assert_array_matches(returned, np.array([0, 1, 0]), "f(x)")


def test_dtype_check_can_be_relaxed_and_nan_matches_nan():
    grading.assert_array_matches(np.array([0.0, 1.0]), np.array([0, 1]), check_dtype=False)
    grading.assert_array_matches(np.array([np.nan, 1.0]), np.array([np.nan, 1.0]))
    with pytest.raises(AssertionError):
        grading.assert_array_matches(np.array([np.nan, 1.0]), np.array([0.0, 1.0]))


def test_tolerance_only_when_asked():
    grading.assert_array_matches(np.array([0.1 + 0.2]), np.array([0.3]), atol=1e-12)
    with pytest.raises(AssertionError):
        grading.assert_array_matches(np.array([0.1 + 0.2]), np.array([0.3]))


@pytest.mark.parametrize(
    ("returned", "expected", "match"),
    [
        (3.0, 3, r"must return an int; it returned 3.0 \(float\)"),
        (4, 3, "returned 4; expected 3"),
        (True, 1, "must return an int"),
        ([1, 2], (1, 1), r"returned \(1, 2\); expected \(1, 1\)"),
        (3, (1, 2), "must return a tuple of 2 ints"),
        ((1.0, 2.0), (1, 2), "must return a tuple of 2 ints"),
    ],
)
def test_value_mismatches(returned, expected, match):
    with pytest.raises(AssertionError, match=match):
        grading.assert_value_matches(returned, expected, "g(8, 3)")


def test_values_that_match():
    grading.assert_value_matches(np.int64(3), 3)
    grading.assert_value_matches([1, 2], (1, 2))


def test_check_fails_when_the_input_is_modified():
    def in_place(x, pad):
        x[0] = 99
        return by_indexing(x, pad)

    x = np.array([1, 2, 3])
    with pytest.raises(AssertionError, match="modified its input x"):
        grading.check(in_place, (x, 1), by_indexing(np.array([1, 2, 3]), 1))


# --- forbidden functions -------------------------------------------------------------------------


def test_indexing_is_allowed():
    x = np.array([1, 2, 3])
    grading.check(by_indexing, (x, 2), padlib.pad(x, 2, "replicate"), forbidden=NOT_ALLOWED)


def _cheats():
    from numpy import pad as extend

    import padlib as helpers

    def direct(x, pad):
        return np.pad(x, pad, mode="edge")

    def alias(x, pad):
        return extend(x, pad, mode="edge")

    def by_getattr(x, pad):
        return getattr(np, "pa" + "d")(x, pad, mode="edge")

    def through_padlib(x, pad):
        return helpers.pad(x, pad, "replicate")

    def through_padlib_function(x, pad):
        return padlib.pad(x, pad, "edge")

    def helper(x, pad):
        return direct(x, pad)

    def default_argument(x, pad, f=np.pad):
        return f(x, pad, mode="edge")

    return [direct, alias, by_getattr, through_padlib, through_padlib_function, helper, default_argument]


@pytest.mark.parametrize("cheat", _cheats(), ids=lambda f: f.__name__)
def test_forbidden_functions_are_caught_under_any_name(cheat):
    x = np.array([1, 2, 3])
    with pytest.raises(AssertionError, match="which this exercise forbids"):
        grading.check(cheat, (x, 1), padlib.pad(x, 1, "replicate"), forbidden=NOT_ALLOWED)


@pytest.mark.parametrize("cheat", _cheats(), ids=lambda f: f.__name__)
def test_runtime_guard_alone_catches_every_call(cheat):
    """The sys.setprofile guard does not rely on names at all."""
    with pytest.raises(AssertionError, match=r"called (np\.pad|padlib)"):
        with grading.forbid(*NOT_ALLOWED, call="cheat(x)"):
            cheat(np.array([1, 2, 3]), 1)


def test_static_check_finds_aliases_even_in_branches_not_run():
    from numpy import pad as extend

    def sometimes(x, pad):
        if pad > 100:
            return extend(x, pad)
        return by_indexing(x, pad)

    assert grading.forbidden_references(sometimes, *NOT_ALLOWED) == ["np.pad"]
    assert grading.forbidden_references(by_indexing, *NOT_ALLOWED) == []


def test_guard_restores_a_previous_profiler_and_allows_the_reference_outside():
    calls = []

    def outer(frame, event, arg):
        calls.append(event)

    sys.setprofile(outer)
    try:
        with grading.forbid(*NOT_ALLOWED):
            by_indexing(np.array([1, 2]), 1)
        assert sys.getprofile() is outer
    finally:
        sys.setprofile(None)
    padlib.pad(np.array([1, 2]), 1)  # not watched any more


def test_only_the_named_padlib_function_is_forbidden_when_a_function_is_given():
    def uses_amounts(n):
        return padlib.padding_amounts(n, 3, padding="same")

    with grading.forbid(padlib.output_size):
        uses_amounts(5)
    with pytest.raises(AssertionError, match="padlib._shapes.padding_amounts"):
        with grading.forbid(padlib.padding_amounts):
            uses_amounts(5)


def test_reference_helpers_swaps_and_restores():
    ns = {"f": "student"}
    with pytest.raises(RuntimeError):
        with grading.reference_helpers(ns, f="reference", g="new"):
            assert ns == {"f": "reference", "g": "new"}
            raise RuntimeError
    assert ns == {"f": "student"}


# --- random cases and feedback -------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(padlib.MODES))
def test_random_cases_stay_within_each_modes_limit_and_cover_edge_cases(mode):
    found = cases.random_pad_cases(mode, 200, seed=1)
    assert len(found) == 200
    for x, pad in found:
        padlib.pad(x, pad, mode)  # raises if a case were outside the mode's limit
    assert any(x.ndim == 1 for x, _ in found) and any(x.ndim == 2 and x.shape[0] != x.shape[1] for x, _ in found)
    assert any(1 in x.shape for x, _ in found)
    assert any(pad in (0, (0, 0)) for _, pad in found)
    assert {x.dtype.kind for x, _ in found} >= {"i", "u", "f"}
    assert [(x.tolist(), p) for x, p in found[:5]] == [
        (x.tolist(), p) for x, p in cases.random_pad_cases(mode, 5, seed=1)
    ]


def test_hide_hidden_tests_keeps_docstring_and_message_only():
    nb: dict[str, Any] = {
        "cells": [
            {"cell_type": "markdown", "source": "### BEGIN HIDDEN TESTS is just text here"},
            {
                "cell_type": "code",
                "source": "visible()",
                "outputs": [{"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["a", "b"]}],
            },
            {
                "cell_type": "code",
                "source": [
                    '"""f, hidden tests: ..."""\n',
                    "sample()\n",
                    "### BEGIN HIDDEN TESTS\n",
                    "secret_case()\n",
                    "### END HIDDEN TESTS",
                ],
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": "hi"},
                    {
                        "output_type": "error",
                        "ename": "AssertionError",
                        "evalue": "f(x) returned ...",
                        "traceback": ["secret_case()", "x"],
                    },
                ],
            },
        ]
    }
    assert feedback.hide_hidden_tests(nb) == 1
    visible, hidden = nb["cells"][1], nb["cells"][2]
    assert visible["outputs"][0]["traceback"] == ["a", "b"]
    assert hidden["source"] == '"""f, hidden tests: ..."""\nsample()\n# (hidden tests, run by the grader)'
    assert hidden["outputs"][1]["traceback"] == ["AssertionError: f(x) returned ..."]
    assert "secret" not in repr(hidden)


# --- the picture of a failed array check -------------------------------------------------------------


def test_picture_is_a_png_of_expected_and_returned():
    png = grading.picture(np.array([[1, 2], [3, 4]]), np.array([[1, 2], [3, 5]]))
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000


def test_passing_and_failing_checks_outside_a_kernel_import_no_matplotlib():
    """The checks stay fast: matplotlib is imported only to draw a failure in a Jupyter kernel."""
    code = (
        "import sys, numpy as np\n"
        "from safegrade import checks\n"
        "checks.check(lambda x: x[::-1], (np.arange(3),), np.array([2, 1, 0]))\n"
        "try:\n"
        "    checks.assert_array_matches(np.array([1, 2]), np.array([1, 3]))\n"
        "except AssertionError:\n"
        "    pass\n"
        "print(sorted(m for m in ('matplotlib', 'IPython', 'padlib.plot') if m in sys.modules))\n"
    )
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


@pytest.mark.parametrize(
    ("returned", "expected", "match"),
    [
        ([(3, 1, 0.0)], [(3, 1, 0.0), (5, 1, 0.0)], "returned 1 records; expected 2"),
        (
            [(3, 1, 0.0), (5, 2, 1.0)],
            [(3, 1, 0.0), (5, 2, 0.5)],
            r"\(layers\) \(record 1\) returned \(5, 2, 1.0\); expected \(5, 2, 0.5\)",
        ),
        (
            [(3.0, 1, 0.0)],
            [(3, 1, 0.0)],
            r"\(record 0\) must return a tuple of \(int, int, number\); it returned \(3.0, 1, 0.0\)",
        ),
        (5, [(3, 1, 0.0)], r"must return a list of 1 records; it returned 5 \(int\)"),
    ],
)
def test_record_mismatches(returned, expected, match):
    with pytest.raises(AssertionError, match=match):
        grading.assert_value_matches(returned, expected, "receptive_field(layers)")


def test_records_that_match():
    grading.assert_value_matches([(3, 1, 0), (5, 2, 0.5)], [(3, 1, 0.0), (5, 2, 0.5)])
    grading.assert_value_matches([padlib.ReceptiveField(3, 1, 0.0)], [(3, 1, 0.0)])
    grading.assert_value_matches([], [])
