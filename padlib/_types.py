"""The types of padlib's arguments, for annotations only: nothing here is imported at run time.

Every module names them under ``if TYPE_CHECKING:``, so ``import padlib`` stays as light as numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

Array: TypeAlias = npt.NDArray[Any]
"""What padlib's array functions return: a numpy array of the input's dtype (any dtype)."""
Pair: TypeAlias = tuple[int, int]
"""``(before, after)``: cells added before and after one axis."""
IntOrInts: TypeAlias = int | Sequence[int]
"""An int for every axis, or one per axis (stride, dilation, pool_size, ...)."""
Int: TypeAlias = int | np.integer[Any]
"""A Python or numpy integer."""
PadWidth: TypeAlias = (
    Int | Sequence[Int] | Sequence[Sequence[Int]] | Mapping[Int, Int | Sequence[Int]] | npt.NDArray[np.integer[Any]]
)
"""Every form of ``pad_width`` that ``np.pad`` (and so :func:`padlib.pad`) reads."""
Padding: TypeAlias = str | int | tuple[int, int]
"""``'valid'``, ``'same'``, ``'full'``, ``'causal'``, an int ``p`` (``(p, p)``) or an explicit ``(before, after)``."""
ConvPadding: TypeAlias = Padding | Sequence[Padding]
"""A :data:`Padding` for every spatial axis, or one per axis."""
Scalar: TypeAlias = complex | np.generic
"""A fill value: a Python or numpy number."""
