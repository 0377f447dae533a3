# %% [markdown]
# # Lesson 4 · Padding in Keras
#
# Keras convolutions take `padding="valid"` (the default) or `padding="same"`; `Conv1D` also takes
# `padding="causal"`. All three pad with zeros only. This lesson rebuilds the models of the seed
# articles *How to use padding with Keras?*, *What is padding in a neural network?* and a study note
# on padding (the one whose summaries show a conv/pool MNIST model), prints their summaries, and
# explains every parameter count. Then it trains a small causal `Conv1D` and adds the padding modes
# Keras lacks with `padlib.keras`.
#
# **You will see:** 15,955,210 parameters with valid padding against 25,785,610 with same padding;
# 104,202 against 113,162 for the conv/pool model; a causal model whose outputs ignore the future.

# %%
import os

os.environ.update(TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")  # before TensorFlow loads: no start-up messages

import keras
import numpy as np
from keras import layers

import padlib
import padlib.keras
from padlib.keras import Padding2D

keras.utils.set_random_seed(0)

# %% [markdown]
# ## The fix for the border effect: `padding="same"`
#
# Back to the 8x8 image of lesson 1. *A Gentle Introduction to Padding and Stride* pads it with one
# ring of zeros, making it 10x10, so that the 3x3 filter can be centred on every original pixel.
# At the top-left corner the filter then sees padding in its first column and top row, which adds
# nothing to the sum:

# %%
image = np.zeros((8, 8))
image[:, 3:5] = 1
detector = np.array([[0, 1, 0]] * 3, dtype=float)
padded = padlib.pad(image, 1, "constant")
print(
    "padded input:",
    padded.shape,
    "| top-left patch:",
    padded[:3, :3].astype(int).tolist(),
    "->",
    int((padded[:3, :3] * detector).sum()),
)

# %% [markdown]
# In Keras that is `padding="same"`: the output stays 8x8, the layer still has 10 parameters, and
# three such layers in a row stay at 8x8 (30 parameters), where valid padding ran out of pixels
# after three layers.

# %%
one_same = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(1, (3, 3), padding="same")], name="one_same")
one_same.summary()
three_same = keras.Sequential(
    [keras.Input((8, 8, 1))] + [layers.Conv2D(1, (3, 3), padding="same") for _ in range(3)], name="three_same"
)
three_same.summary()

# %% [markdown]
# ## Three convolutions and a dense head, valid padding
#
# The model of *How to use padding with Keras?*: three 3x3 convolutions with 32, 64 and 128 filters
# on a 28x28x1 (MNIST-shaped) input, then `Flatten`, `Dense(256)` and `Dense(10)`. The article sets
# `padding='valid'` on the first and third layer and leaves it out on the second, to show that
# leaving it out changes nothing: valid is the default.

# %%
print("default padding of Conv2D:", layers.Conv2D(64, (3, 3)).padding)
valid = keras.Sequential(
    [
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu", padding="valid"),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.Conv2D(128, (3, 3), activation="relu", padding="valid"),
        layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ],
    name="three_convs_valid",
)
valid.summary()

# %% [markdown]
# Every 3x3 layer takes 2 pixels per axis: 28, 26, 24, 22. The convolutions are cheap
# (`3*3*1*32 + 32 = 320`, `3*3*32*64 + 64 = 18,496`, `3*3*64*128 + 128 = 73,856`). Almost all the
# parameters sit in the first dense layer, because `Flatten` hands it `22*22*128 = 61,952` values.

# %%
flat = 22 * 22 * 128
print(f"flatten: {flat:,} values -> Dense(256): {flat * 256 + 256:,} parameters")
print(f"total (valid): {valid.count_params():,}")

# %% [markdown]
# ## The same model with same padding
#
# With `padding="same"` on all three layers the maps stay 28x28, so `Flatten` now hands
# `28*28*128 = 100,352` values to the dense layer. The convolutions have exactly the same
# parameters as before (padding never adds weights), but the dense layer grows by 62%.

# %%
same = keras.Sequential(
    [
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu", padding="same"),
        layers.Conv2D(64, (3, 3), activation="relu", padding="same"),
        layers.Conv2D(128, (3, 3), activation="relu", padding="same"),
        layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ],
    name="three_convs_same",
)

# %%
same.summary()
flat = 28 * 28 * 128
print(f"flatten: {flat:,} values -> Dense(256): {flat * 256 + 256:,} parameters")
print(f"total (same): {same.count_params():,} | ratio same/valid: {same.count_params() / valid.count_params():.2f}")

