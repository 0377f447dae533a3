"""numpy's own ``np.pad`` tests, ported to run against ``padlib.pad`` for the modes both have.

Source: numpy's ``numpy/lib/tests/test_arraypad.py`` (numpy is BSD-3-Clause licensed,
Copyright (c) 2005-2025 NumPy Developers). The cases below follow that file's classes
(TestConditionalShortcuts, TestConstant, TestReflect, TestSymmetric, TestWrap, TestEdge,
TestEmptyArray, TestPadWidth and the module-level tests of dtype, memory layout,
non-contiguous input, unsupported modes) and re-express them here, not copy them.

Adaptations, each applied to every case:

- Expected values come from running ``np.pad`` itself on the same input (numpy is installed
  and is our oracle), instead of numpy's literal arrays; each case still states its input.
- Mode names: numpy's ``'edge'`` and ``'wrap'`` are padlib aliases, used as they are; numpy's
  ``constant_values=c`` is padlib's ``value=c``.
- Only the modes padlib shares (constant, reflect, symmetric, edge, wrap). The statistic
  modes, ``linear_ramp`` and ``empty`` are numpy-only: padlib refuses them and names np.pad
  (``test_numpy_only_modes_are_refused_with_a_pointer_to_numpy``).
- Documented differences (``padlib.mode_table().notes`` and ``padlib.pad``'s docstring) are
  asserted as such, never skipped: padding past one period (numpy's "large pad" cases) is
  refused as in TensorFlow; ``reflect_type='odd'`` is refused; one fill value for every side
  (numpy's per-side ``constant_values`` pairs are not taken); a fill value the dtype cannot
  hold (numpy wraps or truncates) is refused; numpy's private ``_as_pairs`` tests become
  tests of the public ``pad_width`` forms.
"""

from __future__ import annotations

import numpy as np
import pytest

import padlib

SHARED = ["constant", "reflect", "symmetric", "edge", "wrap"]


def same_as_numpy(x, pad_width, mode, **kwargs):
    ours = {"value" if k == "constant_values" else k: v for k, v in kwargs.items()}
    expected = np.pad(x, pad_width, mode, **kwargs)
    got = padlib.pad(x, pad_width, mode, **ours)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    return got


def within_limits(x, pad_width, mode):
    """Whether every pad is within padlib's (TensorFlow's) per-mode limit, computed here from the registry."""
    x = np.asarray(x)
    if isinstance(pad_width, dict):
        pairs = np.zeros((x.ndim, 2), int)
        for axis, width in pad_width.items():
            pairs[axis] = width
    else:
        pairs = np.broadcast_to(np.asarray(pad_width), (x.ndim, 2))
    limit = padlib.MODES[{"edge": "replicate", "wrap": "circular"}.get(mode, mode)].limit
    return all(
        limit(n) is None or max(p) <= limit(n) for n, p in zip(x.shape, pairs, strict=True) if max(p) > 0 and n > 0
    )


def same_or_documented(x, pad_width, mode, **kwargs):
    """Equal to np.pad within the limits; past them, refused as documented (numpy repeats the pattern)."""
    if within_limits(x, pad_width, mode):
        return same_as_numpy(x, pad_width, mode, **kwargs)
    refused_past_one_period(x, pad_width, mode)
    return None


def refused_past_one_period(x, pad_width, mode):
    """A documented difference: numpy repeats the pattern, padlib refuses and says what numpy would do."""
    np.pad(x, pad_width, mode)  # numpy pads it
    with pytest.raises(ValueError, match="would repeat the pattern past one period"):
        padlib.pad(x, pad_width, mode)


# --- TestConditionalShortcuts / zero padding ------------------------------------------------


@pytest.mark.parametrize("mode", SHARED)
def test_zero_padding_shortcuts(mode):
    x = np.arange(120).reshape(4, 5, 6)
    got = same_as_numpy(x, [(0, 0)] * 3, mode)
    assert not np.shares_memory(got, x)


# --- TestConstant ---------------------------------------------------------------------------


