"""Networking: the same two servers run three ways and are driven from the
host through QEMU's user-mode network (slirp) with the same host forwards:

- ours: apps/httpreply and benchmarks/apps/netbulk built by uniforge and
  booted with the runner's own QEMU command line, NIC and forwards, the
  address set statically (netdev.ip=10.0.2.15/24, as the Linux VM's);
- a Linux VM: the same C files built static with musl, run from the
  initramfs of the Debian kernel the other baselines boot (net_linux.py:
  its virtio-net modules loaded, 10.0.2.15/24), same QEMU, machine,
  accelerator (TCG) and network words;
- the host: the same static binaries as Linux processes.

Figures (net_client.py drives them):

- HTTP: wrk --latency (-t1 -c10 -d5s by default) against httpreply's
  612-byte page: requests/s, the latency percentiles, and the VMM's CPU
  time per request;
- TCP bulk: MB/s host -> guest (netbulk SINK) and guest -> host (SOURCE),
  the byte count checked at the other end (and the VMM's CPU ms per MB);
- boot to answer: wall time from starting the VMM (the process, on the
  host) to the first complete HTTP answer through the forwarded port (the
  first connection the server accepted: slirp's host socket accepts
  before the guest listens, so only an answer proves it), median of a few
  boots; the VMM floor (vmm_floor.py) of the same machine beside it;
- memory: the smallest -m (MiB) at which httpreply answers 100
  connections open at once (binary search, each probe a boot).

    measure(targets, ...) -> {"rows": [...], "floor": {...}, ...}
    tables(result)        -> [rich Table]
    errors(result)        -> ["what could not be measured: why"]
"""
from __future__ import annotations

import platform
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import net_client as nc
from common import CACHE_DIR, REPO_DIR, BaselineError, console_log, log
from console_timing import threads_run_ns
from net_linux import build_musl, linux_net_cmd
from programs import APPS_DIR, LINUX_MACHINE, build_app
from uniforge import rootfs
from uniforge.runner import RunSpec
from uniforge.runner.net import PortForward
from uniforge.runner.qemu import command

HTTPREPLY_APP = REPO_DIR / "apps" / "httpreply"
NETBULK_APP = APPS_DIR / "netbulk"
# The servers: their app folder (whose .c files the Linux builds compile)
# and the port they listen on in a guest.
PROGRAMS = {"httpreply": (HTTPREPLY_APP, 8080), "netbulk": (NETBULK_APP, 9000)}
DOCROOT = {"httpreply": "/www"}     # httpreply's second argument (only / is fetched)
# Where ours runs (and the Linux VM beside it).
NET_TARGETS = {"x86_64": ["qemu/x86_64", "microvm/x86_64"], "arm64": ["qemu/arm64"]}
STATIC_IP = ["netdev.ip=10.0.2.15/24", "netdev.gw=10.0.2.2"]
LINUX_MEM_MB = 256          # the Linux VM's -m for HTTP, bulk and boot
LINUX_MEM_RANGE = (16, 256)
OUR_MEM_HI = 64
CONCURRENT = 100
SYSTEMS = ("uniforge", "Linux VM", "Linux host")


def linux_binary(name: str, arch: str) -> Path:
    """The program built static with musl for Linux from its app folder's
    C files (the same sources uniforge builds)."""
    app = PROGRAMS[name][0]
    srcs = sorted(app.glob("*.c"))
    if not srcs:
        raise BaselineError(f"{app} has no .c file")
    return build_musl(arch, srcs, name=name)


def program_args(name: str, port: int) -> list[str]:
    return [str(port)] + ([DOCROOT[name]] if name in DOCROOT else [])


@dataclass
class System:
    """One place the servers run: how to start one of them with a given
    memory size, its host port given."""
    name: str                  # SYSTEMS
    where: str                 # a uniforge target, or "host"
    start: Callable[[str, int, int | None], list[str]]    # (program, host port, mem MiB) -> argv
    mem_range: tuple[int, int] | None                     # min-memory search bounds; None: not a VM
    answer_timeout: float      # seconds a boot may take to answer


