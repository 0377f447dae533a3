"""conv1d/conv2d against tf.nn.conv1d/conv2d and Keras Conv1D(causal), the seed examples, and errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SEEDS, channels, geometries, normal

import padlib
from padlib._conv import _windows

LINE = np.zeros((8, 8), dtype=np.float32)
LINE[:, 3:5] = 1
DETECTOR = np.array([[0, 1, 0]] * 3, dtype=np.float32)


def test_vertical_line_example():
    out = padlib.conv2d(LINE, DETECTOR)
    assert out.shape == (6, 6)
    assert (out == [0, 0, 3, 3, 0, 0]).all()  # every row


def test_vertical_line_stacked_and_strided():
    assert padlib.conv2d(padlib.conv2d(LINE, DETECTOR), DETECTOR).shape == (4, 4)
    np.testing.assert_array_equal(padlib.conv2d(LINE, DETECTOR, stride=2), [[0, 3, 0]] * 3)


def test_single_image_form_equals_batched_form():
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(7, 9)), rng.normal(size=(3, 2))
    single = padlib.conv2d(image, kernel, stride=(2, 1), padding="same", padding_mode="reflect")
    batched = padlib.conv2d(
        image[None, ..., None], kernel[..., None, None], stride=(2, 1), padding="same", padding_mode="reflect"
    )
    np.testing.assert_array_equal(single, batched[0, ..., 0])


def test_it_is_cross_correlation_not_flipped_convolution():
    x = np.array([0.0, 0, 1, 0, 0])
    np.testing.assert_array_equal(padlib.conv1d(x, [1.0, 2, 3]), [3, 2, 1])


def test_padding_mode_is_applied_before_the_kernel():
    """Worked by hand: 3x3 window sums over [[1, 2], [3, 4]] padded by one cell."""
    x = np.array([[1.0, 2], [3, 4]])
    ones = np.ones((3, 3))
    # circular: padded rows are [4 3 4 3], [2 1 2 1], [4 3 4 3], [2 1 2 1]
    np.testing.assert_array_equal(padlib.conv2d(x, ones, padding="same", padding_mode="circular"), [[27, 24], [21, 18]])
    # constant 1: every window holds the whole input (10) plus five border ones
    np.testing.assert_array_equal(padlib.conv2d(x, ones, padding="same", value=1), [[15, 15], [15, 15]])
    np.testing.assert_array_equal(padlib.conv2d(x, ones, padding="same"), [[10, 10], [10, 10]])


def test_strided_same_on_a_one_pixel_wide_input():
    """Worked by hand. W = 1, a 1x2 kernel and stride 2 under SAME pad one zero on the right, so
    each output is x * k[0]. TensorFlow 2.21's default oneDNN kernel returns 0 for every other row
    here (its reference kernels agree with this test); hypothesis found the case."""
    x = np.array([0.12573022, -0.13210486, 0.64042264, 0.10490011], np.float32).reshape(2, 2, 1, 1)
    kernel = np.array([-0.5356694, 0.36159506], np.float32).reshape(1, 2, 1, 1)
    got = padlib.conv2d(x, kernel, stride=(1, 2), padding="same")
    assert padlib.padding_amounts(1, 2, stride=2, padding="same") == (0, 1)
    np.testing.assert_allclose(got.ravel(), x.ravel() * kernel.ravel()[0], rtol=1e-6)


def test_integer_inputs_stay_integer():
    out = padlib.conv2d(np.arange(16).reshape(4, 4), np.ones((2, 2), dtype=np.int64))
    assert out.dtype == np.int64 and out[0, 0] == 0 + 1 + 4 + 5


@st.composite
def conv_case(draw, n_spatial):
    g = draw(geometries(n_spatial, dilation=(1, 3)))
    batch, cin, cout = draw(channels(1, 2)), draw(channels()), draw(channels())
    x, kernel = normal(draw(SEEDS), (batch, *g.sizes, cin), (*g.kernel, cin, cout))
    return x, kernel, g.strides, g.dilations, g.padding


@settings(max_examples=60, deadline=None)
@given(conv_case(2))
def test_windows_are_sliding_window_view_strided_and_dilated(case):
    """conv's and pool's window view, built from strides, is numpy's sliding_window_view with stride and dilation slices."""
    x, kernel, strides, dilations, padding = case
    x = padlib.pad(
        x,
        [
            padlib.padding_amounts(n, k, stride=s, dilation=d, padding=padding)
            for n, k, s, d in zip(x.shape[1:3], kernel.shape[:2], strides, dilations, strict=True)
        ],
        axes=(1, 2),
    )
    spans = [padlib.effective_kernel_size(k, d) for k, d in zip(kernel.shape[:2], dilations, strict=True)]
    outs = [(n - span) // s + 1 for n, span, s in zip(x.shape[1:3], spans, strides, strict=True)]
    (sh, sw), (dh, dw) = strides, dilations
    reference = np.lib.stride_tricks.sliding_window_view(x, spans, axis=(1, 2))[:, ::sh, ::sw, :, ::dh, ::dw]
    reference = np.moveaxis(reference, 3, -1)  # (N, Ho, Wo, kh, kw, C)
    np.testing.assert_array_equal(_windows(x, kernel.shape[:2], strides, dilations, outs), reference)


@settings(max_examples=80, deadline=None)
@given(conv_case(2))
def test_conv2d_matches_tensorflow(tf, case):
    x, kernel, strides, dilations, padding = case
    expected = tf.nn.conv2d(x, kernel, strides=[1, *strides, 1], padding=padding, dilations=[1, *dilations, 1]).numpy()
    got = padlib.conv2d(x, kernel, stride=strides, dilation=dilations, padding=padding)
    assert got.shape == expected.shape
    # the output shape also follows from padding_amounts
    for axis, (n, k, s, d) in enumerate(zip(x.shape[1:3], kernel.shape[:2], strides, dilations, strict=True)):
        before, after = padlib.padding_amounts(n, k, stride=s, dilation=d, padding=padding)
        assert (n + before + after - (d * (k - 1) + 1)) // s + 1 == expected.shape[1 + axis]
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


@settings(max_examples=60, deadline=None)
@given(conv_case(1))
def test_conv1d_matches_tensorflow(tf, case):
    x, kernel, strides, dilations, padding = case
    expected = tf.nn.conv1d(x, kernel, stride=strides[0], padding=padding, dilations=dilations[0]).numpy()
    got = padlib.conv1d(x, kernel, stride=strides[0], dilation=dilations[0], padding=padding)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


@settings(max_examples=30, deadline=None)
@given(
    pads=st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)),
    seed=SEEDS,
)
def test_explicit_asymmetric_padding_matches_tensorflow(tf, pads, seed):
    top, bottom, left, right = pads
    x, kernel = normal(seed, (1, 6, 5, 2), (3, 3, 2, 2))
    expected = tf.nn.conv2d(x, kernel, 1, [[0, 0], [top, bottom], [left, right], [0, 0]]).numpy()
    got = padlib.conv2d(x, kernel, padding=((top, bottom), (left, right)))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


