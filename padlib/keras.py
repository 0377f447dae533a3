"""Keras 3 layers that pad with any padlib mode.

Keras has ``ZeroPadding1D/2D`` and the ``padding=`` argument of its
convolutions (valid, same, causal: always zeros) but no reflect, symmetric,
replicate or circular padding layer. :class:`Padding1D` and :class:`Padding2D`
add them, channels-last, with the same ``padding`` argument as
``ZeroPadding1D/2D``::

    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        Padding2D(1, mode="reflect"),
        keras.layers.Conv2D(32, 3),          # valid: 30x30 -> 28x28
    ])

Importing this module imports Keras (and so TensorFlow); ``import padlib`` does not.
"""

from __future__ import annotations

import keras
from keras import ops

from ._checks import as_int
from ._modes import resolve_mode

__all__ = ["Padding1D", "Padding2D"]


class _Padding(keras.layers.Layer):
    """Pads the spatial axes of a channels-last batch; the subclasses fix how many."""

    n_spatial = 0

    def __init__(self, padding=1, mode="reflect", value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.padding = self._normalize_padding(padding)
        self.mode = resolve_mode(mode).name
        if self.mode != "constant" and value != 0:
            raise ValueError(f"value is only used by mode 'constant'; mode {self.mode!r} takes no value (got value={value!r})")
        self.value = float(value)
        self.input_spec = keras.layers.InputSpec(ndim=self.n_spatial + 2)

    def _normalize_padding(self, padding):
        raise NotImplementedError

    def _check_sizes(self, shape):
        limits = resolve_mode(self.mode)
        for axis, (before, after) in enumerate(self.padding, start=1):
            n = shape[axis]
            if n is None:
                continue
            limit = limits.limit(n)
            if self.mode == "replicate" and n == 0:
                limit = 0
            if limit is not None and max(before, after) > limit:
                raise ValueError(
                    f"{type(self).__name__}: padding ({before}, {after}) on axis {axis} is too large for mode "
                    f"{self.mode!r}: an axis of length {n} can be padded by at most {limit} on each side"
                )

    def build(self, input_shape):
        self._check_sizes(input_shape)
        super().build(input_shape)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in enumerate(self.padding, start=1):
            if shape[axis] is not None:
                shape[axis] = shape[axis] + before + after
        return tuple(shape)

    def call(self, inputs):
        if self.mode == "constant":
            widths = [(0, 0), *self.padding, (0, 0)]
            return ops.pad(inputs, widths, mode="constant", constant_values=self.value)
        x = inputs
        for axis, (before, after) in enumerate(self.padding, start=1):
            x = self._pad_axis(x, axis, before, after)
        return x

    def _pad_axis(self, x, axis, before, after):
        """Concatenate slices of ``x`` along ``axis``: works for any backend and unknown sizes."""

        def take(start, stop):
            return x[(slice(None),) * axis + (slice(start, stop),)]

        parts = []
        if before:
            parts.append(
                {
                    "reflect": lambda: ops.flip(take(1, before + 1), axis=axis),
                    "symmetric": lambda: ops.flip(take(0, before), axis=axis),
                    "replicate": lambda: ops.repeat(take(0, 1), before, axis=axis),
                    "circular": lambda: take(-before, None),
                }[self.mode]()
            )
        parts.append(x)
        if after:
            parts.append(
                {
                    "reflect": lambda: ops.flip(take(-after - 1, -1), axis=axis),
                    "symmetric": lambda: ops.flip(take(-after, None), axis=axis),
                    "replicate": lambda: ops.repeat(take(-1, None), after, axis=axis),
                    "circular": lambda: take(0, after),
                }[self.mode]()
            )
        return ops.concatenate(parts, axis=axis) if len(parts) > 1 else x

    def get_config(self):
        return {**super().get_config(), "padding": self.padding, "mode": self.mode, "value": self.value}


@keras.saving.register_keras_serializable(package="padlib")
class Padding1D(_Padding):
    """Pad the time axis of ``(batch, steps, channels)`` with any padlib mode.

    ``padding``: an int (both sides) or ``(left, right)``, as in
    ``keras.layers.ZeroPadding1D``. ``mode``: any of ``padlib.MODES``.
    ``value``: the fill for ``mode="constant"``.
    """

    n_spatial = 1

    def _normalize_padding(self, padding):
        if isinstance(padding, (tuple, list)):
            if len(padding) != 2:
                raise ValueError(f"Padding1D padding must be an int or (left, right); got {padding!r}")
            return ((as_int(padding[0], "padding"), as_int(padding[1], "padding")),)
        p = as_int(padding, "padding")
        return ((p, p),)


@keras.saving.register_keras_serializable(package="padlib")
class Padding2D(_Padding):
    """Pad height and width of ``(batch, height, width, channels)`` with any padlib mode.

    ``padding``, as in ``keras.layers.ZeroPadding2D``: an int (all four
    sides), ``(vertical, horizontal)`` (each on both sides), or
    ``((top, bottom), (left, right))``. ``mode``: any of ``padlib.MODES``.
    ``value``: the fill for ``mode="constant"``.
    """

    n_spatial = 2

    def _normalize_padding(self, padding):
        message = f"Padding2D padding must be an int, (vertical, horizontal) or ((top, bottom), (left, right)); got {padding!r}"
        if isinstance(padding, (tuple, list)):
            if len(padding) != 2:
                raise ValueError(message)
            pairs = []
            for item in padding:
                if isinstance(item, (tuple, list)):
                    if len(item) != 2:
                        raise ValueError(message)
                    pairs.append((as_int(item[0], "padding"), as_int(item[1], "padding")))
                else:
                    p = as_int(item, "padding")
                    pairs.append((p, p))
            return tuple(pairs)
        p = as_int(padding, "padding")
        return ((p, p), (p, p))
