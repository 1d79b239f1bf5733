"""Running one benchmark program three ways, so issue 7's benchmarks compare
like with like in the same run:

- as a unikernel: an app under benchmarks/apps/ built by uniforge and booted
  with the runner's own QEMU command line (uniforge.runner.qemu.command);
- in a Linux VM: the same C program (or its pthread twin) built static with
  the host's gcc as /init of an initramfs, booted on the Debian kernel
  (linux_boot.linux_cmd: the same machine, QEMU and accelerator), its
  arguments after `--` on the kernel command line;
- on the host: the same static binary as a Linux process.

Each returns the console text and QEMU's CPU time; benchlines.py parses it.

    build_static(arch, src)                 -> benchmarks/cache/<name>-<arch>
    run_host(exe, args)                     -> {"console", "wall_s", ...}
    run_linux_vm(arch, machine, init, args) -> run_console's dict + "cmd"
    build_app(app, target, sets)            -> (Project, BuildResult)
    run_app(project, res, args)             -> run_console's dict + "cmd"
    run_watched(cmd, tags)                  -> console, and QEMU's CPU ns at each tagged line
"""
from __future__ import annotations

import gzip
import os
import select
import subprocess
import time
from pathlib import Path

from common import BENCH_DIR, CACHE_DIR, BaselineError, check, get_arch, run_cmd
from console_timing import run_console, threads_run_ns
from linux_boot import linux_cmd
from uniforge.config import parse_set
from uniforge.cpio import newc_chardev, newc_dir, newc_file, write_newc
from uniforge.errors import UserError
from uniforge.project import Project
from uniforge.runner import RunSpec
from uniforge.runner.qemu import command

APPS_DIR = BENCH_DIR / "apps"
COMMON_INC = APPS_DIR / "common"
DONE = "BENCH-DONE"
# The kernel each arch's Linux VM boots: x86 the Debian bzImage unpacked and
# entered through PVH (the same kernel without ~5 s of in-guest xz under TCG).
LINUX_FORMAT = {"x86_64": "vmlinux", "arm64": "image"}
# The Linux VM's machine for each of our QEMU targets.
LINUX_MACHINE = {"qemu/x86_64": ("x86_64", "pc"), "microvm/x86_64": ("x86_64", "microvm"),
                 "qemu/arm64": ("arm64", "virt")}


def build_static(arch: str, src: Path, cflags: tuple[str, ...] = ()) -> Path:
    """A static glibc binary of ``src`` for ``arch`` (pthreads linked in),
    rebuilt when the source or the shared headers change."""
    a = get_arch(arch)
    out = CACHE_DIR / f"{src.stem}-{arch}"
    deps = [src, *COMMON_INC.glob("*.h")]
    if out.exists() and all(out.stat().st_mtime >= d.stat().st_mtime for d in deps):
        return out
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    check([a.cc, "-O2", "-static", "-pthread", "-DBENCH_ON_LINUX", f"-I{COMMON_INC}", *cflags,
           "-o", str(out), str(src)], timeout=180)
    return out


def initramfs_with(arch: str, init: Path) -> Path:
    """benchmarks/cache/initramfs-<init name>.cpio.gz: /dev/console and ``init`` as /init."""
    out = CACHE_DIR / f"initramfs-{init.name}.cpio.gz"
    if out.exists() and out.stat().st_mtime >= init.stat().st_mtime:
        return out
    archive = write_newc([newc_dir("dev"), newc_chardev("dev/console", 5, 1),
                          newc_file("init", init.read_bytes(), 0o755)])
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
        gz.write(archive)
    tmp.replace(out)
    return out


def linux_vm_cmd(arch: str, machine: str, init: Path, args: list[str], mem_mb: int = 256) -> list[str]:
    """QEMU's command line for a Linux VM whose /init is ``init`` run with ``args``."""
    cmd = linux_cmd(arch, machine, mem_mb, initrd=initramfs_with(arch, init),
                    kernel_format=LINUX_FORMAT[arch])
    i = cmd.index("-append") + 1
    cmd[i] += " -- " + " ".join(args) if args else ""
    return cmd


def run_linux_vm(arch: str, machine: str, init: Path, args: list[str], timeout: float = 300.0,
                 marker: str = DONE, mem_mb: int = 256) -> dict:
    cmd = linux_vm_cmd(arch, machine, init, args, mem_mb)
    return {**run_console(cmd, marker, timeout=timeout, linger=10.0, keep_console=True), "cmd": cmd}


def run_host(exe: Path, args: list[str], timeout: float = 300.0) -> dict:
    t0 = time.perf_counter()
    p = run_cmd([str(exe), *args], timeout=timeout)
    if p.returncode != 0:
        raise BaselineError(f"{exe.name} failed ({p.returncode}) on the host: {p.stdout[-400:]}{p.stderr[-400:]}")
    return {"console": p.stdout, "wall_s": time.perf_counter() - t0}


def build_app(app: Path, target: str, sets: list[str] = ()) -> tuple[Project, object]:
    """Build the unikernel app ``app`` for ``target`` with ``--set`` values
    ``sets`` (each variant in its own build folder, as `uniforge build --set`)."""
    try:
        p = Project(app, target, sets=parse_set(list(sets)))
        return p, p.build(progress=lambda *a: None)
    except UserError as e:
        raise BaselineError(f"building {app.name} for {target} {' '.join(sets)}: {e}") from None


def app_cmd(p: Project, res, args: list[str], mem_mb: int | None = None) -> list[str]:
    spec = RunSpec(target=p.target, image=res.image, image_dbg=None, app_args=list(args),
                   memory_mb=mem_mb or p.manifest.memory_mb)
    return command(spec, "tcg")


def run_app(p: Project, res, args: list[str], timeout: float = 300.0, marker: str = DONE,
            mem_mb: int | None = None) -> dict:
    cmd = app_cmd(p, res, args, mem_mb)
    return {**run_console(cmd, marker, timeout=timeout, linger=10.0, keep_console=True), "cmd": cmd}


def run_watched(cmd: list[str], tags: tuple[str, ...], timeout: float = 300.0) -> dict:
    """Run ``cmd`` (a VMM) to its end, and read its threads' CPU time
    (threads_run_ns) each time a console line starting with one of ``tags``
    appears: {"console", "marks": [(line, cpu_ns)], "exit_code"}. A guest
    that sleeps a little after printing such a line makes the reading
    exact: QEMU then burns no CPU while this side catches up, however
    loaded the host is."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    buf, marks, pending = bytearray(), [], b""
    deadline = time.monotonic() + timeout
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BaselineError(f"timed out after {timeout:.0f} s: {' '.join(cmd[:3])} ...; "
                                    f"console ends: {bytes(buf[-300:])!r}")
            r, _, _ = select.select([p.stdout], [], [], left)
            if not r:
                continue
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            cpu = threads_run_ns(p.pid)
            buf += chunk
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                text = line.decode(errors="replace").strip()
                if text.startswith(tags):
                    marks.append((text, cpu))
        code = p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdout.close()
    return {"console": bytes(buf).decode(errors="replace"), "marks": marks, "exit_code": code}