@settings(max_examples=25, deadline=None)
@given(size=st.integers(1, 12), kernel_size=st.integers(1, 4), dilation=st.integers(1, 3), seed=SEEDS)
def test_causal_matches_keras_conv1d(tf, size, kernel_size, dilation, seed):
    import keras

    x, kernel = normal(seed, (1, size, 2), (kernel_size, 2, 3))
    layer = keras.layers.Conv1D(3, kernel_size, dilation_rate=dilation, padding="causal", use_bias=False)
    layer.build((None, size, 2))
    layer.set_weights([kernel])
    expected = np.asarray(layer(x))
    got = padlib.conv1d(x, kernel, padding="causal", dilation=dilation)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("mode", ["reflect", "symmetric"])
def test_other_modes_match_tf_pad_then_valid_conv(tf, mode):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 7, 6, 3)).astype(np.float32)
    kernel = rng.normal(size=(3, 3, 3, 4)).astype(np.float32)
    padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode=mode.upper())
    expected = tf.nn.conv2d(padded, kernel, 1, "VALID").numpy()
    got = padlib.conv2d(x, kernel, padding="same", padding_mode=mode)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: padlib.conv2d(np.zeros((8, 8, 1)), np.zeros((3, 3))),
            ValueError,
            r"conv2d takes x of shape \(H, W\) with a kernel of shape \(kh, kw\), or x of shape \(N, H, W, C\) with a kernel of shape \(kh, kw, C, filters\); got x.ndim=3 and kernel.ndim=2",
        ),
        (
            lambda: padlib.conv1d(np.zeros((1, 8, 2)), np.zeros((3, 3, 4))),
            ValueError,
            r"x has 2 channels \(last axis\) but the kernel expects 3",
        ),
        (
            lambda: padlib.conv2d(LINE, np.ones((9, 3))),
            ValueError,
            r"kernel_size 9 .* larger than the padded input \(8 \+ 0 \+ 0 = 8 cells\)",
        ),
        (lambda: padlib.conv2d(LINE, DETECTOR, stride=0), ValueError, "stride must be an integer >= 1; got 0"),
        (
            lambda: padlib.conv2d(LINE, DETECTOR, stride=(1, 2, 3)),
            ValueError,
            "stride must be an int or a sequence of 2 ints",
        ),
        (lambda: padlib.conv2d(LINE, DETECTOR, dilation=0), ValueError, "dilation must be an integer >= 1; got 0"),
        (
            lambda: padlib.conv2d(LINE, DETECTOR, padding="middle"),
            ValueError,
            "padding must be one of 'valid', 'same', 'full', 'causal'",
        ),
        (lambda: padlib.conv2d(LINE, DETECTOR, padding=("same", "same", "same")), ValueError, "sequence of 2 specs"),
        (
            lambda: padlib.conv2d(LINE, DETECTOR, padding="same", padding_mode="mirror"),
            ValueError,
            "padding_mode 'mirror' is not supported; use one of 'constant'.*, or 'partial'",
        ),
        # nothing is padded with "valid", but a misspelt mode is still an error, not silently ignored
        (
            lambda: padlib.conv2d(LINE, DETECTOR, padding_mode="mirror"),
            ValueError,
            "padding_mode 'mirror' is not supported",
        ),
        (
            lambda: padlib.conv2d(np.ones((2, 2)), np.ones((3, 3)), padding=2, padding_mode="reflect"),
            ValueError,
            "too large for mode 'reflect'",
        ),
        (lambda: padlib.conv2d(np.ones((2, 2)), np.ones((0, 3))), ValueError, "kernel spatial size must be >= 1"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()