def fresh_app(app: Path, folder: str = "net-apps") -> Path:
    """A copy of ``app`` under benchmarks/cache/<folder>/ whose build
    starts from its manifest alone: a build folder's saved .config is
    kept as menuconfig's choices, so one left by an older tree (say, from
    before posix-socket selected a scheduler) would otherwise decide the
    configuration. The copy keeps its objects, so rebuilding is quick;
    the app's own folder is left as it is."""
    dest = CACHE_DIR / folder / app.name
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.iterdir():
        if old.name != ".uniforge":
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    shutil.copytree(app, dest, ignore=shutil.ignore_patterns(".uniforge"), dirs_exist_ok=True)
    for cfg in (dest / ".uniforge").glob("build/*/.config"):
        cfg.unlink()
    return dest


def our_system(target: str) -> System:
    """uniforge: the apps built for ``target``, booted with the runner's
    QEMU line (its NIC and -netdev words when the runner has them)."""
    built: dict[str, tuple] = {}

    def start(prog: str, port: int, mem: int | None) -> list[str]:
        if prog not in built:
            p, res = build_app(fresh_app(PROGRAMS[prog][0]), target)
            # the manifest's rootfs: packed as `uniforge run` does
            initrd = rootfs.pack(p.manifest.rootfs, p.build_dir / "rootfs.cpio") if p.manifest.rootfs else None
            built[prog] = p, res, initrd
        p, res, initrd = built[prog]
        guest = PROGRAMS[prog][1]
        spec = RunSpec(target=p.target, image=res.image, image_dbg=None, app_args=program_args(prog, guest),
                       kernel_args=list(STATIC_IP), memory_mb=mem or p.manifest.memory_mb,
                       initrd=initrd,
                       ports=[PortForward("127.0.0.1", port, guest)], net="user")
        return command(spec, "tcg")

    from uniforge.targets import TARGETS
    return System("uniforge", target, start, (TARGETS[target].min_memory_mb, OUR_MEM_HI), 30.0)


def linux_vm_system(target: str) -> System:
    arch, _ = LINUX_MACHINE[target]

    def start(prog: str, port: int, mem: int | None) -> list[str]:
        guest = PROGRAMS[prog][1]
        return linux_net_cmd(target, {prog: linux_binary(prog, arch)}, [f"/{prog}", *program_args(prog, guest)],
                             [(port, guest)], mem or LINUX_MEM_MB)

    return System("Linux VM", target, start, LINUX_MEM_RANGE, 60.0)


def host_system() -> System:
    def start(prog: str, port: int, mem: int | None) -> list[str]:
        return [str(linux_binary(prog, "x86_64")), *program_args(prog, port)]

    return System("Linux host", "host", start, None, 10.0)


class NoAnswer(BaselineError):
    """The server started but never answered (a boot that failed or hung)."""


