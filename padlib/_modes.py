"""The registry of padding modes: one record per mode, with its names across libraries.

Everything that needs to know about modes (``pad``'s dispatch and error
messages, the Keras layers, the course's comparison table, the tests) reads it
from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Mode:
    """One padding mode and what the common libraries call it.

    A library field is ``None`` when that library has no such mode.
    ``max_pad`` says how far the mode can pad an axis of length ``n``:
    ``"n - 1"`` (reflect), ``"n"`` (symmetric, circular) or ``None`` (no limit).
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
    ),
)

MODES = MappingProxyType({m.name: m for m in _MODES})
"""Canonical mode name -> :class:`Mode`. Read-only."""

_ALIASES = MappingProxyType({**{m.name: m.name for m in _MODES}, **{a: m.name for m in _MODES for a in m.aliases}})


def resolve_mode(mode: object, *, argument: str = "mode") -> Mode:
    """Return the :class:`Mode` for ``mode`` (a name or alias), or raise a ValueError listing them all."""
    if isinstance(mode, Mode):
        return mode
    try:
        return MODES[_ALIASES[mode]]  # type: ignore[index]
    except (KeyError, TypeError):
        allowed = ", ".join(f"'{m.name}'" + (f" (alias {', '.join(repr(a) for a in m.aliases)})" if m.aliases else "") for m in _MODES)
        raise ValueError(f"{argument} {mode!r} is not supported; use one of {allowed}") from None


def mode_table(columns: tuple[str, ...] = ("numpy", "tensorflow", "pytorch", "keras")) -> str:
    """The modes and their names across libraries, as a Markdown table.

    >>> print(mode_table(("numpy",)))
    | mode | numpy |
    | --- | --- |
    | constant (zeros) | np.pad(mode='constant') |
    | reflect | np.pad(mode='reflect') |
    | symmetric | np.pad(mode='symmetric') |
    | replicate (edge) | np.pad(mode='edge') |
    | circular (wrap) | np.pad(mode='wrap') |
    """
    head = "| mode | " + " | ".join(columns) + " |"
    rule = "| --- |" + " --- |" * len(columns)
    rows = []
    for m in _MODES:
        label = m.name + (f" ({', '.join(m.aliases)})" if m.aliases else "")
        cells = [getattr(m, c) or "not available" for c in columns]
        rows.append("| " + " | ".join([label, *cells]) + " |")
    return "\n".join([head, rule, *rows])
