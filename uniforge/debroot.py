"""A Debian root folder made of binary packages, for binary-compatibility
mode (`uniforge run BIN --sysroot ROOT`) and the tests and benchmarks that
run Debian's own programs: the packages are fetched with uniforge.debpkg
(the private apt, nothing installed on the host) and unpacked into

    cache_root()/debroot/<hash of the .debs' names (name_version_arch)>/

with Debian's merged-/usr layout: bin, sbin, lib, lib64 are symlinks into
usr/ (created first, and kept by tar's --keep-directory-symlink, so a
package's ./lib/x86_64-linux-gnu/ lands in usr/lib/). Built in a temporary
folder beside it and renamed into place, so parallel callers (pytest
workers) never see half a root; the first rename wins.

    sysroot(["sqlite3", "libsqlite3-0", "libc6", ...], arch="amd64") -> Path

The list is taken as given (no dependencies added): a missing library
shows up as closure.resolve()'s "library X, needed by Y, not found".
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import debpkg
from .apt import cache_root
from .errors import UserError

USRMERGE = {"bin": "usr/bin", "sbin": "usr/sbin", "lib": "usr/lib", "lib64": "usr/lib64"}
STAMP = ".uniforge-debroot"


def _unpack(deb: Path, dest: Path) -> None:
    """Extract `deb`'s files into `dest`, through its folder symlinks."""
    tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    try:
        x = subprocess.run(["tar", "-x", "--keep-directory-symlink", "--no-same-owner", "-C", str(dest)],
                           stdin=tar.stdout, capture_output=True, text=True, timeout=600)
    finally:
        assert tar.stdout is not None
        tar.stdout.close()
        tar.wait(timeout=60)
    if x.returncode != 0 or tar.returncode != 0:
        raise UserError(f"could not unpack {deb}: {x.stderr.strip()[:500]}",
                        hint=f"delete {deb} and fetch it again")


def key(debs: list[Path], arch: str) -> str:
    """The cache key of a root: its .debs' names (name_version_arch) and the architecture."""
    text = arch + "\n" + "\n".join(sorted(d.name for d in debs))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def sysroot(packages: list[str], arch: str = "amd64") -> Path:
    """The folder holding `packages` (Debian binary package names) of
    `arch` ("amd64", "arm64") unpacked over a merged-/usr skeleton; made
    once and reused. Raises UserError when a package cannot be fetched
    or unpacked."""
    if not packages:
        raise UserError("a Debian root needs at least one package", hint="e.g. sysroot(['libc6'])")
    debs = [debpkg.download(p, arch) for p in packages]
    base = cache_root() / "debroot"
    root = base / key(debs, arch)
    if (root / STAMP).is_file():
        return root
    base.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=base))
    try:
        for d in ("usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "etc", "tmp"):
            (tmp / d).mkdir(parents=True, exist_ok=True)
        for link, target in USRMERGE.items():
            (tmp / link).symlink_to(target)
        for deb in debs:
            _unpack(deb, tmp)
        (tmp / STAMP).write_text("\n".join(d.name for d in debs) + "\n")
        try:
            os.rename(tmp, root)
        except OSError:
            if not (root / STAMP).is_file():     # not another worker's finished root: a real failure
                raise UserError(f"cannot create {root}", hint=f"delete {root} and try again") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return root


def packages_of(root: Path) -> list[str]:
    """The .deb file names a root was made of (its stamp)."""
    return (Path(root) / STAMP).read_text().split()
