# %% [markdown]
# # Lesson 6 · Does padding matter?
#
# Harald Scheidl's article *Does padding matter in deep learning models?* makes the case with two
# small experiments, and we repeat both in TensorFlow on synthetic images:
#
# 1. A model that should be blind to position (one convolution, then the sum of its output)
#    learns to tell whether a single white pixel sits in the top-left corner. Zero "same" padding
#    makes that possible. With circular padding it fails.
# 2. How much each input pixel can influence the output (its *impact*) depends on where it is:
#    border pixels count far less, and how much less depends on the padding.
#
# **You will see:** the accuracies side by side (1.00 against 0.50); impacts 1 / 3 / 9 (corner /
# edge / interior) for one valid 3x3 layer on 10x10 and 4 / 6 / 9 with same padding; five stacked
# layers on 28x28 for six paddings; and guidance on which padding to choose.

# %%
import os

os.environ.update(TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")  # before TensorFlow loads: no start-up messages

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers

import padlib
import padlib.plot
import padlib.widgets
from padlib.keras import Padding2D

keras.utils.set_random_seed(0)

# %% [markdown]
# ## Experiment 1: learning an absolute position
#
# A convolution is *shift-equivariant*: move the input one pixel and the output moves one pixel.
# So the sum of the output cannot change when a white pixel moves around the interior; only near
# the border, where the padding comes in, can it differ. A quick check with a random 3x3 kernel:

# %%
rng = np.random.default_rng(0)
random_kernel = rng.normal(size=(3, 3))
dot = np.zeros((10, 10))
dot[4, 4] = 1
out = padlib.conv2d(dot, random_kernel, padding="same")
out_shifted = padlib.conv2d(np.roll(dot, 1, axis=1), random_kernel, padding="same")
shifted = np.allclose(np.roll(out, 1, axis=1), out_shifted)
print("output shifted by one column too:", shifted, "| sums:", out.sum().round(3), out_shifted.sum().round(3))
corner = np.zeros((10, 10))
corner[0, 0] = 1
print("sum for a pixel in the corner:", padlib.conv2d(corner, random_kernel, padding="same").sum().round(3))

# %% [markdown]
# The data: every 10x10 black image with a single white pixel, 100 images in all. The label is 1
# for the image whose pixel is at the top-left corner, 0 for the 99 others. We repeat the
# positive image 99 times so both classes weigh the same; always guessing one class scores 0.50.

# %%
one_hot = np.eye(100, dtype="float32").reshape(100, 10, 10, 1)  # image i has its pixel at (i // 10, i % 10)
x = np.concatenate([one_hot[1:], np.repeat(one_hot[:1], 99, axis=0)])
y = np.concatenate([np.zeros(99), np.ones(99)]).astype("float32")
print("images:", x.shape, "| positives:", int(y.sum()), "| negatives:", int((y == 0).sum()))

# %% [markdown]
# The model is the one of the article: a single 3x3 convolution, padded so the output is 10x10,
# followed by the **sum** of all output pixels, used as the logit of the class. Only the padding
# changes between the two runs: one cell of zeros (Keras's "same"), or one cell of circular
# padding (the image wraps around), added by `padlib.keras.Padding2D`.


# %%
def sum_of_conv(mode):
    """Scheidl's model: one 3x3 convolution on an input padded by one cell with `mode`, then the output's sum."""
    return keras.Sequential(
        [
            keras.Input((10, 10, 1)),
            Padding2D(1, mode=mode),
            layers.Conv2D(1, 3),
            layers.Lambda(lambda t: keras.ops.sum(t, axis=(1, 2))),
        ],
        name=f"sum_of_conv_{mode}",
    )


sum_of_conv("constant").summary()

# %% [markdown]
# Training: Adam, 80 full-batch steps (the data repeated 10 times per epoch, 8 epochs), fixed
# seeds. A prediction is "top-left" when the sum is positive.

# %%
models, accuracy = {}, {}
for mode in ("constant", "circular"):
    model = sum_of_conv(mode)
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    model.fit(np.tile(x, (10, 1, 1, 1)), np.tile(y, 10), epochs=8, batch_size=len(x), verbose=0)
    models[mode] = model
    accuracy[mode] = float(((model.predict(x, verbose=0)[:, 0] > 0) == (y == 1)).mean())
print(f"accuracy zero-SAME: {accuracy['constant']:.2f} | circular: {accuracy['circular']:.2f}")

# %% [markdown]
# With zeros, the model is perfect; with circular padding it is no better than a coin. Why?
#
# The kernel's centre visits every pixel. For the top-left pixel, only the kernel's top-left 2x2
# block ever lands on it: reaching it with the bottom row or right column would need the centre
# outside the image. Every other pixel is touched by the bottom row or the right column too. So the
# model learns a kernel whose top-left 2x2 block sums to something positive, with a strongly
# negative bottom row and right column. With circular padding every pixel is touched by all nine
# weights (the border wraps around), every image gives the same sum, and nothing can be learned.

# %%
kernel = models["constant"].layers[1].get_weights()[0][:, :, 0, 0]
print("learned kernel (zero SAME):\n", kernel.round(2))
print(
    "top-left 2x2 block sums to",
    round(float(kernel[:2, :2].sum()), 2),
    "| bottom row + right column sum to",
    round(float(kernel.sum() - kernel[:2, :2].sum()), 2),
)

# %% [markdown]
# The model's output for a white pixel at each of the 100 positions shows it: with zeros, the
# interior gives one value, the borders others, and the corner stands out; with circular padding
# the map is flat.

# %%
fig, axes = plt.subplots(1, 3, figsize=(17, 5.5))
padlib.plot.grid(kernel.round(1), ax=axes[0], title="Learned kernel (zero SAME)")
for ax, mode in zip(axes[1:], models, strict=True):
    logits = models[mode].predict(one_hot, verbose=0)[:, 0].reshape(10, 10)
    padlib.plot.grid(logits.round(1) + 0.0, ax=ax, title=f"Sum for a white pixel at (row, column): {mode}")
plt.show()

# %% [markdown]
# ### A correction: the sum is not global average pooling
#
# The article describes its model as "global average pooling (i.e., sum over all pixel values)".
# Global average pooling takes the **mean**; the model sums. The two differ by the factor
# `height * width` (100 here). For this experiment the difference is harmless, since scaling by a
# positive number keeps the sign and the ordering, but the values (and so the learning rate that
# works) are not the same:

# %%
features = models["constant"].layers[1](models["constant"].layers[0](one_hot[:3]))
summed = keras.ops.convert_to_numpy(keras.ops.sum(features, axis=(1, 2)))[:, 0]
averaged = keras.ops.convert_to_numpy(layers.GlobalAveragePooling2D()(features))[:, 0]
print("sum:", summed.round(3), "| global average pooling:", averaged.round(4), "| ratio:", (summed / averaged).round(1))

# %% [markdown]
# The article's definition of "valid" (the whole kernel stays inside the input) is right: valid adds
# no padding, so every placement lies fully inside; with a stride it may also skip the last rows
# and columns (lesson 5).
#
# ## Experiment 2: the impact of each input pixel
#
# Set every kernel weight to 1 and every bias to 0, feed an image with a single white pixel, and
# sum the final output: that number counts the paths from this pixel to the output. Scheidl calls
# it the pixel's impact. `padlib.impact_map` computes it for every pixel at once.
#
# One 3x3 layer on 10x10, valid padding: a corner pixel is covered by 1 placement, an edge pixel
# by 3, an interior pixel by 9. With same (zero) padding the border is treated more gently: 4, 6
# and 9, as the article says.

# %%
for padding in ("valid", "same"):
    impact = padlib.impact_map((10, 10), 3, padding=padding)
    print(f"{padding:>5}: corner {impact[0, 0]:g}, edge {impact[0, 5]:g}, interior {impact[5, 5]:g}")

# %% [markdown]
# The same numbers from Keras itself: a `Conv2D` with all-ones weights, run on all 100 one-pixel
# images, each output summed.

# %%
for padding in ("valid", "same"):
    ones = layers.Conv2D(1, 3, padding=padding, kernel_initializer="ones")
    keras_impact = keras.ops.convert_to_numpy(ones(one_hot)).sum(axis=(1, 2, 3)).reshape(10, 10)
    print(
        f"{padding:>5}: Keras matches padlib.impact_map: {np.allclose(keras_impact, padlib.impact_map((10, 10), 3, padding=padding))}"
    )

# %%
fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
for ax, padding in zip(axes, ("same", "valid"), strict=True):
    padlib.plot.impact(
        padlib.impact_map((10, 10), 3, padding=padding), ax=ax, title=f"One 3x3 layer on 10x10, {padding}"
    )
plt.show()

# %% [markdown]
# ### Five layers on 28x28
#
# A small MNIST classifier might stack five 3x3 convolutions. We print the impact of a corner and
# of an edge midpoint relative to the centre (whose impact is `9**5 = 59,049` in every case), and
# draw the whole map relative to the centre.

# %%
paddings = {"valid": ("valid", "constant"), **{f"same, {m}": ("same", m) for m in padlib.MODES}}
impacts = {label: padlib.impact_map((28, 28), 3, layers=5, padding=p, mode=m) for label, (p, m) in paddings.items()}
for label, impact in impacts.items():
    centre = impact[14, 14]
    print(f"{label:<16} corner {impact[0, 0] / centre:.4f} | edge {impact[0, 14] / centre:.3f} | centre {centre:,.0f}")

# %%
fig, axes = plt.subplots(2, 3, figsize=(15, 9), layout="constrained")
for ax, (label, impact) in zip(axes.flat, impacts.items(), strict=True):
    padlib.plot.impact(impact / impact[14, 14], ax=ax, title=label, label="impact / centre's impact")
fig.suptitle("Five 3x3 layers on 28x28: each pixel's impact relative to the centre's")
plt.show()

# %% [markdown]
# What the numbers say:
#
# - **Valid**: the corner pixel reaches the output along 1 path out of the centre's 59,049, and even
#   the middle of an edge keeps only 0.4%. The article's observation holds: whole bands along the
#   border are almost ignored.
# - **Same with zeros**: much milder (corner 16%, edge 40%), but still a clear dip at the border.
# - **Same with reflect**: the corner keeps 37% and the edge 61%, while the pixels one step in count
#   *more* than the centre (up to 1.4 times): reflection copies them into the padding, but never
#   the border pixel itself.
# - **Same with symmetric, replicate or circular**: every pixel has exactly the centre's impact.
#   With a 3x3 kernel these modes pad one cell, and that cell is a copy of the pixel next to it
#   (symmetric and replicate) or of the opposite border (circular), so each pixel is counted as
#   often as an interior one. The article does not try these modes. With larger kernels only
#   symmetric (and circular) keep the balance: a 5x5 kernel pads two cells, and replicate fills
#   both with the border pixel. Check it with `padlib.impact_map((28, 28), 5, layers=3,
#   padding="same", mode="replicate")`.
#
# All of this counts paths through all-ones kernels, a picture of what the architecture allows;
# trained weights change the numbers, not the geometry.

# %% [markdown]
# Explore it yourself: change the number of layers, the kernel size, the input size, the padding
# and the mode, and watch which pixels fade.

# %%
padlib.widgets.impact_explorer(layers=5, kernel_size=3, size=28, padding="same", mode="constant")

# %% [markdown]
# ## Which padding should you choose?
#
# There is no single best padding; the experiments show what each choice costs. In our words:
#
# - **Valid** never invents data, but border pixels count far less, more so with every layer. Use
#   it when the borders do not matter, or when the input has margin to spare.
# - **Same with zeros** (the framework default) keeps the size and treats borders more gently, but
#   the zeros are a signal of their own: experiment 1 shows a model can use them to learn absolute
#   position. Often harmless, sometimes exactly what a model exploits.
# - **Reflect / symmetric** continue the image plausibly, with no artificial edge; a good default
#   for image-to-image models (style transfer, super-resolution, segmentation borders).
# - **Replicate** suits signals whose last value is the best guess for what lies beyond.
# - **Circular** is right only for data that really wraps around (angles, panoramas, periodic
#   simulations). It makes the convolution exactly shift-equivariant, so a model cannot learn
#   absolute position from the border, as experiment 1 shows.
# - **Causal** for sequences where an output must not see the future (lesson 4).
#
# *What is padding in a neural network?* suggests starting with reflection or replication and
# falling back to constant and zero padding; treat that as a reasonable opinion to test on your
# own data, not a rule. Scheidl's article closes with pointers to papers that study the problem
# and propose fixes; one of them, cited by *What is padding in a neural network?* too, is
# partial-convolution-based padding (Liu et al., 2018).
