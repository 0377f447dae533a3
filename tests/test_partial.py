"""conv2d(padding_mode="partial"): Liu et al.'s partial-convolution padding, worked by hand and against TF."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import padlib

BOX = np.ones((3, 3)) / 9


def test_box_filter_on_ones_gives_one_everywhere():
    zero = padlib.conv2d(np.ones((5, 5)), BOX, padding="same")
    np.testing.assert_allclose([zero[0, 0], zero[0, 2], zero[2, 2]], [4 / 9, 6 / 9, 1])
    np.testing.assert_allclose(
        padlib.conv2d(np.ones((5, 5)), BOX, padding="same", padding_mode="partial"), np.ones((5, 5))
    )


def test_valid_padding_is_unchanged_and_empty_windows_give_zero():
    x = np.random.default_rng(0).normal(size=(6, 6))
    np.testing.assert_array_equal(padlib.conv2d(x, BOX, padding_mode="partial"), padlib.conv2d(x, BOX))
    # padding 3 with a 3x3 kernel: the corner window holds only padding, so it gives 0 (as in the paper)
    out = padlib.conv2d(np.ones((2, 2)), np.ones((3, 3)), padding=3, padding_mode="partial")
    assert out[0, 0] == 0 and out[3, 3] == 9


@settings(max_examples=40, deadline=None)
@given(h=st.integers(1, 8), w=st.integers(1, 8), k=st.integers(1, 4), s=st.integers(1, 3), seed=st.integers(0, 999))
def test_partial_matches_tf_zero_padded_conv_scaled_by_the_mask(tf, h, w, k, s, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, h, w, 2)).astype(np.float32)
    kernel = rng.normal(size=(k, k, 2, 3)).astype(np.float32)
    conv = tf.nn.conv2d(x, kernel, s, "SAME").numpy()
    real = tf.nn.conv2d(np.ones((1, h, w, 1), np.float32), np.ones((k, k, 1, 1), np.float32), s, "SAME").numpy()
    expected = conv * (k * k / real)
    got = padlib.conv2d(x, kernel, stride=s, padding="same", padding_mode="partial")
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_partial_takes_no_fill_value():
    with pytest.raises(ValueError, match="padding_mode 'partial' pads with zeros and takes no value; got value=1"):
        padlib.conv2d(np.ones((3, 3)), BOX, padding="same", padding_mode="partial", value=1)
