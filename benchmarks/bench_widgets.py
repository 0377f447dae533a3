"""Explorer responsiveness: control change -> recomputed state and redrawn view, goal <= 50 ms."""

from __future__ import annotations

from . import median_seconds


def _toggle(panel, name, a, b):
    """A function that flips control ``name`` between ``a`` and ``b``, each call one full update."""
    control = panel.controls[name]

    def change():
        control.value = b if control.value == a else a

    return change


def run(report):
    from padlib import widgets  # imported here so `python -m benchmarks` lists modules without loading ipywidgets

    ex = widgets.explorer(size=6, kernel_size=3, padding="same")
    ms = 1000 * median_seconds(_toggle(ex, "kernel_size", 3, 5))
    report("explorer update, 6x6 input (kernel 3 <-> 5)", ms, goal="<= 50 ms", unit="ms", met=ms <= 50)

    ex.set(size=12, kernel_size=7, dilation=3, padding="full")  # largest grid the sliders allow: 48x48 padded
    ms = 1000 * median_seconds(_toggle(ex, "stride", 1, 2))
    report("explorer update, largest grid (12x12, k 7, d 3, full)", ms, goal="<= 50 ms", unit="ms", met=ms <= 50)

    ix = widgets.impact_explorer(size=28, kernel_size=3, padding="same")
    ms = 1000 * median_seconds(_toggle(ix, "layers", 4, 5))
    report("impact explorer update, 28x28 (4 <-> 5 layers)", ms, goal="<= 50 ms", unit="ms", met=ms <= 50)
