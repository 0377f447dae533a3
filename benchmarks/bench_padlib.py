"""padlib.pad and padlib.conv2d against numpy, a plain copy and TensorFlow, as ratios in one run.

For the (32, 28, 28, 32) float32 batch the pad time is also broken down, each part
as a ratio to the same plain copy of an output-sized array, so that a regression
shows where it is: allocating and first touching a fresh output (page faults),
copying the input into its middle, filling the borders (each mode), pad's own
Python overhead, and the gather ("index path", np.take per axis) that small
arrays use, for comparison.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np

import padlib
from benchmarks import median_seconds

NUMPY_NAME = {
    "constant": "constant",
    "reflect": "reflect",
    "symmetric": "symmetric",
    "replicate": "edge",
    "circular": "wrap",
}


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
        for mode, np_mode in NUMPY_NAME.items():
            ours = median_seconds(lambda x=x, mode=mode: padlib.pad(x, 2, mode))
            theirs = median_seconds(lambda x=x, np_mode=np_mode: np.pad(x, 2, np_mode))
            report(
                f"pad {size}x{size} {mode}: np.pad time / padlib time",
                theirs / ours,
                goal=">= 2x",
                met=theirs / ours >= 2,
            )

    _batch(report, rng)

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
        theirs = median_seconds(lambda tx=tx, tk=tk, padding=padding: tf.nn.conv2d(tx, tk, 1, padding).numpy())
        ours = median_seconds(lambda x=x, k=k, padding=padding: padlib.conv2d(x, k, padding=padding))
        met = ours / theirs <= goal if goal > 1 else ours < theirs
        report(
            f"conv2d {name}: padlib / tf.nn.conv2d",
            ours / theirs,
            goal=f"<= {goal:g}x" if goal > 1 else "< 1x",
            met=met,
        )
        if goal > 1:
            _conv_breakdown(report, x, k, theirs)


def _conv_breakdown(report, x, k, tf_seconds):
    """Where conv2d's time goes (SAME, stride 1), each part as a ratio to the same tf.nn.conv2d time.

    The matrix product is the floor of an im2col convolution: padlib cannot beat numpy's BLAS at it.
    """
    from padlib._conv import _windows

    kh, kw, cin, cout = k.shape
    amounts = [padlib.padding_amounts(n, kk, padding="same") for n, kk in zip(x.shape[1:3], (kh, kw), strict=True)]
    padded = padlib.pad(x, amounts, "constant", axes=(1, 2))
    windows = _windows(padded, (kh, kw), (1, 1), (1, 1), x.shape[1:3])
    rows = np.ascontiguousarray(windows).reshape(-1, kh * kw * cin)
    matrix = k.reshape(-1, cout)
    parts = {
        "pad": lambda: padlib.pad(x, amounts, "constant", axes=(1, 2)),
        "im2col copy": lambda: np.ascontiguousarray(windows),
        "matrix product": lambda: rows @ matrix,
    }
    for part, fn in parts.items():
        report(f"conv2d breakdown: {part} / tf.nn.conv2d", median_seconds(fn) / tf_seconds)


def _batch(report, rng):
    """pad of an NHWC batch by 1 on H and W, against a plain copy of an output-sized array, with its breakdown."""
    print(f"  (load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")
    batch = rng.normal(size=(32, 28, 28, 32)).astype(np.float32)
    # The baseline copies real data: copying a never-written np.empty array reads the kernel's
    # shared zero page and would look twice as fast as any real copy.
    target = rng.normal(size=(32, 30, 30, 32)).astype(np.float32)
    reused = np.empty_like(target)
    middle = (slice(None), slice(1, 29), slice(1, 29))

    def copy_baseline():
        out = np.empty_like(target)
        out[...] = target
        return out

    def copy_into_reused():  # the same copy without a fresh output: no allocation, no first-touch page faults
        reused[...] = target
        return reused

    def fresh_output():  # allocate and first touch the output, as pad must
        out = np.empty_like(target)
        out[...] = 0
        return out

    def middle_copy():  # the part of pad that copies the input
        out = np.empty_like(target)
        out[middle] = batch
        return out

    tiny = batch[:1, :3, :3, :1]
    index = np.r_[1, 0:28, 26]  # the reflect gather, for the index path
    modes = list(padlib.MODES)

    def seconds(fn):
        # ~0.1 ms of work: the fastest of 51 short runs (>= 2 ms of calls each, shorter than a
        # scheduler time slice, so that some runs are not interrupted by the other processes).
        return median_seconds(fn, repeat=51, min_time=0.002, statistic=min)

    # Interleave the baseline with the measurements, five rounds, and keep the median ratio of each:
    # on a shared machine the load changes within a run, and it changes both sides of a ratio alike.
    rounds: dict[str, list[float]] = {name: [] for name in ["reused", "fresh", "middle", "overhead", "index", *modes]}
    for _ in range(5):
        base = seconds(copy_baseline)
        rounds["reused"].append(seconds(copy_into_reused) / base)
        rounds["fresh"].append(seconds(fresh_output) / base)
        rounds["middle"].append(seconds(middle_copy) / base)
        rounds["overhead"].append(seconds(lambda: padlib.pad(tiny, 1, "reflect", axes=(1, 2))) / base)
        rounds["index"].append(seconds(lambda: batch.take(index, axis=1).take(index, axis=2)) / base)
        for mode in modes:
            rounds[mode].append(seconds(lambda mode=mode: padlib.pad(batch, 1, mode, axes=(1, 2))) / base)
    r = {name: sorted(values)[2] for name, values in rounds.items()}
    print(f"  (plain copy of the (32,30,30,32) output: {base * 1e6:.0f} us; load average {os.getloadavg()[0]:.2f})")
    report("pad batch breakdown: copy into a reused array / plain copy", r["reused"])
    report("pad batch breakdown: fresh output (alloc + first touch)", r["fresh"])
    report("pad batch breakdown: copy input into the middle", r["middle"])
    report("pad batch breakdown: pad's fixed overhead (3x3 input)", r["overhead"])
    report("pad batch breakdown: index path (np.take per axis)", r["index"])
    for mode in modes:
        report(f"pad batch breakdown: {mode} borders (pad - middle copy)", r[mode] - r["middle"])
    for mode in modes:
        report(
            f"pad (32,28,28,32) {mode}: padlib / plain copy of output", r[mode], goal="<= 1.25x", met=r[mode] <= 1.25
        )
