"""Issue 10's applications (sqlite3, lua5.4, nginx, redis, python3) measured
side by side in one run (`./dev bench --only apps [--quick]`):

- uniforge: the app folder apps/<app> built with CONFIG_OPTIMIZE_LTO=y
  (and --gc-sections, always on) from a copy of it, booted with the
  runner's own QEMU command line (rootfs, forwards, user networking); an
  app folder not in the tree is a row saying "not built", never a number;
- a Linux VM: Debian's own binary of the same version in a minimal
  initramfs on the Debian kernel, same QEMU machine, networking and
  forwards (app_debian.py);
- the same binary as a host process;
- Unikraft's published figures (app_specs.AppSpec.uk_*).

Per app: the stripped image size and its size by library (uniforge size's
figures); boot to ready (VMM start, or process start, to the first output
line / the first answer through the forward: app_specs), the VMM floor of
the same machine beside it (the VMM's own start-up: what is above it is
the guest's); the smallest -m passing the app's own check (bisection,
bounded; the host: the process's peak RSS); throughput: wrk on nginx's
page, redis-benchmark SET/GET without and with -P 16. Then the issue's
aims, each met or not from these numbers.

    measure(targets, ...) -> result (benchmarks/results/apps.json)
    tables(result) / errors(result) / aims(result)
"""
from __future__ import annotations

import os
import select
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import app_clients as ac
import app_debian as ad
import net_client as nc
from bench_net import fresh_app
from app_specs import APPS, READY, AppSpec, after_marker, output_matches
from common import REPO_DIR, BaselineError, console_log, log

APPS_DIR = REPO_DIR / "apps"
TARGETS_FULL = ["qemu/x86_64", "microvm/x86_64"]
TARGETS_QUICK = ["qemu/x86_64"]
MEM_TARGET = "qemu/x86_64"          # where the smallest-memory searches run
LTO = "CONFIG_OPTIMIZE_LTO=y"
OUR_MEM_HI, LINUX_MEM = 256, (24, 512)
LINUX_MEM_MB = 256                  # the Linux VM's -m for boots and throughput
TIMEOUT = {"uniforge": 60.0, "Linux VM": 120.0, "Linux host": 30.0}   # seconds; other systems: uniforge's
SYSTEMS = ("uniforge", "Linux VM", "Linux host")


class NotBuilt(BaselineError):
    """The app folder is not in this tree, or it does not build."""


# ---------------------------------------------------------------- uniforge

class Ours:
    """An app built by uniforge for one target: LTO first (unless ``lto``
    is false), without it when that fails (``lto_error`` says why)."""

    def __init__(self, spec: AppSpec, target: str, lto: bool = True):
        from uniforge.errors import UserError
        from uniforge.project import Project
        from uniforge.config import parse_set
        src = APPS_DIR / spec.name
        if not (src / "uniforge.yaml").exists():
            raise NotBuilt(f"not built: apps/{spec.name} is not in this tree")
        self.spec, self.target, self.lto_error = spec, target, None
        copy = fresh_app(src, "app-builds")
        t0 = time.perf_counter()
        for sets in ([LTO], []) if lto else ([],):
            try:
                self.project = Project(copy, target, sets=parse_set(sets))
                self.res = self.project.build(progress=lambda *a: None)
                break
            except UserError as e:
                if not sets:
                    raise NotBuilt(f"does not build for {target}: {str(e).splitlines()[0][:300]}") from None
                self.lto_error = str(e).splitlines()[0][:300]
        self.lto = lto and self.lto_error is None
        self.build_s = time.perf_counter() - t0
        self.initrd = self._initrd()

    def _initrd(self) -> Path | None:
        """The initrd `uniforge run` passes: the libraries' rootfs files,
        then the manifest's rootfs: over them (uniforge.rootfs.pack_layers)."""
        from uniforge import rootfs
        p = self.project
        folders = [p.manifest.rootfs] if p.manifest.rootfs is not None else []
        return rootfs.pack_layers(self.res.model.rootfs, folders, p.build_dir / "rootfs.cpio")

    def without_lto(self) -> dict:
        """The same app built without LTO: its image size and size by
        library (under LTO most code is the link's own "(linker)" objects,
        so the breakdown by library comes from this build). Raises
        BaselineError."""
        from uniforge.errors import UserError
        from uniforge.project import Project
        from uniforge.size import parse_map
        try:
            res = Project(self.project.app_dir, self.target).build(progress=lambda *a: None)
        except UserError as e:
            raise BaselineError(f"without LTO: {str(e).splitlines()[0][:300]}") from None
        return {"image_bytes": res.image.stat().st_size, "libraries": _libs(parse_map(res.map_file.read_text()))}

    def sizes(self) -> dict:
        from uniforge.size import parse_map
        rows = parse_map(self.res.map_file.read_text())
        return {"image_bytes": self.res.image.stat().st_size, "lto": self.lto, "lto_error": self.lto_error,
                "initrd_bytes": self.initrd.stat().st_size if self.initrd else 0,
                "build_s": round(self.build_s, 1),
                "libraries": _libs(rows)}

    def cmd(self, port: int | None, mem: int | None) -> tuple[list[str], dict]:
        from uniforge.runner import RunSpec, command_line
        from uniforge.runner.net import PortForward
        p, res, spec = self.project, self.res, self.spec
        run = RunSpec(target=p.target, image=res.image, image_dbg=None,
                      app_args=list(spec.args) if spec.kind == "cli" else list(p.manifest.cmd),
                      env=dict(p.manifest.env), memory_mb=mem or p.manifest.memory_mb, accel="tcg",
                      initrd=self.initrd,
                      wall_clock={"uktime", "uklibparam"} <= {lib.name for lib in res.model.libs},
                      ports=[PortForward("127.0.0.1", port, spec.guest_port)] if port else [],
                      net="user" if port else None, dot_config=p.dot_config)
        argv, env, _, _ = command_line(run)
        return argv, {**os.environ, **env}


