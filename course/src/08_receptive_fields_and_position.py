# %% [markdown]
# # Lesson 8 · Receptive fields and where position leaks in
#
# Each layer of a network looks at a small window, but windows of windows grow: after a stack of
# layers, one output depends on a large patch of the input, its **receptive field**. This lesson
# computes it for two classic networks, then looks at two ways the border and the padding tell a
# network *where* something is, which a convolution is not supposed to know.
#
# **You will see:** VGG-16's pool5 seeing 212x212 pixels with an effective stride of 32 and
# AlexNet's pool5 195; why ResNet-50 pads evenly only for inputs of the form 32m + 1; a network
# that answers differently for the same pattern at the border; and partial-convolution padding
# turning 4/9 and 6/9 back into 1.

# %%
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # silence TensorFlow's start-up messages

import keras
import matplotlib.pyplot as plt
import numpy as np

import padlib

rng = np.random.default_rng(0)

# %% [markdown]
# ## How a receptive field grows
#
# Follow one axis. Each layer has a kernel `k` (spanning `k_eff` cells with dilation), a stride
# `s` and some padding. Neighbouring outputs of a layer are `jump` input pixels apart, the product
# of the strides before it. A layer adds `(k_eff - 1) * jump` pixels to the field, so
# `size = 1 + sum((k_l_eff - 1) * prod(s_i for i < l))` (Araujo et al., *Computing Receptive Fields
# of Convolutional Neural Networks*, Distill 2019). `padlib.receptive_field` gives size, jump and
# the centre of the first output's field (`start`) for every layer; it reads a Keras model too.

# %%
vgg = keras.applications.VGG16(weights=None, include_top=False, input_shape=(224, 224, 3))
vgg_fields = padlib.receptive_field(vgg)
for layer, field in zip(vgg.layers[1:], vgg_fields, strict=True):
    if layer.name.endswith("pool"):
        print(f"VGG-16 {layer.name}: receptive field {field.size}, jump {field.jump}, start {field.start}")

# %% [markdown]
# AlexNet is not in `keras.applications`, so write its layers as `(kernel, stride, dilation,
# padding)` tuples: an 11x11 convolution with stride 4, 3x3 max pooling with stride 2, a 5x5
# convolution padded by 2, pooling, three 3x3 convolutions padded by 1, and pool5.

# %%
alexnet = [
    (11, 4, 1, 0),
    (3, 2, 1, 0),
    (5, 1, 1, 2),
    (3, 2, 1, 0),
    (3, 1, 1, 1),
    (3, 1, 1, 1),
    (3, 1, 1, 1),
    (3, 2, 1, 0),
]
names = ["conv1", "pool1", "conv2", "pool2", "conv3", "conv4", "conv5", "pool5"]
alex_fields = padlib.receptive_field(alexnet)
print("AlexNet receptive fields:", ", ".join(f"{n} {f.size}" for n, f in zip(names, alex_fields, strict=True)))
print(f"AlexNet pool5: receptive field {alex_fields[-1].size}, jump {alex_fields[-1].jump}")

# %% [markdown]
# The field grows slowly while the jump is 1 and fast after each stride: a 3x3 layer adds 2
# pixels at the start of VGG-16 but 32 pixels after the fourth pooling. (The tests check these
# numbers by brute force: the input pixels on which one output's gradient is not zero.)

# %%
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.plot(range(1, len(vgg_fields) + 1), [f.size for f in vgg_fields], "o-", label="VGG-16 (224 input)")
ax.plot(range(1, len(alex_fields) + 1), [f.size for f in alex_fields], "s--", label="AlexNet")
ax.axhline(224, color="grey", linewidth=1, linestyle=":", label="input width 224")
ax.set(
    title="Receptive field through the layers",
    xlabel="layer (convolution or pooling)",
    ylabel="receptive field (pixels)",
)
ax.legend()
plt.show()

# %% [markdown]
# ## Uneven padding at stride 2
#
# Lesson 5 showed TensorFlow's "same" padding at stride 2 putting the odd cell at the bottom and
# right: a 7x7 stride-2 convolution pads a 224 input `(2, 3)`, a 225 input `(3, 3)`. For any odd
# kernel the split is even exactly when the input size is odd. ResNet-50 halves its grid five
# times (the 7x7 stem, a 3x3 pooling, and the first 3x3 convolution of stages 3, 4 and 5), so the
# padding is even at every stage only if all five sizes are odd (Alsallakh et al., *Mind the Pad*,
# ICLR 2021).

# %%
stages = [7, 3, 3, 3, 3]  # kernel of each stride-2 "same" layer


def stage_padding(n):
    amounts = []
    for k in stages:
        amounts.append(padlib.padding_amounts(n, k, stride=2, padding="same"))
        n = padlib.output_size(n, k, stride=2, padding="same")
    return amounts


for n in (224, 225):
    print(f"input {n}: padding per stage {stage_padding(n)}")

# %%
even = [n for n in range(2, 300) if all(before == after for before, after in stage_padding(n))]
print("even at every stage, below 300:", even)
print(
    "all of the form 32m + 1:",
    all(n % 32 == 1 for n in even),
    "| 224 is even at",
    sum(b == a for b, a in stage_padding(224)),
    "stages",
)

# %% [markdown]
# A short summary of this result lists "225, 257 and 289 below 300"; those are only the sizes
# above 224: the full list starts at 33. Some ResNet-50 versions put the stride on a 1x1
# convolution instead. That never pads, but on an even input it never reads the last row and
# column either: a lone pixel there changes nothing.

