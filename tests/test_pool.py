"""pool2d against tf.nn.max_pool2d/avg_pool2d, PyTorch's count_include_pad worked by hand, and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SEEDS, geometries, normal

import padlib


@settings(max_examples=60, deadline=None)
@given(g=geometries(2, size=(1, 9), kernel=(1, 3)), op=st.sampled_from(["max", "avg"]), seed=SEEDS)
def test_pool2d_matches_tensorflow(tf, g, op, seed):
    (x,) = normal(seed, (2, *g.sizes, 3))
    ref = tf.nn.max_pool2d if op == "max" else tf.nn.avg_pool2d
    expected = ref(x, g.kernel, g.strides, g.padding).numpy()
    got = padlib.pool2d(x, g.kernel, stride=g.strides, padding=g.padding, op=op)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_keras_default_stride_is_the_pool_size(tf):
    import keras

    x = np.random.default_rng(1).normal(size=(1, 7, 7, 2)).astype(np.float32)
    expected = np.asarray(keras.layers.MaxPooling2D(3)(x))
    np.testing.assert_allclose(padlib.pool2d(x, 3), expected)
    assert expected.shape == (1, 2, 2, 2)


def test_count_pad_divides_by_the_whole_window_worked_by_hand():
    """PyTorch AvgPool2d(3, stride=1, padding=1) on ones: the corner window holds 4 real cells of 9, an edge one 6."""
    out = padlib.pool2d(np.ones((4, 4)), 3, stride=1, padding=1, op="avg", count_pad=True)
    np.testing.assert_allclose(out[0], [4 / 9, 6 / 9, 6 / 9, 4 / 9])
    np.testing.assert_allclose(out[1:3, 1:3], 1)
    np.testing.assert_array_equal(
        padlib.pool2d(np.ones((4, 4)), 3, stride=1, padding="same", op="avg"), np.ones((4, 4))
    )


def test_max_ignores_padding_even_when_every_value_is_negative():
    x = -np.arange(1.0, 10.0).reshape(3, 3)
    np.testing.assert_array_equal(padlib.pool2d(x, 2, stride=2, padding="same"), [[-1, -3], [-7, -9]])
    ints = -np.arange(1, 10).reshape(3, 3)
    assert padlib.pool2d(ints, 2, stride=2, padding="same").dtype == ints.dtype


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: padlib.pool2d(np.ones((4, 4)), 2, op="sum"), "op must be one of 'max', 'avg'; got 'sum'"),
        (lambda: padlib.pool2d(np.ones((4, 4)), 2, count_pad=True), "count_pad=True .* no meaning for op='max'"),
        (
            lambda: padlib.pool2d(np.ones((4, 4, 1)), 2),
            r"pool2d takes x of shape \(H, W\) or \(N, H, W, C\); got x.ndim=3",
        ),
        (lambda: padlib.pool2d(np.ones((4, 4)), 2, padding=2), "some windows of pool_size 2 would hold no real cell"),
        (lambda: padlib.pool2d(np.ones((4, 4)), 0), "pool_size must be an integer >= 1; got 0"),
        (lambda: padlib.pool2d(np.ones((4, 4)), 2, padding="middle"), "padding must be one of 'valid', 'same'"),
    ],
)
def test_bad_input_gets_a_clear_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
