# %% [markdown]
# # Lesson 7 · Dilation, transposed convolution and pooling
#
# Lessons 1-5 made feature maps smaller. This lesson looks at three more things a network does to
# a grid: **dilation** spreads a kernel out, a **transposed convolution** makes a grid larger again,
# and **pooling** shrinks it without weights. Each follows the same size arithmetic, with one new
# twist each: an effective kernel size, an `output_padding`, and how a padded cell is counted.
#
# **You will see:** a dilated 3x3 kernel spanning 5 and 7 cells; sizes 5 and 6 both giving 3, and
# the `output_padding` that tells them apart; TensorFlow's and PyTorch's average pooling
# disagreeing in the corner (1.0 against 0.444); and two famous size mistakes (4.5 and 54.25).

# %%
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # silence TensorFlow's start-up messages

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import padlib
import padlib.plot
import padlib.widgets

rng = np.random.default_rng(0)

# %% [markdown]
# ## Dilation: a kernel with holes
#
# A dilated kernel keeps its `k` weights but places them `d` cells apart, so it covers
# `k_eff = d * (k - 1) + 1` cells. Everything about sizes then works as for a kernel of size
# `k_eff`: more context per output for the same number of weights.

# %%
for d in (1, 2, 3):
    span = padlib.effective_kernel_size(3, dilation=d)
    print(
        f"3x3 kernel, dilation {d}: spans {span}x{span} cells, 9 weights; on 10x10 -> {padlib.output_size(10, 3, dilation=d)}x{padlib.output_size(10, 3, dilation=d)}"
    )

# %% [markdown]
# The footprint of a 3x3 kernel with dilation 2: nine taps (1) in a 5x5 square, with holes (0)
# between them. `padlib.conv2d(..., dilation=2)` reads exactly these cells.

# %%
footprint = np.zeros((5, 5), dtype=int)
footprint[::2, ::2] = 1
ax = padlib.plot.grid(footprint, title="3x3 kernel, dilation 2: the cells it reads")
plt.show()

# %% [markdown]
# ## Transposed convolution: going back up
#
# A strided convolution maps many input cells to one output cell. Its **transpose** runs the same
# connections backwards: each input cell adds a copy of the kernel, scaled by its value, to the
# output, `stride` cells further on for each step. Overlapping copies add up. Here a 2x2 input and
# a 3x3 kernel of ones with stride 2 make a 5x5 output; the centre cell is where all four copies
# overlap (1 + 2 + 3 + 4 = 10).

# %%
small = np.array([[1, 2], [3, 4]])
up = padlib.conv_transpose2d(small, np.ones((3, 3), dtype=int), stride=2)
print("2x2 -> stride-2 transposed 3x3 ->", up.shape)
print(up)
fig, axes = plt.subplots(1, 2, figsize=(7, 3.4))
padlib.plot.grid(small, ax=axes[0], title="input 2x2")
padlib.plot.grid(up, ax=axes[1], title="transposed conv, stride 2: 5x5")
plt.show()

# %% [markdown]
# Why "transposed"? A convolution is a linear map, a matrix `C` with `conv(z) = C z`. The
# transposed convolution is `C.T`, so for any `z` and `x` the two inner products
# `<conv(z), x>` and `<z, conv_transpose(x)>` are equal. That is also why it is the **gradient** of
# the strided convolution with respect to its input, which is how TensorFlow computes it. Check
# both, and check padlib against `tf.nn.conv2d_transpose` and Keras `Conv2DTranspose`:

# %%
z, kernel = rng.normal(size=(6, 6)), rng.normal(size=(3, 3))
x = rng.normal(size=padlib.conv2d(z, kernel, stride=2).shape)
lhs = (padlib.conv2d(z, kernel, stride=2) * x).sum()
rhs = (z * padlib.conv_transpose2d(x, kernel, stride=2, output_padding=1)).sum()
print(f"<conv(z), x> = {lhs:.6f} | <z, conv_transpose(x)> = {rhs:.6f} | equal: {np.isclose(lhs, rhs)}")
zv = tf.Variable(z.reshape(1, 6, 6, 1).astype("float32"))
with tf.GradientTape() as tape:
    y = tf.nn.conv2d(zv, kernel.reshape(3, 3, 1, 1).astype("float32"), 2, "VALID")
    loss = tf.reduce_sum(y * x.reshape(y.shape).astype("float32"))
