"""Shared fixtures. TensorFlow is imported only by the tests that ask for it."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TensorFlow's C++ start-up chatter out of test logs
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def tf():
    """TensorFlow, imported once. It is a declared dependency: missing means a broken set-up, not a skip."""
    import tensorflow

    return tensorflow
