"""uniforge.yaml: the application manifest, read and validated.

Every error names the file and line and, where it can, the fix. The result is
a plain Manifest value; nothing here touches the OS tree except to check
library and target names passed in by the caller.

    name: helloworld
    targets: [qemu/x86_64, linuxu/x86_64]
    libraries: [ukallocbuddy]
    kconfig:
      CONFIG_UKBOOT_SHOW_BOOTTIME: y
    cmd: ["--verbose"]
    env: {GREETING: hello}     # the guest's environment (getenv)
    memory: 8M
    sources: [main.c, "src/**/*.c"]   # default: every *.c and *.S in the folder; [] for none
    cflags: [-O2, -DVERBOSE]   # extra compiler flags for the app's sources
    includes: [include]        # extra include folders for the app's sources
    rootfs: files              # a folder packed into the guest's root file system
    ports: ["8080:80", 5353:53/udp]   # host forwards, as `uniforge run -p`

A Linux program's manifest (binary-compatibility mode, uniforge/binary/):

    binary: /usr/sbin/nginx    # an ELF program: a host path, or relative to the app folder
    sysroot: debian-root       # its interpreter and libraries come from here (default: the host's /)
    cmd: ["-c", "/etc/nginx/nginx.conf"]
    rootfs: files              # over the program's files
    env:, ports:, memory:, targets:, kconfig: as above; libraries: extra
    micro-libraries for its kernel; sources:, cflags:, includes: are errors
    (nothing is compiled); name: defaults to the program's file name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import os
import re
import shlex

import yaml

from .errors import UserError, did_you_mean
from .runner.net import PortForward, PORT_SYNTAX, parse_port, check_unique
from .targets import TARGETS

MANIFEST = "uniforge.yaml"
KEYS = {
    "name": "the application's name (letters, digits, _ and -)",
    "targets": "list of targets, e.g. [qemu/x86_64]",
    "libraries": "extra micro-libraries to select, e.g. [ukallocbuddy]",
    "kconfig": "map of CONFIG_* values, e.g. {CONFIG_UKBOOT_SHOW_BOOTTIME: y}",
    "cmd": "default application arguments (list or string)",
    "env": "the guest's environment, a map of NAME: value, e.g. {GREETING: hello}",
    "memory": "guest memory, e.g. 8M, 512K, 1G, or a number of MiB",
    "sources": "source files or globs such as src/**/*.c (default: every *.c and *.S in the folder; "
               "[] when a library provides main)",
    "cflags": "extra compiler flags for the application's sources, e.g. [-O2, -DVERBOSE]",
    "includes": "extra include folders for the application's sources, e.g. [include]",
    "description": "a line of text",
    "rootfs": "a folder (relative to the app folder) whose files the guest finds under /, e.g. rootfs",
    "ports": f"host port forwards, as `uniforge run -p`: a list of {PORT_SYNTAX}",
    "binary": "a Linux ELF program to run (binary-compatibility mode), e.g. /usr/sbin/nginx or bin/app "
              "(relative to the app folder)",
    "sysroot": "a folder holding the binary's interpreter and libraries as in / (relative to the app folder), "
               "e.g. a Debian root",
}
# Keys a `binary:` manifest cannot have: it compiles nothing.
NOT_WITH_BINARY = ("sources", "cflags", "includes")


@dataclass
class Manifest:
    path: Path
    name: str
    targets: list[str] = field(default_factory=list)
    libraries: list[str] = field(default_factory=list)
    kconfig: dict[str, str] = field(default_factory=dict)
    cmd: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    memory_mb: int | None = None
    memory_kib: int | None = None     # as written (memory_mb is it rounded up)
    sources: list[Path] = field(default_factory=list)
    cflags: list[str] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)     # relative to the app folder
    rootfs: Path | None = None        # the root file system's folder, resolved
    ports: list[PortForward] = field(default_factory=list)   # `ports:` (runner/net.py)
    binary: Path | None = None        # `binary:`, resolved: a Linux program to run (uniforge/binary/)
    sysroot: Path | None = None       # `sysroot:`, resolved
    description: str = ""
    lines: dict[str, int] = field(default_factory=dict)   # key → line, for later errors

    @property
    def app_dir(self) -> Path:
        return self.path.parent

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)


def parse_memory_kib(value, *, path=None, line=None) -> int:
    """'8M' / '512K' / '1G' / 64 (MiB) → KiB. Raises UserError for anything
    else: empty text, zero, a list, a bool."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value * 1024
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+)\s*([KMG]i?B?|)\s*", value, re.I)
        if m:
            n, unit = int(m.group(1)), m.group(2)[:1].upper()
            kib = n * {"K": 1, "": 1024, "M": 1024, "G": 1024 * 1024}[unit]
            if kib > 0:
                return kib
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        msg = f"bad memory size {value!r}"
    else:
        msg = f"memory must be a size such as 8M, not a {type(value).__name__} ({value!r})"
    raise UserError(msg, path=path, line=line,
                    hint="write it like 8M, 512K, 1G, or a whole number of MiB")