class TestConstant:
    def test_check_constant(self):
        same_as_numpy(np.arange(100), (25, 20), "constant", constant_values=10)

    def test_check_constant_zeros(self):
        same_as_numpy(np.arange(100), (25, 20), "constant")

    def test_check_constant_float_into_float(self):
        same_as_numpy(np.arange(100, dtype=float), (25, 20), "constant", constant_values=-1.1)
        same_as_numpy(np.arange(100, dtype=np.float32), (25, 20), "constant", constant_values=-1.1)  # rounded as numpy

    def test_check_constant_float_into_int_is_refused(self):
        """numpy truncates -1.1 to -1 in an int array; padlib refuses (documented)."""
        assert np.pad(np.arange(100), (25, 20), "constant", constant_values=-1.1)[0] == -1
        with pytest.raises(ValueError, match="cannot hold a fraction"):
            padlib.pad(np.arange(100), (25, 20), "constant", value=-1.1)
        same_as_numpy(np.arange(100), (25, 20), "constant", constant_values=-1.0)  # an exact value is fine

    def test_check_constant_per_side_values_are_not_taken(self):
        """numpy's constant_values=(before, after) pairs: padlib takes one value (documented)."""
        np.pad(np.arange(100), (25, 20), "constant", constant_values=(10, 20))
        with pytest.raises(TypeError, match="value must be a number"):
            padlib.pad(np.arange(100), (25, 20), "constant", value=(10, 20))  # type: ignore[arg-type]  # deliberately wrong: the error is the point

    def test_check_constant_odd_pad_amount_2d(self):
        x = np.arange(30).reshape(5, 6)
        same_as_numpy(x, ((1,), (2,)), "constant", constant_values=3)

    def test_check_constant_pad_2d(self):
        x = np.arange(4).reshape(2, 2)
        same_as_numpy(x, ((3, 2), (1, 4)), "constant", constant_values=7)

    def test_check_large_integers(self):
        big = np.iinfo(np.int64).max
        x = np.full(5, big, dtype=np.int64)
        same_as_numpy(x, 1, "constant", constant_values=big)
        small = np.iinfo(np.int64).min
        same_as_numpy(np.full(5, small, dtype=np.int64), 1, "constant", constant_values=small)

    def test_check_object_array(self):
        x = np.empty(1, dtype=object)
        x[0] = object()
        got = same_as_numpy(x, 1, "constant")
        assert got[1] is x[0] and got[0] == 0

    def test_pad_empty_dimension(self):
        x = np.zeros((3, 0, 2))
        for pad_width in (((0,), (2,), (1,)), ((1,), (0,), (2,)), 2):
            same_as_numpy(x, pad_width, "constant")

    def test_constant_zero_default(self):
        assert padlib.pad(np.array([1, 1]), 2).tolist() == np.pad(np.array([1, 1]), 2).tolist() == [0, 0, 1, 1, 0, 0]

    def test_value_too_big_for_the_dtype_is_refused(self):
        """numpy wraps 300 into a uint8 array (to 44); padlib refuses (documented)."""
        assert np.pad(np.zeros(3, np.uint8), 1, constant_values=300)[0] == 44
        with pytest.raises(ValueError, match="out of the range of uint8"):
            padlib.pad(np.zeros(3, np.uint8), 1, value=300)


# --- TestReflect / TestSymmetric / TestWrap / TestEdge -----------------------------------


