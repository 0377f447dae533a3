"""Shared fixtures. TensorFlow is imported only by the tests that ask for it."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's C++ start-up chatter out of test logs
os.environ.setdefault("MPLBACKEND", "Agg")
# TensorFlow is our oracle, so use its reference (Eigen) kernels. Its default oneDNN kernels in
# TF 2.21 return wrong values for some strided SAME convolutions: see
# test_conv.py::test_strided_same_on_a_one_pixel_wide_input, found by hypothesis.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")


@pytest.fixture(scope="session")
def tf():
    """TensorFlow, imported once. It is a declared dependency: missing means a broken set-up, not a skip."""
    import tensorflow

    return tensorflow
