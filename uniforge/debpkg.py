"""Binary Debian packages (for example the Linux kernels the benchmarks
compare against), fetched with `apt-get download` through the private apt
configuration of apt.py ("bin": deb entries plus the wanted architecture),
so a foreign-architecture package needs no `dpkg --add-architecture` and
nothing on the system changes.

    cache_root()/deb/<arch>/<package>_<version>_<arch>.deb

apt checks each .deb against the signed Packages index. Failures are
UserErrors naming the package and the fix.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .apt import PrivateApt, cache_root, errors_of, locked
from .errors import UserError


def native_arch() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()


def _apt(arch: str) -> PrivateApt:
    native = native_arch()
    return PrivateApt("bin", () if arch == native else (native, arch))


def _ready(apt: PrivateApt, what: str) -> None:
    if apt.write_config() or not apt.has_lists():
        why = apt.update()
        if why:
            raise UserError(f"cannot fetch {what}: {why}",
                            hint="connect to the network; downloads are kept in " + str(cache_root()))


def resolve_depends(meta: str, arch: str, pattern: str) -> str:
    """The package `meta` (e.g. linux-image-arm64) depends on whose name
    matches the regex `pattern` (e.g. linux-image-\\d\\S*-arm64).
    Raises UserError when there is none."""
    apt = _apt(arch)
    spec = f"{meta}:{arch}"
    with locked("apt-bin"):
        _ready(apt, spec)
        out = ""
        for attempt in (1, 2):
            r = apt.run("apt-cache", "depends", spec)
            out = r.stdout
            m = re.search(rf"^\s*Depends:\s*({pattern})(?::\S+)?\s*$", out, re.M)
            if m:
                return m.group(1)
            if attempt == 1:
                apt.update()
    raise UserError(f"`apt-cache depends {spec}` names no package matching {pattern}: {out.strip()[:300]}")


def _cached(dest: Path, package: str, arch: str) -> list[Path]:
    """The .debs of `package` in `dest`: built for `arch`, or
    architecture-independent (`_all.deb`: apt-get download names an
    Architecture: all package so, whatever :arch was asked)."""
    return sorted(dest.glob(f"{package}_*_{arch}.deb")) + sorted(dest.glob(f"{package}_*_all.deb"))


def download(package: str, arch: str) -> Path:
    """The .deb of `package` for `arch` (the candidate version), downloaded
    once into the cache. Raises UserError."""
    dest = cache_root() / "deb" / arch
    found = _cached(dest, package, arch)
    if found:
        return found[-1]
    dest.mkdir(parents=True, exist_ok=True)
    apt = _apt(arch)
    spec = f"{package}:{arch}"
    with locked("apt-bin"):
        _ready(apt, spec)
        r = apt.run("apt-get", "download", spec, cwd=dest)
        if r.returncode != 0:
            apt.update()
            r = apt.run("apt-get", "download", spec, cwd=dest)
        if r.returncode != 0:
            # An Architecture: all package (nginx-common) has no candidate
            # as PKG:<foreign arch>; apt names it PKG:all.
            r_all = apt.run("apt-get", "download", f"{package}:all", cwd=dest)
            if r_all.returncode == 0:
                r = r_all
        if r.returncode != 0:
            raise UserError(f"cannot download {spec}: {errors_of(r)}",
                            hint="check the network and the package name (`apt-cache policy`)")
    found = _cached(dest, package, arch)
    if not found:
        raise UserError(f"apt-get download {spec} left no .deb in {dest}")
    return found[-1]


def extract(deb: Path, members: str, dest: Path) -> None:
    """Extract the data members matching the tar wildcard `members` (e.g.
    './boot/vmlinuz-*') of `deb` into `dest`. Raises UserError."""
    dest.mkdir(parents=True, exist_ok=True)
    tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(deb)], stdout=subprocess.PIPE)
    try:
        x = subprocess.run(["tar", "-x", "-C", str(dest), "--wildcards", members],
                           stdin=tar.stdout, capture_output=True, text=True, timeout=300)
    finally:
        assert tar.stdout is not None
        tar.stdout.close()
        tar.wait(timeout=60)
    if x.returncode != 0 or tar.returncode != 0:
        raise UserError(f"could not extract {members} from {deb}: {x.stderr.strip()}",
                        hint=f"delete {deb} and fetch it again")
