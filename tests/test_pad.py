"""padlib.pad: registry-driven properties, literal arrays per mode, numpy and TensorFlow as oracles, errors."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import padlib

ALL_MODES = list(padlib.MODES)
# np.pad's name of each mode (its stubs take these names only, as literals).
NUMPY_NAME: dict[str, Literal["constant", "reflect", "symmetric", "edge", "wrap"]] = {
    "constant": "constant",
    "reflect": "reflect",
    "symmetric": "symmetric",
    "replicate": "edge",
    "circular": "wrap",
}
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
        padlib.MODES["mirror"] = padlib.MODES["reflect"]  # type: ignore[index]  # the point: it is read-only


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
    assert limit is not None  # the modes TensorFlow has a limit for
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
        (
            {"mode": "mirror"},
            ValueError,
            r"mode 'mirror' is not supported; use one of 'constant' \(alias 'zeros'\), 'reflect', 'symmetric', 'replicate' \(alias 'edge'\), 'circular' \(alias 'wrap'\)",
        ),
        ({"mode": None}, ValueError, "mode None is not supported"),
        ({"pad_width": -1}, ValueError, "pad_width must be an integer >= 0; got -1"),
        ({"pad_width": ((1, -2),)}, ValueError, "pad_width must be an integer >= 0; got -2"),
        ({"pad_width": 1.5}, TypeError, r"pad_width must be an integer >= 0; got 1.5 \(float\)"),
        ({"pad_width": (1.0, 2)}, TypeError, "pad_width must be an integer"),
        ({"pad_width": True}, TypeError, "pad_width must be an integer"),
        ({"pad_width": (1, 2, 3)}, ValueError, "pad_width with 3 numbers is ambiguous"),
        ({"pad_width": ((1, 1), (1, 1), (1, 1))}, ValueError, "3 .before, after. pairs but 2 axes are padded"),
        ({"pad_width": ((1, 2, 3),)}, ValueError, r"pad_width must be an int, \(n,\), \(before, after\)"),
        ({"pad_width": "1"}, TypeError, "pad_width must be an integer >= 0; got '1'"),
        (
            {"mode": "reflect", "pad_width": 3},
            ValueError,
            r"pad_width \(3, 3\) on axis 0 is too large for mode 'reflect': an axis of length 3 can be padded by at most 2 on each side \(limit n - 1, as in TensorFlow and PyTorch\); np.pad\(mode='reflect'\) would repeat the pattern past one period",
        ),
        (
            {"mode": "symmetric", "pad_width": (0, 4)},
            ValueError,
            r"too large for mode 'symmetric': an axis of length 3 can be padded by at most 3",
        ),
        (
            {"mode": "circular", "pad_width": ((0, 0), (5, 0))},
            ValueError,
            r"on axis 1 is too large for mode 'circular': an axis of length 4",
        ),
        ({"mode": "reflect", "value": 1}, ValueError, "value is only used by mode 'constant'"),
        ({"mode": "reflect", "value": 0}, ValueError, r"mode 'reflect' takes no value \(got value=0\)"),
        (
            {"mode": "mean"},
            ValueError,
            r"mode 'mean' is a numpy-only mode that padlib does not have .*use np.pad\(x, pad_width, mode='mean'\)",
        ),
        (
            {"mode": "reflect", "reflect_type": "odd"},
            ValueError,
            r"reflect_type='odd' .* is not supported.*np.pad\(x, pad_width, mode=..., reflect_type='odd'\)",
        ),
        ({"mode": "reflect", "reflect_type": "x"}, ValueError, "reflect_type must be 'even' .the default.; got 'x'"),
        ({"reflect_type": "even"}, ValueError, "reflect_type is only used by modes 'reflect' and 'symmetric'"),
        (
            {"pad_width": {0: 1}, "axes": 0},
            ValueError,
            "give the axes either as the keys of a dict pad_width or as axes=, not both",
        ),
        (
            {"pad_width": {2: 1}},
            np.exceptions.AxisError,
            r"pad_width dict key 2 is out of range for an array of ndim 2 \(allowed: -2 to 1\)",
        ),
        ({"pad_width": {0: 1, -2: 2}}, ValueError, "pad_width dict names axis 0 twice"),
        ({"pad_width": {"h": 1}}, TypeError, r"pad_width dict keys must be axes \(integers\); got 'h'"),
        ({"pad_width": {0: -1}}, ValueError, "pad_width must be an integer >= 0; got -1"),
        ({"pad_width": ()}, TypeError, r"pad_width must be integers \(>= 0\)"),
        ({"pad_width": ((1,), (1, 2))}, ValueError, "got the ragged"),
        (
            {"value": 0.5},
            ValueError,
            r"value 0.5 cannot be used to pad an array of dtype int64: an integer or bool array cannot hold a fraction \(np.pad would truncate it\)",
        ),
        (
            {"value": np.nan},
            ValueError,
            "value nan cannot be used to pad an array of dtype int64: an integer or bool array cannot hold NaN",
        ),
        (
            {"value": 300, "x": np.zeros(3, np.uint8)},
            ValueError,
            r"value 300 cannot be used to pad an array of dtype uint8: it is out of the range of uint8 \(0 to 255; np.pad would wrap it\)",
        ),
        (
            {"value": 1 + 2j, "x": np.zeros(3)},
            ValueError,
            "value .1\\+2j. cannot be used to pad an array of dtype float64: its imaginary part would be dropped",
        ),
        (
            {"value": 1e300, "x": np.zeros(3, np.float32)},
            ValueError,
            r"it is out of the range of float32 \(it would become inf\)",
        ),
        ({"value": 2, "x": np.zeros(3, bool)}, ValueError, "a bool array holds only 0/False and 1/True"),
        (
            {"value": "1", "x": np.zeros(3)},
            ValueError,
            r"value must be a number \(a scalar fill for mode 'constant'\), not a string; got '1'",
        ),
        (
            {"value": [1, 2], "x": np.zeros(3)},
            TypeError,
            r"value must be a number \(a scalar fill for mode 'constant'\); got \[1, 2\] \(list\)",
        ),
        (
            {"axes": 2},
            np.exceptions.AxisError,
            r"axes entry 2 is out of range for an array of ndim 2 \(allowed: -2 to 1\)",
        ),
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


@pytest.mark.parametrize("mode", ["reflect", "symmetric", "replicate", "circular"])
def test_an_empty_axis_is_named_as_the_cause(mode):
    """Replicate has no limit: the reason it cannot pad is that the axis is empty."""
    with pytest.raises(
        ValueError,
        match=rf"^axis 1 is empty \(length 0\): mode '{mode}' has no values to pad it with; only 'constant' can pad an empty axis",
    ):
        padlib.pad(np.zeros((2, 0)), 1, mode)
    assert padlib.pad(np.zeros((2, 0)), ((1, 1), (0, 0)), mode).shape == (4, 0)  # the empty axis itself unpadded: fine


def test_nan_fill_is_allowed_for_floats():
    assert np.isnan(padlib.pad(np.ones(2), 1, value=np.nan)[[0, -1]]).all()


# --- fill values: rounded as numpy does, refused only when information is lost badly ----------


@pytest.mark.parametrize(
    "dtype, value",
    [
        (np.float32, 0.1),
        (np.float16, 1 / 3),
        (np.float32, np.float64(2.7)),
        (np.complex64, 0.1 + 0.2j),
        (np.float64, np.inf),
        (np.float32, 2**60),
        (np.int8, 2.0),
        (np.int16, np.int64(-7)),
        (np.complex128, 3),
        (np.bool_, True),
        (np.float32, np.array(0.1)),
    ],
)
def test_fill_value_is_converted_as_numpy_converts_it(dtype, value):
    x = np.arange(3).astype(dtype)
    got = padlib.pad(x, 1, value=value)
    expected = np.pad(x, 1, constant_values=value)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, expected)


def test_the_fill_value_a_learner_types():
    got = padlib.pad(np.zeros(3, np.float32), 1, value=0.1)
    assert got[0] == np.float32(0.1) and float(got[0]) != 0.1  # rounded to float32, not refused
    np.testing.assert_array_equal(
        padlib.conv2d(np.ones((2, 2), np.float32), np.ones((1, 1), np.float32), padding=1, value=0.1)[0],
        np.array([0.1, 0.1, 0.1, 0.1], np.float32),
    )


@pytest.mark.parametrize("mode", ["reflect", "symmetric", "replicate", "circular"])
@pytest.mark.parametrize("value", [0, 1, 0.0, np.float32(0)])
def test_value_is_refused_alike_by_every_non_constant_mode(mode, value):
    """numpy refuses constant_values with these modes whatever the value; so do pad and conv2d."""
    x = np.arange(4.0)
    with pytest.raises(ValueError, match="np.pad refuses it too"):
        padlib.pad(x, 1, mode, value=value)
    with pytest.raises(ValueError):
        np.pad(x, 1, NUMPY_NAME[mode], constant_values=value)
    with pytest.raises(ValueError, match=f"mode {mode!r} takes no value"):
        padlib.conv2d(np.ones((3, 3)), np.ones((3, 3)), padding="same", padding_mode=mode, value=value)
    np.testing.assert_array_equal(padlib.pad(x, 1, mode), np.pad(x, 1, NUMPY_NAME[mode]))


# --- every pad_width form numpy accepts ----------------------------------------------------------


@pytest.mark.parametrize(
    "pad_width",
    [
        ((1,), (2,)),
        (2,),
        [[3]],
        np.int16(2),
        np.array(2),
        np.array([1, 2]),
        np.array([[1], [2]]),
        [np.int64(1), 2],
        {0: (1, 2)},
        {1: 3},
        {-1: (0, 2)},
        {0: 1, -1: (2, 0)},
        {},
    ],
)
@pytest.mark.parametrize("mode", ALL_MODES)
def test_every_numpy_pad_width_form(pad_width, mode):
    x = np.arange(20).reshape(4, 5)
    np.testing.assert_array_equal(padlib.pad(x, pad_width, mode), np.pad(x, pad_width, NUMPY_NAME[mode]))


def test_dict_pad_width_leaves_other_axes_unpadded():
    batch = np.ones((2, 3, 4, 5))
    assert padlib.pad(batch, {1: (1, 0), -2: 2}, "reflect").shape == (2, 4, 8, 5)
    assert padlib.pad(batch, {1: (1,)}).shape == (2, 5, 4, 5)  # numpy 2.4 itself fails on a 1-tuple in a dict
    assert padlib.pad(batch, {np.int64(0): [1, np.uint8(2)]}).shape == (
        5,
        3,
        4,
        5,
    )  # and on numpy ints (uint8 is refused)


# --- numpy's exception types for the same bad input ----------------------------------------------


@pytest.mark.parametrize(
    "pad_width, kwargs",
    [
        (-1, {}),
        (1.5, {}),
        ("1", {}),
        (True, {}),
        (None, {}),
        ((), {}),
        ((1.0, 2), {}),
        ((1, 2, 3), {}),
        (((1, 2, 3),), {}),
        (((1, 1),) * 3, {}),
        (((1,), (1, 2)), {}),
        ({5: 1}, {}),
        ({"h": 1}, {}),
        ({0: -1}, {}),
        (1, {"mode": "mirror"}),
        (1, {"mode": None}),
        (1, {"mode": "reflect", "constant_values": 0}),
        (1, {"mode": "edge", "constant_values": 1}),
        (1, {"constant_values": "a"}),
        (((5, 0), (0, 0)), {"mode": "reflect", "x": np.zeros((0, 4))}),
    ],
)
def test_bad_input_raises_numpys_exception_type(pad_width, kwargs):
    """Whatever numpy raises for a bad input, padlib raises an exception of that type (with its own message)."""
    kwargs = dict(kwargs)
    x = kwargs.pop("x", np.arange(12.0).reshape(3, 4))
    with pytest.raises(Exception) as numpy_error:
        np.pad(x, pad_width, **kwargs)
    ours = {"value" if k == "constant_values" else k: v for k, v in kwargs.items()}
    if ours.get("mode") is not None and ours.get("mode") != "mirror":
        ours["mode"] = {"edge": "replicate"}.get(ours["mode"], ours["mode"])
    expected = numpy_error.type if numpy_error.type is not AssertionError else TypeError
    with pytest.raises(expected):
        padlib.pad(x, pad_width, **ours)


# --- memory order kept, on the small and the large path -------------------------------------------


@pytest.mark.parametrize("shape", [(3, 4, 5), (40, 30, 25)], ids=["small", "large"])
@pytest.mark.parametrize("mode", ALL_MODES)
def test_fortran_order_in_fortran_order_out(mode, shape):
    x = np.asfortranarray(np.random.default_rng(3).normal(size=shape))
    assert (x.nbytes > 1 << 16) == (shape[0] == 40)  # one case on each side of pad's small-array threshold
    for pad_width, axes in ((((1, 2), (2, 1), (0, 2)), None), (((1, 1), (2, 0)), (0, 2))):
        got = padlib.pad(x, pad_width, mode, axes=axes)
        full = pad_width if axes is None else ((1, 1), (0, 0), (2, 0))
        expected = np.pad(x, full, NUMPY_NAME[mode])
        assert got.flags.f_contiguous and expected.flags.f_contiguous
        np.testing.assert_array_equal(got, expected)
    c = np.ascontiguousarray(x)
    assert padlib.pad(c, 1, mode).flags.c_contiguous
    assert padlib.pad(x, 0, mode).flags.f_contiguous


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_large_array_path_matches_numpy(data):
    """The large path (above 64 kB) writes each output cell once from the input; numpy's own tests use only small arrays."""
    mode = data.draw(st.sampled_from(ALL_MODES))
    shape = data.draw(st.tuples(st.integers(24, 40), st.integers(24, 40), st.integers(1, 20)))
    shape = data.draw(st.permutations(shape))
    x = np.random.default_rng(data.draw(st.integers(0, 9))).normal(size=shape)
    layout = data.draw(st.sampled_from(["C", "F", "view"]))
    x = {"C": x, "F": np.asfortranarray(x), "view": x[:, ::-1]}[layout]
    if min(shape) >= 16:
        assert x.nbytes > 1 << 16  # above pad's small-array threshold
    pads = tuple(
        (data.draw(st.integers(0, max_pad(mode, n))), data.draw(st.integers(0, max_pad(mode, n)))) for n in x.shape
    )
    np.testing.assert_array_equal(padlib.pad(x, pads, mode), np.pad(x, pads, NUMPY_NAME[mode]))


