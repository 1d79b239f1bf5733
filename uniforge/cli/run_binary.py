"""`uniforge run BINARY [-- ARGS]`: binary-compatibility mode. The program
is checked on the host (elf.read), its libraries found as ld.so finds them
(closure.resolve, in the host's / or --sysroot), its root file system laid
out (initrd.layer, then the manifest's rootfs: and --rootfs over it), the
binary-compatibility kernel built once per target and settings
(binary/kernel.py), and the guest booted with `[guest path, *ARGS]`.

Also the manifest form (`binary:` in APP/uniforge.yaml, manifest.py).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence
from types import SimpleNamespace

from .. import rootfs
from ..binary import closure, elf, initrd, kernel
from ..config import parse_set
from ..cpio import write_newc
from ..errors import UserError
from ..manifest import Manifest, parse_env_assignment
from ..targets import get_target
from .common import build, err
from . import cmd_run

MIB = 1 << 20
# Run-time headroom above the files: the kernel, its heap, the program's
# stacks and heap (measured: sqlite3 and lua run in it; python, redis
# and nginx want more, given by -m or `memory:`).
BASE_MEMORY_MB = 32
BINARY_RUNNERS = ("qemu",)


def default_memory_mb(files: int, target) -> int:
    """The memory a program gets without -m: twice its root file system
    plus BASE_MEMORY_MB, rounded up to 16 MiB, and at least the target's
    minimum. Twice: the archive QEMU loads and ramfs's unpacked copy are
    both there while ukcpio unpacks; then the archive's pages go back to
    the heap (os/lib/ukcpio/README.md), where the pages the loader maps
    from the files come from."""
    mb = 2 * -(-files // MIB) + BASE_MEMORY_MB
    return max(-(-mb // 16) * 16, target.min_memory_mb)


def _target(args, m: Manifest | None, info: elf.ElfInfo):
    name = args.target or (m.targets[0] if m is not None and m.targets else f"qemu/{info.arch}")
    t = get_target(name)
    if t.runner not in BINARY_RUNNERS:
        raise UserError(f"{t.name} cannot run a Linux program: its system calls would go to the host's "
                        "kernel, not ours" if t.runner == "linuxu" else
                        f"{t.name} cannot run a Linux program (binary mode boots QEMU targets)",
                        hint=f"use -t qemu/{info.arch}" + (" or -t microvm/x86_64" if info.arch == "x86_64" else ""))
    if t.arch.name != info.arch:
        elf.read(info.path, t.arch.name)        # raises: the program's architecture is not the target's
    return t


def _settings(args, m: Manifest | None) -> dict[str, str]:
    out = dict(m.kconfig) if m is not None else {}
    for a in parse_set(args.set):
        out[a.name] = a.value
    if getattr(args, "strace", False):
        if out.get("CONFIG_LIBUKSYSCALL_STRACE") == "n":
            raise UserError("--strace and CONFIG_LIBUKSYSCALL_STRACE=n contradict each other",
                            hint="drop one of them")
        out["CONFIG_LIBUKSYSCALL_STRACE"] = "y"
    return out


# The kernel parameter that keeps a fixed-address program's range out of
# the kernel's heap (ukboot, os/lib/ukelfload/README.md "Fixed-address
# programs"): START-END, the PT_LOADs' span, page-aligned; ET_EXEC only.
FIXED_PARAM: str | None = "ukboot.reserve"


# uname's node name (os/lib/posix-process/uname.c): the tree's /etc/hostname,
# so that `uname -n` and `cat /etc/hostname` agree in the guest.
NODENAME_PARAM = "posix-process.nodename"


def _fixed_range_args(info: elf.ElfInfo) -> list[str]:
    """[FIXED_PARAM=LO-HI] for a fixed-address program; [] for a PIE."""
    r = info.fixed_range
    if r is None or FIXED_PARAM is None:
        return []
    return [f"{FIXED_PARAM}={r[0]:#x}-{r[1]:#x}"]


def archive_skip(info: elf.ElfInfo, target) -> int:
    """The bytes at the root file system archive's start to keep free of
    file data (write_newc's skip): QEMU's Multiboot loader puts the initrd
    right after the kernel, which loads at 1 MiB, so over a fixed-address
    program's range (ukboot.reserve=), whose memory the guest keeps for the
    program: file pages there would be copied instead of taken in place
    (os/lib/ukcpio). 0 for a PIE or another boot protocol."""
    r = info.fixed_range
    if r is None or "KVM_BOOT_MULTIBOOT" not in target.symbols:
        return 0
    return max(0, r[1] - (1 << 20))


def build_binary(args, path: Path, m: Manifest | None):
    """`uniforge build BINARY`: the program checked (ELF, architecture,
    closure in the host or the manifest's sysroot), then the
    binary-compatibility kernel for its target built; the BuildResult."""
    sysroot = m.sysroot if m is not None else None
    info = elf.read(path)
    target = _target(args, m, info)
    closure.resolve(info, sysroot, closure.guest_path_of(path, sysroot))
    proj = kernel.project(target.name, _settings(args, m), libraries=m.libraries if m is not None else ())
    return build(proj, jobs=args.jobs, quiet=args.quiet, verbose=args.verbose)


@dataclass(frozen=True)
class Program:
    """A Linux program checked on the host: its ELF facts, its path in the
    guest, the files ld.so loads (closure.resolve) and the roots they come
    from (binary_root for the program, lib_root for its libraries)."""
    path: Path
    sysroot: Path | None
    info: elf.ElfInfo
    guest: str
    resolved: list
    binary_root: Path
    lib_root: Path


def locate(path: Path, sysroot: Path | None) -> Program:
    """The program at ``path`` (in ``sysroot`` or the host's /) checked and
    its closure resolved. Raises UserError: not an ELF program of ours, a
    shared library, a library not found."""
    info = elf.read(path)
    if not info.executable:
        raise UserError(f"a shared library ({info.soname}), not a program", path=path,
                        hint="give the program that loads it")
    guest = closure.guest_path_of(path, sysroot)
    resolved = closure.resolve(info, sysroot, guest)
    lib_root = Path(sysroot) if sysroot is not None else Path("/")
    binary_root = lib_root if sysroot is not None and guest != str(Path(path).absolute()) else Path("/")
    return Program(Path(path), Path(sysroot) if sysroot is not None else None, info, guest, resolved,
                   binary_root, lib_root)


@dataclass(frozen=True)
class Prepared:
    """What a RunSpec needs to boot a located program: the kernel's project
    and build, the root file system (newc bytes), the memory it gets
    without -m (default_memory_mb) and the kernel parameters the program
    needs (its fixed range, its node name)."""
    project: object
    res: object
    initrd: bytes
    memory_mb: int
    kernel_args: list[str]


def prepare(prog: Program, target, settings: dict[str, str], build_fn: Callable, *, libraries=(),
            folders: Sequence[Path] = (), locales: Sequence[str] = (), specialize: bool = False,
            only_found: bool = False, report: Callable | None = None) -> Prepared:
    """The binary-compatibility kernel for ``target`` built (``settings``
    over, with ``specialize``, the specialiser's; ``build_fn(project)``
    returns the BuildResult) and the program's root file system laid out:
    the kernel's own rootfs files, the tool's layer (the program, its
    closure, /etc; initrd.layer), each folder of ``folders`` over it
    (symlinks resolved through the layer), ld.so.cache regenerated; the
    node name the tree's /etc/hostname says. Raises UserError from the
    build, the layer or a bad /etc/hostname."""
    layer = initrd.layer(prog.binary_root, prog.guest, prog.resolved, prog.lib_root, prog.info.arch,
                         locales=list(locales))
    if specialize:                  # the specialiser's (uniforge/binary/specialize.py)
        from ..binary.specialize import settings_for
        settings = {**settings_for(prog.path, target.name, prog.sysroot, only_found=only_found,
                                   report=report), **settings}
    proj = kernel.project(target.name, settings, libraries=libraries)
    res = build_fn(proj)
    layers = [rootfs.library_entries(res.model.rootfs)] if res.model.rootfs else []
    layers += [layer] + [initrd.through_symlinks(rootfs.tree_entries(f), layer) for f in folders]
    tree = initrd.regenerate_ld_cache(rootfs.compose(layers), layer, prog.resolved, prog.info.arch)
    data = write_newc(tree, skip=archive_skip(prog.info, target))
    return Prepared(proj, res, data, default_memory_mb(len(data), target),
                    [*_fixed_range_args(prog.info), f"{NODENAME_PARAM}={initrd.hostname(tree)}"])


def run_binary(args, path: Path, m: Manifest | None) -> int:
    sysroot = args.sysroot if args.sysroot is not None else (m.sysroot if m is not None else None)
    if sysroot is not None and not Path(sysroot).is_dir():
        raise UserError(f"--sysroot {sysroot}: " + ("not a folder" if Path(sysroot).exists() else "no such folder"),
                        hint="give the root folder holding the program's libraries (e.g. a Debian root)")
    if args.initrd is not None:
        raise UserError("--initrd replaces the root file system, and a Linux program needs its own",
                        hint="put extra files in a folder and pass --rootfs DIR")
    prog = locate(path, sysroot)
    target = _target(args, m, prog.info)
    env = dict(m.env) if m is not None else {}
    env.update(parse_env_assignment(e) for e in args.env)
    if args.locale and "LANG" not in env:
        env["LANG"] = args.locale[0]
    cmd_run.check_kernel_args(args)
    um = m if m is not None else Manifest(path=Path(path), name="binary")
    view = SimpleNamespace(target=target, manifest=um)      # what cmd_run's checks read
    explicit_mem = args.memory is not None or um.memory_kib is not None
    mem = cmd_run._memory_mb(args, view) if explicit_mem else None
    ports = cmd_run._ports(args, view)
    folders = [um.rootfs] if um.rootfs is not None else []
    if args.rootfs is not None:
        if not args.rootfs.is_dir():
            raise UserError(f"--rootfs {args.rootfs}: " + ("not a folder" if args.rootfs.exists()
                                                             else "no such folder"),
                            hint="give --rootfs an existing folder")
        folders.append(args.rootfs.resolve())
    p = prepare(prog, target, _settings(args, m),
                lambda proj: build(proj, jobs=args.jobs, quiet=args.quiet, verbose=args.verbose),
                libraries=um.libraries, folders=folders, locales=args.locale or (),
                specialize=getattr(args, "specialize", False), only_found=getattr(args, "only_found", False),
                report=None if args.quiet else err.print)
    mem = mem if mem is not None else p.memory_mb
    info = prog.info
    if not args.quiet:
        how = "" if explicit_mem else f" (2x the files + {BASE_MEMORY_MB}M; -m to change)"
        err.print(f"[dim]uniforge: {prog.guest}: {info.kind} {info.arch}, {len(prog.resolved)} files from "
                  f"{'the sysroot' if sysroot is not None else 'the host'}, root file system "
                  f"{len(p.initrd) / MIB:.1f} MiB, memory {mem} MiB{how}[/]", soft_wrap=True)
    with tempfile.TemporaryDirectory(prefix="uniforge-bin-") as tmp:
        cpio = Path(tmp) / "rootfs.cpio"
        cpio.write_bytes(p.initrd)
        return cmd_run.boot(args, target, p.res, app_args=[prog.guest, *(args.args or um.cmd)], env=env,
                            memory_mb=mem, ports=ports, initrd=cpio, dot_config=p.project.dot_config,
                            kernel_args=p.kernel_args)
