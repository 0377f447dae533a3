# %% [markdown]
# # Lesson 1 · The border effect
#
# A convolution with a 3x3 kernel cannot put its centre on the outermost pixels of an image without
# sticking out of it. Without padding, those placements are simply skipped, and every layer
# returns a slightly smaller feature map. This lesson measures that shrinkage on the small
# example used in *A Gentle Introduction to Padding and Stride for Convolutional Neural Networks*
# (Jason Brownlee): an 8x8 image holding a two-pixel-wide vertical line, and a 3x3 filter set by
# hand to respond to vertical lines.
#
# **You will see:** the 6x6 feature map (rows `[0, 0, 3, 3, 0, 0]`), the 10 parameters of the
# layer, where the 28 missing pixels went, and what stacking a second layer does (4x4).

# %%
import os

os.environ.update(TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")  # before TensorFlow loads: no start-up messages

import keras
import matplotlib.pyplot as plt
import numpy as np

import padlib
import padlib.plot

keras.utils.set_random_seed(0)

# %% [markdown]
# ## The input and the filter
#
# The image is 8 pixels high and 8 wide, all zeros except columns 3 and 4, which are 1. The filter
# has ones in its middle column and zeros elsewhere, so its response at a position is simply the
# sum of the three pixels under its middle column.

# %%
image = np.zeros((8, 8))
image[:, 3:5] = 1
detector = np.array([[0, 1, 0]] * 3, dtype=float)
print(image.astype(int))
print(detector.astype(int))

# %% [markdown]
# ## The filter in a Keras `Conv2D` layer
#
# Keras expects a batch of channels-last images, `(batch, height, width, channels)`, and stores a
# `Conv2D` kernel as `(height, width, in_channels, filters)`. We build a layer with one 3x3 filter,
# replace its random weights by our detector (and a zero bias), and run the image through it.
# Look at the output shape in the summary (6x6) and at the parameter count: 9 weights + 1 bias = 10.

# %%
model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(1, (3, 3))])
model.set_weights([detector.reshape(3, 3, 1, 1), np.zeros(1)])
model.summary()

# %%
feature_map = model.predict(image.reshape(1, 8, 8, 1), verbose=0)[0, :, :, 0]
print("output shape (batch, height, width, filters):", model.output_shape, "| one feature map:", feature_map.shape)
for row in feature_map:
    print("row", row.tolist())

# %% [markdown]
# Every row reads `[0.0, 0.0, 3.0, 3.0, 0.0, 0.0]`: the filter fires (value 3, three ones under its
# middle column) exactly where the line is.
#
# Two details that *What is padding in a neural network?* gets wrong: it is the **kernel** that
# slides over the input (the article says the feature map does), and each feature map of a
# `Conv2D` is **two-dimensional** (the article calls them one-dimensional): here one 6x6 map per
# filter, `(batch, 6, 6, filters)` in all. The same numbers come out of `padlib.conv2d`, the
# course's NumPy reference, which computes what the frameworks compute (a cross-correlation: the
# kernel is not flipped).

# %%
reference = padlib.conv2d(image, detector)
print("padlib.conv2d row 0:", reference[0].tolist())
print("Keras and padlib agree:", np.allclose(feature_map, reference))

# %% [markdown]
# ## Sliding along the first row
#
# Along the first row the filter fits in only six places: its left column can start at input
# columns 0 to 5; at column 6 its right column would fall off the image. Each line below is one
# placement: the three input columns it covers and the value it produces.

# %%
for col in range(padlib.output_size(8, 3)):
    patch = image[0:3, col : col + 3]
    print(
        f"input columns {col}-{col + 2}: patch row {patch[0].astype(int).tolist()} -> {int((patch * detector).sum())}"
    )

# %%
axes = padlib.plot.conv_step(
    image, detector, (0, 2), stride=1, dilation=1, padding="valid", padding_mode="constant", value=0
)
plt.show()

# %% [markdown]
# ## Where did the 28 pixels go?
#
# The input has 8 x 8 = 64 pixels; the feature map has 6 x 6 = 36. The 28 missing values are the
# placements whose centre would sit on the outer ring of the image: a 3x3 kernel centred on a
# border pixel needs one pixel beyond the border, and there is none. In general a kernel of size
# `k` loses `k - 1` pixels per axis: the output has `n - k + 1`.
#
# The pixels of the ring are not ignored (the kernel still covers them from the inside) but they
# can never be a centre, and they are covered by fewer placements than the inner pixels.
# Lesson 6 measures how much less they count.

# %%
centres = np.zeros((8, 8))
centres[1:-1, 1:-1] = 1
print("pixels that can be a centre:", int(centres.sum()), "| pixels that cannot:", int((centres == 0).sum()))
print("n - k + 1 =", 8 - 3 + 1, "| padlib.output_size(8, 3) =", padlib.output_size(8, 3))

# %%
fig, (ax_in, ax_ring, ax_out) = plt.subplots(1, 3, figsize=(12, 4))
padlib.plot.grid(image, ax=ax_in, title="Input: 8x8 with a vertical line")
padlib.plot.grid(centres, ax=ax_ring, title="Possible kernel centres (1) vs lost ring (0)")
padlib.plot.grid(feature_map, ax=ax_out, title="Feature map: 6x6")
plt.show()

# %% [markdown]
# ## Stacking layers makes it worse
#
# A second 3x3 layer applied to the 6x6 map loses another ring: 4x4, and 20 parameters in total.
# With our detector in both layers, the second map sums three values of 3, giving 9 on the line.

# %%
stacked = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(1, (3, 3)), keras.layers.Conv2D(1, (3, 3))])
stacked.set_weights([detector.reshape(3, 3, 1, 1), np.zeros(1)] * 2)
stacked.summary()
second = stacked.predict(image.reshape(1, 8, 8, 1), verbose=0)[0, :, :, 0]
print("second feature map shape:", second.shape)
print("row 0:", second[0].tolist())

# %% [markdown]
# How deep can we go on an 8x8 input? Each valid 3x3 layer takes 2 pixels per axis, so the sizes
# run 8, 6, 4, 2, and a fourth layer no longer fits: `padlib.output_size` refuses, just as Keras
# would refuse to build the model.

# %%
size, depth = 8, 0
while True:
    try:
        size = padlib.output_size(size, 3)
    except ValueError as error:
        print(f"layer {depth + 1} does not fit: {error}")
        break
    depth += 1
    print(f"after layer {depth}: {size}x{size}")

# %% [markdown]
# ## What to remember
#
# - Without padding ("valid"), a `k`x`k` kernel turns `n`x`n` into `(n - k + 1)`x`(n - k + 1)`.
# - The lost pixels are the kernel centres that would need data beyond the border.
# - Small inputs and deep stacks run out of pixels quickly. Lesson 2 varies `k`; lesson 3 adds the
#   missing border back (padding).
