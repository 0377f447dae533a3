"""padlib.keras.Padding1D/2D/3D: values against tf.pad and padlib.pad, shapes in summaries, config and .keras round trips."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        [
            keras.Input((28, 28, 1)),
            layers.Padding2D(1, mode="reflect"),
            keras.layers.Conv2D(4, 3),
            keras.layers.Flatten(),
        ]
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


def test_unknown_spatial_size_still_pads(tf, layers):
    import keras

    model = keras.Sequential([keras.Input((None, 1)), layers.Padding1D(2, mode="circular")])
    assert model.output_shape == (None, None, 1)
    assert np.asarray(model(np.arange(3, dtype=np.float32).reshape(1, 3, 1)))[0, :, 0].tolist() == [1, 2, 0, 1, 2, 0, 1]


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda L: L.Padding2D(1, mode="mirror"), "mode 'mirror' is not supported; use one of"),
        (
            lambda L: L.Padding2D(-1),
            r"Padding2D padding must be an int, \(vertical, horizontal\) or \(\(top, bottom\), \(left, right\)\), each an integer >= 0; got -1",
        ),
        (lambda L: L.Padding2D((1, 2, 3)), r"Padding2D padding must be an int, \(vertical, horizontal\)"),
        (
            lambda L: L.Padding1D((1, 2, 3)),
            r"Padding1D padding must be an int or \(left, right\), each an integer >= 0; got \(1, 2, 3\)",
        ),
        (lambda L: L.Padding3D((1, 2)), r"Padding3D padding must be an int, \(d1, d2, d3\) or"),
        (
            lambda L: L.Padding1D(1, mode="reflect", value=3),
            "Padding1D: value is only used by mode 'constant'; mode 'reflect' takes no value",
        ),
        (lambda L: L.Padding1D(1, mode="reflect", value=0), "Padding1D: value is only used by mode 'constant'"),
        (
            lambda L: L.Padding2D(1, data_format="nchw"),
            r"Padding2D: data_format must be one of 'channels_last', 'channels_first' \(or None for keras.config.image_data_format\(\)\); got 'nchw'",
        ),
    ],
)
def test_bad_arguments(layers, make, match):
    with pytest.raises(ValueError, match=match):
        make(layers)


def test_non_number_value_is_a_type_error(layers):
    with pytest.raises(TypeError, match="Padding2D: value must be a real number; got 'a'"):
        layers.Padding2D(1, mode="constant", value="a")


def test_reflect_limit_is_checked_when_the_size_is_known(tf, layers):
    import keras

    with pytest.raises(
        ValueError, match=r"Padding1D: padding \(3, 3\) on axis 1 is too large for mode 'reflect': an axis of length 3"
    ):
        keras.Sequential([keras.Input((3, 1)), layers.Padding1D(3, mode="reflect")])


# --- every layer, mode, padding form and data_format: values, config round trip, .keras save/load ----

LAYERS = {1: "Padding1D", 2: "Padding2D", 3: "Padding3D"}
KERAS_ZERO = {1: "ZeroPadding1D", 2: "ZeroPadding2D", 3: "ZeroPadding3D"}


@st.composite
def layer_cases(draw):
    """A layer, a mode, a padding in any form its ZeroPadding twin accepts, a data_format and an input that fits."""
    n = draw(st.sampled_from([1, 2, 3]))
    mode = draw(st.sampled_from(list(padlib.MODES)))
    sizes = [draw(st.integers(2, 4)) for _ in range(n)]

    def amount(size):
        return st.integers(0, min(2, padlib.MODES[mode].limit(size) or 2))

    form = draw(st.sampled_from(["int", "per axis", "pairs"] if n > 1 else ["int", "pair"]))
    if form == "int":
        p = draw(amount(min(sizes)))
        padding, pairs = p, [(p, p)] * n
    elif form == "per axis":
        ps = [draw(amount(s)) for s in sizes]
        padding, pairs = tuple(ps), [(p, p) for p in ps]
    else:
        pairs = [(draw(amount(s)), draw(amount(s))) for s in sizes]
        padding = pairs[0] if n == 1 else tuple(pairs)
    if draw(st.booleans()):  # a config read back from JSON has lists, not tuples
        padding = padding if isinstance(padding, int) else [list(p) if isinstance(p, tuple) else p for p in padding]
    data_format = draw(st.sampled_from(["channels_last", "channels_first", None]))
    value = draw(st.sampled_from([None, 0.5, -2.0])) if mode == "constant" else None
    return n, mode, padding, pairs, data_format, value, sizes


def _input(n, sizes, data_format, channels=2):
    shape = (2, *sizes, channels) if data_format != "channels_first" else (2, channels, *sizes)
    return np.random.default_rng(sum(sizes)).normal(size=shape).astype(np.float32)


def _spatial_axes(n, data_format):
    return tuple(range(1, n + 1)) if data_format != "channels_first" else tuple(range(2, n + 2))


@settings(max_examples=60, deadline=None)
@given(layer_cases())
def test_every_layer_pads_like_padlib_and_round_trips_its_config(tf, layers, case):
    n, mode, padding, pairs, data_format, value, sizes = case
    cls = getattr(layers, LAYERS[n])
    layer = cls(padding, mode=mode, value=value, data_format=data_format)
    x = _input(n, sizes, data_format)
    got = np.asarray(layer(x))
    kwargs = {"value": value} if value is not None else {}
    np.testing.assert_array_equal(got, padlib.pad(x, tuple(pairs), mode, axes=_spatial_axes(n, data_format), **kwargs))
    config = layer.get_config()
    assert config["data_format"] == (data_format or "channels_last")
    assert config["padding"] == (tuple(pairs[0]) if n == 1 else tuple(map(tuple, pairs)))
    clone = cls.from_config(config)
    assert clone.get_config() == config
    np.testing.assert_array_equal(np.asarray(clone(x)), got)


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("mode", list(padlib.MODES))
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_save_and_load_keras_format(tf, layers, n, mode, data_format, tmp_path):
    """Every layer, mode and data_format survives keras.saving.save_model / load_model (Padding1D could not be loaded)."""
    import keras

    cls = getattr(layers, LAYERS[n])
    padding = {1: (2, 1), 2: ((2, 0), (1, 1)), 3: (1, (0, 2), 1)}[n]
    sizes = [4] * n
    x = _input(n, sizes, data_format, channels=3)
    model = keras.Sequential([keras.Input(x.shape[1:]), cls(padding, mode=mode, data_format=data_format)])
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded.layers[0]) is cls
    assert loaded.layers[0].get_config() == model.layers[0].get_config()
    np.testing.assert_array_equal(np.asarray(loaded(x)), np.asarray(model(x)))


def test_padding1d_config_is_zeropadding1d_config(tf, layers):
    import keras

    layer = layers.Padding1D((1, 2), mode="constant")
    assert layer.get_config()["padding"] == keras.layers.ZeroPadding1D((1, 2)).get_config()["padding"] == (1, 2)
    assert layers.Padding1D.from_config(layer.get_config()).padding == (1, 2)
    old = {
        **layers.Padding1D(1, mode="reflect").get_config(),
        "padding": [[1, 1]],
        "value": 0.0,
    }  # as padlib 0.1.0 saved it
    assert layers.Padding1D.from_config(old).get_config()["padding"] == (1, 1)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_data_format_defaults_to_keras_image_data_format(tf, layers, n):
    import keras

    cls = getattr(layers, LAYERS[n])
    previous = keras.config.image_data_format()
    try:
        keras.config.set_image_data_format("channels_first")
        layer = cls(1, mode="replicate")
        assert layer.get_config()["data_format"] == "channels_first"
        assert getattr(keras.layers, KERAS_ZERO[n])(1).get_config()["data_format"] == "channels_first"
    finally:
        keras.config.set_image_data_format(previous)
    assert cls(1, mode="replicate").get_config()["data_format"] == "channels_last"


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_constant_mode_equals_zeropadding(tf, layers, n, data_format):
    import keras

    padding = {1: (1, 2), 2: ((1, 2), (0, 3)), 3: ((1, 2), (0, 3), (2, 0))}[n]
    x = _input(n, [3] * n, data_format)
    zero = getattr(keras.layers, KERAS_ZERO[n])(padding, data_format=data_format)(x)
    ours = getattr(layers, LAYERS[n])(padding, mode="constant", data_format=data_format)
    np.testing.assert_array_equal(np.asarray(ours(x)), np.asarray(zero))
    unknown = (None,) * n + (2,) if data_format == "channels_last" else (2,) + (None,) * n
    model = keras.Sequential([keras.Input(unknown), ours])
    assert model.output_shape == (None, *unknown)


BAD_PADDING: dict[
    int, list[Any]
] = {  # Keras's own invalid cases for each ZeroPaddingND, plus forms Keras lets through by mistake
    1: [(1,), (1, 2, 3), "1", None, -1, (1, -2), 1.5, (1.5, 2), True],
    2: [(1,), (1, 2, 3), "1", ((1, 2), (3, 4, 5)), ((1, 2), (3, -4)), ((1, 2), "3"), 1.5, None, -1, (True, 1)],
    3: [
        (1,),
        (1, 2),
        (1, 2, 3, 4),
        "1",
        ((1, 2), (3, 4), (5, 6, 7)),
        ((1, 2), (3, 4), (5, -6)),
        ((1, 2), (3, 4), "5"),
        1.5,
    ],
}
KERAS_LETS_THROUGH = {1: [(1.5, 2), True], 2: [-1, (True, 1)], 3: []}


@pytest.mark.parametrize("n, padding", [(n, p) for n, cases in BAD_PADDING.items() for p in cases])
def test_bad_padding_is_a_value_error_as_in_keras(tf, layers, n, padding):
    """Keras's ZeroPaddingND raise ValueError for a bad padding; so do ours (also where Keras accepts one by mistake)."""
    import keras

    with pytest.raises(ValueError, match=f"{LAYERS[n]} padding must be"):
        getattr(layers, LAYERS[n])(padding)
    if not any(padding is q or padding == q and type(padding) is type(q) for q in KERAS_LETS_THROUGH[n]):
        with pytest.raises(ValueError):
            getattr(keras.layers, KERAS_ZERO[n])(padding)


def test_empty_axis_names_the_cause(tf, layers):
    import keras

    with pytest.raises(
        ValueError, match=r"Padding1D: axis 1 is empty \(length 0\): mode 'replicate' has no values to pad it with"
    ):
        keras.Sequential([keras.Input((0, 1)), layers.Padding1D(1, mode="replicate")])
