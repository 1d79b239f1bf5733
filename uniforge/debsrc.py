"""External sources: Debian source packages, fetched through apt, verified,
unpacked and patched in a per-user cache (never in os/).

    cache_root()/apt/      a private apt configuration: sources.list(.d) with
                           the machine's own `deb` entries turned into `deb-src`,
                           its own package lists and archive cache
    cache_root()/dl/<package>_<version>/   the .dsc and its files, as apt fetched them
    cache_root()/src/<package>_<version>/  the unpacked tree, the library's patches applied

apt is always called with Dir::Etc::SourceList / SourceParts / State::Lists /
Cache pointing into the cache, so the system's configuration and lists are
read (for the sources) but never written. The chain of trust is apt's: the
Sources index is signed (InRelease, checked against the entry's Signed-By),
apt checks the .dsc against it, and verify() checks every file against the
.dsc's Checksums-Sha256.

Unpacking uses `dpkg-source -x`: it understands every source format (1.0,
3.0 (quilt), 3.0 (native)) and applies Debian's own patch series, so the
tree is exactly what Debian builds. Our patches go on top, in order, with
`patch -p1 --fuzz=0`; unpack and patch happen in a temporary folder renamed
into place at the end, so an interrupted fetch never leaves a half-patched
tree. Every failure is a UserError naming the package, the version and the fix.
"""
from __future__ import annotations

from dataclasses import dataclass
import fcntl
import hashlib
import json
import os
from pathlib import Path
import re
import shutil
import subprocess
import contextlib

from .errors import UserError, MissingTool
from .library import DebianSource

STAMP = ".uniforge-source.json"


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


def _noepoch(version: str) -> str:
    return version.split(":", 1)[1] if ":" in version else version


def _key(src: DebianSource) -> str:
    return f"{src.package}_{_noepoch(src.version)}"


def tree_dir(src: DebianSource) -> Path:
    return cache_root() / "src" / _key(src)


def download_dir(src: DebianSource) -> Path:
    return cache_root() / "dl" / _key(src)


def _what(src: DebianSource) -> str:
    return f"Debian source package {src.package} {src.version}"


# --------------------------------------------------------------------------
# the private apt configuration
# --------------------------------------------------------------------------

def derive_sources(etc: Path) -> tuple[str, str]:
    """(one-line entries, deb822 paragraphs): every `deb` entry of
    etc/sources.list, etc/sources.list.d/*.list and *.sources as `deb-src`
    (existing deb-src entries kept; disabled ones, `Enabled: no`, dropped).
    Pure apart from reading those files."""
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
                entry = "deb-src " + m.group(2)
                if entry not in lines:
                    lines.append(entry)
    for f in sorted((etc / "sources.list.d").glob("*.sources")):
        for block in re.split(r"\n\s*\n", f.read_text()):
            fields = [l for l in block.splitlines() if not l.lstrip().startswith("#")]
            if not fields:
                continue
            out, types, enabled = [], [], True
            for l in fields:
                m = re.match(r"([A-Za-z-]+):\s*(.*)$", l)
                if m and m.group(1).lower() == "types":
                    types = m.group(2).split()
                    continue
                if m and m.group(1).lower() == "enabled" and m.group(2).strip().lower() in ("no", "false"):
                    enabled = False
                out.append(l)
            if enabled and ("deb" in types or "deb-src" in types):
                para = "\n".join(["Types: deb-src"] + out)
                if para not in paras:
                    paras.append(para)
    return "\n".join(lines) + ("\n" if lines else ""), "\n\n".join(paras) + ("\n" if paras else "")