class Server:
    """A started server (VMM or process); its console goes to a file so a
    failure can quote it. Always stopped by the `with` block."""

    def __init__(self, cmd: list[str]):
        self.cmd = cmd
        self.log = console_log()          # the child appends: console() may seek
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self) -> None:
        """Kill the server; its console stays readable."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        if not self.log.closed:
            self._text = self.console()
            self.log.close()

    def console(self) -> str:
        if self.log.closed:
            return self._text
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def fail(self, what: str, cls: type = BaselineError) -> BaselineError:
        state = "running" if self.proc.poll() is None else f"exited {self.proc.returncode}"
        return cls(f"{what} ({state}); console ends: {self.console()[-300:]!r}")


def boot_and_answer(system: System, prog: str, mem: int | None = None,
                    timeout: float | None = None) -> tuple[Server, int, float]:
    """Start ``prog`` on ``system``; returns the server (running), its host
    port and the seconds to its first HTTP answer (netbulk: to a 1-byte
    SOURCE) within ``timeout`` (default system.answer_timeout). Raises
    NoAnswer (the server stopped) when none comes, and BaselineError when
    it cannot be started (a build that fails)."""
    port = nc.free_port()
    srv = Server(system.start(prog, port, mem))
    deadline = srv.t0 + (timeout or system.answer_timeout)
    if prog == "httpreply":
        t = nc.wait_http(port, srv.t0, deadline, alive=lambda: srv.proc.poll() is None)
    else:
        t = None
        while time.perf_counter() < deadline and srv.proc.poll() is None:
            try:
                nc.bulk_from_guest(port, 1, timeout=2.0)
                t = time.perf_counter() - srv.t0
                break
            except (OSError, BaselineError):
                time.sleep(0.02)
    if t is None:
        err = srv.fail(f"{prog} on {system.name} {system.where} never answered", NoAnswer)   # running or exited
        srv.stop()
        raise err
    return srv, port, t


def measure_http(system: System, boots: int, wrk: dict) -> dict:
    """Boot ``boots`` times, timing each to its first answer; on the last
    boot run wrk. ``cpu_us_per_req``: the CPU time the VMM's threads (on
    the host: the server process) used during wrk's run per request, the
    figure a loaded host hardly moves (wrk's own CPU is not in it)."""
    times = []
    for i in range(boots):
        srv, port, t = boot_and_answer(system, "httpreply")
        with srv:
            times.append(t)
            if i == boots - 1:
                cpu0 = threads_run_ns(srv.proc.pid)
                try:
                    res = nc.run_wrk(port, **wrk)
                except BaselineError as e:
                    raise srv.fail(str(e)) from None
                res["cpu_us_per_req"] = (threads_run_ns(srv.proc.pid) - cpu0) / 1000 / res["requests"]
    return {"boot_answer_s": statistics.median(times), "boot_answer_runs_s": times, "http": res}


def measure_bulk(system: System, nbytes: int) -> dict:
    """MB/s each way, and the VMM's (the process's) CPU ms per MB moved."""
    srv, port, _ = boot_and_answer(system, "netbulk")
    with srv:
        try:
            cpu0 = threads_run_ns(srv.proc.pid)
            to_guest = nc.bulk_to_guest(port, nbytes)
            cpu1 = threads_run_ns(srv.proc.pid)
            from_guest = nc.bulk_from_guest(port, nbytes)
            cpu2 = threads_run_ns(srv.proc.pid)
        except (OSError, BaselineError) as e:
            raise srv.fail(f"bulk transfer: {e}") from None
    mb = nbytes / 1e6
    return {"bulk_bytes": nbytes, "to_guest_mb_s": mb / to_guest, "from_guest_mb_s": mb / from_guest,
            "to_guest_cpu_ms_per_mb": (cpu1 - cpu0) / 1e6 / mb, "from_guest_cpu_ms_per_mb": (cpu2 - cpu1) / 1e6 / mb}


def serves_concurrently(system: System, mem: int, timeout: float | None = None, conns: int = CONCURRENT) -> dict:
    """One memory probe: boot with -m ``mem``, then ``conns`` connections
    open at once each get the page. A boot that does not answer within
    ``timeout`` is a failed probe; a server that cannot be started at all
    raises BaselineError."""
    probe = {"mem_mb": mem, "ok": False}
    try:
        srv, port, t = boot_and_answer(system, "httpreply", mem, timeout)
    except NoAnswer as e:
        return {**probe, "why": str(e).splitlines()[0][:200]}
    with srv:
        served = nc.concurrent_gets(port, conns)
        again = nc.wait_http(port, time.perf_counter(), time.perf_counter() + 5.0) is not None
    return {**probe, "ok": served == conns and again, "served": served, "answered_s": round(t, 3),
            "alive_after": again}


def min_memory(system: System, budget_s: float, probe=serves_concurrently) -> dict:
    """Smallest -m in system.mem_range at which ``probe`` passes: a binary
    search, the answer probed once more (stepping up 1 MiB while it fails:
    Linux's KASLR moves the boundary a little between boots). Bounded by
    ``budget_s``: past it the best size found so far, "exact": False. A
    probe below the boundary may hang rather than fail: each gets 3x the
    time the first (``hi``) boot took to answer, at least 10 s.
    ``probe`` is a parameter so the search is testable without QEMU."""
    lo, hi = system.mem_range
    t0 = time.perf_counter()
    probes = []
    timeout = None

    def ok(m: int) -> bool:
        r = probe(system, m, timeout)
        probes.append(r)
        return r["ok"]

    if not ok(hi):
        return {"min_mem_mb": None, "exact": False, "probes": probes,
                "note": f"does not serve {CONCURRENT} connections even with {hi} MiB"}
    timeout = max(10.0, 3 * probes[0].get("answered_s", 10.0))
    good, bad, exact = hi, lo - 1, True
    while good - bad > 1:
        if time.perf_counter() - t0 > budget_s:
            exact = False
            break
        mid = (good + bad) // 2
        if ok(mid):
            good = mid
        else:
            bad = mid
    confirmed = not exact            # out of time already: nothing to confirm
    while not confirmed and good < hi:
        if time.perf_counter() - t0 > budget_s:
            exact = False
            break
        if ok(good):
            confirmed = True
        else:
            good += 1
    return {"min_mem_mb": good, "exact": exact, "probes": probes,
            "search_s": round(time.perf_counter() - t0, 1)}


def _err(e: Exception) -> str:
    return str(e).splitlines()[0][:400]


def measure_system(system: System, boots: int, wrk: dict, bulk_bytes: int, mem_budget_s: float | None) -> dict:
    """Every figure of one system; a part that fails is recorded as
    <part>_error and the others still run."""
    row = {"system": system.name, "where": system.where}
    log(f"net: {system.name} {system.where}: HTTP")
    silent = None
    try:
        row.update(measure_http(system, boots, wrk))
    except NoAnswer as e:
        row["http_error"] = silent = _err(e)
    except BaselineError as e:
        row["http_error"] = _err(e)
    log(f"net: {system.name} {system.where}: bulk")
    try:
        row.update(measure_bulk(system, bulk_bytes))
    except BaselineError as e:
        row["bulk_error"] = _err(e)
    if system.mem_range and mem_budget_s and silent:
        # it did not answer with its own memory size: a search would only
        # wait out one timeout per probe
        row["min_memory_error"] = "not searched: httpreply never answered with its default memory"
    elif system.mem_range and mem_budget_s:
        log(f"net: {system.name} {system.where}: smallest memory for {CONCURRENT} connections")
        try:
            row["min_memory"] = min_memory(system, mem_budget_s)
        except BaselineError as e:
            row["min_memory_error"] = _err(e)
    return row


def measure(targets: list[str], boots: int = 3, wrk_seconds: int = 5, wrk_conns: int = 10,
            bulk_mib: int = 32, mem_budget_s: float | None = 150.0, host: bool = True,
            floor_runs: int = 5) -> dict:
    import vmm_floor
    wrk = {"threads": 1, "conns": wrk_conns, "seconds": wrk_seconds}
    rows, floor = [], {}
    if host and platform.machine() == "x86_64":
        rows.append(measure_system(host_system(), boots, wrk, bulk_mib << 20, None))
    for target in targets:
        arch, machine = LINUX_MACHINE[target]
        rows.append(measure_system(our_system(target), boots, wrk, bulk_mib << 20, mem_budget_s))
        rows.append(measure_system(linux_vm_system(target), boots, wrk, bulk_mib << 20, mem_budget_s))
        try:
            floor[target] = vmm_floor.vmm_floor(arch, machine, runs=floor_runs)
        except BaselineError as e:
            floor[target] = {"error": _err(e)}
    return {"boots": boots, "wrk": wrk, "bulk_mib": bulk_mib, "concurrent": CONCURRENT,
            "rows": rows, "floor": floor}


def _x(base: float | None, ours: float | None, higher_better: bool = True) -> str:
    if not base or not ours:
        return "-"
    return f"{(ours / base if higher_better else base / ours):.1f}×"


def _us(x: float | None) -> str:
    """µs as at most 3 significant digits (the HTTP table must fit 80 columns)."""
    if x is None:
        return "-"
    if x < 1000:
        return f"{x:.0f} µs"
    if x < 1e6:
        ms = x / 1000
        return f"{ms:.2f} ms" if ms < 10 else f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"
    return f"{x / 1e6:.2f} s"


def _s(x: float | None) -> str:
    return "-" if x is None else f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def tables(result: dict) -> list:
    """HTTP, bulk, boot to answer and memory, each ours against the Linux
    VM on the same target ("×": how many times better ours is)."""
    from rich import box
    from rich.table import Table

    def table(title, cols, caption):
        t = Table(title=title, caption=caption, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
                  title_justify="left", caption_justify="left")
        t.add_column("system", no_wrap=True)
        t.add_column("where", no_wrap=True)
        for c in cols:
            t.add_column(c, justify="right", no_wrap=True)
        return t

    rows = result["rows"]
    vm = {r["where"]: r for r in rows if r["system"] == "Linux VM"}
    wrk = result["wrk"]
    http = table(f"HTTP: wrk -t{wrk['threads']} -c{wrk['conns']} -d{wrk['seconds']}s on httpreply's page",
                 ["req/s", "×", "p50", "p90", "p99", "CPU/req"],
                 "×: our req/s / the Linux VM's on the same target; CPU/req: the VMM's (host: the "
                 "process's) CPU time per request")
    bulk = table(f"TCP bulk, {result['bulk_mib']} MiB each way (MB/s)",
                 ["host→guest", "×", "guest→host", "×"], "×: ours / the Linux VM's on the same target")
    boot = table(f"Boot to the first HTTP answer (median of {result['boots']})", ["time", "×", "VMM floor"],
                 "×: the Linux VM's time / ours; VMM floor: QEMU start to a one-line guest's line")
    mem = table(f"Smallest -m serving {result['concurrent']} connections at once", ["MiB", "×"],
                "×: the Linux VM's / ours")
    for r in rows:
        base = vm.get(r["where"]) if r["system"] == "uniforge" else None
        h = r.get("http")
        if h:
            lat = h["latency_us"]
            http.add_row(r["system"], r["where"], f"{h['requests_per_s']:.0f}",
                         _x((base or {}).get("http", {}).get("requests_per_s"), h["requests_per_s"]),
                         _us(lat.get("p50")), _us(lat.get("p90")), _us(lat.get("p99")),
                         _us(h.get("cpu_us_per_req")))
        else:
            http.add_row(r["system"], r["where"], "failed", "-", "-", "-", "-", "-")
        if "to_guest_mb_s" in r:
            bulk.add_row(r["system"], r["where"], f"{r['to_guest_mb_s']:.0f}",
                         _x((base or {}).get("to_guest_mb_s"), r["to_guest_mb_s"]),
                         f"{r['from_guest_mb_s']:.0f}", _x((base or {}).get("from_guest_mb_s"), r["from_guest_mb_s"]))
        else:
            bulk.add_row(r["system"], r["where"], "failed", "-", "-", "-")
        fl = result["floor"].get(r["where"], {}) if r["system"] != "Linux host" else {}
        boot.add_row(r["system"], r["where"], _s(r.get("boot_answer_s")) if "http" in r else "failed",
                     _x(r.get("boot_answer_s"), (base or {}).get("boot_answer_s")),
                     _s(fl.get("time_to_line_s")))
        if r["system"] != "Linux host":
            m = (r.get("min_memory") or {}).get("min_mem_mb")
            bm = ((base or {}).get("min_memory") or {}).get("min_mem_mb")
            exact = (r.get("min_memory") or {}).get("exact", True)
            mem.add_row(r["system"], r["where"], "-" if m is None else f"{m}{'' if exact else ' (≤)'}",
                        _x(m, bm))
    searched = any("min_memory" in r or "min_memory_error" in r for r in rows)
    return [http, bulk, boot] + ([mem] if searched else [])


def errors(result: dict) -> list[str]:
    out = []
    for r in result["rows"]:
        for part in ("http", "bulk", "min_memory"):
            if r.get(f"{part}_error"):
                out.append(f"net {part} {r['system']} {r['where']}: {r[f'{part}_error']}")
        mm = r.get("min_memory")
        if mm and mm.get("min_mem_mb") is None:
            out.append(f"net min_memory {r['system']} {r['where']}: {mm.get('note')}")
    for target, fl in result["floor"].items():
        if fl.get("error"):
            out.append(f"net VMM floor {target}: {fl['error']}")
    return out