class TestReflect:
    def test_check_simple(self):
        same_as_numpy(np.arange(100), (25, 20), "reflect")

    def test_check_odd_method(self):
        np.pad(np.arange(100), (25, 20), "reflect", reflect_type="odd")
        with pytest.raises(ValueError, match="reflect_type='odd'"):
            padlib.pad(np.arange(100), (25, 20), "reflect", reflect_type="odd")
        same_as_numpy(np.arange(100), (25, 20), "reflect", reflect_type="even")

    def test_check_large_pad(self):
        refused_past_one_period([[4, 5, 6], [6, 7, 8]], (5, 7), "reflect")
        same_as_numpy(np.array([[4, 5, 6], [6, 7, 8]]), ((1, 1), (2, 2)), "reflect")  # within one period

    def test_check_shape(self):
        refused_past_one_period([[4, 5, 6]], (5, 7), "reflect")

    @pytest.mark.parametrize(
        "x, pad_width",
        [
            ([1, 2, 3], 2),
            ([1, 2, 3], 1),
            ([[1, 2, 3], [4, 5, 6]], ((1, 1), (2, 2))),
            (np.arange(24).reshape(2, 3, 4), 1),
        ],
    )
    def test_check_small(self, x, pad_width):
        same_as_numpy(np.array(x), pad_width, "reflect")

    def test_check_padding_an_empty_array(self):
        same_as_numpy(np.zeros((0, 3)), ((0, 0), (2, 2)), "reflect")

    def test_single_element_axis(self):
        """numpy pads a 1-element axis with reflect by repeating it; reflect has nothing to mirror (limit n - 1 = 0)."""
        np.pad(np.array([7]), 2, "reflect")
        with pytest.raises(ValueError, match="at most 0 on each side"):
            padlib.pad(np.array([7]), 2, "reflect")


class TestSymmetric:
    def test_check_simple(self):
        same_as_numpy(np.arange(100), (25, 20), "symmetric")

    def test_check_odd_method(self):
        with pytest.raises(ValueError, match="reflect_type='odd'"):
            padlib.pad(np.arange(100), (25, 20), "symmetric", reflect_type="odd")

    def test_check_large_pad(self):
        refused_past_one_period([[4, 5, 6], [6, 7, 8]], (5, 7), "symmetric")
        same_as_numpy(np.array([[4, 5, 6], [6, 7, 8]]), ((2, 2), (3, 3)), "symmetric")

    def test_check_large_pad_odd(self):
        with pytest.raises(ValueError):
            padlib.pad([[4, 5, 6], [6, 7, 8]], (5, 7), "symmetric", reflect_type="odd")

    @pytest.mark.parametrize(
        "x, pad_width",
        [
            ([1, 2, 3], 2),
            ([1, 2, 3], 3),
            ([[1, 2, 3], [4, 5, 6]], ((2, 2), (3, 3))),
            (np.arange(24).reshape(2, 3, 4), 2),
        ],
    )
    def test_check_small(self, x, pad_width):
        same_as_numpy(np.array(x), pad_width, "symmetric")


class TestWrap:
    def test_check_simple(self):
        same_as_numpy(np.arange(120), (20, 20), "wrap")

    def test_check_large_pad(self):
        refused_past_one_period(np.arange(12).reshape(3, 4), (10, 11), "wrap")
        same_as_numpy(np.arange(12).reshape(3, 4), ((3, 3), (4, 4)), "wrap")  # exactly one period

    def test_check_01(self):
        same_as_numpy(np.array([1, 2, 3]), 3, "wrap")

    def test_check_02(self):
        refused_past_one_period(np.array([1, 2, 3]), 4, "wrap")

    def test_pad_with_zero(self):
        refused_past_one_period(np.ones((3, 5)), (0, 5), "wrap")  # 5 cells onto an axis of 3
        same_as_numpy(np.ones((3, 5)), ((0, 3), (0, 5)), "wrap")

    def test_repeated_wrapping_is_refused(self):
        """numpy wraps more than one period (e.g. 12 cells onto 5); padlib stops at one, like PyTorch."""
        refused_past_one_period(np.arange(5), (12, 0), "wrap")
        same_as_numpy(np.arange(5), (5, 5), "wrap")


class TestEdge:
    def test_check_simple(self):
        same_as_numpy(np.arange(12).reshape(4, 3), ((2, 3), (3, 2)), "edge")

    def test_check_width_shape_1_2(self):
        same_as_numpy(np.array([1, 2, 3]), ((1, 2),), "edge")
        same_as_numpy(np.array([[1, 2, 3], [4, 5, 6]]), ((1, 2),), "edge")
        same_as_numpy(np.arange(24).reshape(2, 3, 4), ((1, 2),), "edge")

    def test_large_pad_is_fine(self):
        same_as_numpy(np.array([5, 6]), 40, "edge")  # edge has no limit


