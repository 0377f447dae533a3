"""padlib.keras.Padding1D/2D: values against tf.pad and padlib.pad, shapes in summaries, .keras round trip."""

from __future__ import annotations

import io

import numpy as np
import pytest

import padlib

TF_NAME = {"constant": "CONSTANT", "reflect": "REFLECT", "symmetric": "SYMMETRIC"}


@pytest.fixture(scope="module")
def layers(tf):
    import padlib.keras

    return padlib.keras


@pytest.mark.parametrize("mode", list(padlib.MODES))
def test_padding2d_values(tf, layers, mode):
    x = np.random.default_rng(0).normal(size=(2, 5, 6, 3)).astype(np.float32)
    widths = ((1, 2), (3, 1))
    got = np.asarray(layers.Padding2D(widths, mode=mode)(x))
    np.testing.assert_array_equal(got, padlib.pad(x, widths, mode, axes=(1, 2)))
    if mode in TF_NAME:
        np.testing.assert_array_equal(got, tf.pad(x, [[0, 0], *widths, [0, 0]], mode=TF_NAME[mode]).numpy())


@pytest.mark.parametrize("mode", list(padlib.MODES))
def test_padding1d_values(tf, layers, mode):
    x = np.random.default_rng(1).normal(size=(2, 7, 2)).astype(np.float32)
    got = np.asarray(layers.Padding1D((3, 0), mode=mode)(x))
    np.testing.assert_array_equal(got, padlib.pad(x, ((3, 0),), mode, axes=1))
    if mode in TF_NAME:
        np.testing.assert_array_equal(got, tf.pad(x, [[0, 0], [3, 0], [0, 0]], mode=TF_NAME[mode]).numpy())


def test_constant_value(layers):
    got = np.asarray(layers.Padding1D(1, mode="constant", value=-2.0)(np.ones((1, 2, 1), np.float32)))
    assert got[0, :, 0].tolist() == [-2, 1, 1, -2]


@pytest.mark.parametrize(
    "padding, expected",
    [(1, ((1, 1), (1, 1))), ((1, 2), ((1, 1), (2, 2))), (((0, 1), (2, 3)), ((0, 1), (2, 3)))],
)
def test_padding2d_reads_padding_like_zeropadding2d(tf, layers, padding, expected):
    import keras

    assert layers.Padding2D(padding, mode="constant").padding == expected
    x = np.ones((1, 4, 4, 1), np.float32)
    zero = keras.layers.ZeroPadding2D(padding)(x)
    np.testing.assert_array_equal(layers.Padding2D(padding, mode="constant")(x), zero)


def test_summary_shows_output_shapes_and_gradients_flow(tf, layers):
    import keras

    model = keras.Sequential(
        [keras.Input((28, 28, 1)), layers.Padding2D(1, mode="reflect"), keras.layers.Conv2D(4, 3), keras.layers.Flatten()]
    )
    lines = io.StringIO()
    model.summary(print_fn=lambda line, **_: lines.write(line + "\n"))
    text = lines.getvalue()
    assert "(None, 30, 30, 1)" in text and "(None, 28, 28, 4)" in text
    x = tf.random.normal((2, 28, 28, 1))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None and float(tf.reduce_sum(tf.abs(g))) > 0 for g in grads)


@pytest.mark.parametrize("mode", list(padlib.MODES))
def test_save_and_load_keras_format(tf, layers, mode, tmp_path):
    import keras

    model = keras.Sequential([keras.Input((None, 6, 2)), layers.Padding2D(((2, 0), (1, 1)), mode=mode), keras.layers.Conv2D(3, 3)])
    x = np.random.default_rng(2).normal(size=(1, 5, 6, 2)).astype(np.float32)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded.layers[0]) is layers.Padding2D
    assert loaded.layers[0].get_config()["mode"] == mode
    np.testing.assert_allclose(loaded(x), model(x), rtol=1e-6)


def test_unknown_spatial_size_still_pads(tf, layers):
    import keras

    model = keras.Sequential([keras.Input((None, 1)), layers.Padding1D(2, mode="circular")])
    assert model.output_shape == (None, None, 1)
    assert np.asarray(model(np.arange(3, dtype=np.float32).reshape(1, 3, 1)))[0, :, 0].tolist() == [1, 2, 0, 1, 2, 0, 1]


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda L: L.Padding2D(1, mode="mirror"), "mode 'mirror' is not supported; use one of"),
        (lambda L: L.Padding2D(-1), "padding must be an integer >= 0; got -1"),
        (lambda L: L.Padding2D((1, 2, 3)), r"Padding2D padding must be an int, \(vertical, horizontal\)"),
        (lambda L: L.Padding1D((1, 2, 3)), r"Padding1D padding must be an int or \(left, right\)"),
        (lambda L: L.Padding1D(1, mode="reflect", value=3), "value is only used by mode 'constant'"),
    ],
)
def test_bad_arguments(layers, make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make(layers)


def test_reflect_limit_is_checked_when_the_size_is_known(tf, layers):
    import keras

    with pytest.raises(ValueError, match=r"Padding1D: padding \(3, 3\) on axis 1 is too large for mode 'reflect': an axis of length 3"):
        keras.Sequential([keras.Input((3, 1)), layers.Padding1D(3, mode="reflect")])
