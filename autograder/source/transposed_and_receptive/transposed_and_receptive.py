# %% [markdown] id="intro"
# # Transposed convolution and receptive fields
#
# Lesson 7 ran a convolution backwards and lesson 8 followed one output cell back to the input cells it sees.
# Here you write both yourself: the output size of a transposed convolution (with `output_padding` and Keras's
# rule when it is not given), a transposed convolution of one image, and the receptive field of a stack of
# layers. Use plain Python and numpy; `padlib`'s functions of the same names are the reference and are
# **not allowed** in your answers (nor `np.convolve`/`np.correlate` in `conv_transpose2d`).
#
# | part | function | points |
# | --- | --- | --- |
# | transposed output size | `transposed_output_size(size, kernel_size, stride=1, padding="valid", output_padding=None, dilation=1)` | 1 + 2 |
# | transposed convolution | `conv_transpose2d(image, kernel, stride=1, padding="valid", output_padding=None)` | 2 + 4 |
# | receptive field | `receptive_field(layers)` | 1 + 3 |
#
# Each part is graded on its own (visible test + hidden test). While `conv_transpose2d` is tested, your
# `transposed_output_size` is swapped for the reference one, so a mistake in one part costs that part's
# points only. Before submitting, run *Kernel → Restart & Run All*, or
# `nbgrader validate transposed_and_receptive.ipynb` in a terminal.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Read-only set-up: run this cell first.
import numpy as np

import padlib  # the reference implementation, used by the tests only
from safegrade import checks as grading
from safegrade.cases import random_layer_stacks, random_transposed_cases

NOT_ALLOWED_IN = {  # what each of your functions may not use (the tests check it)
    "transposed_output_size": (padlib,),
    "conv_transpose2d": (padlib.conv_transpose2d, padlib.conv_transpose1d, padlib.conv2d, np.convolve, np.correlate),
    "receptive_field": (padlib,),
}


# %% [markdown] id="size_md"
# ## 1. The output size of a transposed convolution
#
# A strided convolution rounds down, so several input sizes give the same output: with kernel 3, stride 2
# and padding 1, inputs of 5 and 6 cells both give 3. Going back, the transposed convolution must be told
# which one to produce: that is `output_padding` `a`, extra cells at the end. With
# `effective = dilation * (kernel_size - 1) + 1` and `p` the padding,
#
# `out = (size - 1) * stride + effective - 2 * p + a`
#
# where `p` is 0 for `"valid"`, `effective // 2` for `"same"`, or the int given. When `output_padding` is
# `None`, follow Keras's rule:
#
# - `"same"`: `out = size * stride`;
# - `"valid"`: `out = (size - 1) * stride + max(effective, stride)` (each input cell owns a full stride);
# - an int `p`: `a = 0`.
#
# It must return an `int`.