# --- TestEmptyArray ------------------------------------------------------------------------


class TestEmptyArray:
    @pytest.mark.parametrize("mode", ["reflect", "symmetric", "edge", "wrap"])
    def test_pad_empty_dimension_refused_as_numpy_does(self, mode):
        with pytest.raises(ValueError, match="can't extend empty axis"):
            np.pad(np.zeros((3, 0, 2)), ((0,), (2,), (1,)), mode)
        with pytest.raises(ValueError, match=r"axis 1 is empty \(length 0\)"):
            padlib.pad(np.zeros((3, 0, 2)), ((0,), (2,), (1,)), mode)

    @pytest.mark.parametrize("mode", SHARED)
    def test_pad_non_empty_dimension(self, mode):
        same_or_documented(np.zeros((3, 0, 2)), ((3,), (0,), (1,)), mode)


# --- TestPadWidth (and numpy's _as_pairs tests, through the public pad_width forms) ------------


class TestPadWidth:
    @pytest.mark.parametrize(
        "pad_width", [(4, 5, 6, 7), ((1,), (2,), (3,)), ((1, 2), (3, 4), (5, 6)), ((3, 4, 5), (0, 1, 2))]
    )
    @pytest.mark.parametrize("mode", SHARED)
    def test_misshaped_pad_width(self, pad_width, mode):
        x = np.arange(30).reshape(5, 6)
        with pytest.raises(ValueError):
            np.pad(x, pad_width, mode)
        with pytest.raises(ValueError):
            padlib.pad(x, pad_width, mode)

    @pytest.mark.parametrize("mode", SHARED)
    def test_misshaped_pad_width_2(self, mode):
        x = np.arange(30).reshape(5, 6)
        with pytest.raises(ValueError):
            np.pad(x, (((3,), (4,), (5,)), ((0,), (1,), (2,))), mode)
        with pytest.raises(ValueError):
            padlib.pad(x, (((3,), (4,), (5,)), ((0,), (1,), (2,))), mode)  # type: ignore[arg-type]  # deliberately wrong: the error is the point

    @pytest.mark.parametrize("pad_width", [-2, (-2,), (3, -1), ((5, 2), (-2, 3)), ((-4,), (2,))])
    @pytest.mark.parametrize("mode", SHARED)
    def test_negative_pad_width(self, pad_width, mode):
        x = np.arange(30).reshape(5, 6)
        with pytest.raises(ValueError, match="negative values"):
            np.pad(x, pad_width, mode)
        with pytest.raises(ValueError, match="must be an integer >= 0"):
            padlib.pad(x, pad_width, mode)

    @pytest.mark.parametrize(
        "pad_width", ["3", "word", None, 3.4, complex(1, -1), ((-2.1, 3), (3, 2)), np.array([[2.1, 3], [3, 2]])]
    )
    @pytest.mark.parametrize("mode", SHARED)
    def test_bad_type(self, pad_width, mode):
        x = np.arange(30).reshape(5, 6)
        with pytest.raises(TypeError):
            np.pad(x, pad_width, mode)
        with pytest.raises(TypeError, match="pad_width must be an integer"):
            padlib.pad(x, pad_width, mode)

    @pytest.mark.parametrize(
        "pad_width",
        [((1, 2), (3, 4)), [[1, 2], [3, 4]], np.array([[1, 2], [3, 4]]), ((2,), (3,)), [[3]], [3], 3, [3, 4], [[3, 4]]],
    )
    @pytest.mark.parametrize("mode", SHARED)
    def test_pad_width_as_ndarray_and_every_broadcastable_form(self, pad_width, mode):
        same_or_documented(np.arange(12).reshape(4, 3), pad_width, mode)
        same_as_numpy(np.arange(50).reshape(10, 5), pad_width, mode)  # long enough for every mode

    @pytest.mark.parametrize("pad_width", [{0: (1, 2)}, {1: 2}, {-1: (0, 3)}, {0: 1, 1: (2, 0)}])
    @pytest.mark.parametrize("mode", SHARED)
    def test_dict_pad_width(self, pad_width, mode):
        same_or_documented(np.arange(12).reshape(4, 3), pad_width, mode)

    @pytest.mark.parametrize("mode", SHARED)
    def test_zero_pad_width(self, mode):
        x = np.arange(30).reshape(6, 5)
        for pad_width in (0, (0, 0), ((0, 0), (0, 0))):
            same_as_numpy(x, pad_width, mode)

    def test_as_pairs_too_many_dimensions(self):
        with pytest.raises(ValueError):
            np.pad(np.arange(4), [[[3]]])
        with pytest.raises(ValueError):
            padlib.pad(np.arange(4), [[[3]]])  # type: ignore[arg-type]  # deliberately wrong: the error is the point


