"""conv_transpose1d/2d and transposed_output_size against tf.nn.conv2d_transpose, Keras Conv*Transpose and TF's gradient."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SEEDS, channels, geometries, normal

import padlib


def test_five_and_six_both_give_three_and_output_padding_picks_one():
    assert padlib.output_size(5, 3, stride=2, padding=1) == padlib.output_size(6, 3, stride=2, padding=1) == 3
    assert padlib.transposed_output_size(3, 3, stride=2, padding=1) == 5
    assert padlib.transposed_output_size(3, 3, stride=2, padding=1, output_padding=1) == 6
    for i in (5, 6):  # Dumoulin & Visin, relationship 14: a = (i + 2p - k) mod s
        assert padlib.transposed_output_size(3, 3, stride=2, padding=1, output_padding=(i + 2 - 3) % 2) == i


def test_stamps_add_up_worked_by_hand():
    np.testing.assert_array_equal(padlib.conv_transpose1d([1, 10], [1, 2, 3], stride=2), [1, 2, 13, 20, 30])
    np.testing.assert_array_equal(padlib.conv_transpose1d([1, 10], [1, 2, 3], stride=1), [1, 12, 23, 30])
    # stride 3 > kernel 2: Keras's default leaves a zero after each stamp
    np.testing.assert_array_equal(padlib.conv_transpose1d([1, 2], [1, 1], stride=3), [1, 1, 0, 2, 2, 0])


@st.composite
def transpose_case(draw, n_spatial):
    g = draw(geometries(n_spatial, size=(1, 6), paddings=("valid", "same"), fit_valid=False))
    extra = None
    if draw(st.booleans()):
        extra = [draw(st.integers(0, s - 1)) for s in g.strides]
        if g.padding == "same":  # only the output paddings that some 'same' convolution inverts (TF rejects the rest)
            fits = [
                -(-((n - 1) * s + k % 2 + a) // s) == n
                for n, k, s, a in zip(g.sizes, g.kernel, g.strides, extra, strict=True)
            ]
            extra = extra if all(fits) else None
    cin, cout, batch = draw(channels()), draw(channels()), draw(channels(1, 2))
    x, kernel = normal(draw(SEEDS), (batch, *g.sizes, cin), (*g.kernel, cout, cin))
    return x, kernel, g.strides, g.padding, extra


@settings(max_examples=60, deadline=None)
@given(transpose_case(2))
def test_conv_transpose2d_matches_keras_and_tf(tf, case):
    import keras

    x, kernel, strides, padding, extra = case
    layer = keras.layers.Conv2DTranspose(
        kernel.shape[2], kernel.shape[:2], strides=strides, padding=padding, output_padding=extra, use_bias=False
    )
    layer.build((None, *x.shape[1:]))
    layer.set_weights([kernel])
    expected = np.asarray(layer(x))
    got = padlib.conv_transpose2d(x, kernel, stride=strides, padding=padding, output_padding=extra)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    sizes = [
        padlib.transposed_output_size(n, k, stride=s, padding=padding, output_padding=None if extra is None else a)
        for n, k, s, a in zip(x.shape[1:3], kernel.shape[:2], strides, extra or (0, 0), strict=True)
    ]
    raw = tf.nn.conv2d_transpose(
        x, kernel, [x.shape[0], *sizes, kernel.shape[2]], strides=[1, *strides, 1], padding=padding.upper()
    )
    np.testing.assert_allclose(got, raw.numpy(), rtol=1e-4, atol=1e-4)


@settings(max_examples=40, deadline=None)
@given(transpose_case(1))
def test_conv_transpose1d_matches_keras(tf, case):
    import keras

    x, kernel, strides, padding, extra = case
    layer = keras.layers.Conv1DTranspose(
        kernel.shape[1],
        kernel.shape[0],
        strides=strides[0],
        padding=padding,
        output_padding=None if extra is None else extra[0],
        use_bias=False,
    )
    layer.build((None, *x.shape[1:]))
    layer.set_weights([kernel])
    got = padlib.conv_transpose1d(x, kernel, stride=strides, padding=padding, output_padding=extra)
    np.testing.assert_allclose(got, np.asarray(layer(x)), rtol=1e-4, atol=1e-4)


@settings(max_examples=30, deadline=None)
@given(
    size=st.integers(5, 9),
    k=st.integers(1, 3),
    dilation=st.integers(2, 3),
    padding=st.sampled_from(["VALID", "SAME"]),
    seed=st.integers(0, 999),
)
def test_dilated_transpose_is_the_gradient_of_tf_conv2d(tf, size, k, dilation, padding, seed):
    """TF's CPU conv2d_transpose refuses dilation, so the oracle is the gradient of tf.nn.atrous_conv2d with respect to its input."""
    rng = np.random.default_rng(seed)
    kernel = rng.normal(size=(k, k, 2, 3)).astype(
        np.float32
    )  # forward HWIO: in 2, out 3; transposed (kh, kw, C_out=2, C_in=3)
    z = tf.Variable(np.zeros((1, size, size, 2), np.float32))
    if padding == "VALID" and padlib.effective_kernel_size(k, dilation) > size:
        return
    with tf.GradientTape() as tape:
        y = tf.nn.atrous_conv2d(z, kernel, dilation, padding)  # space-to-batch: its gradient runs on CPU
        x = rng.normal(size=y.shape).astype(np.float32)
        loss = tf.reduce_sum(y * x)
    expected = tape.gradient(loss, z).numpy()
    got = padlib.conv_transpose2d(
        x, kernel, padding=padding, dilation=dilation, output_padding=0 if padding == "VALID" else None
    )
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(3, 12),
    k=st.integers(1, 4),
    s=st.integers(1, 3),
    d=st.integers(1, 3),
    p=st.integers(0, 2),
    seed=st.integers(0, 999),
)
def test_transpose_is_the_adjoint_of_padlib_conv2d(n, k, s, d, p, seed):
    """<conv2d(z), x> == <z, conv_transpose2d(x)> for every size, stride, dilation and padding, stride and dilation together too."""
    span = padlib.effective_kernel_size(k, d)
    if span > n + 2 * p:
        return
    out = padlib.output_size(n, k, stride=s, dilation=d, padding=p)
    extra = (n + 2 * p - span) % s  # the output_padding that leads back to n
    if extra >= max(s, d):
        return
    rng = np.random.default_rng(seed)
    z, x, kernel = rng.normal(size=(n, n)), rng.normal(size=(out, out)), rng.normal(size=(k, k))
    back = padlib.conv_transpose2d(x, kernel, stride=s, padding=p, dilation=d, output_padding=extra)
    assert back.shape == (n, n)
    np.testing.assert_allclose((padlib.conv2d(z, kernel, stride=s, dilation=d, padding=p) * x).sum(), (z * back).sum())


