"""padlib.pad and padlib.conv2d against numpy, a plain copy and TensorFlow, as ratios in one run."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np

import padlib
from benchmarks import median_seconds

NUMPY_NAME = {"constant": "constant", "reflect": "reflect", "symmetric": "symmetric", "replicate": "edge", "circular": "wrap"}


def _import_seconds(module, repeat=7):
    """Median wall time of a fresh interpreter importing ``module``."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        samples.append(time.perf_counter() - start)
    return sorted(samples)[repeat // 2]


def run(report):
    ratio = _import_seconds("padlib") / _import_seconds("numpy")
    report("import padlib / import numpy (fresh interpreter)", ratio, goal="<= 1.2x", met=ratio <= 1.2)

    rng = np.random.default_rng(0)
    for size in (8, 28):
        x = rng.normal(size=(size, size))
        ratios = []
        for mode, np_mode in NUMPY_NAME.items():
            ours = median_seconds(lambda: padlib.pad(x, 2, mode))
            theirs = median_seconds(lambda: np.pad(x, 2, np_mode))
            ratios.append(theirs / ours)
            report(f"pad {size}x{size} {mode}: np.pad time / padlib time", theirs / ours, goal=">= 2x", met=theirs / ours >= 2)

    batch = rng.normal(size=(32, 28, 28, 32)).astype(np.float32)
    # The baseline copies real data: copying a never-written np.empty array reads the kernel's
    # shared zero page and would look twice as fast as any real copy.
    target = rng.normal(size=(32, 30, 30, 32)).astype(np.float32)

    def copy_baseline():
        out = np.empty_like(target)
        out[...] = target
        return out

    base = median_seconds(copy_baseline, repeat=21)
    for mode in padlib.MODES:
        ours = median_seconds(lambda: padlib.pad(batch, 1, mode, axes=(1, 2)), repeat=21)
        report(f"pad (32,28,28,32) {mode}: padlib / plain copy of output", ours / base, goal="<= 1.25x", met=ours / base <= 1.25)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    cases = {
        "(32,28,28,32)x(3,3,32,64) SAME": (rng.normal(size=(32, 28, 28, 32)), rng.normal(size=(3, 3, 32, 64)), 2.0),
        "(1,8,8,1)x(3,3,1,1) VALID": (rng.normal(size=(1, 8, 8, 1)), rng.normal(size=(3, 3, 1, 1)), 1.0),
    }
    for name, (x, k, goal) in cases.items():
        x, k = x.astype(np.float32), k.astype(np.float32)
        padding = name.rsplit(" ", 1)[1]
        tx, tk = tf.constant(x), tf.constant(k)
        theirs = median_seconds(lambda: tf.nn.conv2d(tx, tk, 1, padding).numpy())
        ours = median_seconds(lambda: padlib.conv2d(x, k, padding=padding))
        met = ours / theirs <= goal if goal > 1 else ours < theirs
        report(f"conv2d {name}: padlib / tf.nn.conv2d", ours / theirs, goal=f"<= {goal:g}x" if goal > 1 else "< 1x", met=met)