# %%
lone = np.zeros((8, 8))
lone[7, 7] = 1
print(
    "1x1 stride-2 'same' padding on 8:",
    padlib.padding_amounts(8, 1, stride=2, padding="same"),
    "| output from the pixel at (7, 7):",
    padlib.conv2d(lone, np.ones((1, 1)), stride=2, padding="same").sum(),
)

# %% [markdown]
# ## Position leaks through the padding
#
# A convolution is the same everywhere, so moving a pattern should move the feature map and
# leave a global average unchanged. A random 4-layer network (3x3 kernels, ReLU, no bias) with
# global average pooling tests it: the same 3x3 pattern in the top-left corner and in the centre
# of a 16x16 image.

# %%
kernels = [rng.normal(size=(3, 3, c_in, 16)) / np.sqrt(9 * c_in) for c_in in (1, 16, 16, 16)]


def features(images, mode="constant", padding="same", dilations=(1, 1, 1, 1)):
    h = images
    for kernel, d in zip(kernels, dilations, strict=True):
        h = np.maximum(padlib.conv2d(h, kernel, padding=padding, dilation=d, padding_mode=mode), 0)
    return h


# %%
pattern = rng.normal(size=(3, 3))
images = np.zeros((2, 16, 16, 1))
images[0, :3, :3, 0] = pattern
images[1, 7:10, 7:10, 0] = pattern
for name, mode, padding in (
    ("zero 'same'", "constant", "same"),
    ("circular", "circular", "same"),
    ("zero 'full'", "constant", "full"),
):
    pooled = features(images, mode, padding).mean(axis=(1, 2))
    print(
        f"{name:>11}: largest |border - centre| of the pooled features = {np.abs(pooled[0] - pooled[1]).max():.4f} (features up to {np.abs(pooled).max():.3f})"
    )

# %% [markdown]
# With zero "same" padding the corner pattern loses part of its response to the border, so the
# answer depends on where the pattern is. Circular padding makes a shift of the image an exact
# shift of every feature map; "full" padding keeps every partial response (the map grows by 2
# each layer) so that nothing is cut off. Both give 0: Kayhan & van Gemert (*On Translation
# Invariance in CNNs*, CVPR 2020) recommend full padding for this reason.
#
# The other direction: can a linear read-out **find** the absolute position of a pixel from the
# features at that pixel? Islam et al. (*How Much Position Information Do Convolutional Neural
# Networks Encode?*, ICLR 2020) found that zero padding is where it comes from. Here: random-noise
# images, the same network with dilations 1, 2, 4, 8 (so every pixel's field reaches a border),
# a least-squares fit of (row, column) on 30 images and its R² on 10 others.


# %%
def position_r2(mode, n=16, train=30, test=10):
    f = features(rng.normal(size=(train + test, n, n, 1)), mode, dilations=(1, 2, 4, 8)).reshape(
        train + test, n * n, -1
    )
    f = np.concatenate([f, np.ones(f.shape[:2] + (1,))], axis=-1)
    rows, cols = np.indices((n, n))
    target = np.stack([rows.ravel(), cols.ravel()], axis=-1).astype(float)
    weights = np.linalg.lstsq(f[:train].reshape(-1, f.shape[-1]), np.tile(target, (train, 1)), rcond=None)[0]
    truth = np.tile(target, (test, 1))
    error = ((f[train:].reshape(-1, f.shape[-1]) @ weights - truth) ** 2).sum()
    return 1 - error / ((truth - truth.mean(axis=0)) ** 2).sum()


for mode in ("constant", "circular", "partial"):
    print(f"position read-out R² with {mode:>8} padding: {position_r2(mode):.2f}")

# %% [markdown]
# Zero padding lets a linear read-out recover a good part of the position; with circular padding
# the features carry none (R² about 0).
#
# ## A remedy for the values: partial-convolution padding
#
# Liu et al. (*Partial Convolution based Padding*, 2018) keep zero padding but rescale each output
# by `window size / real cells in the window`, as if the missing cells had the window's average.
# On an all-ones image a 3x3 box filter then gives 1 everywhere instead of 4/9 in the corners and
# 6/9 on the edges: `padlib.conv2d(..., padding_mode="partial")`.

# %%
box = np.ones((3, 3)) / 9
zero = padlib.conv2d(np.ones((6, 6)), box, padding="same")
partial = padlib.conv2d(np.ones((6, 6)), box, padding="same", padding_mode="partial")
print(
    f"zero padding: corner {zero[0, 0]:.4f} (4/9 = {4 / 9:.4f}), edge {zero[0, 2]:.4f} (6/9 = {6 / 9:.4f}), centre {zero[2, 2]:.4f}"
)
print(
    f"partial padding: corner {partial[0, 0]:.4f}, edge {partial[0, 2]:.4f}, centre {partial[2, 2]:.4f} | all ones: {np.allclose(partial, 1)}"
)

# %% [markdown]
# It fixes the values at the border, not the leak: in the read-out above partial padding still
# gives a clearly positive R², because the border windows are still treated differently.
#
# ## Choosing padding, updated
#
# - Need the exact size arithmetic? Keep "same" at stride 1, and for stride 2 prefer odd input
#   sizes (32m + 1 through five halvings) or explicit even padding, so the grid is not shifted.
# - Want the model to be blind to absolute position? Circular padding (when the signal wraps or
#   the border does not matter) or full padding; zero "same" padding lets position leak in.
# - Want the border values to look like the interior? Reflect or partial-convolution padding.
# - Need to know how far a feature sees? Compute the receptive field: VGG-16's pool5 sees 212
#   pixels, more than 0.9 of a 224 input, AlexNet's 195.
