#!/usr/bin/env python3
"""Baselines for the unikernel benchmarks, measured on this machine in the same run.

1. A Linux VM under the same QEMU: a Debian kernel booting an initramfs whose
   /init prints one line (``LINUX-INIT-HELLO``) and powers off.
2. The VMM's own floor (see ``vmm_floor.py``): the smallest guest that prints
   one line and exits.

Importable API (all results are plain JSON-able dicts):

    fetch_linux_kernel(arch)            -> Path to the Debian vmlinuz (cached)
    build_initramfs(arch)               -> Path to the initramfs.cpio.gz (cached)
    boot_linux(arch, machine, ...)      -> one boot: time to the line, exit...
    linux_time_to_line(arch, machine, runs=3) -> median of a few boots
    min_memory_linux(arch, machine)     -> smallest -m (MiB) still printing the line
    write_newc(entries) / newc_*        -> the cpio "newc" writer (pure)

As a script:

    python benchmarks/linux_baseline.py [--arch x86_64|arm64] [--runs N]

prints a table and writes benchmarks/results/baselines.json.

Everything runs under TCG (``-accel tcg``), never KVM and never ``-cpu host``:
this machine's /dev/kvm is a much slower software implementation.  Downloads
and generated files go to benchmarks/cache/ (gitignored).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import platform
import re
import select
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
CACHE_DIR = BENCH_DIR / "cache"
RESULTS_DIR = BENCH_DIR / "results"
FLOOR_DIR = BENCH_DIR / "floor"

LINUX_MARKER = "LINUX-INIT-HELLO"


class BaselineError(RuntimeError):
    """Something needed for a baseline is missing or failed; the message says what to do."""


@dataclass(frozen=True)
class Arch:
    name: str  # our name: x86_64 / arm64
    deb_arch: str  # Debian's: amd64 / arm64
    flavour: str  # linux-image-<flavour> metapackage suffix
    qemu: str
    cc: str
    console: str
    machines: tuple[str, ...]
    machine_args: dict[str, list[str]] = field(default_factory=dict)


ARCHES: dict[str, Arch] = {
    "x86_64": Arch(
        name="x86_64",
        deb_arch="amd64",
        flavour="amd64",
        qemu="qemu-system-x86_64",
        cc="gcc",
        console="ttyS0",
        machines=("microvm", "pc"),
        machine_args={"microvm": ["-M", "microvm"], "pc": ["-M", "pc"]},
    ),
    "arm64": Arch(
        name="arm64",
        deb_arch="arm64",
        flavour="arm64",
        qemu="qemu-system-aarch64",
        cc="aarch64-linux-gnu-gcc",
        console="ttyAMA0",
        machines=("virt",),
        machine_args={"virt": ["-M", "virt", "-cpu", "cortex-a53"]},
    ),
}

# Common to every QEMU run of the baselines (and of the floor).
QEMU_COMMON = ["-accel", "tcg", "-display", "none", "-nodefaults", "-serial", "stdio", "-no-reboot"]


def _arch(arch: str) -> Arch:
    try:
        return ARCHES[arch]
    except KeyError:
        raise BaselineError(f"unknown arch {arch!r}; use one of {', '.join(ARCHES)}") from None


def _machine_args(a: Arch, machine: str) -> list[str]:
    try:
        return list(a.machine_args[machine])
    except KeyError:
        raise BaselineError(
            f"machine {machine!r} not supported for {a.name}; use one of {', '.join(a.machines)}"
        ) from None


def _log(msg: str) -> None:
    print(f"[baselines] {msg}", file=sys.stderr, flush=True)


def _run(cmd: list[str], timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    except FileNotFoundError:
        raise BaselineError(f"{cmd[0]} not found; install it (see benchmarks/README.md, Baselines)") from None
    except subprocess.TimeoutExpired:
        raise BaselineError(f"timed out after {timeout:.0f} s: {' '.join(cmd)}") from None


def _check(cmd: list[str], timeout: float = 600, **kw) -> str:
    p = _run(cmd, timeout=timeout, **kw)
    if p.returncode != 0:
        raise BaselineError(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr.strip()[-2000:]}")
    return p.stdout


# --------------------------------------------------------------------------
# cpio "newc" writer (pure)
# --------------------------------------------------------------------------

S_IFDIR = 0o040000
S_IFREG = 0o100000
S_IFCHR = 0o020000


@dataclass(frozen=True)
class CpioEntry:
    """One member of a newc archive. ``name`` has no leading slash."""

    name: str
    mode: int  # full st_mode, type bits included
    data: bytes = b""
    rdev: tuple[int, int] = (0, 0)  # (major, minor) for device nodes
    uid: int = 0
    gid: int = 0
    mtime: int = 0


def newc_dir(name: str, perm: int = 0o755) -> CpioEntry:
    return CpioEntry(name, S_IFDIR | perm)


def newc_file(name: str, data: bytes, perm: int = 0o644) -> CpioEntry:
    return CpioEntry(name, S_IFREG | perm, data)


def newc_chardev(name: str, major: int, minor: int, perm: int = 0o600) -> CpioEntry:
    return CpioEntry(name, S_IFCHR | perm, rdev=(major, minor))


def _pad4(n: int) -> bytes:
    return b"\0" * (-n % 4)


def _newc_header(ino: int, e: CpioEntry, namesize: int) -> bytes:
    nlink = 2 if (e.mode & 0o170000) == S_IFDIR else 1
    fields = (
        ino, e.mode, e.uid, e.gid, nlink, e.mtime, len(e.data),
        0, 0,  # devmajor, devminor of the file system: meaningless here
        e.rdev[0], e.rdev[1],
        namesize,
        0,  # check: only used by the "crc" variant (070702)
    )
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def write_newc(entries: list[CpioEntry]) -> bytes:
    """Serialise ``entries`` as an uncompressed SVR4 "newc" cpio archive.

    This is the format the Linux kernel unpacks as an initramfs; device nodes
    are just header fields, so no root is needed to make /dev/console.
    """
    out = io.BytesIO()
    for ino, e in enumerate([*entries, CpioEntry("TRAILER!!!", 0)], start=1):
        if e.name.startswith("/"):
            raise ValueError(f"cpio member names are relative: {e.name!r}")
        name = e.name.encode() + b"\0"
        hdr = _newc_header(0 if e.name == "TRAILER!!!" else ino, e, len(name))
        out.write(hdr + name + _pad4(len(hdr) + len(name)))
        out.write(e.data + _pad4(len(e.data)))
    data = out.getvalue()
    return data + _pad4(len(data))


# --------------------------------------------------------------------------
# 1. the Debian kernel
# --------------------------------------------------------------------------


def _foreign_archs() -> list[str]:
    return _check(["dpkg", "--print-foreign-architectures"]).split()


def _apt_update() -> None:
    _log("running `apt-get update` (package lists missing or stale)")
    _check(["apt-get", "update", "-q"], timeout=600)


def _ensure_foreign_arch(a: Arch) -> None:
    """A foreign-arch `apt-get download` needs dpkg to know the arch and apt to have its lists."""
    native = _check(["dpkg", "--print-architecture"]).strip()
    if a.deb_arch == native or a.deb_arch in _foreign_archs():
        return
    _log(
        f"`dpkg --add-architecture {a.deb_arch}` + `apt-get update`: lets apt see {a.deb_arch} "
        f"packages so the {a.name} kernel package can be downloaded (nothing is installed)"
    )
    _check(["dpkg", "--add-architecture", a.deb_arch])
    _apt_update()


def _pkg_spec(a: Arch, name: str) -> str:
    native = _check(["dpkg", "--print-architecture"]).strip()
    return name if a.deb_arch == native else f"{name}:{a.deb_arch}"


def resolve_kernel_package(arch: str) -> str:
    """The concrete ``linux-image-<abi>-<flavour>`` the metapackage depends on (apt-cache, offline)."""
    a = _arch(arch)
    _ensure_foreign_arch(a)
    meta = _pkg_spec(a, f"linux-image-{a.flavour}")
    pat = re.compile(rf"^\s*Depends:\s*(linux-image-\d\S*-{a.flavour})(?::\S+)?\s*$", re.M)
    for attempt in (1, 2):
        out = _run(["apt-cache", "depends", meta]).stdout
        m = pat.search(out)
        if m:
            return m.group(1)
        if attempt == 1:
            _apt_update()
    raise BaselineError(f"apt-cache depends {meta} names no linux-image-<ver>-{a.flavour}:\n{out}")


def _kernel_dir(arch: str) -> Path:
    return CACHE_DIR / f"linux-{arch}"


def cached_linux_kernel(arch: str) -> Path | None:
    """The already-extracted vmlinuz for ``arch``, if any (newest ABI first)."""
    a = _arch(arch)
    found = sorted((_kernel_dir(arch) / "boot").glob(f"vmlinuz-*-{a.flavour}"))
    return found[-1] if found else None


def fetch_linux_kernel(arch: str, refresh: bool = False) -> Path:
    """Download the Debian kernel package for ``arch`` into benchmarks/cache/ and
    extract its vmlinuz.  Cached: nothing is downloaded when a vmlinuz is there
    (``refresh=True`` checks apt for a newer ABI)."""
    a = _arch(arch)
    if not refresh and (cached := cached_linux_kernel(arch)):
        return cached
    pkg = resolve_kernel_package(arch)
    kdir = _kernel_dir(arch)
    want = kdir / "boot" / f"vmlinuz-{pkg.removeprefix('linux-image-')}"
    if want.exists():
        return want
    kdir.mkdir(parents=True, exist_ok=True)
    debs = sorted(kdir.glob(f"{pkg}_*_{a.deb_arch}.deb"))
    if not debs:
        spec = _pkg_spec(a, pkg)
        _log(f"apt-get download {spec} -> {kdir}")
        p = _run(["apt-get", "download", "-q", spec], cwd=kdir)
        if p.returncode != 0:
            _log(f"apt-get download failed ({p.stderr.strip().splitlines()[-1:]}); updating lists")
            _apt_update()
            _check(["apt-get", "download", "-q", spec], cwd=kdir)
        debs = sorted(kdir.glob(f"{pkg}_*_{a.deb_arch}.deb"))
        if not debs:
            raise BaselineError(f"apt-get download {spec} left no .deb in {kdir}")
    # Only the kernel: the modules are ~400 MB unpacked and not needed here.
    # (equivalent to `dpkg-deb -x` restricted to ./boot/vmlinuz-*)
    tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", str(debs[-1])], stdout=subprocess.PIPE)
    try:
        x = subprocess.run(
            ["tar", "-x", "-C", str(kdir), "--wildcards", "./boot/vmlinuz-*"],
            stdin=tar.stdout, capture_output=True, text=True, timeout=300,
        )
    finally:
        tar.stdout.close()
        tar.wait(timeout=60)
    if x.returncode != 0 or tar.returncode != 0 or not want.exists():
        raise BaselineError(f"could not extract {want.name} from {debs[-1]}: {x.stderr.strip()}")
    return want


# What a kernel "format" means per arch.  "bzimage": the Debian x86 vmlinuz as
# shipped (self-decompressing, entered through the 16-bit/32-bit boot protocol).
# "vmlinux": the same kernel decompressed here and booted as an ELF through its
# PVH note (the Firecracker/microvm way; under TCG this skips ~5 s of
# in-guest xz decompression).  "image": the arm64 vmlinuz, already an
# uncompressed Image.
KERNEL_FORMATS = {"x86_64": ("bzimage", "vmlinux"), "arm64": ("image",)}


def _kernel_format(arch: str, fmt: str | None) -> str:
    fmts = KERNEL_FORMATS[_arch(arch).name]
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
    fmt = _kernel_format(arch, kernel_format)
    return extract_vmlinux(arch) if fmt == "vmlinux" else fetch_linux_kernel(arch)


# --------------------------------------------------------------------------
# 2. the initramfs
# --------------------------------------------------------------------------

INIT_SRC = FLOOR_DIR / "linux_init.c"
INIT_CFLAGS = [
    "-static", "-nostdlib", "-Os", "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
    "-fno-pie", "-no-pie", "-Wl,--build-id=none", "-Wl,-z,max-page-size=4096", "-s",
]


def build_init(arch: str, marker: str = LINUX_MARKER) -> Path:
    """Compile benchmarks/floor/linux_init.c into a static, libc-free /init."""
    a = _arch(arch)
    out = CACHE_DIR / f"init-{arch}"
    if out.exists() and out.stat().st_mtime >= INIT_SRC.stat().st_mtime:
        return out
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    _check([a.cc, *INIT_CFLAGS, f'-DMARKER="{marker}"', "-o", str(out), str(INIT_SRC)], timeout=120)
    return out


def build_initramfs(arch: str) -> Path:
    """benchmarks/cache/initramfs-<arch>.cpio.gz: /dev/console (5:1) and /init."""
    init = build_init(arch)
    out = CACHE_DIR / f"initramfs-{arch}.cpio.gz"
    if out.exists() and out.stat().st_mtime >= init.stat().st_mtime:
        return out
    archive = write_newc([
        newc_dir("dev"),
        newc_chardev("dev/console", 5, 1),
        newc_file("init", init.read_bytes(), 0o755),
    ])
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
        gz.write(archive)
    tmp.replace(out)
    return out


# --------------------------------------------------------------------------
# running QEMU and timing the console
# --------------------------------------------------------------------------


def qemu_version(binary: str = "qemu-system-x86_64") -> str:
    try:
        out = _check([binary, "--version"], timeout=30)
    except BaselineError:
        return "missing"
    return out.splitlines()[0].strip() if out else "unknown"


def _reap(p: subprocess.Popen, deadline: float) -> tuple[int | None, float | None]:
    """Wait for ``p`` until ``deadline`` (perf_counter); returns (exit code, CPU seconds) and
    kills it past the deadline (exit code None).  os.wait4 gives the child's CPU time, which,
    unlike wall time, barely moves with host load."""
    killed = False
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() >= deadline:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            killed = True
            break
        time.sleep(0.002)
    p.returncode = os.waitstatus_to_exitcode(status)
    return (None if killed else p.returncode), ru.ru_utime + ru.ru_stime


def run_console(cmd: list[str], marker: str, timeout: float, linger: float = 5.0) -> dict:
    """Start ``cmd`` and watch its stdout for ``marker`` at the start of a line.

    Times are seconds from just before the VMM process is started.  After the
    line appears the guest gets ``linger`` seconds to make QEMU exit on its own;
    past that, or past ``timeout`` overall, QEMU is killed.  ``cpu_s`` is the
    QEMU process's user+system CPU time for the whole run.
    """
    pat = re.compile(rb"(?:^|\n)" + re.escape(marker.encode()))
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_fd, err_fd = p.stdout.fileno(), p.stderr.fileno()
    bufs = {out_fd: bytearray(), err_fd: bytearray()}
    open_fds = {out_fd, err_fd}
    t_line = None
    deadline = t0 + timeout
    try:
        while open_fds:
            now = time.perf_counter()
            if now >= deadline:
                break
            ready, _, _ = select.select(list(open_fds), [], [], deadline - now)
            for fd in ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    open_fds.discard(fd)
                    continue
                bufs[fd] += chunk
                if fd == out_fd and t_line is None and pat.search(bufs[fd]):
                    t_line = time.perf_counter() - t0
                    deadline = min(deadline, t0 + t_line + linger)
        code, cpu_s = _reap(p, max(deadline, time.perf_counter() + 0.05))
        t_end = time.perf_counter() - t0
    finally:
        if p.returncode is None:
            p.kill()
            p.wait()
        p.stdout.close()
        p.stderr.close()
    console = bytes(bufs[out_fd]).decode(errors="replace")
    return {
        "line_seen": t_line is not None,
        "time_to_line_s": t_line,
        "time_to_exit_s": None if code is None else t_end,
        "exit_code": code,
        "killed": code is None,
        "cpu_s": cpu_s,
        "console_tail": console[-600:],
        "stderr_tail": bytes(bufs[err_fd]).decode(errors="replace")[-600:],
    }


def host_info() -> dict:
    """Context for the numbers: TCG timings move a lot with host load."""
    return {
        "machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
        "qemu": qemu_version(), "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _median(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# --------------------------------------------------------------------------
# 3. booting Linux
# --------------------------------------------------------------------------

DEFAULT_LINUX_MEM_MB = 256


TSC_SRC = FLOOR_DIR / "tsc_khz.c"


@functools.lru_cache(maxsize=1)
def host_tsc_khz() -> int | None:
    """The host's TSC rate in kHz (x86 hosts), which is what RDTSC counts at in a TCG guest.

    Measured by benchmarks/floor/tsc_khz.c (built into benchmarks/cache/);
    falls back to /proc/cpuinfo's "cpu MHz"; None when neither works.
    """
    if platform.machine() not in ("x86_64", "AMD64", "i686"):
        return None
    exe = CACHE_DIR / "tsc_khz"
    try:
        if not exe.exists() or exe.stat().st_mtime < TSC_SRC.stat().st_mtime:
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            _check(["gcc", "-O2", "-o", str(exe), str(TSC_SRC)], timeout=60)
        return int(_check([str(exe)], timeout=30).strip())
    except (BaselineError, ValueError):
        pass
    try:
        m = re.search(r"^cpu MHz\s*:\s*([\d.]+)", Path("/proc/cpuinfo").read_text(), re.M)
        return int(float(m.group(1)) * 1000) if m else None
    except OSError:
        return None


def linux_append(arch: str, machine: str, tsc_khz: int | None = None) -> str:
    """The kernel command line.  On x86 microvm, ``tsc_early_khz=`` gives the
    kernel the TSC rate: microvm has no HPET or ACPI PM timer, and under TCG on
    a loaded host the TSC calibration against the PIT fails, after which Linux
    hangs in early boot waiting for timer ticks (seen here: 2 boots of 3 hung
    at load average 8).  Under KVM, kvmclock/CPUID would supply the rate."""
    a = _arch(arch)
    append = f"console={a.console} quiet panic=-1"
    if arch == "x86_64" and machine == "microvm" and tsc_khz:
        append += f" tsc_early_khz={tsc_khz}"
    return append


def linux_cmd(arch: str, machine: str, mem_mb: int = DEFAULT_LINUX_MEM_MB,
              kernel: Path | None = None, initrd: Path | None = None, tsc_khz: int | None = None,
              kernel_format: str | None = None) -> list[str]:
    """The QEMU command line of the Linux baseline (fetches/builds kernel and initramfs if needed).
    ``tsc_khz``: see linux_append(); by default measured with host_tsc_khz() where it is needed.
    ``kernel_format``: see KERNEL_FORMATS (default: the Debian file as shipped)."""
    a = _arch(arch)
    kernel = kernel or linux_kernel(arch, kernel_format)
    initrd = initrd or build_initramfs(arch)
    if tsc_khz is None and arch == "x86_64" and machine == "microvm":
        tsc_khz = host_tsc_khz()
    return [
        a.qemu, *_machine_args(a, machine), *QEMU_COMMON, "-m", str(mem_mb),
        "-kernel", str(kernel), "-initrd", str(initrd),
        "-append", linux_append(arch, machine, tsc_khz),
    ]


def boot_linux(arch: str, machine: str, accel: str = "tcg", mem_mb: int = DEFAULT_LINUX_MEM_MB,
               timeout: float = 60.0, linger: float = 10.0, kernel_format: str | None = None) -> dict:
    """Boot the Debian kernel + initramfs once; time until LINUX-INIT-HELLO shows.

    Returns {arch, machine, kernel_format, mem_mb, line_seen, time_to_line_s,
    time_to_exit_s, exit_code, killed, cpu_s, console_tail, stderr_tail, cmd}.
    """
    if accel != "tcg":
        raise BaselineError("the baselines run under TCG only (this machine's KVM is emulated and ~100x slower)")
    fmt = _kernel_format(arch, kernel_format)
    cmd = linux_cmd(arch, machine, mem_mb, kernel_format=fmt)
    r = run_console(cmd, LINUX_MARKER, timeout=timeout, linger=linger)
    return {"arch": arch, "machine": machine, "kernel_format": fmt, "accel": accel, "mem_mb": mem_mb, **r,
            "cmd": cmd}


def linux_time_to_line(arch: str, machine: str, runs: int = 3, mem_mb: int = DEFAULT_LINUX_MEM_MB,
                       timeout: float = 60.0, kernel_format: str | None = None) -> dict:
    """Median of ``runs`` boots (x86 bzImage ~7 s each under TCG here, vmlinux/arm64 ~2 s)."""
    fmt = _kernel_format(arch, kernel_format)
    boots = [boot_linux(arch, machine, mem_mb=mem_mb, timeout=timeout, kernel_format=fmt) for _ in range(runs)]
    lines = [b["time_to_line_s"] for b in boots if b["line_seen"]]
    exits = [b["time_to_exit_s"] for b in boots if b["time_to_exit_s"] is not None]
    return {
        "arch": arch, "machine": machine, "kernel_format": fmt,
        "kernel": Path(boots[0]["cmd"][boots[0]["cmd"].index("-kernel") + 1]).name,
        "mem_mb": mem_mb, "runs": runs, "ok_runs": len(lines),
        "time_to_line_s": _median(lines),
        "time_to_line_min_s": min(lines) if lines else None,
        "time_to_line_max_s": max(lines) if lines else None,
        "time_to_exit_s": _median(exits),
        "cpu_s": _median([b["cpu_s"] for b in boots if b["line_seen"]]),
        "exit_codes": [b["exit_code"] for b in boots],
        "failure": None if lines else (boots[-1]["console_tail"] + boots[-1]["stderr_tail"])[-600:],
        "cmd": boots[0]["cmd"] if boots else None,
    }


# --------------------------------------------------------------------------
# 4. minimum memory
# --------------------------------------------------------------------------


def min_memory_linux(arch: str, machine: str, lo: int = 16, hi: int = 512, resolution: int = 1,
                     timeout: float = 40.0, budget_s: float = 300.0, confirm: int = 2,
                     kernel_format: str | None = None) -> dict:
    """Smallest ``-m`` (MiB) at which the line still appears: binary search in [lo, hi].

    Each try is bounded by a timeout: ``timeout``, or 3x the wall time of the
    first (``hi``) boot if that is longer, so a loaded host does not turn slow
    boots into false failures.  The whole search is bounded by ``budget_s``; if
    that runs out, the answer is the best upper bound found and ``exact`` is
    False.  A failing try is usually quick (a panic with panic=-1 and
    -no-reboot ends QEMU; "exited" in ``tries``) but a hang costs a full
    timeout ("timeout").

    The boundary is not sharp on x86 (KASLR places the kernel at random, and a
    boot 1-3 MiB above the boundary can fail), so the result is then booted
    ``confirm`` more times, stepping up by ``resolution`` while one fails.
    """
    t0 = time.perf_counter()
    tries: list[dict] = []
    per_try = timeout
    fmt = _kernel_format(arch, kernel_format)

    def ok(m: int) -> bool:
        r = boot_linux(arch, machine, mem_mb=m, timeout=per_try, linger=0.5, kernel_format=fmt)
        tries.append({
            "mem_mb": m, "ok": r["line_seen"],
            "how": "line" if r["line_seen"] else ("timeout" if r["killed"] else f"exited {r['exit_code']}"),
            "wall_s": round(r["time_to_line_s"] or r["time_to_exit_s"] or per_try, 2),
            "at_s": round(time.perf_counter() - t0, 2),
        })
        return r["line_seen"]

    result = {"arch": arch, "machine": machine, "kernel_format": fmt, "lo_mb": lo, "hi_mb": hi,
              "resolution_mb": resolution}
    if not ok(hi):
        return {**result, "min_mem_mb": None, "exact": False, "tries": tries,
                "search_s": round(time.perf_counter() - t0, 2), "note": f"no line even at {hi} MiB"}
    per_try = max(timeout, 3 * tries[0]["wall_s"])
    good, bad = hi, lo - 1  # invariant: good works; bad fails (lo-1 assumed to)
    exact = True
    while good - bad > resolution:
        if time.perf_counter() - t0 > budget_s:
            exact = False
            break
        mid = (good + bad) // 2
        if ok(mid):
            good = mid
        else:
            bad = mid
    confirmed = 0
    while exact and confirmed < confirm and good < hi:
        if time.perf_counter() - t0 > budget_s:
            exact = False
            break
        if ok(good):
            confirmed += 1
        else:
            bad, good, confirmed = good, good + resolution, 0
    return {**result, "min_mem_mb": good, "max_failing_mb": bad if bad >= lo else None, "exact": exact,
            "confirmations": confirm, "per_try_timeout_s": per_try, "tries": tries,
            "search_s": round(time.perf_counter() - t0, 2)}


# --------------------------------------------------------------------------
# script
# --------------------------------------------------------------------------


def _fmt_s(x: float | None) -> str:
    return "-" if x is None else (f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s")


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...], title: str) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
        print(f"\n{title}")
        print(line(header))
        print("  ".join("-" * w for w in widths))
        for r in rows:
            print(line(r))
        return
    t = Table(*header, title=title)
    for r in rows:
        t.add_row(*map(str, r))
    Console().print(t)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", choices=list(ARCHES), action="append",
                    help="architecture(s) to measure (default: all)")
    ap.add_argument("--machine", action="append", help="only these machines (default: all of the arch)")
    ap.add_argument("--runs", type=int, default=10, help="VMM-floor runs per machine (median; default 10)")
    ap.add_argument("--linux-runs", type=int, default=3, help="Linux boots per machine (median; default 3)")
    ap.add_argument("--kernel", action="append", choices=sorted({f for fs in KERNEL_FORMATS.values() for f in fs}),
                    help="only these Linux kernel formats (default: all; x86_64: bzimage, vmlinux; arm64: image)")
    ap.add_argument("--no-min-mem", action="store_true", help="skip the minimum-memory search")
    ap.add_argument("--min-mem-budget", type=float, default=300.0, help="seconds per min-memory search")
    ap.add_argument("--json", type=Path, default=RESULTS_DIR / "baselines.json", help="where to write results")
    args = ap.parse_args(argv)

    if __package__:
        from .vmm_floor import vmm_floor
    else:  # run as a script: benchmarks/ is on sys.path
        from vmm_floor import vmm_floor

    results = {
        "host": host_info(),
        "linux": [], "linux_min_mem": [], "floor": [],
    }
    linux_rows, floor_rows = [], []
    for arch in args.arch or list(ARCHES):
        a = ARCHES[arch]
        for machine in a.machines:
            if args.machine and machine not in args.machine:
                continue
            _log(f"{arch}/{machine}: VMM floor x{args.runs}")
            fl = vmm_floor(arch, machine, runs=args.runs)
            results["floor"].append(fl)
            floor_rows.append((
                f"{arch}/{machine}", fl["format"], f"{fl['guest_bytes']} B",
                _fmt_s(fl["time_to_line_s"]), _fmt_s(fl["time_to_exit_s"]), _fmt_s(fl["cpu_s"]),
                f"{fl['ok_runs']}/{fl['runs']}",
            ))
            for fmt in KERNEL_FORMATS[arch]:
                if args.kernel and fmt not in args.kernel:
                    continue
                mm = None
                try:
                    kernel = linux_kernel(arch, fmt)
                    _log(f"{arch}/{machine}: Linux {kernel.name} ({fmt}) x{args.linux_runs}")
                    lt = linux_time_to_line(arch, machine, runs=args.linux_runs, kernel_format=fmt)
                    if not args.no_min_mem:
                        _log(f"{arch}/{machine}: Linux ({fmt}) minimum memory (budget {args.min_mem_budget:.0f} s)")
                        mm = min_memory_linux(arch, machine, budget_s=args.min_mem_budget, kernel_format=fmt)
                except BaselineError as e:
                    _log(f"{arch}/{machine}: Linux baseline ({fmt}) failed: {e}")
                    lt = {"arch": arch, "machine": machine, "kernel_format": fmt, "error": str(e)}
                results["linux"].append(lt)
                if mm:
                    results["linux_min_mem"].append(mm)
                linux_rows.append((
                    f"{arch}/{machine}", fmt,
                    _fmt_s(lt.get("time_to_line_s")), _fmt_s(lt.get("cpu_s")),
                    f"{lt.get('ok_runs', 0)}/{args.linux_runs}",
                    "-" if not mm or mm["min_mem_mb"] is None else
                    f"{mm['min_mem_mb']} MiB{'' if mm['exact'] else ' (bound)'}",
                    "-" if not mm else f"{mm['search_s']:.0f} s",
                ))
    _table(linux_rows, ("target", "Linux kernel", "to line (median)", "QEMU CPU", "ok", "min -m", "search"),
           "Linux to LINUX-INIT-HELLO (TCG)")
    _table(floor_rows, ("target", "floor guest", "size", "to line (median)", "to exit", "QEMU CPU", "ok"),
           "VMM floor: smallest guest that prints a line and exits (TCG)")
    results["host_after"] = {"loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()]}
    print(f"host load average before/after: {results['host']['loadavg_1_5_15']} / "
          f"{results['host_after']['loadavg_1_5_15']} on {os.cpu_count()} CPUs (TCG timings scale with it)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH_DIR))
    try:
        sys.exit(main())
    except BaselineError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
