"""Receptive field, effective stride and first centre of every layer in a stack (Araujo et al., Distill 2019)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ._checks import as_int
from ._shapes import effective_kernel_size, output_size, padding_amounts

if TYPE_CHECKING:
    from ._types import Padding

    LayerSpec = tuple[int, int, int, Padding]
    """``(kernel_size, stride, dilation, padding)`` of one layer."""

T = TypeVar("T")


class ReceptiveField(NamedTuple):
    """One layer's geometry, in input cells.

    ``size``: how many input cells (along one axis) one output sees;
    ``jump``: how far apart in the input two neighbouring outputs are (the
    product of the strides so far); ``start``: where the centre of the first
    output's field lies (input cell 0 is at 0; it can be negative or a half).
    A plain tuple ``(size, jump, start)`` compares equal.
    """

    size: int
    jump: int
    start: float


def receptive_field(layers: Sequence[LayerSpec] | Any, *, input_size: int | None = None) -> list[ReceptiveField]:
    """The receptive field after every layer of a stack, along one spatial axis.

    ``layers`` is a list of ``(kernel_size, stride, dilation, padding)``
    tuples, ``padding`` as in :func:`padlib.padding_amounts`; or a Keras
    model (a chain of convolutions, poolings, zero paddings and layers that
    act on each cell alone), read from its layers, giving one record per
    layer of ``model.layers`` after the input. With ``k_eff = dilation *
    (kernel_size - 1) + 1`` and ``p`` the padding before, layer ``l`` gives::

        size_l  = size_{l-1} + (k_eff - 1) * jump_{l-1}       (size_0 = 1)
        jump_l  = jump_{l-1} * stride                          (jump_0 = 1)
        start_l = start_{l-1} + ((k_eff - 1) / 2 - p) * jump_{l-1}   (start_0 = 0)

    so ``size = sum((k_l_eff - 1) * prod(s_i for i < l)) + 1``. TensorFlow's
    ``"same"`` padding at a stride above 1 depends on the size of the layer's
    input: give ``input_size`` (a Keras model's own input size is used).

    AlexNet up to pool5 (conv1 11/4, pool 3/2, conv 5 pad 2, pool 3/2, three
    convs 3 pad 1, pool 3/2):

    >>> alexnet = [(11, 4, 1, 0), (3, 2, 1, 0), (5, 1, 1, 2), (3, 2, 1, 0),
    ...            (3, 1, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1), (3, 2, 1, 0)]
    >>> receptive_field(alexnet)[-1]
    ReceptiveField(size=195, jump=32, start=33.0)
    >>> receptive_field([(3, 1, 2, "same"), (3, 2, 1, "same")], input_size=8)   # SAME pads (0, 1) at stride 2
    [ReceptiveField(size=5, jump=1, start=0.0), ReceptiveField(size=7, jump=2, start=1.0)]
    """
    if hasattr(layers, "layers") and not isinstance(layers, Sequence):
        layers, model_size = _from_keras(layers)
        input_size = model_size if input_size is None else input_size
    if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
        raise TypeError(
            f"layers must be a list of (kernel_size, stride, dilation, padding) tuples or a Keras model; got {layers!r}"
        )
    n = None if input_size is None else as_int(input_size, "input_size", minimum=1)
    size, jump, start = 1, 1, 0.0
    records: list[ReceptiveField] = []
    for i, layer in enumerate(layers):
        if isinstance(layer, (str, bytes)) or not isinstance(layer, Sequence) or len(layer) != 4:
            raise ValueError(f"layers[{i}] must be a (kernel_size, stride, dilation, padding) tuple; got {layer!r}")
        k, s, d, padding = layer
        span = effective_kernel_size(k, d)
        s = as_int(s, f"layers[{i}] stride", minimum=1)
        if n is None and isinstance(padding, str) and padding.lower() == "same" and s > 1:
            raise ValueError(
                f"layers[{i}] has padding 'same' with stride {s}: how much TensorFlow pads before depends on the size of "
                f"the layer's input; pass input_size="
            )
        before = padding_amounts(n if n is not None else 1, k, stride=s, dilation=d, padding=padding)[0]
        size, start, jump = size + (span - 1) * jump, start + ((span - 1) / 2 - before) * jump, jump * s
        if n is not None:
            n = output_size(n, k, stride=s, dilation=d, padding=padding)
        records.append(ReceptiveField(size, jump, start))
    return records


def _from_keras(model: Any) -> tuple[list[LayerSpec], int | None]:
    """A Keras model as ``(kernel, stride, dilation, padding)`` tuples (one per layer after the input) and its input size."""
    import keras  # only here: ``import padlib`` must not import TensorFlow

    pointwise = (
        keras.layers.Activation,
        keras.layers.ReLU,
        keras.layers.LeakyReLU,
        keras.layers.BatchNormalization,
        keras.layers.Dropout,
        keras.layers.Rescaling,
        keras.layers.Normalization,
    )
    pooling = (
        keras.layers.MaxPooling1D,
        keras.layers.MaxPooling2D,
        keras.layers.AveragePooling1D,
        keras.layers.AveragePooling2D,
    )
    padding_layers = (keras.layers.ZeroPadding1D, keras.layers.ZeroPadding2D)
    convolutions = (
        keras.layers.Conv1D,
        keras.layers.Conv2D,
        keras.layers.DepthwiseConv2D,
        keras.layers.SeparableConv2D,
    )
    transposed = (keras.layers.Conv1DTranspose, keras.layers.Conv2DTranspose)
    tuples: list[LayerSpec] = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, pointwise):
            tuples.append((1, 1, 1, "valid"))
        elif isinstance(layer, padding_layers):
            pads = layer.padding if isinstance(layer, keras.layers.ZeroPadding1D) else _square(layer, layer.padding)
            tuples.append((1, 1, 1, tuple(pads)))
        elif isinstance(layer, pooling):
            tuples.append((_square(layer, layer.pool_size), _square(layer, layer.strides), 1, layer.padding))
        elif isinstance(layer, convolutions) and not isinstance(layer, transposed):
            tuples.append(
                (
                    _square(layer, layer.kernel_size),
                    _square(layer, layer.strides),
                    _square(layer, layer.dilation_rate),
                    layer.padding,
                )
            )
        else:
            raise ValueError(
                f"receptive_field reads convolutions, poolings, zero paddings and per-cell layers (activations, "
                f"normalisation, dropout) in a chain; layer {layer.name!r} is a {type(layer).__name__}: pass the model up to "
                f"the layer before it, or a list of tuples"
            )
    shape = model.input_shape
    return tuples, (shape[1] if len(shape) > 2 else None)


def _square(layer: Any, values: Iterable[T]) -> T:
    """The one value of a per-axis attribute that is the same on every axis (else an error naming the layer)."""
    values = tuple(values)
    if len(set(values)) != 1:
        raise ValueError(
            f"receptive_field works along one axis, so layer {layer.name!r} must be the same on every axis; got {values}"
        )
    return values[0]
