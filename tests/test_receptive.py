"""receptive_field: the closed form against brute force (TF's gradient of one output), VGG-16 and AlexNet, Keras models, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import padlib

ALEXNET = [
    (11, 4, 1, 0),
    (3, 2, 1, 0),
    (5, 1, 1, 2),
    (3, 2, 1, 0),
    (3, 1, 1, 1),
    (3, 1, 1, 1),
    (3, 1, 1, 1),
    (3, 2, 1, 0),
]


def test_alexnet_pool5_sees_195_pixels():
    records = padlib.receptive_field(ALEXNET)
    assert [r.size for r in records] == [11, 19, 51, 67, 99, 131, 163, 195]
    assert records[-1] == (195, 32, 33.0)
    sizes = [227]
    for k, s, d, p in ALEXNET:
        sizes.append(padlib.output_size(sizes[-1], k, stride=s, dilation=d, padding=p))
    assert sizes == [227, 55, 27, 27, 13, 13, 13, 13, 6]


def test_vgg16_pool5_from_the_keras_model(tf):
    import keras

    vgg = keras.applications.VGG16(weights=None, include_top=False, input_shape=(224, 224, 3))
    records = padlib.receptive_field(vgg)
    assert len(records) == len(vgg.layers) - 1
    assert vgg.layers[-1].name == "block5_pool"
    assert records[-1] == (212, 32, 15.5)
    assert [r.size for r, layer in zip(records, vgg.layers[1:], strict=True) if layer.name.endswith("pool")] == [
        6,
        16,
        44,
        100,
        212,
    ]


def test_keras_model_with_same_stride_padding_and_zero_padding(tf):
    import keras

    model = keras.Sequential(
        [
            keras.Input((10, 10, 1)),
            keras.layers.ZeroPadding2D(1),
            keras.layers.Conv2D(2, 3, strides=2, padding="same"),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.MaxPooling2D(3, strides=2, padding="same"),
        ]
    )
    same = padlib.padding_amounts(12, 3, stride=2, padding="same")  # (0, 1): the SAME rule on the padded 12 cells
    expected = padlib.receptive_field(
        [(1, 1, 1, (1, 1)), (3, 2, 1, same), (1, 1, 1, 0), (1, 1, 1, 0), (3, 2, 1, "same")], input_size=10
    )
    assert padlib.receptive_field(model) == expected
    # by hand: zero padding moves the start to -1, the conv (pads 0 before) to -1 + 1 = 0, the pool on the
    # conv's 6 cells (SAME pads 0 before) to 0 + 1 * 2 = 2; size 1 + 2 + 2 * 2 = 7, jump 2 * 2 = 4
    assert expected[-1] == (7, 4, 2.0)


def _brute_force(tf, layers, n):
    """The input cells the middle output of a stack of all-ones convolutions / average poolings depends on."""
    x = tf.Variable(np.zeros((1, n, 1, 1), np.float32))
    with tf.GradientTape() as tape:
        h = x
        for k, s, d, p in layers:
            if isinstance(p, int):
                h, p = tf.pad(h, [[0, 0], [p, p], [0, 0], [0, 0]]), "VALID"
            ones = tf.ones((k, 1, 1, 1))
            h = tf.nn.atrous_conv2d(h, ones, d, p.upper()) if d > 1 else tf.nn.conv2d(h, ones, (s, 1), p.upper()) / k
        middle = h.shape[1] // 2
        y = h[0, middle, 0, 0]
    touched = np.flatnonzero(tape.gradient(y, x).numpy().ravel())
    return middle, touched.min(), touched.max()


@st.composite
def stack(draw):
    layers = []
    for _ in range(draw(st.integers(1, 4))):
        k, s = draw(st.integers(1, 4)), draw(st.integers(1, 3))
        d = draw(st.integers(1, 3)) if s == 1 else 1  # TF: no stride and dilation together
        p = draw(st.sampled_from(["valid", "same", 0, 1, 2])) if d == 1 else draw(st.sampled_from(["valid", "same"]))
        layers.append((k, s, d, p))
    return layers, draw(st.integers(100, 300))


@settings(max_examples=40, deadline=None)
@given(stack())
def test_closed_form_matches_the_gradient_of_one_output(tf, case):
    layers, n = case
    try:
        last = padlib.receptive_field(layers, input_size=n)[-1]
    except ValueError:
        assume(False)
    sizes = [n]
    for k, s, d, p in layers:
        sizes.append(padlib.output_size(sizes[-1], k, stride=s, dilation=d, padding=p))
    middle = sizes[-1] // 2
    centre = last.start + middle * last.jump
    span = (centre - (last.size - 1) / 2, centre + (last.size - 1) / 2)
    # an output deep inside, whose field lies in the input: its extreme taps then reach real cells at every layer
    assume(sizes[-1] >= 5 and span[0] >= 0 and span[1] <= n - 1)
    assert _brute_force(tf, layers, n) == (middle, *span)


def test_same_at_stride_one_needs_no_input_size():
    assert padlib.receptive_field([(3, 1, 1, "same"), (4, 1, 1, "same")]) == [(3, 1, 0.0), (6, 1, 0.5)]


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: padlib.receptive_field([(3, 2, 1, "same")]),
            ValueError,
            r"padding 'same' with stride 2: .* pass input_size=",
        ),
        (
            lambda: padlib.receptive_field([(3, 2, 1)]),
            ValueError,
            r"layers\[0\] must be a \(kernel_size, stride, dilation, padding\) tuple",
        ),
        (
            lambda: padlib.receptive_field([(3, 0, 1, 0)]),
            ValueError,
            r"layers\[0\] stride must be an integer >= 1; got 0",
        ),
        (lambda: padlib.receptive_field([(3, 1, 1, "middle")]), ValueError, "padding must be one of 'valid', 'same'"),
        (lambda: padlib.receptive_field("vgg"), TypeError, "layers must be a list of"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_keras_layer_it_cannot_read_is_named(tf):
    import keras

    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(1, 3), keras.layers.Flatten()])
    with pytest.raises(ValueError, match="layer 'flatten.*' is a Flatten"):
        padlib.receptive_field(model)
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(1, (3, 1))])
    with pytest.raises(ValueError, match=r"must be the same on every axis; got \(3, 1\)"):
        padlib.receptive_field(model)
