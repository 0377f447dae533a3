# %% [markdown] id="intro"
# # Padding modes, by hand
#
# A convolution layer pads its input before sliding the kernel over it. In this assignment you write
# every padding mode yourself, **with numpy indexing only**: slicing, fancy indexing, `np.take`,
# `np.concatenate`, `np.zeros`/`np.full`, `%`, `np.clip`... are all fine; **`np.pad` and `padlib` are not**
# (the tests check it, under any name you import them as).
#
# Every function takes a 1-D array (a sequence) or a 2-D array (an image) `x` and a `pad` that is either an
# int (the same on both sides) or a `(before, after)` pair; the same `pad` applies to **every axis**. Each
# function returns a **new** array of the **same dtype** as `x` and leaves `x` unchanged.
#
# | part | function | points |
# | --- | --- | --- |
# | constant (zero) padding | `pad_constant(x, pad, value=0)` | 1 + 2 |
# | reflect | `pad_reflect(x, pad)` | 1 + 2 |
# | symmetric | `pad_symmetric(x, pad)` | 1 + 2 |
# | replicate | `pad_replicate(x, pad)` | 1 + 2 |
# | circular | `pad_circular(x, pad)` | 1 + 2 |
# | causal | `pad_causal(x, kernel_size, dilation=1)` | 1 + 2 |
#
# Each part is graded on its own: a visible test (run it to check your work) and a hidden test that compares
# your function with the reference on many random shapes and pads. Before submitting, run
# *Kernel → Restart & Run All*, or `nbgrader validate padding_modes.ipynb` in a terminal.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Read-only set-up: run this cell first.
import numpy as np

import padlib  # the reference implementation, used by the tests only
from safegrade import checks as grading
from safegrade.cases import random_pad_cases

NOT_ALLOWED = (np.pad, padlib)  # the tests fail if your functions use these


def as_pair(pad):
    """(before, after) from an int or a (before, after) pair: as_pair(2) == (2, 2)."""
    if isinstance(pad, (int, np.integer)):
        return int(pad), int(pad)
    before, after = pad
    return int(before), int(after)


# %% [markdown] id="constant_md"
# ## 1. Constant (zero) padding
#
# Constant padding fills the border with one value, `0` unless told otherwise: `[1 2 3]` padded by 2 →
# `0 0 | 1 2 3 | 0 0`. It is what `padding="same"` does in every framework.
#
# Hint: make an output of the padded shape filled with `value` (`np.full(shape, value, dtype=x.dtype)`),
# then copy `x` into the middle with one slice per axis.

# %% nbgrader={"grade": false, "grade_id": "pad_constant", "locked": false, "schema_version": 3, "solution": true, "task": false}
def pad_constant(x, pad, value=0):
    """x padded on every axis with `value`: `pad` cells (or a (before, after) pair)."""
    ### BEGIN SOLUTION
    before, after = as_pair(pad)
    out = np.full(tuple(n + before + after for n in x.shape), value, dtype=x.dtype)
    out[tuple(slice(before, before + n) for n in x.shape)] = x
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_pad_constant_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_constant, visible tests: zeros around a sequence and an image, an uneven (before, after) pair and another fill value; np.pad and padlib are not used."""
grading.check(pad_constant, (np.array([1, 2, 3]), 2), np.array([0, 0, 1, 2, 3, 0, 0]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(pad_constant, (np.array([1, 2, 3]), (1, 2)), np.array([0, 1, 2, 3, 0, 0]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(pad_constant, (np.array([1, 2, 3]), 1), np.array([9, 1, 2, 3, 9]), kwargs={"value": 9}, forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(
    pad_constant,
    (np.array([[1, 2, 3], [4, 5, 6]]), 1),
    np.array([[0, 0, 0, 0, 0], [0, 1, 2, 3, 0], [0, 4, 5, 6, 0], [0, 0, 0, 0, 0]]),
    forbidden=NOT_ALLOWED,
    check_dtype=False,
)
grading.passed('pad_constant')

# %% nbgrader={"grade": true, "grade_id": "test_pad_constant_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_constant, hidden tests: agrees with padlib.pad(x, pad, "constant", value=...) on 200 random 1-D and 2-D arrays (one-element and non-square axes, zero padding, uneven pairs, fill values 0, 7 and 1.5 on floats); keeps the dtype; leaves x unchanged; uses neither np.pad nor padlib."""
grading.check(pad_constant, (np.arange(6, dtype=np.int8).reshape(2, 3), (0, 1)), np.array([[0, 1, 2, 0], [3, 4, 5, 0], [0, 0, 0, 0]], dtype=np.int8), forbidden=NOT_ALLOWED)
### BEGIN HIDDEN TESTS
for i, (x, pad) in enumerate(random_pad_cases("constant", 200, seed=10)):
    value = [0, 7, 1.5 if x.dtype.kind == "f" else 3][i % 3]
    grading.check(pad_constant, (x, pad), padlib.pad(x, pad, "constant", value=value), kwargs={"value": value}, forbidden=NOT_ALLOWED)
