# %% [markdown] id="intro"
# # Output shapes, padding amounts and stride
#
# Here you write the shape arithmetic of a convolution layer, exactly as TensorFlow and Keras do it, then a
# 2-D convolution with stride and padding. Use plain Python and numpy; the `padlib` functions of the same
# names are the reference and are **not allowed** in your answers (`np.pad` is fine in `conv2d`).
#
# | part | function | points |
# | --- | --- | --- |
# | `"valid"` padding amounts | `padding_amounts(..., padding="valid")` | 1 + 1 |
# | `"full"` padding amounts | `padding_amounts(..., padding="full")` | 1 + 1 |
# | `"causal"` padding amounts | `padding_amounts(..., padding="causal")` | 1 + 1 |
# | `"same"` padding amounts (TensorFlow's rule) | `padding_amounts(..., padding="same")` | 1 + 3 |
# | output size | `output_size(size, kernel_size, stride=1, dilation=1, padding="valid")` | 1 + 2 |
# | 2-D convolution | `conv2d(image, kernel, stride=1, padding="valid")` | 2 + 4 |
#
# Each part is graded on its own (visible test + hidden test). While `output_size` and `conv2d` are tested,
# your `padding_amounts` (and `output_size`) are swapped for the reference ones, so a mistake in one part
# costs that part's points only. Before submitting, run *Kernel → Restart & Run All*, or
# `nbgrader validate shapes_and_stride.ipynb` in a terminal.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Read-only set-up: run this cell first.
import numpy as np

import padlib  # the reference implementation, used by the tests only
from safegrade import checks as grading

NOT_ALLOWED_IN = {  # what each of your functions may not use (the tests check it)
    "padding_amounts": (padlib.padding_amounts, padlib.output_size),
    "output_size": (padlib.output_size,),
    "conv2d": (padlib.conv2d, padlib.conv1d),
}


# %% [markdown] id="amounts_md"
# ## 1. Padding amounts
#
# `padding_amounts(size, kernel_size, stride=1, dilation=1, padding="valid")` returns the `(before, after)`
# cells a convolution adds to one axis of length `size`. A dilated kernel spans
# `effective = dilation * (kernel_size - 1) + 1` cells. For each `padding`:
#
# - `"valid"`: no padding at all.
# - `"full"`: every position where the kernel touches at least one input cell: `effective - 1` on both sides.
# - `"causal"`: `effective - 1` before, nothing after, so output `t` sees only inputs `<= t`.
# - `"same"`, TensorFlow's rule: the output has `ceil(size / stride)` cells. The total padding is whatever
#   that takes, `max((out - 1) * stride + effective - size, 0)`, split in two with the **odd cell after**
#   (bottom/right). So `"same"` depends on the stride and the dilation, and with `stride > 1` the output is
#   *not* the same size as the input.
#
# Each padding name is its own graded part.