class _Apt:
    """apt-get with the private configuration under cache_root()/apt."""

    def __init__(self):
        self.root = cache_root() / "apt"
        self.etc = self.root / "etc"

    def options(self) -> list[str]:
        return ["-o", f"Dir::Etc::SourceList={self.etc / 'sources.list'}",
                "-o", f"Dir::Etc::SourceParts={self.etc / 'sources.list.d'}",
                "-o", f"Dir::State::Lists={self.root / 'lists'}",
                "-o", f"Dir::Cache={self.root / 'cache'}",
                "-o", "Dir::State::status=/dev/null",
                "-o", "APT::Get::Only-Source=true",
                "-q"]

    def write_config(self) -> bool:
        """Write the derived sources; True if they changed (lists must be refreshed)."""
        one, deb822 = derive_sources(apt_etc())
        if not one and not deb822:
            raise UserError(f"no `deb` entries in {apt_etc()}/sources.list or sources.list.d/",
                            hint="uniforge reads the machine's apt sources to find Debian source "
                                 "packages; add a Debian mirror there")
        for d in (self.etc / "sources.list.d", self.root / "lists" / "partial",
                  self.root / "cache" / "archives" / "partial"):
            d.mkdir(parents=True, exist_ok=True)
        changed = False
        for path, text in ((self.etc / "sources.list", one),
                           (self.etc / "sources.list.d" / "system.sources", deb822)):
            if not path.exists() or path.read_text() != text:
                path.write_text(text)
                changed = True
        return changed

    def has_lists(self) -> bool:
        return any((self.root / "lists").glob("*_Sources*"))

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        if shutil.which("apt-get") is None:
            raise MissingTool("apt-get", "apt", "to fetch Debian source packages")
        env = dict(os.environ, LC_ALL="C", DEBIAN_FRONTEND="noninteractive")
        return subprocess.run(["apt-get", *self.options(), *args], cwd=cwd, capture_output=True,
                              text=True, env=env, timeout=900)

    def update(self, src: DebianSource) -> None:
        """Refresh the private lists. Raises UserError (naming `src`, the
        package that needed them) when none could be fetched."""
        r = self.run("update")
        if r.returncode != 0 or not self.has_lists():
            raise _offline(src, "apt-get update: " + _apt_errors(r))


def _apt_errors(r: subprocess.CompletedProcess) -> str:
    errs = [l for l in (r.stderr + r.stdout).splitlines() if l.startswith(("E:", "W:", "Err:"))]
    return "; ".join(errs[-4:]) or (r.stderr.strip().splitlines() or ["(no message)"])[-1]


def _offline(src: DebianSource, why: str) -> UserError:
    return UserError(f"cannot fetch {_what(src)} (not in the cache): {why}",
                     hint="connect to the network and run `uniforge fetch APP` once (it fills "
                          f"{cache_root()}; later builds work offline), or copy that folder from a "
                          "machine that has it")