grading.check(pad_constant, (np.array([5], dtype=np.int8), 0), np.array([5], dtype=np.int8), forbidden=NOT_ALLOWED)
grading.check(pad_constant, (np.ones((1, 4)), (0, 3)), padlib.pad(np.ones((1, 4)), (0, 3)), forbidden=NOT_ALLOWED)
### END HIDDEN TESTS

# %% [markdown] id="reflect_md"
# ## 2. Reflect padding
#
# Reflect padding mirrors the array about its edge cell, which is **not** repeated: `[1 2 3]` padded by 2 → `3 2 | 1 2 3 | 2 1`. Here `pad` is at most `n - 1` on an axis of length `n`; the tests stay within that limit.
#
# Hint: padding one axis of length `n` is picking cells of `x` by index. Build the index array for the
# padded axis (for `[1 2 3]` padded by 2, which input cell does each of the 7 output cells copy?),
# then apply it with `np.take(x, index, axis=axis)`, one axis after the other.

# %% nbgrader={"grade": false, "grade_id": "pad_reflect", "locked": false, "schema_version": 3, "solution": true, "task": false}
def pad_reflect(x, pad):
    """x padded on every axis with reflect padding: `pad` cells (or a (before, after) pair)."""
    ### BEGIN SOLUTION
    before, after = as_pair(pad)
    out = x
    for axis in range(x.ndim):
        n = x.shape[axis]
        # before: cells before..1, then the input, then after: cells n-2 down to n-1-after
        index = np.concatenate([np.arange(before, 0, -1), np.arange(n), np.arange(n - 2, n - 2 - after, -1)])
        out = np.take(out, index, axis=axis)
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_pad_reflect_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_reflect, visible tests: the example above, an uneven (before, after) pair, and an image; np.pad and padlib are not used."""
grading.check(pad_reflect, (np.array([1, 2, 3]), 2), np.array([3, 2, 1, 2, 3, 2, 1]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(pad_reflect, (np.array([1, 2, 3, 4]), (1, 2)), np.array([2, 1, 2, 3, 4, 3, 2]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(
    pad_reflect,
    (np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), 1),
    np.array([[5, 4, 5, 6, 5], [2, 1, 2, 3, 2], [5, 4, 5, 6, 5], [8, 7, 8, 9, 8], [5, 4, 5, 6, 5]]),
    forbidden=NOT_ALLOWED,
    check_dtype=False,
)
grading.passed('pad_reflect')

# %% nbgrader={"grade": true, "grade_id": "test_pad_reflect_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_reflect, hidden tests: agrees with padlib.pad(x, pad, "reflect") on 200 random 1-D and 2-D arrays (one-element and non-square axes, zero padding, uneven pairs, padding up to the mode's limit); keeps the dtype; leaves x unchanged; uses neither np.pad nor padlib."""
grading.check(pad_reflect, (np.arange(6, dtype=np.int8).reshape(2, 3), (0, 1)), np.array([[0, 1, 2, 1], [3, 4, 5, 4], [0, 1, 2, 1]], dtype=np.int8), forbidden=NOT_ALLOWED)
### BEGIN HIDDEN TESTS
for x, pad in random_pad_cases("reflect", 200, seed=12):
    grading.check(pad_reflect, (x, pad), padlib.pad(x, pad, "reflect"), forbidden=NOT_ALLOWED)