# %% nbgrader={"grade": false, "grade_id": "padding_amounts", "locked": false, "schema_version": 3, "solution": true, "task": false}
def padding_amounts(size, kernel_size, stride=1, dilation=1, padding="valid"):
    """(before, after): the cells a convolution pads on one axis of length `size`."""
    ### BEGIN SOLUTION
    effective = dilation * (kernel_size - 1) + 1
    if padding == "valid":
        return (0, 0)
    if padding == "full":
        return (effective - 1, effective - 1)
    if padding == "causal":
        return (effective - 1, 0)
    if padding == "same":
        out = -(-size // stride)  # ceil(size / stride) in integers
        total = max((out - 1) * stride + effective - size, 0)
        return (total // 2, total - total // 2)
    raise ValueError(f"unknown padding {padding!r}")
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_padding_valid_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""padding_amounts, padding="valid", visible tests: a few literal cases; padlib is not used."""
grading.check(padding_amounts, (8, 3), (0, 0), kwargs={'stride': 1, 'dilation': 1, 'padding': 'valid'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (5, 5), (0, 0), kwargs={'stride': 2, 'dilation': 1, 'padding': 'valid'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (10, 3), (0, 0), kwargs={'stride': 1, 'dilation': 2, 'padding': 'valid'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.passed('padding_amounts(padding="valid")')

# %% nbgrader={"grade": true, "grade_id": "test_padding_valid_hidden", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""padding_amounts, padding="valid", hidden tests: agrees with padlib.padding_amounts for every size 1-16, kernel size 1-5, stride 1-3 and dilation 1-3; returns a tuple of ints; padlib is not used."""
grading.check(padding_amounts, (7, 3), (0, 0), kwargs={'stride': 2, 'dilation': 2, 'padding': 'valid'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
### BEGIN HIDDEN TESTS
for n in range(1, 17):
    for k in range(1, 6):
        for s in range(1, 4):
            for d in range(1, 4):
                kw = {"stride": s, "dilation": d, "padding": "valid"}
                expected = padlib.padding_amounts(n, k, **kw)
                grading.check(padding_amounts, (n, k), expected, kwargs=kw, forbidden=NOT_ALLOWED_IN["padding_amounts"])
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_padding_full_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""padding_amounts, padding="full", visible tests: a few literal cases; padlib is not used."""
grading.check(padding_amounts, (8, 3), (2, 2), kwargs={'stride': 1, 'dilation': 1, 'padding': 'full'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (5, 1), (0, 0), kwargs={'stride': 1, 'dilation': 1, 'padding': 'full'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (10, 3), (4, 4), kwargs={'stride': 2, 'dilation': 2, 'padding': 'full'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.passed('padding_amounts(padding="full")')

# %% nbgrader={"grade": true, "grade_id": "test_padding_full_hidden", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""padding_amounts, padding="full", hidden tests: agrees with padlib.padding_amounts for every size 1-16, kernel size 1-5, stride 1-3 and dilation 1-3; returns a tuple of ints; padlib is not used."""
grading.check(padding_amounts, (7, 3), (4, 4), kwargs={'stride': 2, 'dilation': 2, 'padding': 'full'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
### BEGIN HIDDEN TESTS
for n in range(1, 17):
    for k in range(1, 6):
        for s in range(1, 4):
            for d in range(1, 4):
                kw = {"stride": s, "dilation": d, "padding": "full"}
                expected = padlib.padding_amounts(n, k, **kw)
                grading.check(padding_amounts, (n, k), expected, kwargs=kw, forbidden=NOT_ALLOWED_IN["padding_amounts"])
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_padding_causal_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""padding_amounts, padding="causal", visible tests: a few literal cases; padlib is not used."""
grading.check(padding_amounts, (8, 3), (2, 0), kwargs={'stride': 1, 'dilation': 1, 'padding': 'causal'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (8, 1), (0, 0), kwargs={'stride': 1, 'dilation': 1, 'padding': 'causal'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (10, 3), (4, 0), kwargs={'stride': 1, 'dilation': 2, 'padding': 'causal'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.passed('padding_amounts(padding="causal")')

# %% nbgrader={"grade": true, "grade_id": "test_padding_causal_hidden", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""padding_amounts, padding="causal", hidden tests: agrees with padlib.padding_amounts for every size 1-16, kernel size 1-5, stride 1-3 and dilation 1-3; returns a tuple of ints; padlib is not used."""
grading.check(padding_amounts, (7, 3), (4, 0), kwargs={'stride': 2, 'dilation': 2, 'padding': 'causal'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
### BEGIN HIDDEN TESTS
for n in range(1, 17):
    for k in range(1, 6):
        for s in range(1, 4):
            for d in range(1, 4):
                kw = {"stride": s, "dilation": d, "padding": "causal"}
                expected = padlib.padding_amounts(n, k, **kw)
                grading.check(padding_amounts, (n, k), expected, kwargs=kw, forbidden=NOT_ALLOWED_IN["padding_amounts"])
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "test_padding_same_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""padding_amounts, padding="same", visible tests: a few literal cases including the odd-total cases (224 and 225 cells, kernel 7, stride 2); padlib is not used."""
grading.check(padding_amounts, (8, 3), (1, 1), kwargs={'stride': 1, 'dilation': 1, 'padding': 'same'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (8, 4), (1, 2), kwargs={'stride': 1, 'dilation': 1, 'padding': 'same'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (224, 7), (2, 3), kwargs={'stride': 2, 'dilation': 1, 'padding': 'same'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (225, 7), (3, 3), kwargs={'stride': 2, 'dilation': 1, 'padding': 'same'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (10, 3), (2, 2), kwargs={'stride': 1, 'dilation': 2, 'padding': 'same'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.check(padding_amounts, (5, 3), (0, 1), kwargs={'stride': 3, 'dilation': 1, 'padding': 'same'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
grading.passed('padding_amounts(padding="same")')

# %% nbgrader={"grade": true, "grade_id": "test_padding_same_hidden", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""padding_amounts, padding="same", hidden tests: agrees with padlib.padding_amounts for every size 1-16, kernel size 1-5, stride 1-3 and dilation 1-3; returns a tuple of ints; padlib is not used."""
grading.check(padding_amounts, (7, 3), (2, 2), kwargs={'stride': 2, 'dilation': 2, 'padding': 'same'}, forbidden=NOT_ALLOWED_IN['padding_amounts'])
### BEGIN HIDDEN TESTS
for n in range(1, 17):
    for k in range(1, 6):
        for s in range(1, 4):
            for d in range(1, 4):
                kw = {"stride": s, "dilation": d, "padding": "same"}
                expected = padlib.padding_amounts(n, k, **kw)
                grading.check(padding_amounts, (n, k), expected, kwargs=kw, forbidden=NOT_ALLOWED_IN["padding_amounts"])
### END HIDDEN TESTS

# %% [markdown] id="output_md"
# ## 2. Output size
#
# `output_size(size, kernel_size, stride=1, dilation=1, padding="valid")` is the number of cells the
# convolution outputs along one axis: pad the axis, then count the positions of the kernel, one every
# `stride` cells: `floor((size + before + after - effective) / stride) + 1`. It must be an `int`.
# You may call your `padding_amounts`.

# %% nbgrader={"grade": false, "grade_id": "output_size", "locked": false, "schema_version": 3, "solution": true, "task": false}
def output_size(size, kernel_size, stride=1, dilation=1, padding="valid"):
    """The number of output cells along one axis of length `size`."""
    ### BEGIN SOLUTION
    before, after = padding_amounts(size, kernel_size, stride=stride, dilation=dilation, padding=padding)
    effective = dilation * (kernel_size - 1) + 1
    return (size + before + after - effective) // stride + 1
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_output_size_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""output_size, visible tests: literal cases for each padding, with stride and dilation; padlib.output_size is not used (padding_amounts is the reference one here)."""
with grading.reference_helpers(globals(), padding_amounts=padlib.padding_amounts):
    grading.check(output_size, (8, 3), 6, kwargs={'stride': 1, 'dilation': 1, 'padding': 'valid'}, forbidden=NOT_ALLOWED_IN['output_size'])
    grading.check(output_size, (8, 3), 3, kwargs={'stride': 2, 'dilation': 1, 'padding': 'valid'}, forbidden=NOT_ALLOWED_IN['output_size'])
    grading.check(output_size, (8, 3), 8, kwargs={'stride': 1, 'dilation': 1, 'padding': 'same'}, forbidden=NOT_ALLOWED_IN['output_size'])
    grading.check(output_size, (8, 3), 4, kwargs={'stride': 2, 'dilation': 1, 'padding': 'same'}, forbidden=NOT_ALLOWED_IN['output_size'])
    grading.check(output_size, (8, 3), 10, kwargs={'stride': 1, 'dilation': 1, 'padding': 'full'}, forbidden=NOT_ALLOWED_IN['output_size'])
    grading.check(output_size, (10, 3), 10, kwargs={'stride': 1, 'dilation': 2, 'padding': 'causal'}, forbidden=NOT_ALLOWED_IN['output_size'])
    grading.check(output_size, (7, 3), 2, kwargs={'stride': 3, 'dilation': 1, 'padding': 'valid'}, forbidden=NOT_ALLOWED_IN['output_size'])
grading.passed('output_size')

# %% nbgrader={"grade": true, "grade_id": "test_output_size_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""output_size, hidden tests: agrees with padlib.output_size for every size 1-16, kernel size 1-5, stride 1-3, dilation 1-3 and padding valid/same/full/causal where the kernel fits; returns an int; padlib.output_size is not used."""
with grading.reference_helpers(globals(), padding_amounts=padlib.padding_amounts):
    grading.check(output_size, (7, 3), 4, kwargs={"stride": 2, "dilation": 2, "padding": "same"}, forbidden=NOT_ALLOWED_IN["output_size"])
### BEGIN HIDDEN TESTS
with grading.reference_helpers(globals(), padding_amounts=padlib.padding_amounts):
    for p in ("valid", "same", "full", "causal"):
        for n in range(1, 17):
            for k in range(1, 6):
                for s in range(1, 4):
                    for d in range(1, 4):
                        kw = {"stride": s, "dilation": d, "padding": p}
                        try:
                            expected = padlib.output_size(n, k, **kw)
                        except ValueError:  # the kernel does not fit: no output size to check
                            continue
                        grading.check(output_size, (n, k), expected, kwargs=kw, forbidden=NOT_ALLOWED_IN["output_size"])
### END HIDDEN TESTS

# %% [markdown] id="conv_md"
# ## 3. A 2-D convolution with stride and padding
#
# `conv2d(image, kernel, stride=1, padding="valid")` slides a `(kh, kw)` kernel over a single-channel
# `(H, W)` image, as every deep-learning framework does: a **cross-correlation** (the kernel is not flipped),
# `out[i, j] = sum(padded[i*sh : i*sh + kh, j*sw : j*sw + kw] * kernel)`.
#
# - `stride` is an int or a `(sh, sw)` pair.
# - `padding` is `"valid"`, `"same"` or `"full"` (zeros, amounts from `padding_amounts` per axis, with that
#   axis's stride), or an int `p` (`p` zeros on every side).
# - The output has `output_size(...)` cells along each axis. `np.pad` is allowed here.

# %% nbgrader={"grade": false, "grade_id": "conv2d", "locked": false, "schema_version": 3, "solution": true, "task": false}
def conv2d(image, kernel, stride=1, padding="valid"):
    """Cross-correlation of a (H, W) image with a (kh, kw) kernel, with stride and zero padding."""
    ### BEGIN SOLUTION
    sh, sw = (stride, stride) if np.ndim(stride) == 0 else stride
    kh, kw = kernel.shape
    if isinstance(padding, str):
        pads = [padding_amounts(image.shape[0], kh, stride=sh, padding=padding),
                padding_amounts(image.shape[1], kw, stride=sw, padding=padding)]
    else:
        pads = [(padding, padding), (padding, padding)]
    padded = np.pad(image, pads)
    out_h = (padded.shape[0] - kh) // sh + 1
    out_w = (padded.shape[1] - kw) // sw + 1
    out = np.zeros((out_h, out_w), dtype=np.result_type(image, kernel))
    for i in range(out_h):
        for j in range(out_w):
            out[i, j] = np.sum(padded[i * sh : i * sh + kh, j * sw : j * sw + kw] * kernel)
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_conv2d_visible", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""conv2d, visible tests: a vertical-line detector with stride 1 and 2, a non-square kernel with "same", "full" and an int padding, and a (1, 2) stride; padlib.conv2d is not used (padding_amounts is the reference one here)."""
with grading.reference_helpers(globals(), padding_amounts=padlib.padding_amounts, output_size=padlib.output_size):
    grading.check(
        conv2d,
        (np.array([[0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0]]), np.array([[0, 1, 0], [0, 1, 0], [0, 1, 0]])),
        np.array([[0, 3, 3, 0], [0, 3, 3, 0], [0, 3, 3, 0], [0, 3, 3, 0]]),
        kwargs={'stride': 1, 'padding': 'valid'},
        forbidden=NOT_ALLOWED_IN['conv2d'],
        check_dtype=False,
    )
    grading.check(
        conv2d,
        (np.array([[0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0], [0, 0, 1, 1, 0, 0]]), np.array([[0, 1, 0], [0, 1, 0], [0, 1, 0]])),
        np.array([[0, 3], [0, 3]]),
        kwargs={'stride': 2, 'padding': 'valid'},
        forbidden=NOT_ALLOWED_IN['conv2d'],
        check_dtype=False,
    )
    grading.check(
        conv2d,
        (np.array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15], [16, 17, 18, 19, 20], [21, 22, 23, 24, 25]]), np.array([[1, 0], [0, -1]])),
        np.array([[-6, -6, -6, -6, 5], [-6, -6, -6, -6, 10], [-6, -6, -6, -6, 15], [-6, -6, -6, -6, 20], [21, 22, 23, 24, 25]]),
        kwargs={'stride': 1, 'padding': 'same'},
        forbidden=NOT_ALLOWED_IN['conv2d'],
        check_dtype=False,
    )
    grading.check(
        conv2d,
        (np.array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15], [16, 17, 18, 19, 20], [21, 22, 23, 24, 25]]), np.array([[1, 0], [0, -1]])),
        np.array([[-1, -3, -5], [-11, -6, -6], [-21, -6, -6]]),
        kwargs={'stride': 2, 'padding': 'full'},
        forbidden=NOT_ALLOWED_IN['conv2d'],
        check_dtype=False,
    )
    grading.check(
        conv2d,
        (np.array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15], [16, 17, 18, 19, 20], [21, 22, 23, 24, 25]]), np.array([[1, 0], [0, -1]])),
        np.array([[-1, -3, -5], [-6, -6, -6], [-11, -6, -6], [-16, -6, -6], [-21, -6, -6], [0, 22, 24]]),
        kwargs={'stride': (1, 2), 'padding': 1},
        forbidden=NOT_ALLOWED_IN['conv2d'],
        check_dtype=False,
    )
grading.passed('conv2d')

# %% nbgrader={"grade": true, "grade_id": "test_conv2d_hidden", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""conv2d, hidden tests: agrees with padlib.conv2d on 150 random integer and float images (1x1 to 9x9, non-square) and kernels (1x1 to 4x4), strides 1-3 (also per axis) and paddings valid/same/full/0-2, where the kernel fits; leaves the image and kernel unchanged; padlib.conv2d is not used."""
with grading.reference_helpers(globals(), padding_amounts=padlib.padding_amounts, output_size=padlib.output_size):
    grading.check(
        conv2d,
        (np.array([[0.0, 0.25, 0.5, 0.75], [1.0, 1.25, 1.5, 1.75], [2.0, 2.25, 2.5, 2.75]]), np.array([[1, -1]])),
        np.array([[-0.25, -0.25, -0.25, 0.75], [-0.25, -0.25, -0.25, 2.75]]),
        kwargs={'stride': (2, 1), 'padding': 'same'},
        forbidden=NOT_ALLOWED_IN['conv2d'],
        check_dtype=False,
    )
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(30)
checked = 0
with grading.reference_helpers(globals(), padding_amounts=padlib.padding_amounts, output_size=padlib.output_size):
    while checked < 150:
        image = rng.integers(-5, 6, size=rng.integers(1, 10, size=2))
        kernel = rng.integers(-3, 4, size=rng.integers(1, 5, size=2))
        if checked % 2:
            image, kernel = image + rng.random(image.shape), kernel * 0.5
        stride = int(rng.integers(1, 4)) if checked % 3 else tuple(int(s) for s in rng.integers(1, 4, size=2))
        padding = ["valid", "same", "full", 0, 1, 2][checked % 6]
        try:
            expected = padlib.conv2d(image, kernel, stride=stride, padding=padding)
        except ValueError:  # the kernel does not fit the padded image
            continue
        grading.check(conv2d, (image, kernel), expected, kwargs={"stride": stride, "padding": padding},
                      forbidden=NOT_ALLOWED_IN["conv2d"], check_dtype=False, atol=1e-9)
        checked += 1
### END HIDDEN TESTS

# %% [markdown] id="end"
# ## Done?
#
# Restart the kernel and run every cell (*Kernel → Restart & Run All*): each visible test cell that passes
# prints a line starting with ✓, and one that fails shows what it called, what was expected and what your
# function returned. A failing test does not stop the run (the test cells carry JupyterLab's
# `raises-exception` tag), so one run shows every part; `nbgrader validate` reports the same. When every
# part passes, submit. The hidden tests run when your work is graded; the feedback you get back shows
# what each one expected and what your function returned.