gradient = tape.gradient(loss, zv).numpy()[0, :, :, 0]
print(
    "TF gradient == padlib.conv_transpose2d:",
    np.allclose(gradient, padlib.conv_transpose2d(x, kernel, stride=2, output_padding=1), atol=1e-4),
)

# %%
batch = rng.normal(size=(2, 4, 5, 3)).astype("float32")
weights = rng.normal(size=(3, 3, 2, 3)).astype("float32")  # (kh, kw, C_out, C_in), as Keras stores it
for padding in ("valid", "same"):
    layer = keras.layers.Conv2DTranspose(2, 3, strides=2, padding=padding, use_bias=False)
    layer.build((None, 4, 5, 3))
    layer.set_weights([weights])
    ours = padlib.conv_transpose2d(batch, weights, stride=2, padding=padding)
    raw = tf.nn.conv2d_transpose(batch, weights, ours.shape, strides=2, padding=padding.upper()).numpy()
    print(
        f"{padding:>5}: Keras {tuple(layer(batch).shape)} == padlib: {np.allclose(layer(batch), ours, atol=1e-4)} | tf.nn.conv2d_transpose == padlib: {np.allclose(raw, ours, atol=1e-4)}"
    )

# %% [markdown]
# ## The output size, and why it needs `output_padding`
#
# A convolution rounds down. With kernel 3, stride 2 and padding 1, inputs of 5 and of 6 cells
# both give 3 outputs. Going back, the transpose cannot know which one you came from:
# `out = (i - 1) * s + k - 2p` gives 5, and the extra term `a = (n + 2p - k) mod s` (Dumoulin &
# Visin's *A guide to convolution arithmetic*, relationship 14; PyTorch's `output_padding`) picks 6.

# %%
for n in (5, 6):
    a = (n + 2 * 1 - 3) % 2
    print(
        f"input {n} -> conv(k=3, s=2, p=1) -> {padlib.output_size(n, 3, stride=2, padding=1)} -> transpose with output_padding={a} -> {padlib.transposed_output_size(3, 3, stride=2, padding=1, output_padding=a)}"
    )

# %% [markdown]
# Keras has no `p`; it takes `"valid"` or `"same"` and, when `output_padding` is left as `None`,
# chooses the size itself: `"same"` gives `i * s` (the size a "same" convolution would have
# halved), `"valid"` gives `(i - 1) * s + max(k, s)`. padlib follows the same rule; check it
# against Keras:

# %%
checked = mismatches = 0
for n in range(1, 8):
    for k in range(1, 6):
        for s in (1, 2, 3):
            for padding in ("valid", "same"):
                transposed = keras.layers.Conv2DTranspose(1, k, strides=s, padding=padding)
                keras_size = transposed.compute_output_shape((1, n, n, 1))[1]
                mismatches += keras_size != padlib.transposed_output_size(n, k, stride=s, padding=padding)
                checked += 1
print(f"transposed sizes checked against Keras: {checked} configurations, {mismatches} mismatches")
same_size, valid_size = (padlib.transposed_output_size(4, 3, stride=2, padding=p) for p in ("same", "valid"))
print("Keras same, 4 -> stride 2:", same_size, "| valid:", valid_size)

# %% [markdown]
# Try it in the explorer: change the input size, stride, padding and `output_padding`, and pick an
# input cell to see which output cells it feeds (the marked ones: one copy of the kernel).