@contextlib.contextmanager
def _locked(name: str):
    """An exclusive lock (flock) under the cache: one fetch at a time per name."""
    d = cache_root() / "locks"
    d.mkdir(parents=True, exist_ok=True)
    with open(d / f"{name}.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        yield


# --------------------------------------------------------------------------
# download and verify
# --------------------------------------------------------------------------

def parse_dsc(text: str) -> dict[str, tuple[int, str]]:
    """{file name: (size, sha256)} from a .dsc's Checksums-Sha256 field.
    Raises ValueError when the field is missing or malformed."""
    m = re.search(r"^Checksums-Sha256:[ \t]*\n((?:[ \t]+\S.*\n?)+)", text, re.M)
    if not m:
        raise ValueError("no Checksums-Sha256 field")
    out = {}
    for line in m.group(1).splitlines():
        parts = line.split()
        if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{64}", parts[0]) or not parts[1].isdigit():
            raise ValueError(f"bad Checksums-Sha256 line {line.strip()!r}")
        out[parts[2]] = (int(parts[1]), parts[0])
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(dsc: Path) -> list[Path]:
    """Check every file the .dsc lists (size and SHA-256) next to it.
    Returns the files; raises UserError naming the first bad one."""
    try:
        sums = parse_dsc(dsc.read_text())
    except ValueError as e:
        raise UserError(f"{dsc.name}: {e}", path=dsc, hint="delete the folder and fetch again") from None
    files = []
    for name, (size, sha) in sums.items():
        f = dsc.parent / name
        if not f.is_file():
            raise UserError(f"{name}, listed in {dsc.name}, is missing", path=dsc.parent,
                            hint="delete the folder and fetch again")
        if f.stat().st_size != size or _sha256(f) != sha:
            raise UserError(f"{name} does not match the SHA-256 {dsc.name} gives", path=f,
                            hint="a corrupted or tampered download: delete the folder and fetch again")
        files.append(f)
    return files


def _dsc_path(src: DebianSource) -> Path:
    return download_dir(src) / f"{_key(src)}.dsc"


def download(src: DebianSource) -> Path:
    """The verified .dsc of `src` (fetched with `apt-get source
    --download-only` if not already in the cache). Raises UserError."""
    dsc = _dsc_path(src)
    if dsc.is_file():
        verify(dsc)
        return dsc
    apt = _Apt()
    with _locked("apt"):
        changed = apt.write_config()
        if changed or not apt.has_lists():
            apt.update(src)
        tmp = download_dir(src).with_name(f".{_key(src)}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            spec = f"{src.package}={src.version}"
            r = apt.run("source", "--download-only", spec, cwd=tmp)
            if r.returncode != 0:
                apt.update(src)       # stale lists: a newer Sources index may have the version
                r = apt.run("source", "--download-only", spec, cwd=tmp)
            if r.returncode != 0:
                raise _offline(src, _apt_errors(r))
            if not (tmp / dsc.name).is_file():
                raise UserError(f"apt-get source {spec} gave no {dsc.name}",
                                hint="is the version exact? `apt-cache showsrc` needs deb-src lists; "
                                     f"try `apt-get {' '.join(apt.options())} showsrc {src.package}`")
            verify(tmp / dsc.name)
            shutil.rmtree(download_dir(src), ignore_errors=True)
            download_dir(src).parent.mkdir(parents=True, exist_ok=True)
            tmp.rename(download_dir(src))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return dsc


# --------------------------------------------------------------------------
# unpack and patch
# --------------------------------------------------------------------------

def _patch_ids(src: DebianSource) -> list[dict]:
    ids = []
    for p in src.patches:
        if not p.is_file():
            raise UserError(f"patch '{p.name}' listed but missing", path=src.descriptor)
        ids.append({"name": p.name, "sha256": _sha256(p)})
    return ids


def is_cached(src: DebianSource) -> bool:
    """True if the patched tree is in the cache with exactly these patches
    (a changed patch means the tree is made again)."""
    stamp = tree_dir(src) / STAMP
    try:
        data = json.loads(stamp.read_text())
        return data.get("patches") == _patch_ids(src) and data.get("version") == src.version
    except (OSError, ValueError, UserError):
        return False


def apply_patch(tree: Path, patch: Path, src: DebianSource) -> None:
    """Apply one patch (-p1, no fuzz). Raises UserError quoting patch's
    report (which file, which hunk) when it does not apply."""
    if shutil.which("patch") is None:
        raise MissingTool("patch", "patch", "to apply library patches")
    r = subprocess.run(["patch", "-p1", "--batch", "--forward", "--fuzz=0", "--no-backup-if-mismatch",
                        "--reject-file=-", "-d", str(tree), "-i", str(patch)],
                       capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
    if r.returncode != 0:
        report = [l for l in (r.stdout + r.stderr).splitlines()
                  if l.startswith(("patching file", "Hunk", "can't find", "No file", "Reversed", "patch:"))
                  or "FAILED" in l or "malformed" in l]
        raise UserError(f"patch {patch.name} does not apply to {_what(src)}:\n  "
                        + "\n  ".join(report or (r.stdout + r.stderr).splitlines()[-6:]),
                        path=patch, hint="refresh the patch against this version (it is applied with "
                                         "patch -p1 --fuzz=0 after Debian's own patches)")


def ensure(src: DebianSource) -> Path:
    """The unpacked, patched tree of `src`, fetching and building it in the
    cache if needed. Raises UserError (offline with a cold cache, a bad
    checksum, a patch that does not apply...)."""
    if is_cached(src):
        return tree_dir(src)
    with _locked(_key(src)):
        if is_cached(src):
            return tree_dir(src)
        dsc = download(src)
        if shutil.which("dpkg-source") is None:
            raise MissingTool("dpkg-source", "dpkg-dev", "to unpack Debian source packages")
        final = tree_dir(src)
        final.parent.mkdir(parents=True, exist_ok=True)
        work = final.with_name(f".{final.name}.{os.getpid()}.tmp")
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        try:
            tree = work / "tree"
            r = subprocess.run(["dpkg-source", "--no-check", "--no-copy", "-x", str(dsc), str(tree)],
                               capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
            if r.returncode != 0:
                raise UserError(f"dpkg-source could not unpack {_what(src)}: "
                                + (r.stderr.strip().splitlines() or ["?"])[-1],
                                path=dsc, hint=f"delete {download_dir(src)} and fetch again")
            for p in src.patches:
                apply_patch(tree, p, src)
            (tree / STAMP).write_text(json.dumps({"package": src.package, "version": src.version,
                                                  "patches": _patch_ids(src)}, indent=1) + "\n")
            old = work / "old"
            if final.exists():
                final.rename(old)
            tree.rename(final)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return final


@dataclass(frozen=True)
class FetchResult:
    library: str
    source: DebianSource
    tree: Path
    was_cached: bool


def fetch_all(libs) -> list[FetchResult]:
    """ensure() every library (of `libs`) that has a [debian] table."""
    out = []
    for lib in libs:
        if lib.debian is not None:
            cached = is_cached(lib.debian)
            out.append(FetchResult(lib.name, lib.debian, ensure(lib.debian), cached))
    return out
