"""padlib: padding and stride in convolutional neural networks, verified.

The reference implementations of the Padding & Stride course:

- :func:`pad` pads any axes of an array with any mode in :data:`MODES`;
- :func:`padding_amounts` and :func:`output_size` do the shape arithmetic
  exactly as TensorFlow/Keras do;
- :func:`conv1d` and :func:`conv2d` compute convolutions (cross-correlations)
  with stride, dilation and any padding.

Submodules loaded on first use (so ``import padlib`` needs only numpy):
``padlib.keras`` (Keras layers, imports TensorFlow), ``padlib.plot``
(matplotlib) and ``padlib.widgets`` (ipywidgets).
"""

from __future__ import annotations

import importlib

from ._conv import conv1d, conv2d
from ._impact import impact_map
from ._modes import MODES, Mode, mode_table
from ._pad import pad
from ._shapes import PADDINGS, SIZE_FORMULA, effective_kernel_size, output_size, padding_amounts, size_formula

__version__ = "0.1.0"
__all__ = [
    "MODES",
    "Mode",
    "PADDINGS",
    "SIZE_FORMULA",
    "conv1d",
    "conv2d",
    "effective_kernel_size",
    "impact_map",
    "mode_table",
    "output_size",
    "pad",
    "padding_amounts",
    "size_formula",
]

_LAZY_SUBMODULES = ("keras", "plot", "widgets")


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
