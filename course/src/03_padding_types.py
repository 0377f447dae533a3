# %% [markdown]
# # Lesson 3 · Padding types
#
# "Padding" answers two separate questions, and mixing them up is the most common confusion about it:
#
# 1. **How much** to add on each side. The named paddings answer this: *valid*, *same*, *full*,
#    *causal* (and explicit numbers).
# 2. **Which values** to put there. The padding modes answer this: *constant* (zeros by default),
#    *reflect*, *symmetric*, *replicate*, *circular*.
#
# Any amount can be combined with any mode. This lesson shows each one with a picture and a use
# case, prints the names the libraries use for them, and corrects two claims of the seed article
# *What is padding in a neural network?*
#
# **You will see:** the table of names, `[3, 5, 1]` padded by every mode, the evidence that the
# article's "replication padding" is symmetric padding, and TensorFlow's "same" putting the odd
# pixel at the bottom/right.

# %%
import os

os.environ.update(TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")  # before TensorFlow loads: no start-up messages

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import padlib
import padlib.plot
import padlib.widgets

# %% [markdown]
# ## How much: valid, same, full, causal
#
# For one axis of length `n` and a kernel of size `k` (stride 1):
#
# | padding | cells added (before, after) | output length | typical use |
# | --- | --- | --- | --- |
# | valid | `(0, 0)` | `n - k + 1` | the default of Keras; keep only placements fully inside |
# | same | `(k - 1) // 2` before, the rest after | `n` | keep the size: deep stacks, autoencoders, U-Nets, residual sums |
# | full | `k - 1` on both sides | `n + k - 1` | every placement that touches at least one input cell (e.g. `np.convolve`'s default) |
# | causal | `k - 1` before, none after | `n` | sequences: output `t` may only see inputs up to `t` |
#
# `padlib.padding_amounts` computes these the way TensorFlow does; here for the 8-pixel axis of
# lesson 1 and a 3-pixel kernel.

# %%
for padding in padlib.PADDINGS:
    before, after = padlib.padding_amounts(8, 3, padding=padding)
    print(f"{padding:>6}: add ({before}, {after}) -> output {padlib.output_size(8, 3, padding=padding)}")

# %%
x = np.arange(1, 26, dtype=float).reshape(5, 5)
fig, axes = plt.subplots(1, 4, figsize=(16, 4.5))
for ax, padding in zip(axes, padlib.PADDINGS, strict=True):
    amounts = padlib.padding_amounts(5, 3, padding=padding)
    width = ((0, 0), amounts) if padding == "causal" else amounts
    padlib.plot.grid(x, pad_width=width, mode="constant", ax=ax, title=f"{padding}: pad {width}")
plt.show()

# %% [markdown]
# (Causal padding is drawn on the width axis only: it is meant for one axis, time.)
#
# ## Which values: the five modes
#
# The row `[3, 5, 1]` is the example of *What is padding in a neural network?*. Padding it by two
# cells on each side shows what every mode does:

# %%
row = np.array([3, 5, 1])
for mode, info in padlib.MODES.items():
    print(f"{mode:>9}: {padlib.pad(row, 2, mode).tolist()}   ({info.rule})")

# Constant padding takes any value, and any amount on each side can differ: PyTorch's `F.pad`
# lets you pad, say, only the left and the top. Then the result is no longer "same" (lesson 4
# shows that "same" is the amount, whatever the values).

# %%
print("value 7, left only:  ", padlib.pad(row, (1, 0), "constant", value=7).tolist())
print("value -1, top and left only:\n", padlib.pad(np.ones((2, 3), dtype=int), ((1, 0), (1, 0)), "constant", value=-1))

# %%
axes = padlib.plot.compare_modes(x, 2)
plt.show()

# %% [markdown]
# What each mode is good for (this text is stored with the mode in `padlib.MODES`):

# %%
for mode, info in padlib.MODES.items():
    print(f"{mode:>9}: {info.use_case}")

# %% [markdown]
# ## The same mode has different names in every library
#
# The table below is built from `padlib.MODES`, the registry the library itself uses, so it
# cannot disagree with what `padlib.pad` does (`print(padlib.mode_table())` gives it as Markdown
# text; the notes under it say where padlib deliberately differs from `np.pad`). Two traps: numpy calls replicate `'edge'` and
# circular `'wrap'`; TensorFlow's `tf.pad` has only constant, reflect and symmetric; and Keras
# convolutions only pad with zeros.

# %%
padlib.mode_table()

# %% [markdown]
# ## Correction 1: the article's "replication padding" is symmetric padding
#
# *What is padding in a neural network?* describes "replication padding / symmetric padding": copy
# the row `[3, 5, 1]`, mirror it, and append it, so the right side gets `1, 5`. That is
# **symmetric** padding (TensorFlow's `SYMMETRIC`, numpy's `'symmetric'`). **Replicate** padding,
# as PyTorch's `ReplicationPad2d` and `padding_mode='replicate'` use the word, repeats the edge
# value: `1, 1`. The two give different results, so the names are not interchangeable:

# %%
article_right_side = [3, 5, 1, 1, 5]  # the article: "1 and 5" are added on the right
for mode in ("symmetric", "replicate"):
    ours = padlib.pad(row, (0, 2), mode).tolist()
    print(f"padlib {mode:>9}: {ours}   same as the article: {ours == article_right_side}")
print("tf.pad SYMMETRIC:       ", tf.pad(row, [[0, 2]], mode="SYMMETRIC").numpy().tolist())
print("np.pad edge (replicate):", np.pad(row, (0, 2), mode="edge").tolist())

# %% [markdown]
# The same article's reflection example is right: mirroring about the edge value (which is not
# repeated) adds `5, 3` on the right of `[3, 5, 1]` and `5, 1` on the left.

# %%
print(
    "reflect:",
    padlib.pad(row, 2, "reflect").tolist(),
    "| tf.pad REFLECT:",
    tf.pad(row, [[2, 2]], mode="REFLECT").numpy().tolist(),
)

# %% [markdown]
# ## Correction 2: "same" is not "zero" padding
#
# The same article (and *How to use padding with Keras?*) treats "same padding" and "zero padding"
# as two names for one thing. They answer different questions: "same" is an **amount** (enough to
# keep the size), "zero" is a **value**. Keras's `padding="same"` happens to fill with zeros, but:
#
# - same-size output with *reflected* values is perfectly possible (`padlib.keras.Padding2D` does it
#   in a Keras model, lesson 4);
# - zero padding of 2 cells around the 8x8 image of lesson 1 gives a 10x10 output: zeros, but not
#   "same".
#
# (The same paragraph of the article says the zeros are added at the edges of the layer's
# *output*; padding is added to the layer's *input*, before the kernel slides over it.)

# %%
image = np.zeros((8, 8))
image[:, 3:5] = 1
detector = np.array([[0, 1, 0]] * 3, dtype=float)
same_zero = padlib.conv2d(image, detector, padding="same", padding_mode="constant")
same_reflect = padlib.conv2d(image, detector, padding="same", padding_mode="reflect")
zero_two = padlib.conv2d(image, detector, padding=2, padding_mode="constant")
print("same amount, zero values:   ", same_zero.shape, "top row:", same_zero[0].tolist())
print("same amount, reflect values:", same_reflect.shape, "top row:", same_reflect[0].tolist())
print("zero values, 2 cells:       ", zero_two.shape)

# %% [markdown]
# With zeros the line's response drops from 3 to 2 in the top and bottom rows (one of the three
# cells under the filter is padding); with reflection it stays 3. Same size, different values.
#
# ## TensorFlow's "same" puts the odd pixel at the bottom and right
#
# When the padding needed is odd (an even kernel, or a stride, lesson 5), it cannot be split
# evenly. TensorFlow and Keras put the smaller half before and the extra cell **after**:
# bottom and right. Not every source agrees: other code and some textbook descriptions put the
# extra cell first (top/left), and weights moved between such conventions see the image shifted by
# one pixel. We check TensorFlow's choice with a real `tf.nn.conv2d` on a 5x5 image and a random
# 2x2 kernel (total padding 1 per axis), against both possible splits computed by padlib.

# %%
rng = np.random.default_rng(0)
x = rng.normal(size=(1, 5, 5, 1)).astype("float32")
kernel = rng.normal(size=(2, 2, 1, 1)).astype("float32")
tf_same = tf.nn.conv2d(x, kernel, strides=1, padding="SAME").numpy()
bottom_right = padlib.conv2d(x, kernel, padding=((0, 1), (0, 1)))
top_left = padlib.conv2d(x, kernel, padding=((1, 0), (1, 0)))
print("padlib.padding_amounts(5, 2, padding='same') =", padlib.padding_amounts(5, 2, padding="same"))
print("tf.nn.conv2d SAME matches padding at bottom/right:", np.allclose(tf_same, bottom_right, atol=1e-5))
print("tf.nn.conv2d SAME matches padding at top/left:    ", np.allclose(tf_same, top_left, atol=1e-5))

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 4.5))
conventions = {
    "TensorFlow SAME, 2x2 kernel: pad after": ((0, 1), (0, 1)),
    "Other convention: pad before": ((1, 0), (1, 0)),
}
for ax, (title, pad_width) in zip(axes, conventions.items(), strict=True):
    padlib.plot.grid(x[0, :, :, 0].round(1), pad_width=pad_width, mode="constant", ax=ax, title=title)
plt.show()

# %% [markdown]
# ## Try it
#
# The explorer below pads a small input and convolves it with an all-ones kernel. Change the
# amount (padding), the values (mode), the kernel size and the stride, and watch the padded cells
# and the output size.

# %%
padlib.widgets.explorer(size=6, kernel_size=3, padding="same", mode="reflect")

# %% [markdown]
# ## What to remember
#
# - Decide the amount (valid, same, full, causal) and the values (constant, reflect, symmetric,
#   replicate, circular) separately.
# - Reflect does not repeat the edge value, symmetric does, replicate repeats only the edge value.
# - "Same" keeps the size; with an odd total TensorFlow pads one more cell at the bottom/right.
