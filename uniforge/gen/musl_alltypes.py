"""Generator `musl_alltypes`: musl's `bits/alltypes.h` from its `.h.in`
templates (the architecture's `arch/<arch>/bits/alltypes.h.in`, then the
generic `include/alltypes.h.in`, read one after the other), as musl's
tools/mkalltypes.sed makes it. Each line

    TYPEDEF <type> <name>;       STRUCT <name> <body>;       UNION <name> <body>;

becomes a guarded definition, so a header that defines __NEED_<name> (or
__NEED_struct_<name>) before including it gets exactly that type, once:

    #if defined(__NEED_size_t) && !defined(__DEFINED_size_t)
    typedef unsigned long size_t;
    #define __DEFINED_size_t
    #endif

Every other line is copied as it is.
"""
from __future__ import annotations

import re

from . import GenError

_TYPEDEF = re.compile(r"TYPEDEF (.*) ([^ ]*);$")
_AGGREGATE = re.compile(r"(STRUCT|UNION) *([^ ]*) (.*);$")


def _guarded(need: str, decl: str) -> list[str]:
    return [f"#if defined(__NEED_{need}) && !defined(__DEFINED_{need})", decl,
            f"#define __DEFINED_{need}", "#endif", ""]


def generate(text: str, source: str) -> str:
    out: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("TYPEDEF"):
            m = _TYPEDEF.match(line)
            if not m:
                raise GenError(f"malformed TYPEDEF line: {line!r}", n)
            out += _guarded(m.group(2), f"typedef {m.group(1)} {m.group(2)};")
        elif line.startswith(("STRUCT", "UNION")):
            m = _AGGREGATE.match(line)
            if not m:
                raise GenError(f"malformed {line.split()[0]} line: {line!r}", n)
            kind = m.group(1).lower()
            out += _guarded(f"{kind}_{m.group(2)}", f"{kind} {m.group(2)} {m.group(3)};")
        else:
            out.append(line)
    return "\n".join(out) + "\n"
