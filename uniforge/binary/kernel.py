"""The binary-compatibility kernel: the image that runs a Linux ELF program
from its root file system. It is the build of a manifest the tool writes
itself,

    name: binkernel
    libraries: [ukelfload, ...extra]
    sources: []
    kconfig: {settings}

(ukelfload provides main(): it loads and runs argv[0], see
os/lib/ukelfload/README.md), one per target, settings and OS tree, under

    cache_root()/binkernel/<target slug>/<hash>/     (uniforge.yaml + .uniforge/build/)

Built once and reused: later builds are ninja's no-op (or an incremental
rebuild when the OS tree changed). Parallel builders (pytest workers, two
`uniforge run`s) are safe: the manifest is written atomically and
Project.build holds the build folder's lock.

    project(target, settings={"CONFIG_LIBPOSIX_SOCKET": "n"}) -> Project
    build(target, settings, ...) -> BuildResult
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .. import os_root
from ..apt import cache_root
from ..errors import UserError
from ..project import BuildResult, Project
from ..targets import get_target

LIBRARY = "ukelfload"
NAME = "binkernel"


def _norm(settings: dict[str, str] | None) -> dict[str, str]:
    """CONFIG_-prefixed names, string values, sorted: the form the hash keys on."""
    out = {}
    for k, v in (settings or {}).items():
        name = k if k.startswith("CONFIG_") else "CONFIG_" + k
        out[name] = "y" if v is True else "n" if v is False else str(v)
    return dict(sorted(out.items()))


def folder(target: str, settings: dict[str, str] | None = None, libraries=()) -> Path:
    """The kernel's folder for a target, settings and extra libraries (and
    this OS tree: two checkouts never share a build)."""
    t = get_target(target)
    key = json.dumps({"os": str(os_root()), "libraries": [LIBRARY, *libraries], "settings": _norm(settings)},
                     sort_keys=True)
    return cache_root() / "binkernel" / t.slug / hashlib.sha256(key.encode()).hexdigest()[:16]


def manifest_text(settings: dict[str, str] | None = None, libraries=()) -> str:
    libs = [LIBRARY, *[lib for lib in libraries if lib != LIBRARY]]
    lines = ["# written by uniforge (uniforge/binary/kernel.py): the binary-compatibility kernel",
             f"name: {NAME}", f"libraries: {json.dumps(libs)}", "sources: []"]
    kc = _norm(settings)
    if kc:
        lines.append("kconfig:")
        lines += [f"  {k}: {json.dumps(v)}" for k, v in kc.items()]
    return "\n".join(lines) + "\n"


def project(target: str, settings: dict[str, str] | None = None, libraries=()) -> Project:
    """The Project of the binary-compatibility kernel for `target` with
    Kconfig `settings` ({"CONFIG_LIBUKSYSCALL_STRACE": "y"}) and extra
    micro-libraries. Raises UserError for an unknown target or library."""
    d = folder(target, settings, libraries)
    text = manifest_text(settings, libraries)
    f = d / "uniforge.yaml"
    if not f.is_file() or f.read_text() != text:
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".uniforge.yaml.{os.getpid()}"
        tmp.write_text(text)
        tmp.replace(f)
    try:
        return Project(d, target)
    except UserError as e:
        if f"unknown library '{LIBRARY}'" in e.message:
            raise UserError(f"this OS tree has no library {LIBRARY} (the ELF loader binary mode needs)",
                            hint=f"update the checkout ({os_root()})") from None
        raise


def build(target: str, settings: dict[str, str] | None = None, libraries=(), *, jobs=None,
          progress=None, verbose: bool = False) -> BuildResult:
    """Build (or find up to date) the kernel of project(...). Raises
    UserError (or the build's error) as Project.build does."""
    return project(target, settings, libraries).build(jobs=jobs, progress=progress or (lambda *a: None),
                                                      verbose=verbose)
