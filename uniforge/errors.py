"""Error types. The library layer raises; only uniforge/cli prints or exits.

UserError: the user's input is wrong (exit 1); message carries a location
("uniforge.yaml:4: ...") and, where we know one, a fix.
"""
from __future__ import annotations

import difflib


class UserError(Exception):
    """A mistake in the user's input or environment. Exit status 1."""

    def __init__(self, message: str, *, path=None, line: int | None = None, hint: str | None = None):
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        loc = ""
        if self.path is not None:
            loc = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = loc + self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class MissingTool(UserError):
    """A program we need is not installed; says which Debian package has it."""

    def __init__(self, program: str, package: str, why: str = ""):
        msg = f"'{program}' not found" + (f" (needed {why})" if why else "")
        super().__init__(msg, hint=f"install it with: sudo apt-get install {package}")
        self.program = program
        self.package = package


def did_you_mean(word: str, choices) -> str:
    """" (did you mean 'x'?)" or "" — for error messages."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