### END HIDDEN TESTS

# %% [markdown] id="symmetric_md"
# ## 3. Symmetric padding
#
# Symmetric padding mirrors the array about the border itself, so the edge cell **is** repeated: `[1 2 3]` padded by 2 → `2 1 | 1 2 3 | 3 2`. Here `pad` is at most `n` on an axis of length `n`; the tests stay within that limit.
#
# Hint: padding one axis of length `n` is picking cells of `x` by index. Build the index array for the
# padded axis (for `[1 2 3]` padded by 2, which input cell does each of the 7 output cells copy?),
# then apply it with `np.take(x, index, axis=axis)`, one axis after the other.

# %% nbgrader={"grade": false, "grade_id": "pad_symmetric", "locked": false, "schema_version": 3, "solution": true, "task": false}
def pad_symmetric(x, pad):
    """x padded on every axis with symmetric padding: `pad` cells (or a (before, after) pair)."""
    ### BEGIN SOLUTION
    before, after = as_pair(pad)
    out = x
    for axis in range(x.ndim):
        n = x.shape[axis]
        index = np.concatenate([np.arange(before - 1, -1, -1), np.arange(n), np.arange(n - 1, n - 1 - after, -1)])
        out = np.take(out, index, axis=axis)
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_pad_symmetric_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_symmetric, visible tests: the example above, an uneven (before, after) pair, and an image; np.pad and padlib are not used."""
grading.check(pad_symmetric, (np.array([1, 2, 3]), 2), np.array([2, 1, 1, 2, 3, 3, 2]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(pad_symmetric, (np.array([1, 2, 3, 4]), (1, 2)), np.array([1, 1, 2, 3, 4, 4, 3]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(
    pad_symmetric,
    (np.array([[1, 2], [3, 4]]), 2),
    np.array([[4, 3, 3, 4, 4, 3], [2, 1, 1, 2, 2, 1], [2, 1, 1, 2, 2, 1], [4, 3, 3, 4, 4, 3], [4, 3, 3, 4, 4, 3], [2, 1, 1, 2, 2, 1]]),
    forbidden=NOT_ALLOWED,
    check_dtype=False,
)
grading.passed('pad_symmetric')

# %% nbgrader={"grade": true, "grade_id": "test_pad_symmetric_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_symmetric, hidden tests: agrees with padlib.pad(x, pad, "symmetric") on 200 random 1-D and 2-D arrays (one-element and non-square axes, zero padding, uneven pairs, padding up to the mode's limit); keeps the dtype; leaves x unchanged; uses neither np.pad nor padlib."""
grading.check(pad_symmetric, (np.arange(6, dtype=np.int8).reshape(2, 3), (0, 1)), np.array([[0, 1, 2, 2], [3, 4, 5, 5], [3, 4, 5, 5]], dtype=np.int8), forbidden=NOT_ALLOWED)
### BEGIN HIDDEN TESTS
for x, pad in random_pad_cases("symmetric", 200, seed=13):
    grading.check(pad_symmetric, (x, pad), padlib.pad(x, pad, "symmetric"), forbidden=NOT_ALLOWED)
### END HIDDEN TESTS

# %% [markdown] id="replicate_md"
# ## 4. Replicate padding
#
# Replicate padding repeats the edge cell (numpy calls it `'edge'`): `[1 2 3]` padded by 2 → `1 1 | 1 2 3 | 3 3`. Here any `pad >= 0` works; the tests stay within that limit.
#
# Hint: padding one axis of length `n` is picking cells of `x` by index. Build the index array for the
# padded axis (for `[1 2 3]` padded by 2, which input cell does each of the 7 output cells copy?),
# then apply it with `np.take(x, index, axis=axis)`, one axis after the other.

