# %% [markdown]
# # Lesson 2 · Kernel size
#
# How big the kernel is decides how big the output is (without padding) and how many weights the
# layer has. We repeat the experiment of *A Gentle Introduction to Padding and Stride for
# Convolutional Neural Networks* on the same 8x8 input, with kernels of 1x1, 3x3, 5x5 and 8x8.
#
# **You will see:** outputs of 8x8, 6x6, 4x4 and 1x1, with 2, 10, 26 and 65 parameters, and the two
# formulas that predict them.

# %%
import os

os.environ.update(TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="0")  # before TensorFlow loads: no start-up messages

import keras
import matplotlib.pyplot as plt

import padlib
import padlib.plot

keras.utils.set_random_seed(0)

# %% [markdown]
# ## One layer, four kernel sizes
#
# Each model is a single `Conv2D` with one filter on an 8x8x1 input. We print the Keras summary of
# each one: read the output shape and the parameter count.

# %%
results = {}
for k in (1, 3, 5, 8):
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(1, (k, k))], name=f"kernel_{k}x{k}")
    model.summary()
    results[k] = (model.output_shape[1], model.count_params())

# %%
for k, (out, params) in results.items():
    print(f"kernel {k}x{k}: output {out}x{out}, {params} parameters")

# %% [markdown]
# ## The two formulas
#
# - **Output size** (stride 1, no padding): `n - k + 1`. The kernel's left edge can start at
#   positions `0 ... n - k`.
# - **Parameters** of a `Conv2D`: `k * k * in_channels * filters` weights plus `filters` biases.
#   Here `in_channels = filters = 1`, so `k * k + 1`. Note that the parameter count does not
#   depend on the image size at all: the same weights are reused at every position.
#
# The two extremes explain the formulas. A 1x1 kernel has a single weight: it rescales every pixel
# and keeps the 8x8 size. An 8x8 kernel covers the whole image in one placement: its 64 weights
# and one bias make it a one-neuron dense layer, and the output is a single pixel.

# %%
for k, (out, params) in results.items():
    predicted = (8 - k + 1, k * k * 1 * 1 + 1)
    print(f"kernel {k}: predicted {predicted}, Keras {(out, params)}, padlib.output_size {padlib.output_size(8, k)}")
    assert predicted == (out, params) == (padlib.output_size(8, k), params)

# %% [markdown]
# ## A chart: output size against kernel size
#
# For every kernel size from 1 to 8 on the 8x8 input: the output shrinks by one pixel per extra
# kernel pixel without padding ("valid"), while "same" padding (lesson 3) holds it at 8.

# %%
ax = padlib.plot.output_size_chart(8, kernel_sizes=range(1, 9), strides=[1], paddings=["valid", "same"])
plt.show()

# %% [markdown]
# ## Bigger kernels see more, cost more and lose more border
#
# Stacking small kernels is the usual way to see far without paying for a large one: two 3x3
# layers cover a 5x5 patch of the input with 2 x 10 = 20 parameters (one filter each), against 26
# for a single 5x5 kernel, and both end at 4x4. Many networks use 3x3 kernels throughout, and
# 5x5 or 7x7 only on large inputs.

# %%
two_small = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(1, 3), keras.layers.Conv2D(1, 3)])
one_large = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(1, 5)])
print("two 3x3 layers:", two_small.output_shape[1:3], two_small.count_params(), "parameters")
print("one 5x5 layer: ", one_large.output_shape[1:3], one_large.count_params(), "parameters")
