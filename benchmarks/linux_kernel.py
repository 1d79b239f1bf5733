"""The Debian Linux kernel the baselines boot: `linux-image-<abi>-<flavour>`
fetched with uniforge's binary-package support (uniforge/debpkg.py: a
private apt configuration, so a foreign architecture needs no change to the
system), only its boot/vmlinuz-* extracted into benchmarks/cache/.

    fetch_linux_kernel(arch)   -> Path of the vmlinuz (cached)
    extract_vmlinux("x86_64")  -> the bzImage's payload: an ELF bootable through PVH
    linux_kernel(arch, fmt)    -> the file to pass to -kernel for a KERNEL_FORMATS entry
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from common import CACHE_DIR, BaselineError, get_arch
from uniforge import debpkg
from uniforge.errors import UserError


def resolve_kernel_package(arch: str) -> str:
    """The concrete ``linux-image-<abi>-<flavour>`` the metapackage depends on."""
    a = get_arch(arch)
    try:
        return debpkg.resolve_depends(f"linux-image-{a.flavour}", a.deb_arch,
                                      rf"linux-image-\d\S*-{a.flavour}")
    except UserError as e:
        raise BaselineError(str(e)) from None


def _kernel_dir(arch: str) -> Path:
    return CACHE_DIR / f"linux-{arch}"


def cached_linux_kernel(arch: str) -> Path | None:
    """The already-extracted vmlinuz for ``arch``, if any (newest ABI first)."""
    a = get_arch(arch)
    found = sorted((_kernel_dir(arch) / "boot").glob(f"vmlinuz-*-{a.flavour}"))
    return found[-1] if found else None


def fetch_linux_kernel(arch: str, refresh: bool = False) -> Path:
    """The Debian kernel's vmlinuz for ``arch``, downloaded and extracted once
    (``refresh=True`` asks apt for a newer ABI)."""
    a = get_arch(arch)
    if not refresh and (cached := cached_linux_kernel(arch)):
        return cached
    pkg = resolve_kernel_package(arch)
    want = _kernel_dir(arch) / "boot" / f"vmlinuz-{pkg.removeprefix('linux-image-')}"
    if want.exists():
        return want
    try:
        deb = debpkg.download(pkg, a.deb_arch)
        # Only the kernel: the modules are ~400 MB unpacked and not needed here.
        debpkg.extract(deb, "./boot/vmlinuz-*", _kernel_dir(arch))
    except UserError as e:
        raise BaselineError(str(e)) from None
    if not want.exists():
        raise BaselineError(f"{deb} has no {want.name}")
    return want


# What a kernel "format" means per arch.  "bzimage": the Debian x86 vmlinuz as
# shipped (self-decompressing, entered through the 16-bit/32-bit boot protocol).
# "vmlinux": the same kernel decompressed here and booted as an ELF through its
# PVH note (the Firecracker/microvm way; under TCG this skips ~5 s of
# in-guest xz decompression).  "image": the arm64 vmlinuz, already an
# uncompressed Image.
KERNEL_FORMATS = {"x86_64": ("bzimage", "vmlinux"), "arm64": ("image",)}


def check_kernel_format(arch: str, fmt: str | None) -> str:
    fmts = KERNEL_FORMATS[get_arch(arch).name]
    fmt = fmt or fmts[0]
    if fmt not in fmts:
        raise BaselineError(f"kernel format {fmt!r} not available for {arch}; use one of {', '.join(fmts)}")
    return fmt


def bzimage_payload(bz: bytes) -> bytes:
    """Decompress the payload of an x86 bzImage (boot protocol >= 2.08): the vmlinux ELF."""
    if bz[0x202:0x206] != b"HdrS":
        raise BaselineError("not a bzImage (no HdrS boot header)")
    setup = (bz[0x1F1] or 4) + 1
    off = setup * 512 + int.from_bytes(bz[0x248:0x24C], "little")
    payload = bz[off:off + int.from_bytes(bz[0x24C:0x250], "little")]
    if payload.startswith(b"\xfd7zXZ\x00"):
        import lzma
        out = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(payload)
    elif payload.startswith(b"\x1f\x8b"):
        import zlib
        out = zlib.decompressobj(wbits=31).decompress(payload)
    elif payload.startswith(b"\x28\xb5\x2f\xfd"):
        p = subprocess.run(["zstd", "-dc"], input=payload, capture_output=True, timeout=120)
        if p.returncode != 0:
            raise BaselineError(f"zstd -d failed (apt-get install zstd): {p.stderr.decode()[-300:]}")
        out = p.stdout
    else:
        raise BaselineError(f"unsupported bzImage compression (payload starts {payload[:6].hex()})")
    if not out.startswith(b"\x7fELF"):
        raise BaselineError("bzImage payload is not an ELF vmlinux")
    return out


def extract_vmlinux(arch: str = "x86_64") -> Path:
    """benchmarks/cache/linux-x86_64/boot/vmlinux-<abi>: the uncompressed ELF of the
    Debian bzImage, bootable by QEMU through its PVH note (Debian: CONFIG_PVH=y)."""
    if arch != "x86_64":
        raise BaselineError("only the x86_64 kernel is a bzImage; arm64's Image is already uncompressed")
    bz = fetch_linux_kernel(arch)
    out = bz.with_name(bz.name.replace("vmlinuz-", "vmlinux-", 1))
    if out.exists() and out.stat().st_mtime >= bz.stat().st_mtime:
        return out
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(bzimage_payload(bz.read_bytes()))
    tmp.replace(out)
    return out


def linux_kernel(arch: str, kernel_format: str | None = None) -> Path:
    """The kernel file to pass to -kernel for ``kernel_format`` (see KERNEL_FORMATS)."""
    fmt = check_kernel_format(arch, kernel_format)
    return extract_vmlinux(arch) if fmt == "vmlinux" else fetch_linux_kernel(arch)
