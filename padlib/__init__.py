"""padlib: padding and stride in convolutional neural networks, verified.

The reference implementations of the Padding & Stride course:

- :func:`pad` pads any axes of an array with any mode in :data:`MODES`;
- :func:`padding_amounts` and :func:`output_size` do the shape arithmetic
  exactly as TensorFlow/Keras do;
- :func:`conv1d` and :func:`conv2d` compute convolutions (cross-correlations)
  with stride, dilation and any padding (and partial-convolution padding);
- :func:`conv_transpose1d`, :func:`conv_transpose2d` and
  :func:`transposed_output_size`: transposed convolution as TensorFlow/Keras compute it;
- :func:`pool2d`: max and average pooling, TensorFlow's and PyTorch's way;
- :func:`receptive_field`: receptive field, effective stride and start of every layer.

Submodules loaded on first use (so ``import padlib`` needs only numpy):
``padlib.keras`` (Keras layers, imports TensorFlow), ``padlib.plot``
(matplotlib) and ``padlib.widgets`` (ipywidgets).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ._conv import conv1d, conv2d
from ._impact import impact_map
from ._modes import MODES, Mode, mode_table
from ._pad import pad
from ._pool import POOL_OPS, pool2d
from ._receptive import ReceptiveField, receptive_field
from ._shapes import PADDINGS, SIZE_FORMULA, effective_kernel_size, output_size, padding_amounts, size_formula
from ._transpose import TRANSPOSED_PADDINGS, conv_transpose1d, conv_transpose2d, transposed_output_size

__version__ = "0.1.0"
__all__ = [
    "MODES",
    "Mode",
    "PADDINGS",
    "POOL_OPS",
    "ReceptiveField",
    "TRANSPOSED_PADDINGS",
    "SIZE_FORMULA",
    "conv1d",
    "conv2d",
    "conv_transpose1d",
    "conv_transpose2d",
    "effective_kernel_size",
    "impact_map",
    "mode_table",
    "output_size",
    "pad",
    "padding_amounts",
    "pool2d",
    "receptive_field",
    "size_formula",
    "transposed_output_size",
]

_LAZY_SUBMODULES = ("keras", "plot", "widgets")


def __getattr__(name: str) -> ModuleType:
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
