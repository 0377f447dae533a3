"""Keras's own ZeroPadding1D/2D/3D tests, ported to run against padlib's Padding1D/2D/3D.

Source: keras-team/keras, ``keras/src/layers/reshaping/zero_padding1d_test.py``,
``zero_padding2d_test.py`` and ``zero_padding3d_test.py`` (Keras is Apache-2.0 licensed,
Copyright The Keras Authors). Each Keras test is re-expressed here, not copied.

Adaptations:

- The layer under test is ``padlib.keras.PaddingND(..., mode=m)``. Keras's tests check zeros
  in the border and the input in the middle; for ``mode="constant"`` the same is checked
  literally, and for every other mode the border is checked against ``padlib.pad`` and the
  middle against the input (the only shared mode is constant: zeros).
- ``absl.testing.parameterized`` becomes ``pytest.mark.parametrize``; ``self.assertAllClose``
  becomes ``np.testing.assert_allclose``; Keras's ``testing.TestCase`` is not needed.
- get_config: Keras's expected dict plus padlib's two extra keys, ``mode`` and ``value``.
- Bad ``padding`` values: Keras's own invalid cases raise ``ValueError`` here as in Keras.
"""

from __future__ import annotations

import numpy as np
import pytest

import padlib

MODES = list(padlib.MODES)


@pytest.fixture(scope="module")
def keras(tf):
    import keras

    return keras


@pytest.fixture(scope="module")
def L(tf):
    import padlib.keras

    return padlib.keras


def check_borders(outputs, inputs, pairs, mode, data_format):
    """Keras's checks (zeros at each border index, the input in the middle), for any mode."""
    outputs = np.asarray(outputs)
    first = 1 if data_format == "channels_last" else 2
    axes = tuple(range(first, first + len(pairs)))
    middle = [slice(None)] * outputs.ndim
    for axis, (before, after) in zip(axes, pairs, strict=True):
        middle[axis] = slice(before, outputs.shape[axis] - after)
    np.testing.assert_allclose(outputs[tuple(middle)], inputs)
    expected = padlib.pad(inputs, pairs, mode, axes=axes)
    for axis, (before, after) in zip(axes, pairs, strict=True):
        for index in [*range(before), *range(-after, 0)]:
            border = [slice(None)] * outputs.ndim
            border[axis] = index
            np.testing.assert_allclose(outputs[tuple(border)], expected[tuple(border)])
            if mode == "constant":
                np.testing.assert_allclose(outputs[tuple(border)], 0.0)


# --- ZeroPadding1D ------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_padding_1d(L, mode):
    inputs = np.random.rand(1, 4, 3)
    outputs = L.Padding1D(padding=(1, 2), mode=mode)(inputs)
    check_borders(outputs, inputs, ((1, 2),), mode, "channels_last")


@pytest.mark.parametrize("padding", [(2, 2), 2], ids=["one_tuple", "one_int"])
@pytest.mark.parametrize("mode", MODES)
def test_padding_1d_with_same_padding(L, mode, padding):
    inputs = np.random.rand(1, 3, 3)
    outputs = L.Padding1D(padding=padding, mode=mode)(inputs)
    check_borders(outputs, inputs, ((2, 2),), mode, "channels_last")


def test_padding_1d_with_dynamic_spatial_dim(keras, L):
    assert L.Padding1D((1, 2))(keras.layers.Input(batch_shape=(1, None, 3))).shape == (1, None, 3)
    assert L.Padding1D((1, 2))(keras.layers.Input(batch_shape=(1, 3, 3))).shape == (1, 6, 3)


@pytest.mark.parametrize("padding", [(1,), (1, 2, 3), "1"])
def test_padding_1d_errors_if_padding_argument_invalid(L, padding):
    with pytest.raises(ValueError):
        L.Padding1D(padding)


def test_padding_1d_get_config(keras, L):
    layer = L.Padding1D(padding=(1, 2))
    assert layer.get_config() == {
        "dtype": keras.dtype_policies.serialize(layer.dtype_policy),
        "name": layer.name,
        "padding": (1, 2),
        "trainable": layer.trainable,
        "data_format": "channels_last",
        "mode": "reflect",
        "value": None,
    }


# --- ZeroPadding2D ------------------------------------------------------------------------


@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
@pytest.mark.parametrize("mode", MODES)
def test_padding_2d(L, mode, data_format):
    inputs = np.random.rand(1, 5, 5, 5)  # Keras uses (1, 2, 3, 4); reflect needs axes longer than the pad
    outputs = L.Padding2D(padding=((1, 2), (3, 4)), mode=mode, data_format=data_format)(inputs)
    check_borders(outputs, inputs, ((1, 2), (3, 4)), mode, data_format)


