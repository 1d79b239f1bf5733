"""Generator `musl_version`: musl's `version.h` (`#define VERSION "1.2.3"`)
from the source tree's VERSION file, which musl's Makefile reads through
tools/version.sh (that script asks git first; a source package has no git)."""
from __future__ import annotations

import re

from . import GenError


def generate(text: str, source: str) -> str:
    version = text.strip()
    if not re.fullmatch(r"[0-9A-Za-z.+~_-]+", version):
        raise GenError(f"not a version: {version!r}")
    return f'#define VERSION "{version}"\n'