# %% nbgrader={"grade": false, "grade_id": "transposed_output_size", "locked": false, "schema_version": 3, "solution": true, "task": false}
def transposed_output_size(size, kernel_size, stride=1, padding="valid", output_padding=None, dilation=1):
    """Length of a transposed convolution's output along one axis of `size` input cells."""
    ### BEGIN SOLUTION
    effective = dilation * (kernel_size - 1) + 1
    if output_padding is None:  # Keras's rule
        if padding == "same":
            return size * stride
        if padding == "valid":
            return (size - 1) * stride + max(effective, stride)
        output_padding = 0
    p = {"valid": 0, "same": effective // 2}.get(padding, padding)
    return (size - 1) * stride + effective - 2 * p + output_padding
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_transposed_output_size_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""transposed_output_size, visible tests: the 5-or-6 example of lesson 7, Keras's rule for "same" and "valid" (kernel smaller than the stride too), dilation; padlib is not used."""
grading.check(transposed_output_size, (3, 3), 5, kwargs={'stride': 2, 'padding': 1}, forbidden=NOT_ALLOWED_IN['transposed_output_size'])
grading.check(transposed_output_size, (3, 3), 6, kwargs={'stride': 2, 'padding': 1, 'output_padding': 1}, forbidden=NOT_ALLOWED_IN['transposed_output_size'])
grading.check(transposed_output_size, (4, 3), 8, kwargs={'stride': 2, 'padding': 'same'}, forbidden=NOT_ALLOWED_IN['transposed_output_size'])
grading.check(transposed_output_size, (4, 2), 12, kwargs={'stride': 3}, forbidden=NOT_ALLOWED_IN['transposed_output_size'])
grading.check(transposed_output_size, (5, 3), 7, kwargs={}, forbidden=NOT_ALLOWED_IN['transposed_output_size'])
grading.check(transposed_output_size, (3, 3), 7, kwargs={'stride': 2, 'output_padding': 0}, forbidden=NOT_ALLOWED_IN['transposed_output_size'])
grading.check(transposed_output_size, (5, 3), 5, kwargs={'padding': 'same'}, forbidden=NOT_ALLOWED_IN['transposed_output_size'])
grading.check(transposed_output_size, (4, 3), 11, kwargs={'stride': 2, 'padding': 'valid', 'dilation': 2}, forbidden=NOT_ALLOWED_IN['transposed_output_size'])
grading.passed('transposed_output_size')

# %% nbgrader={"grade": true, "grade_id": "test_transposed_output_size_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""transposed_output_size, hidden tests: agrees with padlib.transposed_output_size for every size 1-9, kernel size 1-5, stride 1-3, dilation 1-2, padding valid/same/0-2 and output_padding None/0/1/2 that padlib accepts; returns an int; padlib is not used."""
grading.check(transposed_output_size, (6, 3), 18, kwargs={'stride': 3, 'padding': 'same', 'output_padding': 2}, forbidden=NOT_ALLOWED_IN['transposed_output_size'])
### BEGIN HIDDEN TESTS
for n in range(1, 10):
    for k in range(1, 6):
        for s in range(1, 4):
            for d in (1, 2):
                for p in ("valid", "same", 0, 1, 2):
                    for a in (None, 0, 1, 2):
                        kw = {"stride": s, "padding": p, "output_padding": a, "dilation": d}
                        try:
                            expected = padlib.transposed_output_size(n, k, **kw)
                        except ValueError:  # output_padding too large for this stride, or nothing left
                            continue
                        grading.check(transposed_output_size, (n, k), expected, kwargs=kw, forbidden=NOT_ALLOWED_IN["transposed_output_size"])
### END HIDDEN TESTS

# %% [markdown] id="conv_md"
# ## 2. A transposed convolution of one image
#
# `conv_transpose2d(image, kernel, stride=1, padding="valid", output_padding=None)` takes a `(H, W)` image
# and a `(kh, kw)` kernel. Each input cell `image[i, j]` **stamps** a copy of the kernel, scaled by its value,
# with its top-left corner at `(i * sh, j * sw)`; where stamps overlap they add up. That gives the "full"
# result, `(H - 1) * sh + kh` by `(W - 1) * sw + kw` cells. Then:
#
# - the output has `transposed_output_size(...)` cells along each axis (with that axis's stride and the same
#   `padding` and `output_padding`); cells beyond the full result are zeros;
# - the first `c` rows (columns) of the full result are cut off, `c` being the padding *before* of the
#   convolution this one transposes: 0 for `"valid"`, `p` for an int `p`, and for `"same"` TensorFlow's rule
#   on the output size `out`: `total = max((ceil(out / s) - 1) * s + k - out, 0)`, `c = total // 2`.
#
# `stride` is an int or a `(sh, sw)` pair; `output_padding` is `None` or an int (for both axes). You may call
# your `transposed_output_size`.

# %% nbgrader={"grade": false, "grade_id": "conv_transpose2d", "locked": false, "schema_version": 3, "solution": true, "task": false}
def conv_transpose2d(image, kernel, stride=1, padding="valid", output_padding=None):
    """Transposed convolution of a (H, W) image with a (kh, kw) kernel."""
    ### BEGIN SOLUTION
    sh, sw = (stride, stride) if np.ndim(stride) == 0 else stride
    (h, w), (kh, kw) = image.shape, kernel.shape
    out_h = transposed_output_size(h, kh, stride=sh, padding=padding, output_padding=output_padding)
    out_w = transposed_output_size(w, kw, stride=sw, padding=padding, output_padding=output_padding)

    def crop(out, k, s):  # cells cut before: the padding before of the convolution this one transposes
        if padding == "valid":
            return 0
        if padding == "same":
            total = max((-(-out // s) - 1) * s + k - out, 0)
            return total // 2
        return padding

    top, left = crop(out_h, kh, sh), crop(out_w, kw, sw)
    full = np.zeros((max((h - 1) * sh + kh, top + out_h), max((w - 1) * sw + kw, left + out_w)),
                    dtype=np.result_type(image, kernel))
    for i in range(h):
        for j in range(w):
            full[i * sh : i * sh + kh, j * sw : j * sw + kw] += image[i, j] * kernel
    return full[top : top + out_h, left : left + out_w]
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_conv_transpose2d_visible", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""conv_transpose2d, visible tests: a 2x2 image stamping a 3x3 box kernel with stride 1 and 2, "same", an int padding with output_padding, a (1, 2) stride, and a non-square kernel whose stride leaves gaps; padlib.conv_transpose2d is not used (transposed_output_size is the reference one here)."""
with grading.reference_helpers(globals(), transposed_output_size=padlib.transposed_output_size):
    grading.check(
        conv_transpose2d,
        (np.array([[1, 2], [3, 4]]), np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1]])),
        np.array([[1, 3, 3, 2], [4, 10, 10, 6], [4, 10, 10, 6], [3, 7, 7, 4]]),
        kwargs={'stride': 1},
        forbidden=NOT_ALLOWED_IN['conv_transpose2d'],
        check_dtype=False,
    )
    grading.check(
        conv_transpose2d,
        (np.array([[1, 2], [3, 4]]), np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1]])),
        np.array([[1, 1, 3, 2, 2], [1, 1, 3, 2, 2], [4, 4, 10, 6, 6], [3, 3, 7, 4, 4], [3, 3, 7, 4, 4]]),
        kwargs={'stride': 2},
        forbidden=NOT_ALLOWED_IN['conv_transpose2d'],
        check_dtype=False,
    )
    grading.check(
        conv_transpose2d,
        (np.array([[1, 2], [3, 4]]), np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1]])),
        np.array([[1, 1, 3, 2], [1, 1, 3, 2], [4, 4, 10, 6], [3, 3, 7, 4]]),
        kwargs={'stride': 2, 'padding': 'same'},
        forbidden=NOT_ALLOWED_IN['conv_transpose2d'],
        check_dtype=False,
    )
    grading.check(
        conv_transpose2d,
        (np.array([[1, 2], [3, 4]]), np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1]])),
        np.array([[1, 3, 2, 2], [4, 10, 6, 6], [3, 7, 4, 4], [3, 7, 4, 4]]),
        kwargs={'stride': 2, 'padding': 1, 'output_padding': 1},
        forbidden=NOT_ALLOWED_IN['conv_transpose2d'],
        check_dtype=False,
    )
    grading.check(
        conv_transpose2d,
        (np.array([[1, 2], [3, 4]]), np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1]])),
        np.array([[1, 1, 3, 2, 2], [4, 4, 10, 6, 6], [4, 4, 10, 6, 6], [3, 3, 7, 4, 4]]),
        kwargs={'stride': (1, 2)},
        forbidden=NOT_ALLOWED_IN['conv_transpose2d'],
        check_dtype=False,
    )
    grading.check(
        conv_transpose2d,
        (np.array([[1, 0, 2]]), np.array([[1, -1], [2, 0]])),
        np.array([[1, -1, 0, 0, 2, -2], [2, 0, 0, 0, 4, 0]]),
        kwargs={'stride': 2, 'padding': 'valid'},
        forbidden=NOT_ALLOWED_IN['conv_transpose2d'],
        check_dtype=False,
    )
