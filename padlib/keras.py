"""Keras 3 layers that pad with any padlib mode.

Keras has ``ZeroPadding1D/2D/3D`` and the ``padding=`` argument of its
convolutions (valid, same, causal: always zeros) but no reflect, symmetric,
replicate or circular padding layer. :class:`Padding1D`, :class:`Padding2D`
and :class:`Padding3D` add them, with the same ``padding`` and
``data_format`` arguments as ``ZeroPadding1D/2D/3D``::

    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        Padding2D(1, mode="reflect"),
        keras.layers.Conv2D(32, 3),          # valid: 30x30 -> 28x28
    ])

Importing this module imports Keras (and so TensorFlow); ``import padlib`` does not.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn, Self, TypeGuard

import keras
from keras import ops

from ._modes import resolve_mode

if TYPE_CHECKING:
    from ._types import Pair

Tensor = Any  # a Keras tensor of any backend (Keras ships no types)

__all__ = ["Padding1D", "Padding2D", "Padding3D"]

DATA_FORMATS = ("channels_last", "channels_first")


class _Padding(keras.layers.Layer):  # type: ignore[misc]  # Keras ships no types: its Layer is Any to mypy
    """Pads the spatial axes of a batch; the subclasses fix how many and how ``padding`` reads.

    ``self.padding`` is what the matching ``ZeroPaddingND`` layer stores (and so what
    ``get_config`` returns); ``self.pairs`` is one (before, after) pair per spatial axis.
    """

    n_spatial = 0
    forms = ""  # the accepted forms of ``padding``, for error messages

    def __init__(
        self,
        padding: int | Sequence[int] | Sequence[int | Sequence[int]] = 1,
        mode: str = "reflect",
        value: float | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.pairs = self._read_padding(padding)
        self.padding = self.pairs[0] if self.n_spatial == 1 else self.pairs
        self.mode = resolve_mode(mode).name
        if self.mode != "constant" and value is not None:
            raise ValueError(
                f"{type(self).__name__}: value is only used by mode 'constant'; mode {self.mode!r} takes no value "
                f"(got value={value!r})"
            )
        if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
            raise TypeError(
                f"{type(self).__name__}: value must be a real number; got {value!r} ({type(value).__name__})"
            )
        self.value = None if value is None else float(value)
        if data_format is None:
            data_format = keras.config.image_data_format()
        if data_format not in DATA_FORMATS:
            raise ValueError(
                f"{type(self).__name__}: data_format must be one of {', '.join(map(repr, DATA_FORMATS))} "
                f"(or None for keras.config.image_data_format()); got {data_format!r}"
            )
        self.data_format = data_format
        self.input_spec = keras.layers.InputSpec(ndim=self.n_spatial + 2)

    @property
    def spatial_axes(self) -> tuple[int, ...]:
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.n_spatial))

    def _read_padding(self, padding: object) -> tuple[Pair, ...]:
        """``padding`` as one (before, after) pair of ints >= 0 per spatial axis, or a ValueError as Keras raises."""
        n = self.n_spatial
        if _is_int(padding):
            p = self._amount(padding, padding)
            return ((p, p),) * n
        if not isinstance(padding, (tuple, list)):
            self._bad(padding)
        if n == 1 and len(padding) == 2 and all(_is_int(p) for p in padding):  # (left, right)
            return ((self._amount(padding[0], padding), self._amount(padding[1], padding)),)
        if len(padding) != n:
            self._bad(padding)
        pairs: list[Pair] = []
        for item in padding:
            if _is_int(item) and n > 1:
                pairs.append((self._amount(item, padding),) * 2)
            elif isinstance(item, (tuple, list)) and len(item) == 2:
                pairs.append((self._amount(item[0], padding), self._amount(item[1], padding)))
            else:
                self._bad(padding)
        return tuple(pairs)

    def _amount(self, value: object, padding: object) -> int:
        if not _is_int(value) or value < 0:
            self._bad(padding)
        return int(value)

    def _bad(self, padding: object) -> NoReturn:
        raise ValueError(f"{type(self).__name__} padding must be {self.forms}, each an integer >= 0; got {padding!r}")

    def _check_sizes(self, shape: Sequence[int | None]) -> None:
        m = resolve_mode(self.mode)
        for axis, (before, after) in zip(self.spatial_axes, self.pairs, strict=True):
            n = shape[axis]
            if n is None or not (before or after):
                continue
            if n == 0 and m.name != "constant":
                raise ValueError(
                    f"{type(self).__name__}: axis {axis} is empty (length 0): mode {self.mode!r} has no values to "
                    f"pad it with; only 'constant' can pad an empty axis"
                )
            limit = m.limit(n)
            if limit is not None and max(before, after) > limit:
                raise ValueError(
                    f"{type(self).__name__}: padding ({before}, {after}) on axis {axis} is too large for mode "
                    f"{self.mode!r}: an axis of length {n} can be padded by at most {limit} on each side"
                )

    def build(self, input_shape: Sequence[int | None]) -> None:
        self._check_sizes(input_shape)
        super().build(input_shape)

    def compute_output_shape(self, input_shape: Sequence[int | None]) -> tuple[int | None, ...]:
        shape = list(input_shape)
        for axis, (before, after) in zip(self.spatial_axes, self.pairs, strict=True):
            n = shape[axis]
            if n is not None:
                shape[axis] = n + before + after
        return tuple(shape)

    def call(self, inputs: Tensor) -> Tensor:
        if self.mode == "constant":
            widths = [(0, 0)] * (self.n_spatial + 2)
            for axis, pair in zip(self.spatial_axes, self.pairs, strict=True):
                widths[axis] = pair
            return ops.pad(inputs, widths, mode="constant", constant_values=self.value or 0.0)
        x = inputs
        for axis, (before, after) in zip(self.spatial_axes, self.pairs, strict=True):
            x = self._pad_axis(x, axis, before, after)
        return x

    def _pad_axis(self, x: Tensor, axis: int, before: int, after: int) -> Tensor:
        """Concatenate slices of ``x`` along ``axis``: works for any backend and unknown sizes."""

        def take(start: int, stop: int | None) -> Tensor:
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

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "padding": self.padding,
            "mode": self.mode,
            "value": self.value,
            "data_format": self.data_format,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Self:
        config = dict(config)
        if config.get("mode") != "constant" and config.get("value") == 0:
            del config["value"]  # padlib 0.1.0 saved value=0.0 for every mode; it means "no value"
        return cls(**config)


def _is_int(value: object) -> TypeGuard[numbers.Integral]:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


@keras.saving.register_keras_serializable(package="padlib")
class Padding1D(_Padding):
    """Pad the steps axis of ``(batch, steps, channels)`` with any padlib mode.

    ``padding``: an int (both sides) or ``(left, right)``, as in
    ``keras.layers.ZeroPadding1D``. ``mode``: any of ``padlib.MODES``.
    ``value``: the fill for ``mode="constant"`` (default 0); other modes take none.
    ``data_format``: ``"channels_last"`` (steps on axis 1), ``"channels_first"``
    (``(batch, channels, steps)``) or ``None`` for ``keras.config.image_data_format()``.
    """

    n_spatial = 1
    forms = "an int or (left, right)"


@keras.saving.register_keras_serializable(package="padlib")
class Padding2D(_Padding):
    """Pad height and width of an image batch with any padlib mode.

    ``padding``, as in ``keras.layers.ZeroPadding2D``: an int (all four
    sides), ``(vertical, horizontal)`` (each on both sides), or
    ``((top, bottom), (left, right))``. ``mode``: any of ``padlib.MODES``.
    ``value``: the fill for ``mode="constant"`` (default 0); other modes take none.
    ``data_format``: ``"channels_last"`` (``(batch, height, width, channels)``),
    ``"channels_first"`` (``(batch, channels, height, width)``) or ``None`` for
    ``keras.config.image_data_format()``.
    """

    n_spatial = 2
    forms = "an int, (vertical, horizontal) or ((top, bottom), (left, right))"


@keras.saving.register_keras_serializable(package="padlib")
class Padding3D(_Padding):
    """Pad the three spatial axes of a volume or video batch with any padlib mode.

    ``padding``, as in ``keras.layers.ZeroPadding3D``: an int (all six sides),
    ``(d1, d2, d3)`` (each on both sides), or three ``(before, after)`` pairs.
    ``mode``, ``value`` and ``data_format`` as in :class:`Padding2D`
    (``channels_last``: ``(batch, d1, d2, d3, channels)``).
    """

    n_spatial = 3
    forms = "an int, (d1, d2, d3) or ((before1, after1), (before2, after2), (before3, after3))"
