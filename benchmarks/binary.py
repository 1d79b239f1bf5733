"""Issue 11's six Debian binaries (busybox-static, sqlite3, lua5.4,
python3.11, redis-server, nginx-light), unmodified, measured side by side
in one run (`./dev bench --only binary [--quick]`):

- binary:          `uniforge run BINARY` (binary-compatibility mode, the
                   generic binary-compatibility kernel), booted with the
                   QEMU command line the tool's runner builds;
- binary spec.:    the same with `--specialize` (the kernel built from
                   what the binary needs);
- from source:     issue 10's app folder built by uniforge (apps.Ours,
                   LTO; a quick run without it); busybox has none;
- Linux VM:        the same Debian binary on the Debian kernel, same QEMU
                   machine, networking and forwards (app_debian.py);
- Linux host:      the same binary as a host process.

Per binary, on every system: boot to ready (VMM or process start to the
first output line, or to the first complete answer through the forward:
app_specs), with the VMM floor of the machine beside it (what is above it
is the guest's); the smallest -m that passes the binary's own check
(bisection, bounded; the host: the process's peak RSS); throughput for
redis (redis-benchmark SET/GET, -P1 and -P16) and nginx (wrk). Then the
generic kernel against the specialised one (image size, boot, memory),
and the issue's aims judged from the numbers (binary_report.py).

The check is the same everywhere: the output after the APP-READY line is
the host binary's, byte for byte (busybox: its first and last lines,
since `ls /` and the hostname differ by system); the servers' own checks.

    measure(targets, ...)  -> result (benchmarks/results/binary.json)
    tables(result) / errors(result) / aims(result)   (binary_report.py)
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import app_debian as ad
import apps
import vmm_floor
from app_specs import APPS, AppSpec
from common import CACHE_DIR, REPO_DIR, BaselineError, log
from uniforge.errors import UserError

# The busybox command, between a ready marker and an end marker
# (`&&`: a step that fails leaves the end marker out).
BUSYBOX_WORK = ("echo APP-READY && echo hi && ls / && cat /etc/hostname && mkdir /tmp/x$$ && rm -r /tmp/x$$"
                " && echo APP-DONE")
BUSYBOX = AppSpec("busybox", "cli", ("sh", "-c", BUSYBOX_WORK), ("busybox-static",), "bin/busybox",
                  files={"etc/hostname": b"uniforge\n"}, frame_check=True)
# name -> the baselines' spec (issue 10's apps, plus busybox)
BINARIES: dict[str, AppSpec] = {"busybox": BUSYBOX, **{n: APPS[n] for n in
                                                       ("sqlite3", "lua5.4", "python3", "redis", "nginx")}}
# The name of each binary's package
PACKAGE = {"busybox": "busybox-static", "sqlite3": "sqlite3", "lua5.4": "lua5.4", "python3": "python3.11",
           "redis": "redis-server", "nginx": "nginx-light"}

BIN, SPEC, SRC, VM, HOST = "binary", "binary spec.", "from source", "Linux VM", "Linux host"
SYSTEMS = (BIN, SPEC, SRC, VM, HOST)
TARGETS_FULL = ["qemu/x86_64", "microvm/x86_64"]
TARGETS_QUICK = ["qemu/x86_64"]
MEM_TARGET = apps.MEM_TARGET
OUR_MEM_HI = apps.OUR_MEM_HI
LINUX_MEM, LINUX_MEM_MB = apps.LINUX_MEM, apps.LINUX_MEM_MB
MEM_AIM_X = 4           # the issue: at most 1/4 of the Linux VM's memory
BIN_MEM_MB = 64         # binary mode's -m for boots and throughput (at least; tests/binary's servers use 64M)
LOADED = 0.5            # 1-minute load average per core above which the host counts as loaded


class BinaryMode:
    """Debian's binary run by uniforge's binary mode for one target, as
    `uniforge run ROOT/BINARY --sysroot ROOT --rootfs DIR [--specialize]`
    does it (uniforge/cli/run_binary.py's locate() and prepare(), the
    CLI's own: closure, layer, ld.so.cache, kernel, fixed-range kernel
    parameter, default memory): the sysroot
    of the binary's packages (uniforge.debroot, the lists of
    tests/binary/binhelp.py), the kernel (generic, or specialised with
    ``specialize``), the root file system with the files the baselines
    get (rootfs_files), and the runner's QEMU command line. Raises
    apps.NotBuilt when binary mode is not in this tree or does not build
    for the binary, saying what is missing."""

    def __init__(self, spec: AppSpec, target: str, specialize: bool):
        self.spec, self.target, self.specialize = spec, target, specialize
        self.report: dict = {}
        t0 = time.perf_counter()
        try:
            self._prepare()
        except ImportError as e:
            raise apps.NotBuilt(f"not built: binary mode is not in this tree ({e})") from None
        except UserError as e:
            raise apps.NotBuilt(f"does not build for {target}: {str(e).splitlines()[0][:300]}") from None
        self.build_s = time.perf_counter() - t0

    def _prepare(self) -> None:
        from uniforge.cli import run_binary as rb
        from uniforge.targets import get_target
        spec = self.spec
        root = sysroot(spec)
        path = root / spec.binary
        prog = rb.locate(path, root)
        self.t = get_target(self.target)
        if self.specialize:
            self.report = specialised_report(path, root, self.target)
        extra = rootfs_dir(spec, root, frozenset(r.soname for r in prog.resolved))
        p = rb.prepare(prog, self.t, {}, lambda proj: proj.build(progress=lambda *a: None), folders=[extra],
                       specialize=self.specialize)
        self.res, self.project = p.res, p.project
        self.initrd = CACHE_DIR / "binary-initrd" / f"{spec.name}-{self.t.slug}-{int(self.specialize)}.cpio"
        self.initrd.parent.mkdir(parents=True, exist_ok=True)
        self.initrd.write_bytes(p.initrd)
        self.memory_mb = max(p.memory_mb, BIN_MEM_MB)
        self.kernel_args = list(p.kernel_args)
        libs = {lib.name for lib in self.res.model.libs}
        # The console stays a terminal (devfs.tty=1, the default), as the
        # Linux VM's /dev/console and the from-source build's console are:
        # with devfs.tty=0 glibc buffers a program's stdout whole, and a
        # cli program's ready line left only at its exit (sqlite3's after
        # its whole script: ~250 ms of "boot" that was the script's run).
        self.wall_clock = {"uktime", "uklibparam"} <= libs
        self.guest_argv = [prog.guest, *guest_args(spec)]
        self.image_bytes, self.initrd_bytes = self.res.image.stat().st_size, len(p.initrd)

    def sizes(self) -> dict:
        return {"image_bytes": self.image_bytes, "initrd_bytes": self.initrd_bytes,
                "build_s": round(self.build_s, 1), **self.report}

    def cmd(self, port: int | None, mem: int | None) -> tuple[list[str], dict]:
        from uniforge.runner import RunSpec, command_line
        from uniforge.runner.net import PortForward
        run = RunSpec(target=self.t, image=self.res.image, image_dbg=None, app_args=self.guest_argv,
                      kernel_args=self.kernel_args, env={}, memory_mb=mem or self.memory_mb, accel="tcg",
                      initrd=self.initrd, wall_clock=self.wall_clock,
                      ports=[PortForward("127.0.0.1", port, self.spec.guest_port)] if port else [],
                      net="user" if port else None, dot_config=self.project.dot_config)
        argv, env, _, _ = command_line(run)
        return argv, {**os.environ, **env}


def sysroot(spec: AppSpec) -> Path:
    """The Debian root of the binary's packages: tests/binary/binhelp.py's
    lists (the acceptance tests'), else the spec's own (busybox-static:
    static, nothing else needed), unpacked by uniforge.debroot. Raises
    apps.NotBuilt when binhelp is not in this tree."""
    import sys
    for d in (REPO_DIR / "tests", REPO_DIR / "tests" / "binary"):
        if str(d) not in sys.path:
            sys.path.append(str(d))
    try:
        import binhelp
    except ImportError as e:
        raise apps.NotBuilt(f"not built: tests/binary/binhelp.py (the packages of each binary) is not in "
                            f"this tree ({e})") from None
    from uniforge import debroot
    packages = binhelp.PACKAGES.get({"python3": "python3.11"}.get(spec.name, spec.name)) or list(spec.packages)
    return debroot.sysroot(packages)


def specialised_report(path: Path, root: Path, target: str) -> dict:
    """The specialisation's figures for the binary at ``path`` in ``root``
    (uniforge.binary.specialize, static analysis as --specialize without
    --trace): syscalls needed, served by the generic and by the
    specialised kernel, left to ENOSYS, libraries dropped."""
    from uniforge.binary import specialize
    from uniforge.binary.analysis import analyze
    st = analyze(path, root)
    sel = specialize.select(st.arch, st)
    cmp = specialize.compare(sel, target)
    return {"syscalls_needed": len(sel.syscalls), "syscalls_generic": len(cmp.generic.syscalls),
            "syscalls_specialised": len(cmp.specialised.syscalls), "enosys": [name for name, _ in cmp.enosys],
            "libraries_generic": len(cmp.generic.libraries), "libraries_specialised": len(cmp.specialised.libraries),
            "dropped": sel.dropped()}


def guest_args(spec: AppSpec) -> list[str]:
    """argv[1:] in the guest: a cli program's arguments; a server's the
    baselines' config under /srv (app_debian.server_argv)."""
    if spec.kind == "cli":
        return list(spec.args)
    return ad.server_argv(spec, "x", "/srv")[1:]


def rootfs_files(spec: AppSpec, root: Path | None = None, have: frozenset[str] = frozenset()) \
        -> dict[str, bytes | Path]:
    """What binary mode's root file system holds besides the binary, its
    libraries and /etc (the tool's layer): the files the Linux VM gets
    too (app_debian): a server's config and page under /srv; python's
    stdlib modules the check imports, with the libraries its extension
    modules load that are not among ``have`` (the sonames of the
    program's closure, which the tool's layer holds), found in the
    sysroot ``root``, the unpacked packages, then the host's (Debian 12)."""
    files: dict[str, bytes | Path] = {}
    if spec.kind != "cli":
        files.update({f"srv/{k}": v for k, v in ad.server_files(spec, "/srv", spec.guest_port).items()})
    if spec.name == "python3":
        unpacked = ad.unpack(spec)
        files.update(ad.python_files(unpacked, spec.args[1]))
        elfs = [p for p in files.values() if isinstance(p, Path) and p.read_bytes()[:4] == b"\x7fELF"]
        search = [*(ad.lib_dirs(root) if root else []), *ad.lib_dirs(unpacked), *ad.HOST_LIB_DIRS]
        for guest, host in ad.closure(elfs, search).items():
            if not guest.startswith("lib64/") and guest.rsplit("/", 1)[-1] not in have:
                files["usr/" + guest] = host            # lib -> usr/lib in a merged-/usr root
    return files


def rootfs_dir(spec: AppSpec, root: Path | None = None, have: frozenset[str] = frozenset()) -> Path:
    """rootfs_files written under benchmarks/cache/binary-rootfs/<name>/
    (rewritten each time: the folder is --rootfs's)."""
    import shutil
    d = CACHE_DIR / "binary-rootfs" / spec.name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    for rel, v in rootfs_files(spec, root, have).items():
        f = d / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(v, bytes):
            f.write_bytes(v)
        else:
            # with its mtime: python's timestamp-based .pyc name their
            # source's; a new mtime makes them stale and the guest
            # compiles every module again (and writes new .pyc to ramfs)
            shutil.copyfile(v, f)
            shutil.copystat(v, f)
    return d


def _failed(system: str, where: str, e: Exception, status: str = "failed") -> dict:
    return {"system": system, "where": where, "status": status, "error": str(e).splitlines()[0][:400]}


def vm_memory_probe(spec: AppSpec, target: str, ours_mb: int, expected: str | None) -> dict:
    """One boot of the Linux VM with MEM_AIM_X * ``ours_mb`` - 1 MiB: when
    it fails the check, the VM needs at least MEM_AIM_X times ours (the
    memory aim is met without searching the VM's smallest memory, ~10
    boots). Returns {"mem_mb", "ok"}."""
    mem = MEM_AIM_X * ours_mb - 1

    def start(port, m):
        return ad.linux_vm_cmd(spec, target, port, m), None
    port = apps.nc.free_port() if spec.kind != "cli" else None
    try:
        ok = apps.boot(VM, spec, start, mem, apps.TIMEOUT[VM], expected, port=port)["ok"]
    except BaselineError:
        ok = False
    return {"mem_mb": mem, "ok": ok}


def measure_binary(name: str, targets: list[str], boots: int, vm_boots: int, mem_budget_s: float | None,
                   wrk_seconds: int, redis_n: int, quick: bool, search_vm: bool) -> dict:
    """Every system's row for one binary. Smallest memory on MEM_TARGET
    when ``mem_budget_s``: binary mode's (both kernels) and the
    from-source build's; the Linux VM's too with ``search_vm``,
    else a memory-aim probe of the VM (one boot instead of ~10)."""
    spec = BINARIES[name]
    log(f"binary: {name}")
    out: dict = {"kind": spec.kind, "package": PACKAGE[name], "binary": "/" + spec.binary, "args": list(spec.args),
                 "rows": [], "kernels": {}}
    try:
        out["debian"] = ad.versions(spec)
        expected, err = apps.reference(spec)
    except BaselineError as e:
        expected, err = None, str(e).splitlines()[0]
    out["reference_error"], out["reference"] = err, expected

    def run(system, where, start, mem_range=None, budget=None, n=boots):
        return apps.measure_system(system, where, spec, start, expected, n, mem_range, budget, wrk_seconds, redis_n)

    with tempfile.TemporaryDirectory() as work:
        def host_start(port, mem):
            return ad.host_cmd(spec, port, Path(work))
        try:
            out["rows"].append(run(HOST, "host", host_start))
        except BaselineError as e:
            out["rows"].append(_failed(HOST, "host", e))

    for target in targets:
        budget = mem_budget_s if target == MEM_TARGET else None
        out["kernels"][target] = {}
        for system, specialize in ((BIN, False), (SPEC, True)):
            key = "specialised" if specialize else "generic"
            try:
                b = BinaryMode(spec, target, specialize)
                out["kernels"][target][key] = b.sizes()
                row = run(system, target, b.cmd, (ad.TARGETS[target].min_memory_mb, OUR_MEM_HI), budget)
            except apps.NotBuilt as e:
                row = _failed(system, target, e, "not built")
            except BaselineError as e:
                row = _failed(system, target, e)
            out["rows"].append(row)

        if name not in APPS:
            out["rows"].append({"system": SRC, "where": target, "status": "n/a",
                                "error": f"{name} is not one of issue 10's applications (no from-source build)"})
        else:
            try:
                ours = apps.Ours(spec, target, lto=not quick)
                out.setdefault("source_sizes", {})[target] = {"image_bytes": ours.res.image.stat().st_size,
                                                              "lto": ours.lto, "build_s": round(ours.build_s, 1)}
                out["rows"].append(run(SRC, target, ours.cmd, (ours.project.target.min_memory_mb, OUR_MEM_HI),
                                       budget))
            except apps.NotBuilt as e:
                out["rows"].append(_failed(SRC, target, e, "not built"))
            except BaselineError as e:
                out["rows"].append(_failed(SRC, target, e))

        def vm_start(port, mem, target=target):
            return ad.linux_vm_cmd(spec, target, port, mem or LINUX_MEM_MB), None
        try:
            row = run(VM, target, vm_start, LINUX_MEM, budget if search_vm else None, n=vm_boots)
            row["initramfs_bytes"] = ad.initramfs(spec, ad.TARGETS[target].machine, None).stat().st_size
        except BaselineError as e:
            row = _failed(VM, target, e)
        if budget and not search_vm and row.get("status") == "ok":
            ours_mb = sorted({m for r in out["rows"] if r["where"] == target and r["system"] in (BIN, SPEC)
                              and (m := (r.get("min_memory") or {}).get("min_mem_mb"))})
            row["memory_probes"] = [vm_memory_probe(spec, target, m, expected) for m in ours_mb]
        out["rows"].append(row)
    return out


def measure(targets: list[str] | None = None, binaries: list[str] | None = None, boots: int = 3,
            vm_boots: int | None = None, mem_budget_s: float | None = 120.0, wrk_seconds: int = 5,
            redis_n: int = 20000, floor_runs: int = 5, quick: bool = False,
            search_vm: bool | None = None) -> dict:
    """Everything, for ``binaries`` (default all six) on ``targets``
    (default both x86_64 machines; --quick: pc only). ``search_vm``:
    search the Linux VM's smallest memory too (default: not in a quick
    run; the memory aim is then judged by one probe of the VM)."""
    targets = targets or (TARGETS_QUICK if quick else TARGETS_FULL)
    search_vm = not quick if search_vm is None else search_vm
    vm_boots = vm_boots or boots
    unknown = [b for b in binaries or [] if b not in BINARIES]
    if unknown:
        raise BaselineError(f"unknown binary {', '.join(unknown)}; choose from {', '.join(BINARIES)}")
    load = os.getloadavg()
    res = {"quick": quick, "boots": boots, "vm_boots": vm_boots, "memory_searched_vm": search_vm,
           "loadavg_start": [round(x, 2) for x in load],
           # more runnable work than half the cores: the timings are noisy
           "loaded_host": load[0] > LOADED * (os.cpu_count() or 1),
           "wrk": {"threads": 1, "conns": 10, "seconds": wrk_seconds},
           "redis_benchmark": {"requests": redis_n, "clients": 10, "tests": "set,get", "pipelines": [1, 16]},
           "targets": targets, "mem_target": MEM_TARGET, "binaries": {}, "floor": {}}
    for target in targets:
        try:
            res["floor"][target] = vmm_floor.vmm_floor("x86_64", ad.TARGETS[target].machine, runs=floor_runs)
        except BaselineError as e:
            res["floor"][target] = {"error": str(e).splitlines()[0]}
    for name in binaries or list(BINARIES):
        res["binaries"][name] = measure_binary(name, targets, boots, vm_boots, mem_budget_s, wrk_seconds, redis_n,
                                               quick, search_vm)
    res["aims"] = aims(res)
    res["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    return res


from binary_report import aims, errors, tables  # noqa: E402,F401  (the report half)
