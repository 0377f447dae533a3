"""Redaction of the autograded notebook (the source of feedback): no hidden test or solution text, no canary.

Any output line that quotes a line of the instructor's notebook which the
released notebook does not show (hidden tests, solutions) is replaced, and
so is any line quoting the per-run canary planted in the course directory.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
REDACTED = "[safegrade: line removed because it quoted hidden tests or solution text]"


def secret_lines(source_nb, release_nb) -> set[str]:
    """Lines of the instructor's notebook that the released notebook does not show (hidden tests, solutions)."""
    public: set[str] = set()
    if release_nb is not None:
        for cell in release_nb.cells:
            public.update(line.strip() for line in cell.source.splitlines())
    secret = set()
    for cell in source_nb.cells:
        for line in cell.source.splitlines():
            s = line.strip()
            if len(s) >= 16 and s not in public and not s.startswith("###"):
                secret.add(s)
    return secret


def redact_text(text: str, secret: set[str], canary: str) -> tuple[str, bool, bool]:
    changed = leaked_canary = False
    lines = text.split("\n")
    for i, line in enumerate(lines):
        plain = ANSI.sub("", line)
        if canary in plain:
            lines[i], changed, leaked_canary = REDACTED, True, True
        elif any(s in plain for s in secret):
            lines[i], changed = REDACTED, True
    return "\n".join(lines), changed, leaked_canary


def redact_notebook(path: Path, secret: set[str], canary: str) -> tuple[bool, bool]:
    """Remove output lines quoting secret text; return (a printed output quoted it, the canary appeared)."""
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:
        return False, False
    printed = canary_seen = False
    touched = False
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            fields = []
            if "text" in out:
                fields.append((out, "text"))
            for key in list(out.get("data", {})):
                if isinstance(out["data"][key], str):
                    fields.append((out["data"], key))
            if "evalue" in out:
                fields.append((out, "evalue"))
            for holder, key in fields:
                new, changed, canary_hit = redact_text(holder[key], secret, canary)
                if changed:
                    holder[key], touched = new, True
                    printed |= out.get("output_type") != "error"
                    canary_seen |= canary_hit
            if "traceback" in out:
                tb = []
                for frame in out["traceback"]:
                    new, changed, canary_hit = redact_text(frame, secret, canary)
                    touched |= changed
                    canary_seen |= canary_hit
                    tb.append(new)
                out["traceback"] = tb
    if touched:
        mode = path.stat().st_mode
        os.chmod(path, 0o644)
        nbformat.write(nb, str(path))
        os.chmod(path, mode & 0o777)
    return printed, canary_seen