def parse_memory(value, *, path=None, line=None) -> int:
    """Like parse_memory_kib, in MiB (rounded up)."""
    return -(-parse_memory_kib(value, path=path, line=line) // 1024)


# An environment variable's name: the guest tells KEY=VALUE words from
# library parameters (lib.param=value) by the absence of a dot in the name.
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
ENV_NAME_HINT = "a name is letters, digits and _, not starting with a digit (e.g. GREETING)"


def parse_env_assignment(text: str) -> tuple[str, str]:
    """'KEY=VALUE' (from `uniforge run -e`) → (KEY, VALUE). Raises UserError."""
    name, eq, value = text.partition("=")
    if not eq:
        raise UserError(f"-e {text!r}: expected NAME=VALUE", hint="e.g. -e GREETING=hello")
    if not ENV_NAME.fullmatch(name):
        raise UserError(f"-e {text!r}: bad environment variable name {name!r}", hint=ENV_NAME_HINT)
    return name, value


def _env_map(vnode, path) -> dict[str, str]:
    if not isinstance(vnode, yaml.MappingNode):
        raise UserError("'env' must be a map of names to values", path=path,
                        line=vnode.start_mark.line + 1, hint=KEYS["env"])
    out: dict[str, str] = {}
    for kn, vn in vnode.value:
        kline = kn.start_mark.line + 1
        name = kn.value if isinstance(kn, yaml.ScalarNode) else None
        if name is None or not ENV_NAME.fullmatch(name):
            raise UserError(f"bad environment variable name {name!r}", path=path, line=kline,
                            hint=ENV_NAME_HINT)
        if name in out:
            raise UserError(f"environment variable '{name}' is given twice", path=path, line=kline)
        if not isinstance(vn, yaml.ScalarNode):
            raise UserError(f"the value of '{name}' must be a string, not a list or map", path=path,
                            line=vn.start_mark.line + 1, hint="quote it: NAME: \"text\"")
        # Plain scalars are kept as written (yes stays yes, 010 stays 010);
        # a missing value (NAME:) is the empty string.
        out[name] = vn.value
    return out


def _kconfig_value(v, *, path, line) -> str:
    if v is True:
        return "y"
    if v is False:
        return "n"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return v
    raise UserError(f"bad Kconfig value {v!r}", path=path, line=line,
                    hint="use y, n, a number or a string")


def _str_list(node, key, path) -> list[str]:
    if isinstance(node, yaml.ScalarNode):
        value = node.value
        return shlex.split(value) if key == "cmd" else [value]
    if not isinstance(node, yaml.SequenceNode):
        raise UserError(f"'{key}' must be a list", path=path, line=node.start_mark.line + 1,
                        hint=KEYS[key])
    out = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            raise UserError(f"'{key}' entries must be plain values", path=path,
                            line=item.start_mark.line + 1, hint=KEYS[key])
        out.append(item.value)
    return out


def _app_sources(app_dir: Path, name: str, path: Path, line: int) -> list[Path]:
    """The files one `sources:` entry names: a file, or a glob's sorted
    matches (`**` recurses; folders starting with a dot, such as the build
    folder .uniforge, are never searched). Raises UserError when none."""
    if not any(c in name for c in "*?["):
        p = app_dir / name
        if not p.is_file():
            raise UserError(f"source file '{name}' does not exist", path=path, line=line)
        return [p.resolve()]
    found = [p.resolve() for p in sorted(app_dir.glob(name))
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(app_dir).parts[:-1])]
    if not found:
        raise UserError(f"'{name}' matches no file", path=path, line=line,
                        hint="a glob such as src/**/*.c (** matches folders recursively)")
    return found


