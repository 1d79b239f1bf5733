"""The networking benchmark's Linux side: the same server programs built
static with musl, run in a Linux VM (the Debian kernel the other baselines
boot, same QEMU, machine, accelerator and user-mode network with the same
host forwards) and as host processes.

The Debian kernel has virtio-net as modules (virtio_net, net_failover,
failover; on amd64 virtio, virtio_ring and the transports too), so the
VM's initramfs holds them, with a small /init (apps/linux/net_init.c) that
loads them in dependency order, sets 10.0.2.15/24 (slirp's guest address)
and runs the server.

    build_musl(arch, srcs)                -> benchmarks/cache/<name>-musl-<arch> (static)
    kernel_modules(arch, machine)         -> [.ko paths in load order]
    net_initramfs(arch, machine, progs)   -> benchmarks/cache/initramfs-net-....cpio.gz
    nic_args(target, forwards)            -> the runner's -netdev/-device words
    linux_net_cmd(target, progs, argv, forwards, mem_mb) -> QEMU's command line
"""
from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path
from types import SimpleNamespace

from common import BENCH_DIR, CACHE_DIR, BaselineError, check, get_arch
from linux_boot import linux_cmd
from linux_kernel import fetch_linux_kernel
from uniforge import debpkg
from uniforge.cpio import newc_chardev, newc_dir, newc_file, write_newc
from uniforge.errors import UserError
from uniforge.runner.net import PortForward, qemu_net_args
from uniforge.targets import TARGETS

NET_INIT_SRC = BENCH_DIR / "apps" / "linux" / "net_init.c"
NET_INIT_UP = "NET-INIT-UP"
# The kernel each arch's Linux VM boots (as programs.LINUX_FORMAT).
LINUX_FORMAT = {"x86_64": "vmlinux", "arm64": "image"}
# The transport module virtio-net sits on, per machine.
TRANSPORT = {"pc": "virtio_pci", "microvm": "virtio_mmio", "virt": "virtio_mmio"}
MODULE_DIRS = ("kernel/drivers/virtio", "kernel/drivers/net", "kernel/net/core")
# What is unpacked of the package's /lib/modules/<release>/ (not the ~400 MB rest).
MODULE_MEMBERS = ("kernel/drivers/virtio/*.ko", "kernel/drivers/net/virtio_net.ko",
                  "kernel/drivers/net/net_failover.ko", "kernel/net/core/failover.ko")


def musl_root(arch: str) -> Path | None:
    """Where arch's musl (libc.a, headers, specs) lives: None for the host's
    own musl-gcc (x86_64); for arm64 Debian's musl-dev:arm64, fetched with
    uniforge.debpkg and unpacked into benchmarks/cache/musl-arm64."""
    if arch == "x86_64":
        return None
    root = CACHE_DIR / f"musl-{arch}"
    if not (root / "usr" / "lib").is_dir():
        try:
            deb = debpkg.download("musl-dev", get_arch(arch).deb_arch)
            debpkg.extract(deb, "./usr/*", root)
        except UserError as e:
            raise BaselineError(f"musl for {arch}: {e}") from None
    return root


def musl_cc(arch: str) -> list[str]:
    """The compiler line of a static musl build for arch: musl-gcc on
    x86_64; on arm64 the cross gcc with musl-dev's specs file rewritten to
    point into the unpacked package."""
    root = musl_root(arch)
    if root is None:
        return ["musl-gcc"]
    triple = "aarch64-linux-musl"
    specs = root / "musl-gcc.specs"
    if not specs.exists():
        text = (root / "usr" / "lib" / triple / "musl-gcc.specs").read_text()
        specs.write_text(text.replace("/usr/", f"{root}/usr/"))
    return [get_arch(arch).cc, "-specs", str(specs)]


def build_musl(arch: str, srcs: Path | list[Path], name: str | None = None) -> Path:
    """A static musl binary of the C file(s) ``srcs`` (headers beside them)
    for ``arch``, named ``name`` (default: the first file's stem), rebuilt
    when a file of their folder changes."""
    srcs = [srcs] if isinstance(srcs, Path) else list(srcs)
    out = CACHE_DIR / f"{name or srcs[0].stem}-musl-{arch}"
    deps = [f for d in {s.parent for s in srcs} for f in d.iterdir() if f.suffix in (".c", ".h")]
    if out.exists() and all(out.stat().st_mtime >= d.stat().st_mtime for d in deps):
        return out
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    check([*musl_cc(arch), "-O2", "-static", "-Wall", "-o", str(out), *map(str, srcs)], timeout=180)
    return out


def _modules_root(arch: str) -> Path:
    """The virtio/net modules of the kernel the VM boots, unpacked once
    from the same Debian package (cached by uniforge.debpkg)."""
    vmlinuz = fetch_linux_kernel(arch)
    release = vmlinuz.name.removeprefix("vmlinuz-")
    root = CACHE_DIR / f"linux-{arch}" / "lib" / "modules" / release
    if not (root / "kernel" / "drivers" / "net" / "virtio_net.ko").exists():
        try:
            deb = debpkg.download(f"linux-image-{release}", get_arch(arch).deb_arch)
            for m in MODULE_MEMBERS:
                debpkg.extract(deb, f"./lib/modules/{release}/{m}", CACHE_DIR / f"linux-{arch}")
        except UserError as e:
            raise BaselineError(f"kernel modules for {arch}: {e}") from None
    return root