# %%
ex = padlib.widgets.transpose_explorer(size=3, kernel_size=3, stride=2, cell=4)
print(
    "output size:",
    ex.output_size,
    "| input cell (1, 1) feeds output rows and columns",
    np.flatnonzero(ex.fed.any(axis=1)).tolist(),
)
ex

# %% [markdown]
# ## Pooling
#
# A pooling layer slides a window like a convolution, but takes the maximum or the mean of the
# window instead of a weighted sum. Its sizes follow the same formula; Keras's stride defaults to
# the pool size, so `MaxPooling2D(2)` halves the grid. With padding, the question is what a
# padded cell counts for:
#
# - TensorFlow's SAME max pooling ignores padded cells, and SAME average pooling divides by the
#   number of **real** cells in the window;
# - PyTorch's `AvgPool2d` by default (`count_include_pad=True`) counts the padded zeros, so it
#   divides by the whole window. `padlib.pool2d(..., count_pad=True)` does the same.

# %%
ones = np.ones((1, 4, 4, 1), dtype="float32")
tf_avg = tf.nn.avg_pool2d(ones, 3, 1, "SAME").numpy()[0, :, :, 0]
ours = padlib.pool2d(ones, 3, stride=1, padding="same", op="avg")[0, :, :, 0]
torch_style = padlib.pool2d(ones, 3, stride=1, padding=1, op="avg", count_pad=True)[0, :, :, 0]
print("TF SAME average == padlib.pool2d:", np.allclose(tf_avg, ours))
print(
    f"all-ones 4x4, 3x3 average: corner TF {ours[0, 0]:.3f} | count_include_pad {torch_style[0, 0]:.3f}; edge TF {ours[0, 1]:.3f} | count_include_pad {torch_style[0, 1]:.3f}"
)
print("max pooling 2x2 (Keras default stride 2) on 4x4 ->", padlib.pool2d(np.arange(16).reshape(4, 4), 2).tolist())

# %% [markdown]
# ## Two sizes that do not work out
#
# CS231n's notes write the size rule as `(W - F + 2P) / S + 1` and warn that it must come out
# whole: for `W=10, F=3, P=0, S=2` it gives 4.5, so those settings are invalid as they stand.
# TensorFlow does not refuse; it rounds down and never reads the last column.

# %%
print(
    "CS231n: (10 - 3 + 0) / 2 + 1 =",
    (10 - 3 + 0) / 2 + 1,
    "| TensorFlow valid:",
    padlib.output_size(10, 3, stride=2),
    "| cells read:",
    (padlib.output_size(10, 3, stride=2) - 1) * 2 + 3,
    "of 10",
)

# %% [markdown]
# The AlexNet paper states 224x224 inputs for its first layer (11x11 kernels, stride 4, no
# padding). The rule gives 54.25, not the 55 the paper's feature maps have; with 227 it is exactly
# 55. (torchvision's AlexNet keeps 224, pads 2 and rounds down: `floor(55.25) = 55`.)

# %%
for n in (224, 227):
    print(
        f"AlexNet conv1 on {n}: ({n} - 11) / 4 + 1 = {(n - 11) / 4 + 1} -> padlib.output_size: {padlib.output_size(n, 11, stride=4)}"
    )
print(
    "224 with padding 2, PyTorch-style:",
    (224 + 2 * 2 - 11) / 4 + 1,
    "->",
    padlib.output_size(224, 11, stride=4, padding=2),
)

# %% [markdown]
# ## What to remember
#
# - Dilation `d` makes a `k`-kernel span `d * (k - 1) + 1` cells, with the same weights.
# - A transposed convolution is the transpose (and the input gradient) of a convolution; its size
#   is `(i - 1) * s + k_eff - 2p + a`, and `a` (`output_padding`) picks which of the input sizes
#   that round to the same output you go back to.
# - Pooling follows the same size rule; at the border TensorFlow averages only real cells, PyTorch
#   by default counts the padded zeros.
# - Check that sizes divide: 4.5 and 54.25 are signs of a wrong setting, and frameworks round
#   silently.
