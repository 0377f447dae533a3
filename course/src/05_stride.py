# %% [markdown]
# # Lesson 5 · Stride
#
# The stride is how far the kernel moves between two placements. With stride 2 it skips every
# other position, so the output is about half as wide and half as high: a convolution that also
# downsamples. This lesson reproduces the stride example of *A Gentle Introduction to Padding and
# Stride for Convolutional Neural Networks*, corrects two slips in it, then works out the general
# output-size formula (with dilation) and what happens when the sizes do not divide evenly.
#
# **You will see:** the 3x3 output with rows `[0, 3, 0]`, the formula checked against Keras, the
# pixels that a strided valid convolution never reads, and "same" padding splitting unevenly for a
# 224x224 input but evenly for 225x225.

# %%
import os

os.environ.update(TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")  # before TensorFlow loads: no start-up messages

import inspect

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from IPython.display import HTML

import padlib
import padlib.plot
import padlib.widgets

keras.utils.set_random_seed(0)
image = np.zeros((8, 8))
image[:, 3:5] = 1
detector = np.array([[0, 1, 0]] * 3, dtype=float)

# %% [markdown]
# ## Stride 2 on the vertical line
#
# The same 8x8 image and vertical-line detector as in lesson 1, now with `strides=(2, 2)`. Read the
# output shape in the summary (3x3, still 10 parameters: stride changes where the kernel goes, not
# what it is) and the rows of the feature map.

# %%
model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(1, (3, 3), strides=(2, 2))])
model.set_weights([detector.reshape(3, 3, 1, 1), np.zeros(1)])
model.summary()
strided = model.predict(image.reshape(1, 8, 8, 1), verbose=0)[0, :, :, 0]
for row in strided:
    print("row", row.tolist())
print("padlib.conv2d with stride 2 agrees:", np.allclose(strided, padlib.conv2d(image, detector, stride=2)))
print(f"stride 1: 6x6 = {6 * 6} values | stride 2: 3x3 = {strided.size} values ({strided.size / 36:.2f} of them)")

# %% [markdown]
# Along a row, the kernel's left column now starts at input columns 0, 2 and 4. At column 6 it
# would need columns 6, 7 and 8, and there is no column 8. Each step moves the kernel two pixels
# to the **right**.

# %%
for col in range(0, 8 - 3 + 1, 2):
    patch = image[0:3, col : col + 3]
    print(
        f"input columns {col}-{col + 2}: patch row {patch[0].astype(int).tolist()} -> {int((patch * detector).sum())}"
    )

# %%
axes = padlib.plot.conv_step(
    image, detector, (0, 1), stride=2, dilation=1, padding="valid", padding_mode="constant", value=0
)
plt.show()

# %% [markdown]
# Press play to watch the kernel jump two cells at a time: nine placements, one per output cell.
# (`padlib.plot.save_gif(anim, "stride2.gif")` saves the same animation as a GIF.)

# %%
anim = padlib.plot.animate_conv(image, detector, stride=2)
HTML(anim.to_jshtml())

# %% [markdown]
# ### Two slips in the article
#
# - It says stride 2 moves the filter "two pixels left" for each horizontal movement; its own
#   worked example (and the printout above) moves it two pixels to the right.
# - It says the Keras argument is `stride`. It is `strides` (plural); Keras 3 rejects `stride`:

# %%
print("Conv2D arguments:", [name for name in inspect.signature(keras.layers.Conv2D).parameters][:6])
try:
    keras.layers.Conv2D(1, (3, 3), stride=(2, 2))
except (TypeError, ValueError) as error:
    print(f"Conv2D(..., stride=(2, 2)) -> {type(error).__name__}: {error}")

# %% [markdown]
# The article's other numbers hold: 6x6 (36 values) becomes 3x3 (9 values), a quarter of the
# pixels, and the line is still detected.
#
# ## The general formula
#
# For one axis of length `n`, kernel size `k`, stride `s`, dilation `d` (gaps between kernel
# taps) and padding `before + after`:
#
# - the dilated kernel spans `k_eff = d * (k - 1) + 1` cells;
# - the output has `floor((n + before + after - k_eff) / s) + 1` cells.
#
# `padlib.output_size` implements this; below it is checked against the output shape Keras
# computes for every combination of a range of sizes, kernels, strides, dilations and both Keras
# paddings. (Keras refuses stride > 1 together with dilation > 1, so those pairs are skipped.)

# %%
dilated_span, dilated_out = padlib.effective_kernel_size(3, dilation=2), padlib.output_size(8, 3, dilation=2)
print("dilated kernel 3, d=2 spans", dilated_span, "cells; on 8 pixels ->", dilated_out)
checked = mismatches = 0
for n in range(5, 13):
    for k in range(1, 5):
        for s, d in ((1, 1), (2, 1), (3, 1), (1, 2), (1, 3)):
            for padding in ("valid", "same"):
                if padlib.effective_kernel_size(k, d) > n and padding == "valid":
                    continue
                layer = keras.layers.Conv2D(1, k, strides=s, dilation_rate=d, padding=padding)
                keras_size = layer.compute_output_shape((1, n, n, 1))[1]
                mismatches += keras_size != padlib.output_size(n, k, stride=s, dilation=d, padding=padding)
                checked += 1
print(f"checked {checked} configurations against Keras: {mismatches} mismatches")