def test_keras_output_shape_rule(tf):
    import keras

    for n in range(1, 6):
        for k in range(1, 5):
            for s in range(1, 4):
                for padding in ("valid", "same"):
                    shape = keras.layers.Conv2DTranspose(1, k, strides=s, padding=padding).compute_output_shape(
                        (1, n, n, 1)
                    )
                    assert shape[1] == padlib.transposed_output_size(n, k, stride=s, padding=padding)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: padlib.transposed_output_size(3, 3, stride=2, output_padding=2),
            ValueError,
            r"output_padding must be smaller than stride \(2\) or dilation \(1\); got 2",
        ),
        (
            lambda: padlib.transposed_output_size(3, 3, padding="full"),
            ValueError,
            r"padding must be 'valid', 'same' \(as in Keras\) or an int >= 0",
        ),
        (
            lambda: padlib.transposed_output_size(3, 2, stride=1, padding="same", output_padding=0),
            ValueError,
            "no convolution has this transpose",
        ),
        (lambda: padlib.transposed_output_size(1, 1, padding=3), ValueError, "removes more cells"),
        (lambda: padlib.transposed_output_size(0, 3), ValueError, "size must be an integer >= 1; got 0"),
        (
            lambda: padlib.conv_transpose2d(np.ones((1, 3, 3, 2)), np.ones((3, 3, 1, 3))),
            ValueError,
            r"x has 2 channels .* kernel expects 3 \(its last axis, C_in\)",
        ),
        (
            lambda: padlib.conv_transpose2d(np.ones((3, 3, 1)), np.ones((3, 3))),
            ValueError,
            r"takes x of shape \(H, W\) with a kernel of shape \(kh, kw\)",
        ),
        (
            lambda: padlib.conv_transpose2d(np.ones((3, 3)), np.ones((3, 3)), stride=(1, 2, 3)),
            ValueError,
            "stride must be an int or a sequence of 2 ints",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()