def _rootfs_dir(app_dir: Path, vnode, path: Path, line: int) -> Path:
    """`rootfs:` → the resolved folder. Raises UserError unless it is one
    existing folder (a string, relative to the app folder or absolute)."""
    if not isinstance(vnode, yaml.ScalarNode) or not vnode.value:
        raise UserError("'rootfs' must be one folder name", path=path, line=line, hint=KEYS["rootfs"])
    d = (app_dir / vnode.value).resolve()
    if not d.is_dir():
        what = "is not a folder" if d.exists() else "does not exist"
        raise UserError(f"rootfs folder '{vnode.value}' {what}", path=path, line=line,
                        hint=f"create {d}, or point `rootfs:` at an existing folder (relative to "
                             f"the app folder)")
    return d


def _binary_file(app_dir: Path, vnode, path: Path, line: int) -> Path:
    """`binary:` → the program's path (absolute, symlinks kept: the guest
    runs it under the name given). Raises UserError unless it is a file."""
    if not isinstance(vnode, yaml.ScalarNode) or not vnode.value:
        raise UserError("'binary' must be one file name", path=path, line=line, hint=KEYS["binary"])
    f = Path(os.path.abspath(app_dir / vnode.value))
    if not f.is_file():
        what = "is a folder, not a program" if f.is_dir() else "does not exist"
        raise UserError(f"binary '{vnode.value}' {what}", path=path, line=line,
                        hint="give the path of an ELF program, absolute (e.g. /usr/bin/sqlite3) or relative to "
                             "the app folder")
    return f


def _sysroot_dir(app_dir: Path, vnode, path: Path, line: int) -> Path:
    if not isinstance(vnode, yaml.ScalarNode) or not vnode.value:
        raise UserError("'sysroot' must be one folder name", path=path, line=line, hint=KEYS["sysroot"])
    d = Path(os.path.abspath(app_dir / vnode.value))
    if not d.is_dir():
        what = "is not a folder" if d.exists() else "does not exist"
        raise UserError(f"sysroot folder '{vnode.value}' {what}", path=path, line=line, hint=KEYS["sysroot"])
    return d


def _ports(vnode, path: Path) -> list[PortForward]:
    """`ports:` → forwards. Raises UserError at the bad entry's line."""
    names = _str_list(vnode, "ports", path)
    items = vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]
    out = []
    for item, text in zip(items, names):
        try:
            out.append(parse_port(text))
        except ValueError as e:
            raise UserError(str(e), path=path, line=item.start_mark.line + 1, hint=KEYS["ports"]) from None
        try:
            check_unique(out)
        except UserError as e:
            raise UserError(e.message, path=path, line=item.start_mark.line + 1, hint=e.hint) from None
    return out