@pytest.mark.parametrize("padding", [((2, 2), (2, 2)), (2, 2), 2], ids=["two_tuples", "one_tuple", "one_int"])
@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
@pytest.mark.parametrize("mode", MODES)
def test_padding_2d_with_same_padding(L, mode, padding, data_format):
    inputs = np.random.rand(1, 3, 3, 3)
    outputs = L.Padding2D(padding=padding, mode=mode, data_format=data_format)(inputs)
    check_borders(outputs, inputs, ((2, 2), (2, 2)), mode, data_format)


def test_padding_2d_with_dynamic_spatial_dim(keras, L):
    if keras.config.image_data_format() == "channels_last":
        padded = L.Padding2D(((1, 2), (3, 4)), mode="constant")(keras.layers.Input(batch_shape=(1, 2, None, 4)))
        assert padded.shape == (1, 5, None, 4)
    else:
        padded = L.Padding2D(((1, 2), (3, 4)), mode="constant")(keras.layers.Input(batch_shape=(1, 4, 2, None)))
        assert padded.shape == (1, 4, 5, None)


@pytest.mark.parametrize("padding", [(1,), (1, 2, 3), "1", ((1, 2), (3, 4, 5)), ((1, 2), (3, -4)), ((1, 2), "3")])
def test_padding_2d_errors_if_padding_argument_invalid(L, padding):
    with pytest.raises(ValueError):
        L.Padding2D(padding)


@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
def test_padding_2d_get_config(keras, L, data_format):
    layer = L.Padding2D(padding=(1, 2), data_format=data_format)
    assert layer.get_config() == {
        "data_format": data_format,
        "dtype": keras.dtype_policies.serialize(layer.dtype_policy),
        "name": layer.name,
        "padding": ((1, 1), (2, 2)),
        "trainable": layer.trainable,
        "mode": "reflect",
        "value": None,
    }


# --- ZeroPadding3D ------------------------------------------------------------------------


@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
@pytest.mark.parametrize("mode", MODES)
def test_padding_3d(L, mode, data_format):
    inputs = np.random.rand(1, 5, 5, 5, 5)  # Keras uses (1, 2, 3, 4, 5); see test_padding_2d
    outputs = L.Padding3D(padding=((1, 2), (3, 4), (0, 2)), mode=mode, data_format=data_format)(inputs)
    check_borders(outputs, inputs, ((1, 2), (3, 4), (0, 2)), mode, data_format)


@pytest.mark.parametrize(
    "padding", [((2, 2), (2, 2), (2, 2)), (2, 2, 2), 2], ids=["three_tuples", "one_tuple", "one_int"]
)
@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
@pytest.mark.parametrize("mode", MODES)
def test_padding_3d_with_same_padding(L, mode, padding, data_format):
    inputs = np.random.rand(1, 3, 3, 3, 3)
    outputs = L.Padding3D(padding=padding, mode=mode, data_format=data_format)(inputs)
    check_borders(outputs, inputs, ((2, 2),) * 3, mode, data_format)


def test_padding_3d_with_dynamic_spatial_dim(keras, L):
    if keras.config.image_data_format() == "channels_last":
        padded = L.Padding3D(((1, 2), (3, 4), (5, 6)), mode="constant")(
            keras.layers.Input(batch_shape=(1, 2, None, 4, 5))
        )
        assert padded.shape == (1, 5, None, 15, 5)
    else:
        padded = L.Padding3D(((1, 2), (3, 4), (5, 6)), mode="constant")(
            keras.layers.Input(batch_shape=(1, 5, 2, None, 4))
        )
        assert padded.shape == (1, 5, 5, None, 15)


@pytest.mark.parametrize(
    "padding",
    [(1,), (1, 2), (1, 2, 3, 4), "1", ((1, 2), (3, 4), (5, 6, 7)), ((1, 2), (3, 4), (5, -6)), ((1, 2), (3, 4), "5")],
)
def test_padding_3d_errors_if_padding_argument_invalid(L, padding):
    with pytest.raises(ValueError):
        L.Padding3D(padding=padding)


@pytest.mark.parametrize("data_format", ["channels_first", "channels_last"])
def test_padding_3d_get_config(keras, L, data_format):
    layer = L.Padding3D(padding=(1, 2, 3), data_format=data_format)
    assert layer.get_config() == {
        "data_format": data_format,
        "dtype": keras.dtype_policies.serialize(layer.dtype_policy),
        "name": layer.name,
        "padding": ((1, 1), (2, 2), (3, 3)),
        "trainable": layer.trainable,
        "mode": "reflect",
        "value": None,
    }


@pytest.mark.parametrize("n", [1, 2, 3])
def test_config_keys_are_keras_keys_plus_mode_and_value(keras, L, n):
    ours = getattr(L, f"Padding{n}D")(1).get_config()
    theirs = getattr(keras.layers, f"ZeroPadding{n}D")(1).get_config()
    assert set(ours) == set(theirs) | {"mode", "value"}
    assert ours["padding"] == theirs["padding"] and ours["data_format"] == theirs["data_format"]
