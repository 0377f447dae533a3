"""padding_amounts / output_size: literal cases, TensorFlow's shapes as the oracle, errors."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import padlib


@pytest.mark.parametrize(
    "size, kernel, stride, dilation, padding, amounts, out",
    [
        (8, 3, 1, 1, "valid", (0, 0), 6),
        (8, 3, 1, 1, "same", (1, 1), 8),
        (8, 3, 2, 1, "valid", (0, 0), 3),
        (8, 3, 2, 1, "same", (0, 1), 4),  # odd total: the extra cell goes after (bottom/right)
        (8, 3, 1, 1, "full", (2, 2), 10),
        (8, 3, 1, 1, "causal", (2, 0), 8),
        (10, 3, 1, 2, "causal", (4, 0), 10),
        (8, 4, 1, 1, "same", (1, 2), 8),  # even kernel: TensorFlow puts the larger half after
        (224, 7, 2, 1, "same", (2, 3), 112),
        (225, 7, 2, 1, "same", (3, 3), 113),
        (112, 3, 2, 1, "same", (0, 1), 56),
        (9, 3, 1, 3, "same", (3, 3), 9),
        (5, 1, 3, 1, "same", (0, 0), 2),
        (8, 3, 1, 1, 2, (2, 2), 10),
        (8, 3, 1, 1, (0, 1), (0, 1), 7),
        (8, 3, 1, 1, "SAME", (1, 1), 8),
    ],
)
def test_literal_cases(size, kernel, stride, dilation, padding, amounts, out):
    kw = dict(stride=stride, dilation=dilation, padding=padding)
    assert padlib.padding_amounts(size, kernel, **kw) == amounts
    assert padlib.output_size(size, kernel, **kw) == out


def test_kernel_sizes_on_the_8x8_example():
    assert [padlib.output_size(8, k) for k in (1, 3, 5, 8)] == [8, 6, 4, 1]


def test_same_keeps_ceil_size_over_stride_and_causal_never_looks_ahead():
    for size in range(1, 30):
        for kernel in range(1, 8):
            for stride in (1, 2, 3):
                assert padlib.output_size(size, kernel, stride=stride, padding="same") == math.ceil(size / stride)
                before, after = padlib.padding_amounts(size, kernel, stride=stride, padding="causal")
                assert after == 0 and before == kernel - 1


settings_tf = settings(max_examples=120, deadline=None)


@settings_tf
@given(
    size=st.integers(1, 24),
    kernel=st.integers(1, 6),
    stride=st.integers(1, 4),
    dilation=st.integers(1, 3),
    padding=st.sampled_from(["VALID", "SAME"]),
)
def test_output_size_matches_tensorflow(tf, size, kernel, stride, dilation, padding):
    eff = dilation * (kernel - 1) + 1
    if padding == "VALID" and eff > size:
        with pytest.raises(ValueError, match="larger than the padded input"):
            padlib.output_size(size, kernel, stride=stride, dilation=dilation, padding=padding)
        return
    x = tf.zeros((1, size, 3, 1))
    k = tf.zeros((kernel, 1, 1, 1))
    got = tf.nn.conv2d(x, k, strides=[1, stride, 1, 1], padding=padding, dilations=[1, dilation, 1, 1]).shape[1]
    assert padlib.output_size(size, kernel, stride=stride, dilation=dilation, padding=padding) == got


@settings(max_examples=60, deadline=None)
@given(size=st.integers(1, 20), kernel=st.integers(1, 5), dilation=st.integers(1, 3), stride=st.integers(1, 3))
def test_causal_matches_keras_conv1d(tf, size, kernel, dilation, stride):
    import keras

    assume(stride == 1 or dilation == 1)  # Keras refuses strides > 1 together with dilation_rate > 1
    layer = keras.layers.Conv1D(1, kernel, strides=stride, dilation_rate=dilation, padding="causal")
    got = layer.compute_output_shape((None, size, 1))[1]
    assert padlib.output_size(size, kernel, stride=stride, dilation=dilation, padding="causal") == got


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"padding": "zero"},
            ValueError,
            "padding must be one of 'valid', 'same', 'full', 'causal', an int >= 0 or a .before, after. pair; got 'zero'",
        ),
        ({"padding": -1}, ValueError, "padding must be an integer >= 0; got -1"),
        ({"padding": (1, 2, 3)}, ValueError, "padding must be one of"),
        ({"padding": 1.5}, ValueError, "padding must be one of"),
        ({"stride": 0}, ValueError, "stride must be an integer >= 1; got 0"),
        ({"dilation": 0}, ValueError, "dilation must be an integer >= 1; got 0"),
        ({"stride": 1.0}, TypeError, "stride must be an integer >= 1"),
        ({"kernel_size": 0}, ValueError, "kernel_size must be an integer >= 1; got 0"),
        ({"size": 0}, ValueError, "size must be an integer >= 1; got 0"),
        (
            {"kernel_size": 9},
            ValueError,
            r"kernel_size 9 \(spanning 9 cells with dilation 1\) is larger than the padded input \(8 \+ 0 \+ 0 = 8 cells\)",
        ),
        ({"dilation": 4}, ValueError, r"spanning 9 cells with dilation 4"),
    ],
)
def test_bad_input_gets_a_clear_error(kwargs, error, match):
    args = {"size": 8, "kernel_size": 3, **kwargs}
    with pytest.raises(error, match=match):
        padlib.output_size(args.pop("size"), args.pop("kernel_size"), **args)


def test_padding_makes_room_for_a_large_kernel():
    assert padlib.output_size(8, 9, padding="same") == 8
    assert padlib.output_size(8, 9, padding=(1, 0)) == 1


def test_size_formula_ends_with_padlib_output_size():
    cases: list[tuple[int, int, int, int, str | tuple[int, int]]] = [
        (8, 3, 1, 1, "valid"),
        (224, 7, 2, 1, "same"),
        (10, 3, 1, 2, "causal"),
        (5, 2, 3, 1, (2, 1)),
    ]
    for n, k, s, d, p in cases:
        text = padlib.size_formula(n, k, stride=s, dilation=d, padding=p)
        before, after = padlib.padding_amounts(n, k, stride=s, dilation=d, padding=p)
        assert text.startswith(f"out = ⌊({n} + {before} + {after} − {d}·({k} − 1) − 1) / {s}⌋ + 1")
        assert text.endswith(f"= {padlib.output_size(n, k, stride=s, dilation=d, padding=p)}")
