"""Seeded test cases for the hidden tests: many shapes, dtypes and pad widths, the same on every run."""

from __future__ import annotations

import numpy as np

from padlib._modes import resolve_mode

__all__ = ["random_layer_stacks", "random_pad_cases", "random_transposed_cases"]

_DTYPES = (np.int64, np.int32, np.uint8, np.float64, np.float32)


def random_pad_cases(mode: str, count: int, seed: int) -> list[tuple[np.ndarray, int | tuple[int, int]]]:
    """``count`` seeded ``(x, pad)`` cases for padding ``x`` with ``mode`` on every axis.

    ``x`` is 1-D or 2-D with 1 to 6 cells per axis (so one-element and
    non-square shapes come up), of an integer or float dtype; ``pad`` is an
    int or a ``(before, after)`` pair, zero included, within the mode's limit
    (``padlib.MODES[mode].limit``) on the shortest axis.

    >>> [(x.shape, pad) for x, pad in random_pad_cases("reflect", 2, seed=0)]
    [((4, 4), 1), ((6,), 5)]
    """
    m = resolve_mode(mode)
    rng = np.random.default_rng(seed)
    cases: list[tuple[np.ndarray, int | tuple[int, int]]] = []
    while len(cases) < count:
        shape = tuple(int(n) for n in rng.integers(1, 7, size=rng.integers(1, 3)))
        dtype = _DTYPES[rng.integers(len(_DTYPES))]
        x = rng.integers(0, 100, size=shape).astype(dtype)
        limit = m.limit(min(shape))
        top = 4 if limit is None else limit
        before, after = (int(v) for v in rng.integers(0, top + 1, size=2))
        cases.append((x, before if rng.random() < 0.4 else (before, after)))
    return cases


def random_transposed_cases(count: int, seed: int) -> list[tuple[np.ndarray, np.ndarray, dict]]:
    """``count`` seeded ``(image, kernel, kwargs)`` cases for a single-image transposed convolution.

    Images 1x1 to 6x6 and kernels 1x1 to 4x4 (non-square included), integer
    or float values, ``stride`` 1-3 (an int or one per axis), ``padding``
    ``"valid"``, ``"same"`` or 0-2 and ``output_padding`` None, 0 or 1. Some
    combinations are invalid (``output_padding`` not below the stride, a padding
    that crops everything): the caller skips those padlib refuses.

    >>> [(i.shape, k.shape, kw) for i, k, kw in random_transposed_cases(1, seed=0)]
    [((6, 4), (3, 1), {'stride': (1, 1), 'padding': 2, 'output_padding': None})]
    """
    rng = np.random.default_rng(seed)
    cases = []
    for n in range(count):
        image: np.ndarray = rng.integers(-5, 6, size=tuple(int(v) for v in rng.integers(1, 7, size=2)))
        kernel: np.ndarray = rng.integers(-3, 4, size=tuple(int(v) for v in rng.integers(1, 5, size=2)))
        if n % 2:
            image, kernel = image + rng.random(image.shape), kernel * 0.5
        stride = int(rng.integers(1, 4)) if n % 3 else tuple(int(s) for s in rng.integers(1, 4, size=2))
        padding = ["valid", "same", 0, 1, 2][int(rng.integers(5))]
        output_padding = [None, None, 0, 1][int(rng.integers(4))]
        cases.append((image, kernel, {"stride": stride, "padding": padding, "output_padding": output_padding}))
    return cases


def random_layer_stacks(count: int, seed: int) -> list[list[tuple[int, int, int, object]]]:
    """``count`` seeded stacks of 1 to 6 ``(kernel_size, stride, dilation, padding)`` layers.

    Kernel sizes 1-7, strides 1-3, dilations 1-3; ``padding`` ``"valid"``,
    ``"full"``, ``"causal"``, an int 0-3, or ``"same"`` on the layers of stride 1
    (TensorFlow's ``"same"`` at a larger stride depends on the input size).

    >>> random_layer_stacks(1, seed=0)[0][:3]
    [(5, 2, 1, 'causal'), (1, 1, 1, 'full'), (6, 2, 3, 0)]
    """
    rng = np.random.default_rng(seed)
    stacks = []
    for _ in range(count):
        layers = []
        for _ in range(int(rng.integers(1, 7))):
            k, s, d = int(rng.integers(1, 8)), int(rng.integers(1, 4)), int(rng.integers(1, 4))
            choices = ["valid", "full", "causal", 0, 1, 2, 3] + (["same", "same"] if s == 1 else [])
            layers.append((k, s, d, choices[int(rng.integers(len(choices)))]))
        stacks.append(layers)
    return stacks
