"""The registry of padding modes: one record per mode, with its names across libraries.

Everything that needs to know about modes (``pad``'s dispatch and error
messages, the Keras layers, the course's comparison table, the tests) reads it
from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Mode:
    """One padding mode and what the common libraries call it.

    A library field is ``None`` when that library has no such mode.
    ``max_pad`` says how far the mode can pad an axis of length ``n``:
    ``"n - 1"`` (reflect), ``"n"`` (symmetric, circular) or ``None`` (no limit).
    ``numpy_difference`` says where ``padlib.pad`` deliberately differs from
    ``np.pad`` for this mode (``None``: it does not).
    """

    name: str
    aliases: tuple[str, ...]
    numpy: str | None
    tensorflow: str | None
    pytorch: str | None
    keras: str | None
    max_pad: str | None
    rule: str
    example: str
    use_case: str
    numpy_difference: str | None = None

    def limit(self, n: int) -> int | None:
        """The largest pad this mode allows on an axis of length ``n`` (``None``: unlimited)."""
        if self.max_pad == "n - 1":
            return n - 1
        if self.max_pad == "n":
            return n
        return None


_MODES = (
    Mode(
        name="constant",
        aliases=("zeros",),
        numpy="np.pad(mode='constant')",
        tensorflow="tf.pad(mode='CONSTANT')",
        pytorch="F.pad(mode='constant'), Conv2d(padding_mode='zeros')",
        keras="ZeroPadding2D (zeros only), Conv2D(padding='same')",
        max_pad=None,
        rule="a fixed value (0 by default) outside the input",
        example="[1 2 3] -> 0 0 | 1 2 3 | 0 0",
        use_case="the default of every framework; cheap and neutral for zero-mean features",
        numpy_difference=(
            "one fill value for every side (np.pad's constant_values also takes a (before, after) pair per axis); "
            "a value the dtype cannot hold (300 into uint8, 0.5 or NaN into an integer array, a complex into a real one) "
            "is refused, where np.pad would wrap or truncate it"
        ),
    ),
    Mode(
        name="reflect",
        aliases=(),
        numpy="np.pad(mode='reflect')",
        tensorflow="tf.pad(mode='REFLECT')",
        pytorch="F.pad(mode='reflect'), ReflectionPad2d",
        keras=None,
        max_pad="n - 1",
        rule="mirror about the edge value, which is not repeated",
        example="[1 2 3] -> 3 2 | 1 2 3 | 2 1",
        use_case="images for style transfer and super-resolution: no artificial edge at the border",
        numpy_difference=(
            "at most n - 1 cells per side, as tf.pad (np.pad keeps reflecting past one period); "
            "only np.pad's default reflect_type='even' (reflect_type='odd' is np.pad only)"
        ),
    ),
    Mode(
        name="symmetric",
        aliases=(),
        numpy="np.pad(mode='symmetric')",
        tensorflow="tf.pad(mode='SYMMETRIC')",
        pytorch=None,
        keras=None,
        max_pad="n",
        rule="mirror about the border itself, so the edge value is repeated",
        example="[1 2 3] -> 2 1 | 1 2 3 | 3 2",
        use_case="like reflect, and defined for one-pixel-wide inputs",
        numpy_difference=(
            "at most n cells per side, as tf.pad (np.pad keeps mirroring past one period); only reflect_type='even'"
        ),
    ),
    Mode(
        name="replicate",
        aliases=("edge",),
        numpy="np.pad(mode='edge')",
        tensorflow=None,
        pytorch="F.pad(mode='replicate'), ReplicationPad2d",
        keras=None,
        max_pad=None,
        rule="repeat the edge value",
        example="[1 2 3] -> 1 1 | 1 2 3 | 3 3",
        use_case="signals and images whose value continues past the border (depth maps, sensors)",
    ),
    Mode(
        name="circular",
        aliases=("wrap",),
        numpy="np.pad(mode='wrap')",
        tensorflow=None,
        pytorch="F.pad(mode='circular'), Conv2d(padding_mode='circular')",
        keras=None,
        max_pad="n",
        rule="wrap around: the other end of the input continues here",
        example="[1 2 3] -> 2 3 | 1 2 3 | 1 2",
        use_case="periodic data: angles, 360-degree panoramas, tori in physics simulations",
        numpy_difference="at most n cells per side, as PyTorch (np.pad keeps wrapping past one period)",
    ),
)

MODES = MappingProxyType({m.name: m for m in _MODES})
"""Canonical mode name -> :class:`Mode`. Read-only."""

NUMPY_ONLY_MODES = ("empty", "linear_ramp", "maximum", "mean", "median", "minimum")
"""``np.pad`` modes that no framework pads a convolution with; padlib leaves them to numpy."""

_ALIASES = MappingProxyType({**{m.name: m.name for m in _MODES}, **{a: m.name for m in _MODES for a in m.aliases}})


def resolve_mode(mode: object, *, argument: str = "mode") -> Mode:
    """Return the :class:`Mode` for ``mode`` (a name or alias), or raise a ValueError listing them all."""
    if isinstance(mode, Mode):
        return mode
    name = _ALIASES.get(mode) if isinstance(mode, str) else None
    if name is not None:
        return MODES[name]
    if mode in NUMPY_ONLY_MODES:
        raise ValueError(
            f"{argument} {mode!r} is a numpy-only mode that padlib does not have (no framework pads a convolution "
            f"with it); use np.pad(x, pad_width, mode={mode!r})"
        )
    allowed = ", ".join(
        f"'{m.name}'" + (f" (alias {', '.join(repr(a) for a in m.aliases)})" if m.aliases else "") for m in _MODES
    )
    raise ValueError(f"{argument} {mode!r} is not supported; use one of {allowed}")


def mode_table(columns: tuple[str, ...] = ("numpy", "tensorflow", "pytorch", "keras")) -> ModeTable:
    """The modes and their names across libraries: a table that renders in a notebook.

    ``str()`` and ``print()`` give a Markdown pipe table; Jupyter renders it
    (``_repr_markdown_``, ``_repr_html_``). Under the table, where padlib
    differs from ``np.pad`` for each mode.

    >>> print(mode_table(("numpy",)))
    | mode | numpy |
    | --- | --- |
    | constant (zeros) | np.pad(mode='constant') |
    | reflect | np.pad(mode='reflect') |
    | symmetric | np.pad(mode='symmetric') |
    | replicate (edge) | np.pad(mode='edge') |
    | circular (wrap) | np.pad(mode='wrap') |
    """
    unknown = [c for c in columns if c not in LIBRARIES]
    if isinstance(columns, str) or unknown or not columns:
        raise ValueError(f"columns must be a non-empty tuple of {', '.join(map(repr, LIBRARIES))}; got {columns!r}")
    rows = tuple(
        (
            m.name + (f" ({', '.join(m.aliases)})" if m.aliases else ""),
            *(getattr(m, c) or "not available" for c in columns),
        )
        for m in _MODES
    )
    return ModeTable(("mode", *columns), rows)


LIBRARIES = ("numpy", "tensorflow", "pytorch", "keras")


@dataclass(frozen=True)
class ModeTable:
    """What :func:`mode_table` returns: a header, rows of cells, and the notes on numpy."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @property
    def notes(self) -> tuple[str, ...]:
        """One line per mode where ``padlib.pad`` deliberately differs from ``np.pad``."""
        return tuple(f"{m.name}: {m.numpy_difference}" for m in _MODES if m.numpy_difference) + (
            f"numpy-only modes ({', '.join(NUMPY_ONLY_MODES)}): use np.pad",
        )

    def __str__(self) -> str:
        lines = ["| " + " | ".join(self.header) + " |", "| --- |" + " --- |" * (len(self.header) - 1)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        notes = "\n".join(f"- {note}" for note in self.notes)
        return f"{self}\n\nWhere padlib differs from np.pad:\n\n{notes}\n"

    def _repr_html_(self) -> str:
        import html  # only when a notebook renders the table: keeps `import padlib` light

        def row(cells: Sequence[str], tag: str) -> str:
            return "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"

        body = "".join(row(r, "td") for r in self.rows)
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (
            f"<table><thead>{row(self.header, 'th')}</thead><tbody>{body}</tbody></table>"
            f"<p>Where padlib differs from np.pad:</p><ul>{notes}</ul>"
        )