# %% nbgrader={"grade": false, "grade_id": "pad_replicate", "locked": false, "schema_version": 3, "solution": true, "task": false}
def pad_replicate(x, pad):
    """x padded on every axis with replicate padding: `pad` cells (or a (before, after) pair)."""
    ### BEGIN SOLUTION
    before, after = as_pair(pad)
    out = x
    for axis in range(x.ndim):
        n = x.shape[axis]
        index = np.clip(np.arange(-before, n + after), 0, n - 1)
        out = np.take(out, index, axis=axis)
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_pad_replicate_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_replicate, visible tests: the example above, an uneven (before, after) pair, and an image; np.pad and padlib are not used."""
grading.check(pad_replicate, (np.array([1, 2, 3]), 2), np.array([1, 1, 1, 2, 3, 3, 3]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(pad_replicate, (np.array([1, 2, 3, 4]), (1, 2)), np.array([1, 1, 2, 3, 4, 4, 4]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(
    pad_replicate,
    (np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), 2),
    np.array([[1, 1, 1, 2, 3, 3, 3], [1, 1, 1, 2, 3, 3, 3], [1, 1, 1, 2, 3, 3, 3], [4, 4, 4, 5, 6, 6, 6], [7, 7, 7, 8, 9, 9, 9], [7, 7, 7, 8, 9, 9, 9], [7, 7, 7, 8, 9, 9, 9]]),
    forbidden=NOT_ALLOWED,
    check_dtype=False,
)
grading.passed('pad_replicate')

# %% nbgrader={"grade": true, "grade_id": "test_pad_replicate_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_replicate, hidden tests: agrees with padlib.pad(x, pad, "replicate") on 200 random 1-D and 2-D arrays (one-element and non-square axes, zero padding, uneven pairs, padding up to the mode's limit); keeps the dtype; leaves x unchanged; uses neither np.pad nor padlib."""
grading.check(pad_replicate, (np.arange(6, dtype=np.int8).reshape(2, 3), (0, 1)), np.array([[0, 1, 2, 2], [3, 4, 5, 5], [3, 4, 5, 5]], dtype=np.int8), forbidden=NOT_ALLOWED)
### BEGIN HIDDEN TESTS
for x, pad in random_pad_cases("replicate", 200, seed=14):
    grading.check(pad_replicate, (x, pad), padlib.pad(x, pad, "replicate"), forbidden=NOT_ALLOWED)
### END HIDDEN TESTS

# %% [markdown] id="circular_md"
# ## 5. Circular padding
#
# Circular padding wraps around: the other end of the array continues here (numpy calls it `'wrap'`): `[1 2 3]` padded by 2 → `2 3 | 1 2 3 | 1 2`. Here `pad` is at most `n` on an axis of length `n`; the tests stay within that limit.
#
# Hint: padding one axis of length `n` is picking cells of `x` by index. Build the index array for the
# padded axis (for `[1 2 3]` padded by 2, which input cell does each of the 7 output cells copy?),
# then apply it with `np.take(x, index, axis=axis)`, one axis after the other.