# %% [markdown]
# ## A conv/pool model: padding only the first layer
#
# The study note on padding builds a smaller MNIST model: convolution, 2x2 max pooling, convolution,
# pooling, convolution, then a 10-way dense output. Pooling halves the size (rounding down), so the
# spatial sizes run 26, 13, 11, 5, 3 without padding. The note then sets `padding="same"` on the
# **first** layer only and says that the height and width "will stay the same". The summary shows
# otherwise: only that first layer keeps 28x28; the next two convolutions still shrink their input
# (14 to 12, 6 to 4). The parameter count (113,162 instead of 104,202) comes entirely from the
# larger flatten: 4x4x128 = 2,048 instead of 3x3x128 = 1,152. Padding every layer keeps 28, 14, 7.


# %%
def conv_pool_model(paddings, name):
    """The study note's model; ``paddings`` gives the padding of its three convolutions."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 3, activation="relu", padding=paddings[0])(inputs)
    x = layers.MaxPooling2D(pool_size=2)(x)
    x = layers.Conv2D(64, 3, activation="relu", padding=paddings[1])(x)
    x = layers.MaxPooling2D(pool_size=2)(x)
    x = layers.Conv2D(128, 3, activation="relu", padding=paddings[2])(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return keras.Model(inputs, outputs, name=name)


# %%
variants = {
    "no padding": ("valid", "valid", "valid"),
    "same in the first layer": ("same", "valid", "valid"),
    "same in every layer": ("same", "same", "same"),
}
conv_pool = {label: conv_pool_model(p, name=label.replace(" ", "_")) for label, p in variants.items()}
conv_pool["no padding"].summary()
conv_pool["same in the first layer"].summary()

# %%
for label, model in conv_pool.items():
    sizes = [layer.output.shape[1] for layer in model.layers[1:] if len(layer.output.shape) == 4]
    flat, dense = model.layers[-2].output.shape[1], model.layers[-1].count_params()
    print(f"{label:<24} sizes {sizes} | flatten {flat} | dense {dense} | total {model.count_params():,}")

# %% [markdown]
# ## The start of a global-average-pooling model
#
# *What is padding in a neural network?* shows the first four layers of a model called
# "GlobalAveragePoolingBased" to point out that convolutions shrink the maps too, not only pooling:
# 28 to 26 (320 parameters), pooling to 13, dropout, then 13 to 11 (18,496 parameters). The rest of
# that model is in another post; we close it with global average pooling and a 10-way output, which
# leaves the four layers the article shows unchanged.

# %%
gap = keras.Sequential(
    [
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Dropout(0.25),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10, activation="softmax"),
    ],
    name="GlobalAveragePoolingBased",
)
gap.summary()

# %% [markdown]
# ## Causal padding in `Conv1D`
#
# For a time series, "same" padding would let the output at time `t` look at inputs after `t`.
# Causal padding puts all `k - 1` zeros at the **front**, so output `t` sees only inputs
# `t - k + 1 ... t`, and the output is as long as the input. *How to use padding with Keras?* shows
# the layer `Conv1D(32, kernel_size=4, activation='relu', padding='causal')`; we train it on a
# synthetic series whose target at `t` is a fixed mix of the current input and the three before it.

# %%
rng = np.random.default_rng(0)
series = rng.normal(size=(512, 64, 1)).astype("float32")
mix = np.array([0.5, 0.0, -1.0, 2.0]).reshape(4, 1, 1)  # weights of x[t-3], x[t-2], x[t-1], x[t]
target = padlib.conv1d(series, mix, padding="causal").astype("float32")
print("causal padding for kernel 4:", padlib.padding_amounts(64, 4, padding="causal"), "| target shape:", target.shape)

# %% [markdown]
# Causal padding exists only for `Conv1D`, the one layer with a time axis; `Conv2D` rejects it:

# %%
try:
    layers.Conv2D(1, 3, padding="causal")
except ValueError as error:
    print("Conv2D(padding='causal') ->", error)

# %% [markdown]
# *What is padding in a neural network?* pictures the smallest case, a kernel of 2: one zero goes in
# front, so the first output combines that zero with the first input, and every later output
# combines the previous and the current input:

# %%
steps = np.array([1.0, 2.0, 3.0, 4.0])
print(
    "kernel 2, causal padding:",
    padlib.padding_amounts(4, 2, padding="causal"),
    "-> padded",
    padlib.pad(steps, (1, 0)).tolist(),
)
print("with kernel [1, 10] (previous, current):", padlib.conv1d(steps, [1.0, 10.0], padding="causal").tolist())

# %%
causal = keras.Sequential(
    [
        keras.Input((64, 1)),
        layers.Conv1D(32, kernel_size=4, activation="relu", padding="causal"),
        layers.Conv1D(1, kernel_size=1),
    ],
    name="causal_conv1d",
)
causal.summary()
causal.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
history = causal.fit(series, target, epochs=15, batch_size=64, verbose=0)
print(f"causal Conv1D: mean squared error {history.history['loss'][0]:.3f} -> {history.history['loss'][-1]:.4f}")

# %% [markdown]
# Two checks. First, the future really is invisible: changing every input from step 40 on leaves
# outputs 0-39 of the causal model untouched, while a `padding="same"` layer lets the change leak
# into step 38 and 39. Second, Keras's causal padding is exactly "3 zeros in front": padlib's
# reference convolution with the trained weights gives the same first-layer output.

# %%
changed = series.copy()
changed[:, 40:] = rng.normal(size=changed[:, 40:].shape)
leaky = keras.Sequential([keras.Input((64, 1)), layers.Conv1D(32, kernel_size=4, padding="same")])
for label, model in (("causal", causal), ("same", leaky)):
    before = model.predict(series[:4], verbose=0)[:, :40]
    after = model.predict(changed[:4], verbose=0)[:, :40]
    print(f"{label:>6}: outputs before step 40 changed: {not np.allclose(before, after)}")

# %%
kernel, bias = causal.layers[0].get_weights()
ours = np.maximum(padlib.conv1d(series[:4], kernel, padding="causal") + bias, 0)
print(
    "Keras causal Conv1D == padlib.conv1d(padding='causal'):",
    np.allclose(causal.layers[0](series[:4]), ours, atol=1e-4),
)

# %% [markdown]
# ## The modes Keras lacks: `padlib.keras.Padding2D`
#
# Keras has `ZeroPadding2D` but no reflect, symmetric, replicate or circular padding. `Padding2D`
# adds them as a layer: pad first, then convolve with `padding="valid"`. Replacing "same" in the
# model above by `Padding2D(1, mode="reflect")` keeps every shape and the exact parameter count
# (padding layers have no weights); only the values at the border change.

# %%
reflect = keras.Sequential(
    [
        keras.Input((28, 28, 1)),
        Padding2D(1, mode="reflect"),
        layers.Conv2D(32, (3, 3), activation="relu"),
        Padding2D(1, mode="reflect"),
        layers.Conv2D(64, (3, 3), activation="relu"),
        Padding2D(1, mode="reflect"),
        layers.Conv2D(128, (3, 3), activation="relu"),
        layers.Flatten(),
        layers.Dense(256, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ],
    name="three_convs_reflect",
)

# %%
reflect.summary()
print(
    f"total (reflect padding): {reflect.count_params():,} | same as 'same': {reflect.count_params() == same.count_params()}"
)

# %% [markdown]
# And the check that "same" in Keras really is "one cell of zeros, then valid": with the same
# weights, `Padding2D(1, mode="constant")` (or Keras's own `ZeroPadding2D(1)`) followed by a valid
# `Conv2D` reproduces `padding="same"`.

# %%
conv_same = layers.Conv2D(4, 3, padding="same")
conv_valid = layers.Conv2D(4, 3)
images = rng.normal(size=(2, 28, 28, 1)).astype("float32")
conv_same.build(images.shape)
conv_valid.build((2, 30, 30, 1))
conv_valid.set_weights(conv_same.get_weights())
padded_then_valid = conv_valid(Padding2D(1, mode="constant")(images))
print(
    "Padding2D(1, 'constant') + valid == padding='same':", np.allclose(conv_same(images), padded_then_valid, atol=1e-5)
)
zero_then_valid = conv_valid(layers.ZeroPadding2D(1)(images))
print("ZeroPadding2D(1) + valid == padding='same':", np.allclose(conv_same(images), zero_then_valid, atol=1e-5))

# %% [markdown]
# ## What to remember
#
# - Padding adds no weights, but it changes the sizes of everything after it, and a `Flatten` +
#   `Dense` head turns that into parameters: 15,955,210 against 25,785,610 here.
# - "Same" on one layer keeps only that layer's size; the layers after it shrink as usual.
# - Use `padding="causal"` for sequences where the output must not see the future.
# - For modes other than zeros, pad with a layer (`padlib.keras.Padding2D`) and convolve with
#   `padding="valid"`.