# %%
ax = padlib.plot.output_size_chart(8, kernel_sizes=[1, 3, 5, 8], strides=[1, 2, 3], paddings=["valid", "same"])
plt.show()

# %% [markdown]
# ## When the sizes do not divide evenly
#
# On 8 pixels with a 3-pixel kernel and stride 2, `(8 - 3) / 2 = 2.5`: the division is rounded
# down and the last column is never read. No placement covers input row 7 or column 7, so a pixel
# there has no effect at all on a strided valid convolution:

# %%
corner = np.zeros((8, 8))
corner[7, 7] = 1
print("valid, stride 2: output from a lone pixel at (7, 7):", padlib.conv2d(corner, np.ones((3, 3)), stride=2).sum())
print(
    "same,  stride 2: output from a lone pixel at (7, 7):",
    padlib.conv2d(corner, np.ones((3, 3)), stride=2, padding="same").sum(),
)
print("same padding amounts for n=8, k=3, s=2:", padlib.padding_amounts(8, 3, stride=2, padding="same"))

# %% [markdown]
# What each framework does with the remainder:
#
# - **TensorFlow / Keras**, `"valid"`: round down and drop the leftover pixels, as above.
# - **TensorFlow / Keras**, `"same"`: the output has `ceil(n / s)` cells. The padding needed for
#   that depends on the stride and may be odd; the extra cell goes **after** (bottom/right).
# - **PyTorch**: the padding is a number you choose, applied equally on both sides, and the size
#   is rounded down; its `padding="same"` is documented as unsupported for strided convolutions.
# - **padlib**: the TensorFlow rules by name (`"valid"`, `"same"`), or any explicit
#   `(before, after)` pair, so both conventions can be reproduced.
#
# So "same" keeps the size only at stride 1. *A Gentle Introduction to Padding and Stride*
# describes it as the padding that makes the output the same shape as the input, which is true
# for the stride-1 layers it uses; with stride 2, an 8x8 input gives `ceil(8 / 2) = 4`:

# %%
print(
    "Keras Conv2D(3x3, strides=2, padding='same') on 8x8:",
    keras.layers.Conv2D(1, 3, strides=2, padding="same").compute_output_shape((1, 8, 8, 1))[1:3],
)

# %% [markdown]
# ## "Same" with stride: 224 against 225
#
# A ResNet-style network starts with a 7x7 convolution of stride 2 on a 224x224 image. With
# TensorFlow's "same", the output is `ceil(224 / 2) = 112`, which needs
# `(112 - 1) * 2 + 7 - 224 = 5` padded pixels: 2 before and 3 after. For a 225x225 input the total
# is 6: 3 and 3. The stride makes the split depend on the input size.

# %%
for n in (224, 225):
    before_after = padlib.padding_amounts(n, 7, stride=2, padding="same")
    keras_size = keras.layers.Conv2D(1, 7, strides=2, padding="same").compute_output_shape((1, n, n, 3))[1]
    print(
        f"input {n}: same padding {before_after} -> output {padlib.output_size(n, 7, stride=2, padding='same')} (Keras: {keras_size})"
    )

# %% [markdown]
# The uneven split is real: `tf.nn.conv2d` with `"SAME"` on a random 224x224 image matches padlib
# padded `(2, 3)`, not a symmetric 3 on each side (which is what a PyTorch-style `padding=3` does,
# also giving 112 outputs). The two differ by a one-pixel shift of the sampling grid, a classic
# source of small differences when weights are ported between frameworks.

# %%
rng = np.random.default_rng(0)
photo = rng.normal(size=(1, 224, 224, 1)).astype("float32")
stem = rng.normal(size=(7, 7, 1, 1)).astype("float32")
tf_same = tf.nn.conv2d(photo, stem, strides=2, padding="SAME").numpy()
uneven = padlib.conv2d(photo, stem, stride=2, padding=((2, 3), (2, 3)))
even = padlib.conv2d(photo, stem, stride=2, padding=3)
print("output shapes:", tf_same.shape[1:3], uneven.shape[1:3], even.shape[1:3])
print(
    "TF SAME == padding (2, 3):",
    np.allclose(tf_same, uneven, atol=1e-4),
    "| TF SAME == padding (3, 3):",
    np.allclose(tf_same, even, atol=1e-4),
)

# %% [markdown]
# Through the rest of the stem (a 3x3 max pooling with stride 2 and "same" padding), 224 gives
# 56x56 and 225 gives 57x57:

# %%
for n in (224, 225):
    conv = padlib.output_size(n, 7, stride=2, padding="same")
    pool = padlib.output_size(conv, 3, stride=2, padding="same")
    print(f"{n} -> 7x7/2 conv -> {conv} -> 3x3/2 max pool -> {pool}")

# %% [markdown]
# Try other sizes, kernels, strides and dilations in the explorer; the output size and the padding
# amounts follow the rules above.

# %%
padlib.widgets.explorer(size=8, kernel_size=3, stride=2, padding="same", mode="constant")

# %% [markdown]
# ## What to remember
#
# - `out = floor((n + before + after - (d * (k - 1) + 1)) / s) + 1`.
# - Valid padding with a stride can silently ignore the last rows and columns.
# - Same padding with a stride gives `ceil(n / s)` outputs and may pad one more cell at the
#   bottom/right: 224 pads (2, 3), 225 pads (3, 3).
# - In Keras the argument is `strides`, and stride 2 moves the kernel right and down.