def _libs(rows) -> list[dict]:
    return [{"name": r.name, "text": r.text, "data": r.data, "bss": r.bss, "total": r.total} for r in rows]


# ---------------------------------------------------------------- one run

class Proc:
    """A started VMM or process; stdout+stderr to a file; peak RSS and CPU
    time from wait4 when it ends (``rusage``). Stopped by the with block."""

    def __init__(self, argv: list[str], env: dict | None = None, cwd: Path | None = None):
        self.log = console_log()          # the child appends: console() may seek
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=env, cwd=cwd)
        self.rusage = None
        self.status = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def _reap(self, block: bool) -> bool:
        """Collect the exit (status, rusage) once; True when it has ended."""
        if self.status is not None:
            return True
        pid, status, ru = os.wait4(self.proc.pid, 0 if block else os.WNOHANG)
        if not pid:
            return False
        self.status = self.proc.returncode = os.waitstatus_to_exitcode(status)
        self.rusage = ru
        return True

    def alive(self) -> bool:
        return not self._reap(False)

    def peak_rss_kib(self) -> int | None:
        """VmHWM of the live process (a host server's peak RSS)."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    def wait(self, deadline: float) -> bool:
        """Wait for the exit until ``deadline`` (perf_counter); False (and
        killed) past it."""
        while time.perf_counter() < deadline:
            if self._reap(False):
                return True
            time.sleep(0.005)
        self.stop()
        return False

    def stop(self) -> None:
        if self.status is None:
            try:
                self.proc.kill()
            except ProcessLookupError:
                pass
            self._reap(True)

    def console(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def wait_marker(self, deadline: float) -> float | None:
        """Seconds from the start to the first line starting with READY."""
        while time.perf_counter() < deadline:
            if after_marker(self.console()) is not None:
                return time.perf_counter() - self.t0
            if not self.alive():
                return (time.perf_counter() - self.t0) if after_marker(self.console()) is not None else None
            select.select([], [], [], 0.002)
        return None


def boot(system: str, spec: AppSpec, start, mem: int | None, timeout: float,
         expected: str | None, keep: bool = False, port: int | None = None):
    """One boot (or process start) of ``spec``: ready time and check.

    Returns {"ok", "ready_s", "why"?} (+ "peak_rss_kib" on the host); with
    ``keep`` a server is left running and returned as (result, Proc)."""
    argv, env = start(port, mem)
    p = Proc(argv, env)
    deadline = p.t0 + timeout
    out = {"ok": False, "ready_s": None}
    try:
        if spec.kind == "cli":
            out["ready_s"] = p.wait_marker(deadline)
            p.wait(deadline)
            con = p.console()
            if out["ready_s"] is None:
                out["why"] = f"no {READY} line; console ends {con[-300:]!r}"
            elif expected is None:
                out["why"] = "no reference output (the host's Debian binary failed)"
            elif not output_matches(con, expected, frame=spec.frame_check):
                out["why"] = f"output differs from Debian's: {(after_marker(con) or '')[:200]!r}"
            else:
                out["ok"] = True
            if system == "Linux host":
                out["peak_rss_kib"] = ad.parse_peak_rss(con)
            return out
        wait = nc.wait_http if spec.kind == "http" else ac.wait_redis
        out["ready_s"] = wait(port, p.t0, deadline, alive=p.alive)
        if out["ready_s"] is None:
            out["why"] = f"never answered ({'running' if p.alive() else 'exited'}); console ends " \
                         f"{p.console()[-300:]!r}"
            return out
        if Path(argv[0]).name.startswith("qemu-system"):
            # QEMU's user network listens with a backlog of 1: ten clients
            # connecting at once lose SYNs (uniforge/runner/backlog.py)
            from uniforge.runner import backlog
            from uniforge.runner.net import PortForward
            problems = backlog.widen(p.proc.pid, [PortForward("127.0.0.1", port, 0)])
            if problems:
                out["why"] = f"the forward's listen backlog stayed at 1: {problems[0]}"
                return out
        why = server_check(spec, port)
        out["ok"] = why is None
        if why:
            out["why"] = why
        if keep:
            p_kept, p = p, None
            return out, p_kept
        if system == "Linux host":
            out["peak_rss_kib"] = p.peak_rss_kib()
        return out
    finally:
        if p is not None:
            p.stop()
            p.log.close()


def server_check(spec: AppSpec, port: int) -> str | None:
    if spec.kind == "redis":
        return ac.redis_check(port)
    try:
        status, body = ac.http_get(port)
    except (OSError, ValueError, IndexError) as e:
        return f"GET /: {e}"
    page = ad.nginx_page().read_bytes()
    if status != 200 or body != page:
        return f"GET / answered {status} with {len(body)} bytes (want 200, nginx's {len(page)}-byte page)"
    return None


def throughput(spec: AppSpec, port: int, wrk_seconds: int, redis_n: int) -> dict:
    if spec.kind == "http":
        return {"wrk": nc.run_wrk(port, threads=1, conns=10, seconds=wrk_seconds)}
    return {"redis": {f"P{pl}": ac.run_redis_benchmark(port, redis_n, pipeline=pl) for pl in (1, 16)}}


# ---------------------------------------------------------------- a system

def measure_system(system: str, where: str, spec: AppSpec, start, expected: str | None, boots: int,
                   mem_range: tuple[int, int] | None, mem_budget_s: float | None, wrk_seconds: int,
                   redis_n: int) -> dict:
    """Boot to ready (median of ``boots``), the check, throughput on the
    last boot (servers), the smallest memory (VMs, when ``mem_budget_s``);
    a part that fails is recorded as <part>_error, the others still run."""
    row = {"system": system, "where": where, "status": "ok"}
    timeout = TIMEOUT.get(system, TIMEOUT["uniforge"])
    runs = []
    for i in range(boots):
        port = nc.free_port() if spec.kind != "cli" else None
        last = i == boots - 1 and spec.kind != "cli"
        try:
            r = boot(system, spec, start, None, timeout, expected, keep=last, port=port)
        except BaselineError as e:
            row.update(status="failed", error=str(e).splitlines()[0][:400])
            return row
        if last:
            r, srv = r if isinstance(r, tuple) else (r, None)
            if srv is not None:
                with srv:
                    try:
                        row["throughput"] = throughput(spec, port, wrk_seconds, redis_n)
                    except BaselineError as e:
                        row["throughput_error"] = str(e).splitlines()[0][:400]
                    if system == "Linux host":
                        r["peak_rss_kib"] = srv.peak_rss_kib()
                srv.log.close()
        runs.append(r)
    good = [r for r in runs if r["ok"]]
    row["ready_runs_s"] = [r["ready_s"] for r in runs]
    row["ready_s"] = statistics.median([r["ready_s"] for r in good]) if good else None
    row["check_ok"] = len(good) == len(runs)
    if not good or len(good) < len(runs):
        row["check_error"] = next(r.get("why") for r in runs if not r["ok"])
        if not good:
            row["status"] = "failed"
    rss = [r["peak_rss_kib"] for r in runs if r.get("peak_rss_kib")]
    if rss:
        row["peak_rss_kib"] = max(rss)
    if mem_range and mem_budget_s and good:
        def probe(m: int, t: float | None) -> bool:
            port = nc.free_port() if spec.kind != "cli" else None
            try:
                return boot(system, spec, start, m, t or timeout, expected, port=port)["ok"]
            except BaselineError:
                return False
        log(f"apps: {spec.name}: {system} {where}: smallest memory")
        row["min_memory"] = ac.bisect_min(probe, *mem_range, budget_s=mem_budget_s)
    return row


def reference(spec: AppSpec) -> tuple[str | None, str | None]:
    """(the host's Debian binary's output after its marker, error)."""
    if spec.kind != "cli":
        return None, None
    with tempfile.TemporaryDirectory() as tmp:
        argv, env = ad.host_cmd(spec, None, Path(tmp))
        p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, cwd=tmp)
    rest = after_marker(p.stdout)
    if p.returncode != 0 or rest is None:
        return None, f"Debian's {spec.binary} failed ({p.returncode}): {p.stderr.strip()[-300:]}"
    return rest, None


def measure_app(spec: AppSpec, targets: list[str], boots: int, mem_budget_s: float | None, wrk_seconds: int,
                redis_n: int, linux_memory: bool = True, without_lto: bool = True) -> dict:
    log(f"apps: {spec.name}")
    out: dict = {"kind": spec.kind, "args": list(spec.args), "rows": [], "sizes": {}}
    try:
        out["debian"] = ad.versions(spec)
        expected, err = reference(spec)
    except BaselineError as e:
        expected, err = None, str(e).splitlines()[0]
    out["reference_error"] = err
    out["reference"] = expected
    with tempfile.TemporaryDirectory() as work:
        def host_start(port, mem):
            return ad.host_cmd(spec, port, Path(work))
        try:
            out["rows"].append(measure_system("Linux host", "host", spec, host_start, expected, boots, None, None,
                                              wrk_seconds, redis_n))
        except BaselineError as e:
            out["rows"].append({"system": "Linux host", "where": "host", "status": "failed", "error": str(e)})
    for target in targets:
        mem_budget = mem_budget_s if target == MEM_TARGET else None
        try:
            ours = Ours(spec, target)
            out["sizes"][target] = ours.sizes()
            if without_lto and ours.lto and target == targets[0]:
                try:
                    out["sizes"][target]["without_lto"] = ours.without_lto()
                except BaselineError as e:
                    out["sizes"][target]["without_lto_error"] = str(e)
            out["rows"].append(measure_system("uniforge", target, spec, ours.cmd, expected, boots,
                                              (ours.project.target.min_memory_mb, OUR_MEM_HI), mem_budget,
                                              wrk_seconds, redis_n))
        except NotBuilt as e:
            out["rows"].append({"system": "uniforge", "where": target, "status": "not built", "error": str(e)})
        except BaselineError as e:
            out["rows"].append({"system": "uniforge", "where": target, "status": "failed", "error": str(e)})

        def vm_start(port, mem, target=target):
            return ad.linux_vm_cmd(spec, target, port, mem or LINUX_MEM_MB), None
        try:
            row = measure_system("Linux VM", target, spec, vm_start, expected, boots, LINUX_MEM,
                                 mem_budget if linux_memory else None,
                                 wrk_seconds, redis_n)
            row["initramfs_bytes"] = ad.initramfs(spec, ad.TARGETS[target].machine, None).stat().st_size
            out["rows"].append(row)
        except BaselineError as e:
            out["rows"].append({"system": "Linux VM", "where": target, "status": "failed", "error": str(e)})
    return out


def measure(targets: list[str] | None = None, apps: list[str] | None = None, boots: int = 3,
            mem_budget_s: float | None = 90.0, wrk_seconds: int = 5, redis_n: int = 20000,
            floor_runs: int = 5, quick: bool = False, linux_memory: bool | None = None) -> dict:
    """Everything, for ``apps`` (default all five) on ``targets`` (x86_64;
    default both machines, --quick: pc only). ``linux_memory``: search the
    Linux VM's smallest memory too (default: not in a quick run, where
    its ~10 boots per app would take most of the time)."""
    import vmm_floor
    targets = targets or (TARGETS_QUICK if quick else TARGETS_FULL)
    linux_memory = not quick if linux_memory is None else linux_memory
    unknown = [a for a in apps or [] if a not in APPS]
    if unknown:
        raise BaselineError(f"unknown app {', '.join(unknown)}; choose from {', '.join(APPS)}")
    res = {"quick": quick, "linux_memory_searched": linux_memory, "boots": boots,
           "wrk": {"threads": 1, "conns": 10, "seconds": wrk_seconds},
           "redis_benchmark": {"requests": redis_n, "clients": 10, "tests": "set,get", "pipelines": [1, 16]},
           "targets": targets, "apps": {}, "floor": {}}
    for target in targets:
        try:
            res["floor"][target] = vmm_floor.vmm_floor("x86_64", ad.TARGETS[target].machine, runs=floor_runs)
        except BaselineError as e:
            res["floor"][target] = {"error": str(e).splitlines()[0]}
    for name in apps or list(APPS):
        res["apps"][name] = measure_app(APPS[name], targets, boots, mem_budget_s, wrk_seconds, redis_n,
                                        linux_memory, without_lto=not quick)
    res["linux_kernel_bytes"] = linux_image_bytes()
    res["aims"] = aims(res)
    return res


def linux_image_bytes() -> int | None:
    from linux_kernel import cached_linux_kernel
    k = cached_linux_kernel("x86_64")
    return k.stat().st_size if k else None


from apps_report import aims, errors, tables  # noqa: E402,F401  (the report half)
