"""padlib.impact_map: the seed article's numbers, and agreement with a brute-force reference."""

from __future__ import annotations

import time
from typing import Literal

import numpy as np
import pytest

import padlib

NUMPY_MODE: dict[str, Literal["constant", "reflect", "symmetric", "edge", "wrap"]] = {
    "constant": "constant",
    "reflect": "reflect",
    "symmetric": "symmetric",
    "replicate": "edge",
    "circular": "wrap",
}


def brute_force_impact(shape, k, *, layers, padding, mode, stride=1, dilation=1):
    """One one-hot image per pixel, padded with np.pad and convolved with explicit window loops."""
    result = np.zeros(shape)
    for i, j in np.ndindex(*shape):
        x = np.zeros(shape)
        x[i, j] = 1
        for _ in range(layers):
            amounts = [padlib.padding_amounts(n, k, stride=stride, dilation=dilation, padding=padding) for n in x.shape]
            xp = np.pad(x, amounts, mode=NUMPY_MODE[mode])
            span = dilation * (k - 1) + 1
            out_shape = [(n - span) // stride + 1 for n in xp.shape]
            y = np.zeros(out_shape)
            for r, c in np.ndindex(*out_shape):
                window = xp[r * stride : r * stride + span : dilation, c * stride : c * stride + span : dilation]
                y[r, c] = window.sum()
            x = y
        result[i, j] = x.sum()
    return result


def ring(m, depth):
    """The cells of ``m`` exactly ``depth`` cells from the border (corners of that ring excluded)."""
    inner = m[depth : -depth or None, depth : -depth or None]
    return np.concatenate([inner[0, 1:-1], inner[-1, 1:-1], inner[1:-1, 0], inner[1:-1, -1]])


def corners(m):
    return m[[0, 0, -1, -1], [0, -1, 0, -1]]


def test_valid_one_layer_matches_the_seed_article():
    m = padlib.impact_map((10, 10), 3, padding="valid")
    assert m.shape == (10, 10) and m.dtype == float
    assert set(corners(m)) == {1.0}
    # Along the edge: 2 next to a corner, 3 further along.
    assert list(m[0, :4]) == [1, 2, 3, 3] and list(m[:4, -1]) == [1, 2, 3, 3]
    assert set(m[0, 2:-2]) == set(m[2:-2, 0]) == {3.0}
    assert set(m[2:-2, 2:-2].ravel()) == {9.0}


def test_zero_same_one_layer_matches_the_seed_article():
    m = padlib.impact_map((10, 10), 3, padding="same", mode="constant")
    assert set(corners(m)) == {4.0}
    assert set(ring(m, 0)) == {6.0}
    assert set(m[1:-1, 1:-1].ravel()) == {9.0}


@pytest.mark.parametrize("mode", ["circular", "symmetric"])
def test_circular_and_symmetric_same_treat_every_pixel_alike(mode):
    assert np.array_equal(padlib.impact_map((10, 10), 3, padding="same", mode=mode), np.full((10, 10), 9.0))


def test_reflect_same_over_counts_the_second_row():
    # Reflect copies row 1 (not row 0) into the border, so row 1 gains and row 0 loses.
    m = padlib.impact_map((10, 10), 3, padding="same", mode="reflect")
    assert m[0, 5] == 6 and m[1, 5] == 12 and m[5, 5] == 9


@pytest.mark.parametrize(
    "shape, k, layers, padding, mode, stride, dilation",
    [
        ((10, 10), 3, 1, "valid", "constant", 1, 1),
        ((9, 7), 3, 2, "same", "reflect", 1, 1),
        ((8, 9), 3, 2, "same", "constant", 2, 1),
        ((8, 8), 2, 3, "full", "replicate", 1, 2),
        ((6, 5), 3, 1, "causal", "circular", 1, 1),
        ((7, 7), 3, 3, (2, 0), "symmetric", 1, 1),
    ],
)
def test_matches_brute_force(shape, k, layers, padding, mode, stride, dilation):
    expected = brute_force_impact(shape, k, layers=layers, padding=padding, mode=mode, stride=stride, dilation=dilation)
    got = padlib.impact_map(shape, k, layers=layers, padding=padding, mode=mode, stride=stride, dilation=dilation)
    np.testing.assert_array_equal(got, expected)


def test_five_layers_on_28x28_is_fast_and_valid_ignores_the_border():
    start = time.perf_counter()
    valid = padlib.impact_map((28, 28), 3, layers=5, padding="valid")
    same = padlib.impact_map((28, 28), 3, layers=5, padding="same")
    assert time.perf_counter() - start < 0.5
    assert valid[0, 0] == 1 and valid[14, 14] == 9**5
    assert same[0, 0] > valid[0, 0] and same[14, 14] == 9**5


def test_too_many_valid_layers_names_the_layer():
    with pytest.raises(ValueError, match=r"layer 5 of 5: kernel_size 3 .* larger than the padded input"):
        padlib.impact_map((10, 10), 3, layers=5, padding="valid")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"layers": 0}, "layers must be an integer >= 1"),
        ({"mode": "mirror"}, "mode 'mirror' is not supported"),
        ({"padding": "half"}, "padding must be one of"),
        ({"stride": (1, 2, 3)}, "stride must be an int or a sequence of 2 ints"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        padlib.impact_map((10, 10), 3, **kwargs)


def test_alias_modes_and_rectangular_kernels():
    np.testing.assert_array_equal(
        padlib.impact_map((6, 8), (1, 3), mode="wrap"), padlib.impact_map((6, 8), (1, 3), mode="circular")
    )
    m = padlib.impact_map((6, 8), (1, 3), padding="valid")
    assert set(m[:, 0]) == {1.0} and set(m[:, 3]) == {3.0}  # rows untouched by a 1-row kernel
