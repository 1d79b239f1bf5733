"""External sources: Debian source packages, fetched through apt, verified,
unpacked and patched in a per-user cache (never in os/).

    cache_root()/apt/src/  a private apt configuration (apt.py): the machine's
                           own `deb` entries as `deb-src`, its own lists
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
import hashlib
import json
import os
from pathlib import Path
import re
import shutil
import subprocess

from .apt import PrivateApt, cache_root, errors_of, locked
from .errors import UserError, MissingTool
from .library import DebianSource

STAMP = ".uniforge-source.json"


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


def _offline(src: DebianSource, why: str) -> UserError:
    return UserError(f"cannot fetch {_what(src)} (not in the cache): {why}",
                     hint="connect to the network and run `uniforge fetch APP` once (it fills "
                          f"{cache_root()}; later builds work offline), or copy that folder from a "
                          "machine that has it")


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
    apt = PrivateApt("src")

    def update():
        why = apt.update()
        if why:
            raise _offline(src, why)
    with locked("apt-src"):
        if apt.write_config() or not apt.has_lists():
            update()
        tmp = download_dir(src).with_name(f".{_key(src)}.{os.getpid()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        try:
            spec = f"{src.package}={src.version}"
            r = apt.run("apt-get", "source", "--download-only", spec, cwd=tmp)
            if r.returncode != 0:
                update()              # stale lists: a newer Sources index may have the version
                r = apt.run("apt-get", "source", "--download-only", spec, cwd=tmp)
            if r.returncode != 0:
                raise _offline(src, errors_of(r))
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
        report = [line for line in (r.stdout + r.stderr).splitlines()
                  if line.startswith(("patching file", "Hunk", "can't find", "No file", "Reversed", "patch:"))
                  or "FAILED" in line or "malformed" in line]
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
    with locked(_key(src)):
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