# --- the mode table renders in a notebook and prints as text -------------------------------------


def test_mode_table_prints_markdown_and_renders_as_html():
    from html.parser import HTMLParser

    table = padlib.mode_table()
    text = str(table)
    assert text == repr(table)
    lines = text.splitlines()
    assert (
        lines[0] == "| mode | numpy | tensorflow | pytorch | keras |" and lines[1] == "| --- | --- | --- | --- | --- |"
    )
    assert (
        "| replicate (edge) | np.pad(mode='edge') | not available | F.pad(mode='replicate'), ReplicationPad2d | not available |"
        in lines
    )
    assert len(lines) == 2 + len(padlib.MODES)
    assert table._repr_markdown_().startswith(text + "\n\n")

    class Cells(HTMLParser):
        rows: list[list[str]] = []
        tags: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            if tag == "tr":
                self.rows.append([])

        def handle_data(self, data):
            if self.tags and self.tags[-1] in ("td", "th"):
                self.rows[-1].append(data)

        def handle_endtag(self, tag):
            self.tags.pop()

    parser = Cells()
    parser.feed(table._repr_html_())
    assert parser.rows == [list(table.header), *map(list, table.rows)]
    assert parser.rows[4][:2] == ["replicate (edge)", "np.pad(mode='edge')"]


def test_mode_table_notes_say_where_padlib_differs_from_numpy():
    notes = "\n".join(padlib.mode_table().notes)
    for fact in (
        "reflect: at most n - 1",
        "np.pad keeps reflecting past one period",
        "reflect_type='odd'",
        "symmetric: at most n",
        "circular: at most n",
        "constant_values also takes a (before, after) pair",
        "numpy-only modes (empty, linear_ramp, maximum, mean, median, minimum)",
    ):
        assert fact in notes
    assert all(f"- {note}" in padlib.mode_table()._repr_markdown_() for note in padlib.mode_table().notes)
    with pytest.raises(
        ValueError, match="columns must be a non-empty tuple of 'numpy', 'tensorflow', 'pytorch', 'keras'; got .'jax',."
    ):
        padlib.mode_table(("jax",))