grading.passed('conv_transpose2d')

# %% nbgrader={"grade": true, "grade_id": "test_conv_transpose2d_hidden", "locked": true, "points": 4, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""conv_transpose2d, hidden tests: agrees with padlib.conv_transpose2d on 150 random integer and float images (1x1 to 6x6, non-square) and kernels (1x1 to 4x4), strides 1-3 (also per axis), paddings valid/same/0-2 and output_padding None/0/1, where padlib accepts them; leaves the image and kernel unchanged; padlib.conv_transpose2d is not used."""
with grading.reference_helpers(globals(), transposed_output_size=padlib.transposed_output_size):
    grading.check(
        conv_transpose2d,
        (np.array([[0.5, -1.0], [2.0, 0.25]]), np.array([[1, 2]])),
        np.array([[0.5, 0.0], [0.0, 0.0], [2.0, 4.25], [0.0, 0.0]]),
        kwargs={'stride': (2, 1), 'padding': 'same'},
        forbidden=NOT_ALLOWED_IN['conv_transpose2d'],
        check_dtype=False,
    )
### BEGIN HIDDEN TESTS
checked = 0
with grading.reference_helpers(globals(), transposed_output_size=padlib.transposed_output_size):
    for image, kernel, kw in random_transposed_cases(300, seed=40):
        try:
            expected = padlib.conv_transpose2d(image, kernel, **kw)
        except ValueError:  # output_padding not below the stride, or padding larger than the output
            continue
        grading.check(conv_transpose2d, (image, kernel), expected, kwargs=kw,
                      forbidden=NOT_ALLOWED_IN["conv_transpose2d"], check_dtype=False, atol=1e-9)
        checked += 1
        if checked == 150:
            break
### END HIDDEN TESTS

