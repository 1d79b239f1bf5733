"""Discovery of the micro-libraries: every folder under os/ with a library.toml.

A Library is the parsed descriptor (see ARCHITECTURE.md, "A library folder").
Which sources are built is decided later, with the resolved configuration
(model.py), by evaluating each entry's `if` Kconfig expression.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import tomllib

from .errors import UserError

DESCRIPTOR = "library.toml"
_KEYS = {"name", "symbol", "provides", "summary", "includes", "cflags", "sources",
         "linker_script", "ldflags"}


@dataclass(frozen=True)
class CondFile:
    src: str
    cond: str | None = None      # Kconfig expression; None = always


@dataclass
class Library:
    name: str
    symbol: str
    path: Path
    provides: str = ""
    summary: str = ""
    includes: list[str] = field(default_factory=list)
    cflags: list[str] = field(default_factory=list)
    ldflags: list[str] = field(default_factory=list)
    sources: list[CondFile] = field(default_factory=list)
    linker_script: list[CondFile] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """'arch', 'plat' or 'lib', from where it lives in the tree."""
        return self.path.parent.name if self.path.parent.name in ("arch", "plat") else "lib"

    @property
    def config_file(self) -> Path | None:
        p = self.path / "Config.uk"
        return p if p.is_file() else None


def _cond_list(value, key: str, where: Path) -> list[CondFile]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise UserError(f"'{key}' must be a list", path=where)
    out = []
    for item in value:
        if isinstance(item, str):
            out.append(CondFile(item))
        elif isinstance(item, dict) and "src" in item and set(item) <= {"src", "if"}:
            out.append(CondFile(item["src"], item.get("if")))
        else:
            raise UserError(f"bad '{key}' entry {item!r}", path=where,
                            hint='use "file.c" or { src = "file.c", if = "CONFIG_SYMBOL_EXPR" }')
    return out


def parse(path: Path) -> Library:
    desc = path / DESCRIPTOR
    try:
        data = tomllib.loads(desc.read_text())
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"not valid TOML: {e}", path=desc) from None
    unknown = set(data) - _KEYS
    if unknown:
        raise UserError(f"unknown key(s) {', '.join(sorted(unknown))}", path=desc,
                        hint="known keys: " + ", ".join(sorted(_KEYS)))
    name = data.get("name", path.name)
    lib = Library(
        name=name,
        symbol=data.get("symbol", "LIB" + name.upper().replace("-", "_")),
        path=path,
        provides=data.get("provides", ""),
        summary=data.get("summary", ""),
        includes=list(data.get("includes", [])),
        cflags=list(data.get("cflags", [])),
        ldflags=list(data.get("ldflags", [])),
        sources=_cond_list(data.get("sources", []), "sources", desc),
        linker_script=_cond_list(data.get("linker_script", []), "linker_script", desc),
    )
    return lib


def check_files(lib: Library, files: list[CondFile]) -> None:
    """Raise if a listed file is missing. Checked only for the files a build
    uses, so one broken library does not block images that leave it out."""
    for cf in files:
        if not (lib.path / cf.src).is_file():
            raise UserError(f"'{cf.src}' listed but missing", path=lib.path / DESCRIPTOR)


def discover(os_root: Path) -> dict[str, Library]:
    """All libraries under os_root, by name. Names must be unique."""
    libs: dict[str, Library] = {}
    for desc in sorted(os_root.rglob(DESCRIPTOR)):
        lib = parse(desc.parent)
        if lib.name in libs:
            raise UserError(f"library name '{lib.name}' used twice: {libs[lib.name].path} and {lib.path}")
        libs[lib.name] = lib
    return libs
