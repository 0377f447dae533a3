# %% [markdown]
# # Padding & Stride · Start here
#
# Why does a 3x3 convolution turn an 8x8 image into 6x6? What is "same" padding, and why does
# TensorFlow sometimes pad one pixel more at the bottom than at the top? Can the choice of padding
# change what a model learns? This course answers these questions with code you run: every number
# in it is computed by a cell, mostly with `padlib` (this project's small library) and
# TensorFlow/Keras.
#
# **How to use the lessons.** Open them in order and run each top to bottom (*Run > Run All
# Cells*). Each lesson runs in well under half a minute on a laptop CPU and needs no internet: all
# data is generated in the notebook. Read the short text between cells: it says which number to
# look at and why.
#
# Run the cell below to check your set-up.

# %%
import padlib

print("padlib", padlib.__version__, "is ready; padding modes:", ", ".join(padlib.MODES))
print("8x8 image, 3x3 kernel, no padding ->", padlib.output_size(8, 3), "x", padlib.output_size(8, 3))

# %% [markdown]
# ## Learning path
#
# | # | lesson | the question | you will see |
# | --- | --- | --- | --- |
# | 1 | [The border effect](01_border_effect.ipynb) | Why does a convolution shrink its input? | 8x8 -> 6x6 with rows `[0, 0, 3, 3, 0, 0]`; the 28 lost pixels; 4x4 after two layers |
# | 2 | [Kernel size](02_kernel_size.ipynb) | How do kernel size, output size and parameters relate? | kernels 1, 3, 5, 8 -> outputs 8, 6, 4, 1 with 2, 10, 26, 65 parameters |
# | 3 | [Padding types](03_padding_types.ipynb) | How much padding, and which values? | valid/same/full/causal; constant, reflect, symmetric, replicate, circular; the names across libraries |
# | 4 | [Padding in Keras](04_padding_in_keras.ipynb) | What does padding do to a real model? | 15,955,210 vs 25,785,610 parameters; causal `Conv1D`; reflect padding in Keras |
# | 5 | [Stride](05_stride.ipynb) | How does stride downsample, and what if sizes do not divide? | 8x8 -> 3x3 with stride 2; the general formula; 224 pads (2, 3), 225 pads (3, 3) |
# | 6 | [Does padding matter?](06_does_padding_matter.ipynb) | Can padding change what a model learns? | a position-blind model that learns a position; the impact of every pixel; which padding to choose |
# | 7 | [Dilation, transposed convolution and pooling](07_dilation_transpose_pooling.ipynb) | How do networks spread, upsample and pool a grid? | 5 and 6 both give 3, `output_padding` tells them apart; pooling corner 1.0 vs 0.444; 4.5 and 54.25 |
# | 8 | [Receptive fields and where position leaks in](08_receptive_fields_and_position.ipynb) | How far does a feature see, and how does padding reveal position? | VGG-16 pool5 212, AlexNet 195; 32m + 1; circular and full padding stay position-blind; partial padding |
#
# Lessons 1, 2 and 5 build on each other (shapes); lessons 3 and 4 on padding; lesson 6 uses all
# of them; lessons 7 and 8 go beyond it (lesson 8 uses lesson 7). If you only have a few minutes, do
# lessons 1, 3 and 6.
#
# ## Exercises
#
# Three auto-graded assignments let you check that you can do it yourself (they are in the
# nbgrader course directory, `autograder/`):
#
# - after lesson 3: [padding_modes](../autograder/release/padding_modes/padding_modes.ipynb) -
#   write every padding mode with numpy indexing only;
# - after lesson 5: [shapes_and_stride](../autograder/release/shapes_and_stride/shapes_and_stride.ipynb) -
#   padding amounts and output sizes as TensorFlow computes them, then a 2-D convolution with
#   stride and padding;
# - after lesson 8: [transposed_and_receptive](../autograder/release/transposed_and_receptive/transposed_and_receptive.ipynb) -
#   the output size of a transposed convolution (`output_padding`, Keras's rule), a transposed
#   convolution of one image, and the receptive field of a stack of layers.
#
# The folder [`../autograder/release/`](../autograder/release/) holds the student versions.
#
# ## Where the material comes from
#
# The lessons reproduce, in our own words and code, every example and number of five articles:
#
# - *A Gentle Introduction to Padding and Stride for Convolutional Neural Networks* (Jason
#   Brownlee): lessons 1, 2, 3 and 5.
# - *What is padding in a neural network?* (MachineCurve, 2020): lessons 3, 4 and 6.
# - *How to use padding with Keras?* (MachineCurve, 2020): lessons 3 and 4.
# - *Does padding matter in deep learning models?* (Harald Scheidl, 2021): lesson 6.
# - A short study note on padding (2023) with conv/pool MNIST model summaries: lesson 4.
#
# Articles contain mistakes too. Where one is wrong, the lesson says so and shows the evidence:
#
# | claim in an article | what is true | shown in |
# | --- | --- | --- |
# | feature maps are "one-dimensional maps" (*What is padding...?*) | a `Conv2D` feature map is two-dimensional (6x6 here) | lesson 1 |
# | "replication padding" adds `1, 5` to `[3, 5, 1]` (*What is padding...?*) | that is symmetric padding; replicate adds `1, 1` | lesson 3 |
# | "same padding, also known as zero padding" (*What is padding...?*, *How to use padding with Keras?*) | "same" is an amount, "zero" a value; they combine with others | lessons 3 and 4 |
# | with same padding in the first layer "the height and width will stay the same" (study note) | only that layer keeps 28x28; the later ones still shrink (113,162 parameters shows it) | lesson 4 |
# | the Keras argument is `stride` (*A Gentle Introduction...*) | it is `strides`; `stride` is rejected | lesson 5 |
# | stride 2 moves the filter "two pixels left" (*A Gentle Introduction...*) | it moves right (as the article's own example shows) | lesson 5 |
# | "global average pooling (i.e., sum over all pixel values)" (*Does padding matter...?*) | average and sum differ by the factor height x width | lesson 6 |