def load(app_dir: Path, *, libraries: set[str] | None = None) -> Manifest:
    """Read APP/uniforge.yaml. `libraries` (known library names) enables
    the unknown-library check."""
    path = Path(app_dir) / MANIFEST
    shown = Path(path)
    if not path.is_file():
        raise UserError(f"no {MANIFEST} in {app_dir}",
                        hint=f"create one with `uniforge init {app_dir}`")
    text = path.read_text()
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise UserError(f"not valid YAML: {getattr(e, 'problem', e)}", path=shown,
                        line=mark.line + 1 if mark else None) from None
    if root is None:
        raise UserError("the manifest is empty", path=shown, hint="it needs at least `name:`")
    if not isinstance(root, yaml.MappingNode):
        raise UserError("the manifest must be a mapping of keys to values", path=shown, line=1)

    m = Manifest(path=shown, name="")
    seen: set[str] = set()
    for knode, vnode in root.value:
        key, line = knode.value, knode.start_mark.line + 1
        if key not in KEYS:
            raise UserError(f"unknown key '{key}'{did_you_mean(key, KEYS)}", path=shown, line=line,
                            hint="known keys: " + ", ".join(KEYS))
        if key in seen:
            raise UserError(f"'{key}' is given twice", path=shown, line=line)
        seen.add(key)
        m.lines[key] = line
        vline = vnode.start_mark.line + 1

        if key == "name":
            if not isinstance(vnode, yaml.ScalarNode) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", vnode.value):
                raise UserError(f"bad name {getattr(vnode, 'value', '')!r}", path=shown, line=vline,
                                hint=KEYS["name"] + ", starting with a letter")
            m.name = vnode.value
        elif key == "description":
            m.description = str(getattr(vnode, "value", ""))
        elif key == "targets":
            m.targets = _str_list(vnode, key, shown)
            for item, t in zip(vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode], m.targets):
                if t not in TARGETS:
                    raise UserError(f"unknown target '{t}'{did_you_mean(t, TARGETS)}", path=shown,
                                    line=item.start_mark.line + 1,
                                    hint="`uniforge targets` lists them")
        elif key == "libraries":
            m.libraries = _str_list(vnode, key, shown)
            items = vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]
            for item, lib in zip(items, m.libraries):
                if libraries is not None and lib not in libraries:
                    raise UserError(f"unknown library '{lib}'{did_you_mean(lib, libraries)}",
                                    path=shown, line=item.start_mark.line + 1,
                                    hint="`uniforge lib ls` lists them")
        elif key == "kconfig":
            if not isinstance(vnode, yaml.MappingNode):
                raise UserError("'kconfig' must be a map of CONFIG_* names to values", path=shown,
                                line=vline, hint=KEYS["kconfig"])
            for kn, vn in vnode.value:
                kline = kn.start_mark.line + 1
                name = kn.value
                if not re.fullmatch(r"(CONFIG_)?[A-Z0-9_]+", name):
                    raise UserError(f"bad Kconfig symbol name '{name}'", path=shown, line=kline,
                                    hint="write it like CONFIG_LIBUKDEBUG")
                if not name.startswith("CONFIG_"):
                    name = "CONFIG_" + name
                value = yaml.safe_load(yaml.serialize(vn)) if not isinstance(vn, yaml.ScalarNode) else (
                    vn.value if vn.style in ("'", '"') else yaml.safe_load(vn.value) if vn.value else "")
                m.kconfig[name] = _kconfig_value(value, path=shown, line=kline)
                m.lines["kconfig:" + name] = kline
        elif key == "cmd":
            m.cmd = _str_list(vnode, key, shown)
        elif key == "env":
            m.env = _env_map(vnode, shown)
        elif key == "memory":
            value = (yaml.safe_load(vnode.value) if vnode.value else "") \
                if isinstance(vnode, yaml.ScalarNode) else yaml.safe_load(yaml.serialize(vnode))
            m.memory_kib = parse_memory_kib(value, path=shown, line=vline)
            m.memory_mb = -(-m.memory_kib // 1024)
        elif key == "sources":
            names = _str_list(vnode, key, shown)
            items = vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]
            for item, n in zip(items, names):
                m.sources += _app_sources(m.app_dir, n, shown, item.start_mark.line + 1)
        elif key == "cflags":
            m.cflags = _str_list(vnode, key, shown)
        elif key == "includes":
            m.includes = _str_list(vnode, key, shown)
            items = vnode.value if isinstance(vnode, yaml.SequenceNode) else [vnode]
            for item, d in zip(items, m.includes):
                if not (m.app_dir / d).is_dir():
                    raise UserError(f"include folder '{d}' does not exist", path=shown,
                                    line=item.start_mark.line + 1, hint=KEYS["includes"])
        elif key == "rootfs":
            m.rootfs = _rootfs_dir(m.app_dir, vnode, shown, vline)
        elif key == "ports":
            m.ports = _ports(vnode, shown)
        elif key == "binary":
            m.binary = _binary_file(m.app_dir, vnode, shown, vline)
        elif key == "sysroot":
            m.sysroot = _sysroot_dir(m.app_dir, vnode, shown, vline)

    if m.binary is not None:
        for key in NOT_WITH_BINARY:
            if key in seen:
                raise UserError(f"'{key}' cannot go with 'binary:': a binary's manifest compiles nothing",
                                path=shown, line=m.lines[key],
                                hint="drop it (the program runs as it is), or drop `binary:` to build an "
                                     "application from sources")
        if not m.name:
            m.name = re.sub(r"[^A-Za-z0-9_-]", "-", m.binary.name) or "binary"
            if not m.name[0].isalpha():
                m.name = "bin-" + m.name
    elif m.sysroot is not None:
        raise UserError("'sysroot' needs 'binary:' (the program whose libraries it holds)", path=shown,
                        line=m.lines["sysroot"], hint="add `binary: PATH`, or drop `sysroot:`")
    if not m.name:
        raise UserError("missing 'name'", path=shown, line=1, hint="add a line like `name: myapp`")
    m.sources = list(dict.fromkeys(m.sources))       # a file named twice is built once
    if "sources" not in seen and m.binary is None:
        m.sources = sorted(p.resolve() for p in m.app_dir.iterdir()
                           if p.suffix in (".c", ".S") and p.is_file())
    return m