# %% nbgrader={"grade": false, "grade_id": "pad_circular", "locked": false, "schema_version": 3, "solution": true, "task": false}
def pad_circular(x, pad):
    """x padded on every axis with circular padding: `pad` cells (or a (before, after) pair)."""
    ### BEGIN SOLUTION
    before, after = as_pair(pad)
    out = x
    for axis in range(x.ndim):
        n = x.shape[axis]
        index = np.arange(-before, n + after) % n
        out = np.take(out, index, axis=axis)
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_pad_circular_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_circular, visible tests: the example above, an uneven (before, after) pair, and an image; np.pad and padlib are not used."""
grading.check(pad_circular, (np.array([1, 2, 3]), 2), np.array([2, 3, 1, 2, 3, 1, 2]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(pad_circular, (np.array([1, 2, 3, 4]), (1, 2)), np.array([4, 1, 2, 3, 4, 1, 2]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(
    pad_circular,
    (np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), 2),
    np.array([[5, 6, 4, 5, 6, 4, 5], [8, 9, 7, 8, 9, 7, 8], [2, 3, 1, 2, 3, 1, 2], [5, 6, 4, 5, 6, 4, 5], [8, 9, 7, 8, 9, 7, 8], [2, 3, 1, 2, 3, 1, 2], [5, 6, 4, 5, 6, 4, 5]]),
    forbidden=NOT_ALLOWED,
    check_dtype=False,
)
grading.passed('pad_circular')

# %% nbgrader={"grade": true, "grade_id": "test_pad_circular_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_circular, hidden tests: agrees with padlib.pad(x, pad, "circular") on 200 random 1-D and 2-D arrays (one-element and non-square axes, zero padding, uneven pairs, padding up to the mode's limit); keeps the dtype; leaves x unchanged; uses neither np.pad nor padlib."""
grading.check(pad_circular, (np.arange(6, dtype=np.int8).reshape(2, 3), (0, 1)), np.array([[0, 1, 2, 0], [3, 4, 5, 3], [0, 1, 2, 0]], dtype=np.int8), forbidden=NOT_ALLOWED)
### BEGIN HIDDEN TESTS
for x, pad in random_pad_cases("circular", 200, seed=15):
    grading.check(pad_circular, (x, pad), padlib.pad(x, pad, "circular"), forbidden=NOT_ALLOWED)
### END HIDDEN TESTS

# %% [markdown] id="causal_md"
# ## 6. Causal padding
#
# A causal convolution over a sequence must not look into the future: output `t` may only see inputs
# `<= t`. Keras's `Conv1D(padding="causal")` gets that by padding zeros **only at the start**, as many as the
# kernel spans minus one: `dilation * (kernel_size - 1)`, and nothing at the end. So the output is as long as
# the input. `[1 2 3 4]` with a kernel of size 3 → `0 0 | 1 2 3 4`.
#
# `x` is a 1-D sequence here.

# %% nbgrader={"grade": false, "grade_id": "pad_causal", "locked": false, "schema_version": 3, "solution": true, "task": false}
def pad_causal(x, kernel_size, dilation=1):
    """The 1-D sequence x with dilation * (kernel_size - 1) zeros before it and none after."""
    ### BEGIN SOLUTION
    before = dilation * (kernel_size - 1)
    out = np.zeros(before + len(x), dtype=x.dtype)
    out[before:] = x
    return out
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "test_pad_causal_visible", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_causal, visible tests: kernel sizes 1 to 3, with and without dilation; np.pad and padlib are not used."""
grading.check(pad_causal, (np.array([1, 2, 3, 4]), 2), np.array([0, 1, 2, 3, 4]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(pad_causal, (np.array([1, 2, 3, 4]), 3), np.array([0, 0, 0, 0, 1, 2, 3, 4]), kwargs={'dilation': 2}, forbidden=NOT_ALLOWED, check_dtype=False)
grading.check(pad_causal, (np.array([5]), 1), np.array([5]), forbidden=NOT_ALLOWED, check_dtype=False)
grading.passed('pad_causal')

# %% nbgrader={"grade": true, "grade_id": "test_pad_causal_hidden", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} tags=["raises-exception"]
"""pad_causal, hidden tests: agrees with padlib's causal padding on every length 1-8, kernel size 1-5 and dilation 1-3, for integer and float sequences; keeps the dtype; leaves x unchanged; uses neither np.pad nor padlib."""
grading.check(pad_causal, (np.array([1.5, 2.5], dtype=np.float32), 2), np.array([0, 1.5, 2.5], dtype=np.float32), forbidden=NOT_ALLOWED)
### BEGIN HIDDEN TESTS
rng = np.random.default_rng(20)
for n in range(1, 9):
    for k in range(1, 6):
        for d in range(1, 4):
            x = rng.integers(-9, 10, size=n).astype([np.int64, np.int16, np.float32][(n + k + d) % 3])
            expected = padlib.pad(x, padlib.padding_amounts(n, k, dilation=d, padding="causal"), "constant")
            grading.check(pad_causal, (x, k), expected, kwargs={"dilation": d}, forbidden=NOT_ALLOWED)
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
