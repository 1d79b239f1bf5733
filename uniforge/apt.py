"""A private apt configuration under uniforge's cache, derived from the
machine's own apt sources, so the tool can fetch Debian packages without
editing (or needing write access to) the system's apt state.

    cache_root()/apt/src/   deb-src entries, for source packages (debsrc.py)
    cache_root()/apt/bin/   deb entries and extra architectures, for binary
                            packages such as the benchmarks' Linux kernels (debpkg.py)

Each holds etc/sources.list(.d), lists/ and cache/, passed to apt-get with
Dir::Etc::SourceList, Dir::Etc::SourceParts, Dir::State::Lists and Dir::Cache;
the system's apt.conf.d (proxies...) still applies. apt checks the index
signatures against each entry's Signed-By, as it does for the system.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
import re
import shutil
import subprocess

from .errors import UserError, MissingTool


def cache_root() -> Path:
    """UNIFORGE_CACHE, else $XDG_CACHE_HOME/uniforge, else ~/.cache/uniforge."""
    env = os.environ.get("UNIFORGE_CACHE")
    if env:
        return Path(env).resolve()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "uniforge"


def apt_etc() -> Path:
    """The apt folder whose sources are derived (UNIFORGE_APT_ETC, for tests; else /etc/apt)."""
    return Path(os.environ.get("UNIFORGE_APT_ETC", "/etc/apt"))


def derive_sources(etc: Path, kind: str = "deb-src") -> tuple[str, str]:
    """(one-line entries, deb822 paragraphs): every `deb` or `deb-src`
    entry of etc/sources.list, etc/sources.list.d/*.list and *.sources,
    turned into `kind` ("deb-src" or "deb"); disabled ones (`Enabled: no`)
    dropped, duplicates once. Pure apart from reading those files."""
    lines: list[str] = []
    paras: list[str] = []
    one_line = [etc / "sources.list"] + sorted((etc / "sources.list.d").glob("*.list"))
    for f in one_line:
        if not f.is_file():
            continue
        for raw in f.read_text().splitlines():
            line = raw.split("#", 1)[0].strip()
            m = re.match(r"(deb|deb-src)\s+(.*)$", line)
            if m:
                entry = f"{kind} {m.group(2)}"
                if entry not in lines:
                    lines.append(entry)
    for f in sorted((etc / "sources.list.d").glob("*.sources")):
        for block in re.split(r"\n\s*\n", f.read_text()):
            fields = [line for line in block.splitlines() if not line.lstrip().startswith("#")]
            out, types, enabled = [], [], True
            for line in fields:
                m = re.match(r"([A-Za-z-]+):\s*(.*)$", line)
                if m and m.group(1).lower() == "types":
                    types = m.group(2).split()
                    continue
                if m and m.group(1).lower() == "enabled" and m.group(2).strip().lower() in ("no", "false"):
                    enabled = False
                out.append(line)
            if enabled and ("deb" in types or "deb-src" in types):
                para = "\n".join([f"Types: {kind}"] + out)
                if para not in paras:
                    paras.append(para)
    return "\n".join(lines) + ("\n" if lines else ""), "\n\n".join(paras) + ("\n" if paras else "")


@contextlib.contextmanager
def locked(name: str):
    """An exclusive lock (flock) under the cache: one user of `name` at a time."""
    d = cache_root() / "locks"
    d.mkdir(parents=True, exist_ok=True)
    with open(d / f"{name}.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


def errors_of(r: subprocess.CompletedProcess) -> str:
    """apt's own error and warning lines, for a message."""
    errs = [line for line in (r.stderr + r.stdout).splitlines() if line.startswith(("E:", "W:", "Err:"))]
    return "; ".join(errs[-4:]) or ((r.stderr.strip().splitlines() or ["(no message)"])[-1])


class PrivateApt:
    """apt-get / apt-cache with the private configuration `cache_root()/apt/<kind>`.
    kind "src": deb-src entries; kind "bin": deb entries, plus `archs`."""

    def __init__(self, kind: str, archs: tuple[str, ...] = ()):
        assert kind in ("src", "bin")
        self.kind = kind
        self.archs = archs
        self.root = cache_root() / "apt" / kind
        self.etc = self.root / "etc"

    def options(self) -> list[str]:
        opts = ["-o", f"Dir::Etc::SourceList={self.etc / 'sources.list'}",
                "-o", f"Dir::Etc::SourceParts={self.etc / 'sources.list.d'}",
                "-o", f"Dir::State::Lists={self.root / 'lists'}",
                "-o", f"Dir::Cache={self.root / 'cache'}",
                "-o", "Dir::State::status=/dev/null", "-q"]
        if self.kind == "src":
            opts += ["-o", "APT::Get::Only-Source=true"]
        for a in self.archs:
            opts += ["-o", f"APT::Architectures::={a}"]
        return opts

    def write_config(self) -> bool:
        """Write the derived sources; True if they changed (the lists must
        then be refreshed). Raises UserError if the machine has none."""
        one, deb822 = derive_sources(apt_etc(), "deb-src" if self.kind == "src" else "deb")
        if not one and not deb822:
            raise UserError(f"no `deb` entries in {apt_etc()}/sources.list or sources.list.d/",
                            hint="uniforge reads the machine's apt sources to find Debian "
                                 "packages; add a Debian mirror there")
        for d in (self.etc / "sources.list.d", self.root / "lists" / "partial",
                  self.root / "cache" / "archives" / "partial"):
            d.mkdir(parents=True, exist_ok=True)
        changed = False
        stamp = "\n".join(self.archs)
        for path, text in ((self.etc / "sources.list", one),
                           (self.etc / "sources.list.d" / "system.sources", deb822),
                           (self.etc / "architectures", stamp)):
            if not path.exists() or path.read_text() != text:
                path.write_text(text)
                changed = True
        return changed

    def has_lists(self) -> bool:
        pattern = "*_Sources*" if self.kind == "src" else "*_Packages*"
        return any((self.root / "lists").glob(pattern))

    def run(self, program: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Run apt-get or apt-cache with the private options; never raises
        for apt's own failures (look at returncode)."""
        if shutil.which(program) is None:
            raise MissingTool(program, "apt", "to fetch Debian packages")
        env = dict(os.environ, LC_ALL="C", DEBIAN_FRONTEND="noninteractive")
        return subprocess.run([program, *self.options(), *args], cwd=cwd, capture_output=True,
                              text=True, env=env, timeout=900)

    def update(self) -> str | None:
        """Refresh the private lists: None on success, else apt's errors."""
        r = self.run("apt-get", "update")
        if r.returncode != 0 or not self.has_lists():
            return "apt-get update: " + errors_of(r)
        return None