def modinfo_depends(ko: bytes) -> list[str]:
    """The modules a .ko needs first: its .modinfo "depends=" entry."""
    m = re.search(rb"(?:^|\0)depends=([\w,-]*)\0", ko)
    return [d.replace("-", "_") for d in m.group(1).decode().split(",") if d] if m else []


def load_order(wanted: list[str], depends: dict[str, list[str]]) -> list[str]:
    """``wanted`` and everything they depend on, each after its
    dependencies. A dependency that is not a module here (built in) is
    skipped only if no module of that name exists: `depends` maps every
    available module to its dependencies."""
    order: list[str] = []

    def visit(m: str, path: tuple[str, ...]) -> None:
        if m in order:
            return
        if m in path:
            raise BaselineError(f"module dependency cycle: {' -> '.join((*path, m))}")
        if m not in depends:
            raise BaselineError(f"module {m} is needed but not in the kernel package")
        for d in depends[m]:
            visit(d, (*path, m))
        order.append(m)

    for w in wanted:
        visit(w, ())
    return order


def kernel_modules(arch: str, machine: str) -> list[Path]:
    """The .ko files virtio-net needs on ``machine``, in load order; []
    when the kernel has it built in."""
    root = _modules_root(arch)
    files = {p.name.removesuffix(".ko").replace("-", "_"): p
             for d in MODULE_DIRS for p in (root / d).glob("*.ko")}
    depends = {name: modinfo_depends(p.read_bytes()) for name, p in files.items()}
    wanted = [m for m in (TRANSPORT[machine], "virtio_net") if m in files]
    return [files[m] for m in load_order(wanted, depends)]


def net_initramfs(arch: str, machine: str, programs: dict[str, Path]) -> Path:
    """An initramfs with /dev/console, /init (net_init.c), the modules and
    ``programs`` (name in / -> file), cached under a name derived from its
    contents' paths and times."""
    init = build_musl(arch, NET_INIT_SRC)
    mods = kernel_modules(arch, machine)
    parts = [init, *mods, *programs.values()]
    key = hashlib.sha256("|".join(f"{p}:{p.stat().st_mtime_ns}" for p in parts).encode()
                         + repr(sorted(programs)).encode()).hexdigest()[:12]
    out = CACHE_DIR / f"initramfs-net-{arch}-{machine}-{key}.cpio.gz"
    if out.exists():
        return out
    entries = [newc_dir("dev"), newc_chardev("dev/console", 5, 1), newc_dir("proc"),
               newc_file("init", init.read_bytes(), 0o755), newc_dir("lib"), newc_dir("lib/modules")]
    entries += [newc_file(f"lib/modules/{m.name}", m.read_bytes(), 0o644) for m in mods]
    entries.append(newc_file("modules.order", "".join(f"/lib/modules/{m.name}\n" for m in mods).encode(),
                             0o644))
    entries += [newc_file(name, p.read_bytes(), 0o755) for name, p in programs.items()]
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
        gz.write(write_newc(entries))
    tmp.replace(out)
    return out


def nic_args(target: str, forwards: list[tuple[int, int]]) -> list[str]:
    """The uniforge runner's own -netdev/-device words for ``target``
    (uniforge.runner.net.qemu_net_args): user-mode networking with
    ``forwards`` (host port, guest port; TCP, host side on 127.0.0.1) and
    the target's virtio-net device, as `uniforge run -p` gives our images."""
    t = TARGETS[target]
    ports = [PortForward("127.0.0.1", h, g) for h, g in forwards]
    return qemu_net_args(SimpleNamespace(target=t, ports=ports), "user")


def with_acpi(cmd: list[str]) -> list[str]:
    """``cmd`` without a ``-machine acpi=off`` pair. The runner turns ACPI
    off on microvm so that QEMU appends `virtio_mmio.device=` words for our
    guest; Debian's kernel is built without VIRTIO_MMIO_CMDLINE_DEVICES
    ("virtio_mmio: unknown parameter 'device' ignored"), so it finds
    microvm's virtio-mmio NIC only through ACPI's tables: its VM keeps
    QEMU's default. The NIC, its transport and the network are the same."""
    out, i = [], 0
    while i < len(cmd):
        if cmd[i] in ("-machine", "-M") and i + 1 < len(cmd) and cmd[i + 1] == "acpi=off":
            i += 2
            continue
        out.append(cmd[i])
        i += 1
    return out


def linux_net_cmd(target: str, programs: dict[str, Path], argv: list[str],
                  forwards: list[tuple[int, int]], mem_mb: int = 256) -> list[str]:
    """QEMU's command line for a Linux VM on ``target``'s machine that
    brings its NIC up and runs ``argv`` (e.g. ["/httpreply", "8080"]);
    ``programs`` go into its initramfs. The machine part and the network
    words are the uniforge runner's (linux_cmd, nic_args)."""
    t = TARGETS[target]
    arch, machine = t.arch.name, t.machine
    if machine not in TRANSPORT:
        raise BaselineError(f"no network set-up for machine {machine!r}")
    cmd = linux_cmd(arch, machine, mem_mb, initrd=net_initramfs(arch, machine, programs),
                    kernel_format=LINUX_FORMAT[arch])
    cmd = with_acpi(cmd)
    i = cmd.index("-append") + 1
    cmd[i] += " -- " + " ".join(argv)
    return cmd + nic_args(target, forwards)
