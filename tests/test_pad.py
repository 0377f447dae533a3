"""padlib.pad: registry-driven properties, literal arrays per mode, numpy and TensorFlow as oracles, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import padlib

ALL_MODES = list(padlib.MODES)
NUMPY_NAME = {"constant": "constant", "reflect": "reflect", "symmetric": "symmetric", "replicate": "edge", "circular": "wrap"}
TF_NAME = {"constant": "CONSTANT", "reflect": "REFLECT", "symmetric": "SYMMETRIC"}


def max_pad(mode, n):
    limit = padlib.MODES[mode].limit(n)
    return 3 if limit is None else min(limit, 3)


# --- the registry -------------------------------------------------------------------------


def test_registry_names_every_mode_in_every_library():
    assert ALL_MODES == ["constant", "reflect", "symmetric", "replicate", "circular"]
    for m in padlib.MODES.values():
        for library in ("numpy", "tensorflow", "pytorch", "keras"):
            assert hasattr(m, library)
    # The facts the course teaches from this table:
    assert padlib.MODES["replicate"].numpy == "np.pad(mode='edge')"
    assert padlib.MODES["symmetric"].pytorch is None
    assert padlib.MODES["circular"].tensorflow is None and padlib.MODES["replicate"].tensorflow is None
    assert all(padlib.MODES[m].keras is None for m in ("reflect", "symmetric", "replicate", "circular"))


def test_registry_is_read_only():
    with pytest.raises(TypeError):
        padlib.MODES["mirror"] = padlib.MODES["reflect"]


def test_each_mode_example_matches_pad():
    """The example string each record carries is what pad produces."""
    for name, m in padlib.MODES.items():
        left, middle, right = (part.split() for part in m.example.split("->")[1].split("|"))
        assert padlib.pad(np.array([1, 2, 3]), 2, name).tolist() == [int(v) for v in left + middle + right]


def test_aliases_are_the_same_mode():
    x = np.arange(12).reshape(3, 4)
    for alias, name in (("zeros", "constant"), ("edge", "replicate"), ("wrap", "circular")):
        np.testing.assert_array_equal(padlib.pad(x, 1, alias), padlib.pad(x, 1, name))


# --- properties every mode shares (driven by the registry) ------------------------------


@pytest.mark.parametrize("mode", ALL_MODES)
@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.float32, np.float64, np.complex64, np.bool_])
def test_dtype_is_kept(mode, dtype):
    x = (np.arange(12) % 2).reshape(3, 4).astype(dtype)
    assert padlib.pad(x, 1, mode).dtype == dtype


@pytest.mark.parametrize("mode", ALL_MODES)
def test_input_is_not_mutated_and_result_is_a_copy(mode):
    x = np.arange(12.0).reshape(3, 4)
    before = x.copy()
    out = padlib.pad(x, 0, mode)
    assert not np.shares_memory(out, x)
    out[...] = -1
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("mode", ALL_MODES)
def test_non_contiguous_input(mode):
    base = np.arange(60.0).reshape(6, 10)
    view = base[::2, ::-3]
    np.testing.assert_array_equal(padlib.pad(view, 1, mode), np.pad(view, 1, NUMPY_NAME[mode]))


@pytest.mark.parametrize("mode", ALL_MODES)
def test_center_is_the_input(mode):
    x = np.random.default_rng(0).integers(0, 9, size=(4, 5, 3))
    out = padlib.pad(x, ((1, 2), (2, 1)), mode, axes=(0, 1))
    np.testing.assert_array_equal(out[1:5, 2:7], x)


@pytest.mark.parametrize("mode", ALL_MODES)
def test_axes_pads_only_the_spatial_axes_of_a_batch(mode):
    batch = np.random.default_rng(1).normal(size=(2, 4, 5, 3))
    out = padlib.pad(batch, ((1, 0), (2, 2)), mode, axes=(1, 2))
    assert out.shape == (2, 5, 9, 3)
    expected = np.pad(batch, ((0, 0), (1, 0), (2, 2), (0, 0)), NUMPY_NAME[mode])
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(padlib.pad(batch, ((1, 0), (2, 2)), mode, axes=(-3, -2)), expected)


# --- literal expected arrays, one class per mode (as numpy's own tests) ------------------


class TestConstant:
    def test_1d(self):
        assert padlib.pad(np.array([1, 2, 3]), (1, 2)).tolist() == [0, 1, 2, 3, 0, 0]

    def test_value(self):
        assert padlib.pad(np.array([1.5, 2.5]), 1, "constant", value=-1).tolist() == [-1, 1.5, 2.5, -1]

    def test_2d_corners(self):
        assert padlib.pad(np.array([[1, 2], [3, 4]]), 1, value=9).tolist() == [
            [9, 9, 9, 9],
            [9, 1, 2, 9],
            [9, 3, 4, 9],
            [9, 9, 9, 9],
        ]

    def test_empty_axis_can_be_padded(self):
        assert padlib.pad(np.zeros((0, 2)), 1).shape == (2, 4)


class TestReflect:
    def test_1d(self):
        assert padlib.pad(np.array([1, 2, 3, 4]), (3, 2), "reflect").tolist() == [4, 3, 2, 1, 2, 3, 4, 3, 2]

    def test_2d_the_seed_example(self):
        # A row [3, 5, 1]: reflecting past the right edge gives 5, then 3; past the left edge 5, then 1.
        out = padlib.pad(np.array([[3, 5, 1]]), ((0, 0), (2, 2)), "reflect")
        assert out.tolist() == [[1, 5, 3, 5, 1, 5, 3]]

    def test_2d_corners(self):
        assert padlib.pad(np.array([[1, 2], [3, 4]]), 1, "reflect").tolist() == [
            [4, 3, 4, 3],
            [2, 1, 2, 1],
            [4, 3, 4, 3],
            [2, 1, 2, 1],
        ]


class TestSymmetric:
    def test_1d(self):
        assert padlib.pad(np.array([1, 2, 3]), (3, 1), "symmetric").tolist() == [3, 2, 1, 1, 2, 3, 3]

    def test_the_row_seed_000_calls_replication(self):
        # Seed 000 pads [3, 5, 1] on the right with 1, 5 and calls it "replication": it is symmetric.
        assert padlib.pad(np.array([3, 5, 1]), (0, 2), "symmetric").tolist() == [3, 5, 1, 1, 5]
        assert padlib.pad(np.array([3, 5, 1]), (0, 2), "replicate").tolist() == [3, 5, 1, 1, 1]

    def test_one_element_axis(self):
        assert padlib.pad(np.array([7]), 1, "symmetric").tolist() == [7, 7, 7]


class TestReplicate:
    def test_1d(self):
        assert padlib.pad(np.array([1, 2, 3]), (2, 4), "replicate").tolist() == [1, 1, 1, 2, 3, 3, 3, 3, 3]

    def test_2d_corners_take_the_corner_value(self):
        assert padlib.pad(np.array([[1, 2], [3, 4]]), 1, "edge").tolist() == [
            [1, 1, 2, 2],
            [1, 1, 2, 2],
            [3, 3, 4, 4],
            [3, 3, 4, 4],
        ]

    def test_unlimited_pad(self):
        assert padlib.pad(np.array([5]), 4, "replicate").tolist() == [5] * 9


class TestCircular:
    def test_1d(self):
        assert padlib.pad(np.array([1, 2, 3, 4]), (2, 3), "circular").tolist() == [3, 4, 1, 2, 3, 4, 1, 2, 3]

    def test_full_period(self):
        assert padlib.pad(np.array([1, 2]), 2, "wrap").tolist() == [1, 2, 1, 2, 1, 2]

    def test_2d_corners_wrap_diagonally(self):
        assert padlib.pad(np.array([[1, 2], [3, 4]]), 1, "circular").tolist() == [
            [4, 3, 4, 3],
            [2, 1, 2, 1],
            [4, 3, 4, 3],
            [2, 1, 2, 1],
        ]


# --- numpy and TensorFlow as independent oracles (property-based) ------------------------


@st.composite
def array_mode_and_pads(draw, modes=ALL_MODES, max_dims=3):
    mode = draw(st.sampled_from(modes))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=max_dims, min_side=1, max_side=6))
    x = draw(hnp.arrays(np.int32, shape, elements=st.integers(-50, 50)))
    pads = tuple((draw(st.integers(0, max_pad(mode, n))), draw(st.integers(0, max_pad(mode, n)))) for n in shape)
    return x, mode, pads


@settings(max_examples=300, deadline=None)
@given(array_mode_and_pads())
def test_matches_numpy_pad(case):
    x, mode, pads = case
    np.testing.assert_array_equal(padlib.pad(x, pads, mode), np.pad(x, pads, NUMPY_NAME[mode]))


@settings(max_examples=60, deadline=None)
@given(array_mode_and_pads(modes=list(TF_NAME)))
def test_matches_tf_pad(tf, case):
    x, mode, pads = case
    np.testing.assert_array_equal(padlib.pad(x, pads, mode), tf.pad(x, pads, mode=TF_NAME[mode]).numpy())


@pytest.mark.parametrize("mode", ["reflect", "symmetric"])
def test_tensorflow_limits_are_ours(tf, mode):
    """At the limit both succeed; one past it TensorFlow refuses, and so do we."""
    x = np.arange(4)
    limit = padlib.MODES[mode].limit(4)
    np.testing.assert_array_equal(padlib.pad(x, limit, mode), tf.pad(x, [[limit, limit]], mode=TF_NAME[mode]).numpy())
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.pad(x, [[limit + 1, 0]], mode=TF_NAME[mode])
    with pytest.raises(ValueError, match="too large"):
        padlib.pad(x, (limit + 1, 0), mode)


# --- pad_width forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pad_width, expected",
    [
        (1, ((1, 1), (1, 1))),
        ((1,), ((1, 1), (1, 1))),
        ((1, 2), ((1, 2), (1, 2))),
        (((1, 2),), ((1, 2), (1, 2))),
        (((1, 2), (0, 3)), ((1, 2), (0, 3))),
        (np.array([[1, 2], [0, 3]]), ((1, 2), (0, 3))),
        ((np.int64(1), np.int8(2)), ((1, 2), (1, 2))),
    ],
)
def test_pad_width_forms_read_like_numpy(pad_width, expected):
    x = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(padlib.pad(x, pad_width), np.pad(x, expected))


# --- errors name the argument and the allowed values --------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"mode": "mirror"}, ValueError, r"mode 'mirror' is not supported; use one of 'constant' \(alias 'zeros'\), 'reflect', 'symmetric', 'replicate' \(alias 'edge'\), 'circular' \(alias 'wrap'\)"),
        ({"mode": None}, ValueError, "mode None is not supported"),
        ({"pad_width": -1}, ValueError, "pad_width must be an integer >= 0; got -1"),
        ({"pad_width": ((1, -2),)}, ValueError, "pad_width must be an integer >= 0; got -2"),
        ({"pad_width": 1.5}, TypeError, r"pad_width must be an integer >= 0; got 1.5 \(float\)"),
        ({"pad_width": (1.0, 2)}, TypeError, "pad_width must be an integer"),
        ({"pad_width": True}, TypeError, "pad_width must be an integer"),
        ({"pad_width": (1, 2, 3)}, ValueError, "pad_width with 3 numbers is ambiguous"),
        ({"pad_width": ((1, 1), (1, 1), (1, 1))}, ValueError, "3 .before, after. pairs but 2 axes are padded"),
        ({"pad_width": ((1, 2, 3),)}, ValueError, "pad_width must be an int, a .before, after. pair"),
        ({"pad_width": "1"}, ValueError, "pad_width must be an int"),
        ({"mode": "reflect", "pad_width": 3}, ValueError, r"pad_width \(3, 3\) on axis 0 is too large for mode 'reflect': an axis of length 3 can be padded by at most 2"),
        ({"mode": "symmetric", "pad_width": (0, 4)}, ValueError, r"too large for mode 'symmetric': an axis of length 3 can be padded by at most 3"),
        ({"mode": "circular", "pad_width": ((0, 0), (5, 0))}, ValueError, r"on axis 1 is too large for mode 'circular': an axis of length 4"),
        ({"mode": "reflect", "value": 1}, ValueError, "value is only used by mode 'constant'"),
        ({"value": 0.5}, ValueError, "value 0.5 cannot be represented exactly in the input's dtype int64"),
        ({"value": 300, "x": np.zeros(3, np.uint8)}, ValueError, "value 300 cannot be represented exactly"),
        ({"axes": 2}, ValueError, r"axes entry 2 is out of range for an array of ndim 2 \(allowed: -2 to 1\)"),
        ({"axes": (0, -2)}, ValueError, "axes must not repeat an axis"),
        ({"axes": 0.5}, TypeError, "axes must be an integer"),
    ],
)
def test_bad_input_gets_a_clear_error(kwargs, error, match):
    args = {"x": np.arange(12).reshape(3, 4), "pad_width": 1, **kwargs}
    with pytest.raises(error, match=match):
        padlib.pad(args.pop("x"), args.pop("pad_width"), **args)


def test_reflect_cannot_pad_a_one_element_axis_but_symmetric_can():
    with pytest.raises(ValueError, match="at most 0"):
        padlib.pad(np.array([7]), 1, "reflect")
    assert padlib.pad(np.array([7]), 0, "reflect").tolist() == [7]


def test_replicate_cannot_invent_values_for_an_empty_axis():
    with pytest.raises(ValueError, match="too large for mode 'replicate'"):
        padlib.pad(np.zeros((0,)), 1, "replicate")


def test_nan_fill_is_allowed_for_floats():
    assert np.isnan(padlib.pad(np.ones(2), 1, value=np.nan)[[0, -1]]).all()