# %% [markdown] id="rf_md"
# ## 3. Receptive fields
#
# `receptive_field(layers)` takes a list of layers `(kernel_size, stride, dilation, padding)`, first layer
# first, and returns one record `(size, jump, start)` per layer (a tuple, or a named tuple with those
# fields, as `padlib.receptive_field` returns): after that layer, one output cell sees `size` input cells,
# neighbouring output cells are `jump` input cells apart, and the first output cell's window is centred on
# input position `start` (a float: it can fall between two cells, or before the first one). Before the first
# layer `size = 1`, `jump = 1`, `start = 0.0`; with `effective = dilation * (kernel_size - 1) + 1` and `p` the
# layer's padding *before*, each layer updates them from the previous values:
#
# - `size = size + (effective - 1) * jump`
# - `start = start + ((effective - 1) / 2 - p) * jump`
# - `jump = jump * stride`
#
# `padding` is an int `p` (padding before), `"valid"` (`p = 0`), `"full"` or `"causal"` (`p = effective - 1`),
# or `"same"` (`p = (effective - 1) // 2`; only on layers of stride 1 here).

# %% nbgrader={"grade": false, "grade_id": "receptive_field", "locked": false, "schema_version": 3, "solution": true, "task": false}
def receptive_field(layers):
    """One (size, jump, start) record per layer of `layers`, a list of (kernel_size, stride, dilation, padding)."""
    ### BEGIN SOLUTION
    size, jump, start = 1, 1, 0.0
    records = []
    for kernel_size, stride, dilation, padding in layers:
        effective = dilation * (kernel_size - 1) + 1
        before = {"valid": 0, "same": (effective - 1) // 2, "full": effective - 1, "causal": effective - 1}.get(padding, padding)
        size += (effective - 1) * jump
        start += ((effective - 1) / 2 - before) * jump
        jump *= stride
        records.append((size, jump, start))
    return records
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_receptive_field_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""receptive_field, visible tests: two 3x3 layers, two stride-2 layers, dilated "same" layers, AlexNet up to pool5 (195 cells, jump 32), a causal layer after a stride, "full"; padlib is not used."""
grading.check(receptive_field, ([(3, 1, 1, 1), (3, 1, 1, 1)],), [(3, 1, 0.0), (5, 1, 0.0)], forbidden=NOT_ALLOWED_IN['receptive_field'])
grading.check(receptive_field, ([(3, 2, 1, 0), (3, 2, 1, 0)],), [(3, 2, 1.0), (7, 4, 3.0)], forbidden=NOT_ALLOWED_IN['receptive_field'])
grading.check(receptive_field, ([(3, 1, 2, 'same'), (3, 1, 4, 'same')],), [(5, 1, 0.0), (13, 1, 0.0)], forbidden=NOT_ALLOWED_IN['receptive_field'])
grading.check(receptive_field, ([(11, 4, 1, 0), (3, 2, 1, 0), (5, 1, 1, 2), (3, 2, 1, 0), (3, 1, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1), (3, 2, 1, 0)],), [(11, 4, 5.0), (19, 8, 9.0), (51, 8, 9.0), (67, 16, 17.0), (99, 16, 17.0), (131, 16, 17.0), (163, 16, 17.0), (195, 32, 33.0)], forbidden=NOT_ALLOWED_IN['receptive_field'])
grading.check(receptive_field, ([(2, 2, 1, 'valid'), (3, 1, 1, 'causal')],), [(2, 2, 0.5), (6, 2, -1.5)], forbidden=NOT_ALLOWED_IN['receptive_field'])
grading.check(receptive_field, ([(5, 1, 1, 'full')],), [(5, 1, -2.0)], forbidden=NOT_ALLOWED_IN['receptive_field'])
grading.passed('receptive_field')

# %% nbgrader={"grade": true, "grade_id": "test_receptive_field_hidden", "locked": true, "points": 3, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""receptive_field, hidden tests: agrees with padlib.receptive_field on 200 random stacks of 1-6 layers (kernel sizes 1-7, strides 1-3, dilations 1-3, paddings valid/same/full/causal/0-3) and on an empty stack; padlib is not used."""
grading.check(receptive_field, ([(7, 2, 1, 3), (3, 2, 1, 1), (3, 1, 1, 'same')],), [(7, 2, 0.0), (11, 4, 0.0), (19, 4, 0.0)], forbidden=NOT_ALLOWED_IN['receptive_field'])
### BEGIN HIDDEN TESTS
grading.check(receptive_field, ([],), [], forbidden=NOT_ALLOWED_IN["receptive_field"])
for layers in random_layer_stacks(200, seed=41):
    expected = [tuple(record) for record in padlib.receptive_field(layers)]
    grading.check(receptive_field, (layers,), expected, forbidden=NOT_ALLOWED_IN["receptive_field"])
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