# --- module-level tests of numpy's file ------------------------------------------------------


@pytest.mark.parametrize("mode", SHARED)
def test_legacy_vector_functionality_is_not_a_mode(mode):
    """numpy takes a function as ``mode``; padlib's modes are names only."""
    with pytest.raises(ValueError, match="is not supported"):
        padlib.pad(np.arange(4), 1, lambda vector, pad, axis, kwargs: None)  # type: ignore[arg-type]  # deliberately wrong: the error is the point


def test_unicode_mode():
    same_as_numpy(np.array([1]), 1, "constant")


@pytest.mark.parametrize("mode", ["mean", "median", "maximum", "minimum", "linear_ramp", "empty"])
def test_numpy_only_modes_are_refused_with_a_pointer_to_numpy(mode):
    np.pad(np.arange(4.0), 1, mode)
    with pytest.raises(
        ValueError, match=rf"mode '{mode}' is a numpy-only mode .* use np.pad\(x, pad_width, mode='{mode}'\)"
    ):
        padlib.pad(np.arange(4.0), 1, mode)


@pytest.mark.parametrize("mode", ["mirror", "", "CONSTANT"])
def test_unsupported_mode(mode):
    with pytest.raises(ValueError, match="is not supported"):
        np.pad(np.arange(4), 1, mode)
    with pytest.raises(ValueError, match="is not supported"):
        padlib.pad(np.arange(4), 1, mode)


@pytest.mark.parametrize("mode", SHARED)
def test_object_input(mode):
    x = np.full((4, 3), None)
    same_or_documented(x, ((2, 3), (3, 2)), mode)
    same_as_numpy(x, ((2, 3), (2, 2)), mode)


@pytest.mark.parametrize("mode", SHARED)
@pytest.mark.parametrize("shape", [(3, 4, 5), (40, 30, 25)])
def test_memory_layout_persistence(mode, shape):
    x = np.ones(shape, order="F")
    assert padlib.pad(x, 2 if mode != "reflect" else 1, mode).flags.f_contiguous
    assert padlib.pad(np.ones(shape, order="C"), 1, mode).flags.c_contiguous
    same_as_numpy(x, 1, mode)


@pytest.mark.parametrize("mode", SHARED)
@pytest.mark.parametrize(
    "dtype",
    [np.int8, np.uint16, np.int64, np.float16, np.float32, np.float64, np.complex64, np.complex128, np.bool_, object],
)
def test_dtype_persistence(dtype, mode):
    x = np.zeros((3, 2, 1), dtype=dtype)
    assert padlib.pad(x, 1, mode if mode != "reflect" else "symmetric").dtype == dtype
    same_or_documented(x, 1, mode)  # reflect cannot pad the 1-cell axis (limit n - 1 = 0)
    assert same_as_numpy(np.zeros((3, 2, 2), dtype=dtype), 1, mode).dtype == dtype


@pytest.mark.parametrize("mode", SHARED)
def test_non_contiguous_array(mode):
    x = np.arange(24).reshape(4, 6)[::2, ::2]
    same_or_documented(x, (2, 3), mode)
    same_as_numpy(x, 1, mode)


@pytest.mark.parametrize("mode", SHARED)
def test_from_list_and_scalar_input(mode):
    same_as_numpy([1, 2, 3], 1, mode)
    same_as_numpy(np.array(5.0), 0, mode)
