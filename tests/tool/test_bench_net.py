"""benchmarks/bench_net.py without booting: wrk's report parsed, the
host-side clients against real servers on the host (netbulk.c built with
the host's gcc, a small keep-alive HTTP server in Python), the Linux VM's
module order, the memory search's bisection, and the tables at 80
columns."""
from __future__ import annotations

import io
import re
import socket
import subprocess
import sys
import threading
import time

import pytest
from rich.console import Console

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_net  # noqa: E402
import net_client as nc  # noqa: E402
import net_linux  # noqa: E402
from common import BaselineError  # noqa: E402

# wrk 4.1.0's report (Debian's wrk), with the error lines it adds when any.
WRK = """\
Running 5s test @ http://127.0.0.1:40111/
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.33ms    3.84ms   1.20s    94.28%
    Req/Sec     4.46k     5.18k   49.18k    70.00%
  Latency Distribution
     50%   19.00us
     75%    1.22ms
     90%    3.57ms
     99%  241.73ms
  20795 requests in 5.02s, 13.34MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 3
Requests/sec:   4142.43
Transfer/sec:      2.66MB
"""


def test_parse_wrk_reads_rate_percentiles_and_errors():
    r = nc.parse_wrk(WRK)
    assert r["requests"] == 20795 and r["requests_per_s"] == 4142.43
    assert r["duration_s"] == pytest.approx(5.02)
    assert r["latency_us"] == {"p50": 19.0, "p75": 1220.0, "p90": 3570.0, "p99": 241730.0}
    assert r["latency_mean_us"] == pytest.approx(1330.0) and r["latency_max_us"] == pytest.approx(1.2e6)
    assert r["errors"] == {"connect": 0, "read": 2, "write": 0, "timeout": 1}
    assert r["non_2xx"] == 3


def test_parse_wrk_refuses_a_report_without_figures():
    with pytest.raises(BaselineError, match="no wrk report"):
        nc.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")
    with pytest.raises(BaselineError, match="no request"):
        nc.parse_wrk(WRK.replace("20795 requests", "0 requests"))
    with pytest.raises(BaselineError, match="--latency"):
        nc.parse_wrk("\n".join(line for line in WRK.splitlines() if not re.match(r"\s+\d+%", line)))


def test_http_response_complete_needs_the_whole_body():
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
    assert not nc.http_response_complete(head[:-2])
    assert not nc.http_response_complete(head + b"abcd")
    assert nc.http_response_complete(head + b"abcde")
    assert not nc.http_response_complete(b"HTTP/1.1 200 OK\r\n\r\nno length")


class KeepAliveServer:
    """A tiny HTTP/1.1 keep-alive server on the host (a thread per
    connection), started after ``delay`` s: what httpreply looks like from
    the outside."""

    def __init__(self, delay: float = 0.0):
        self.port = nc.free_port()
        self.conns = 0
        self.sock = None
        self.stopped = False
        threading.Thread(target=self._run, args=(delay,), daemon=True).start()

    def _run(self, delay):
        time.sleep(delay)
        self.sock = socket.create_server(("127.0.0.1", self.port), backlog=128)
        while not self.stopped:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            self.conns += 1
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    @staticmethod
    def _serve(c):
        body = b"x" * 612
        with c:
            buf = b""
            while True:
                data = c.recv(4096)
                if not data:
                    return
                buf += data
                while b"\r\n\r\n" in buf:
                    _, _, buf = buf.partition(b"\r\n\r\n")
                    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 612\r\n\r\n" + body)

    def stop(self):
        self.stopped = True
        if self.sock:
            self.sock.close()


def test_wait_http_times_the_first_answer_and_gives_up_at_the_deadline():
    srv = KeepAliveServer(delay=0.3)
    try:
        t0 = time.perf_counter()
        t = nc.wait_http(srv.port, t0, t0 + 10)
        assert t is not None and 0.3 <= t < 1.5
    finally:
        srv.stop()
    t0 = time.perf_counter()
    assert nc.wait_http(nc.free_port(), t0, t0 + 0.3) is None
    assert time.perf_counter() - t0 < 2
    assert nc.wait_http(nc.free_port(), t0, t0 + 10, alive=lambda: False) is None


def test_concurrent_gets_holds_every_connection_open_at_once():
    srv = KeepAliveServer()
    try:
        t0 = time.perf_counter()
        assert nc.wait_http(srv.port, t0, t0 + 10) is not None
        before = srv.conns
        assert nc.concurrent_gets(srv.port, 30) == 30
        assert srv.conns - before == 30            # one connection each, kept alive for the second GET
    finally:
        srv.stop()
    assert nc.concurrent_gets(nc.free_port(), 5, timeout=5) == 0


@pytest.fixture(scope="module")
def netbulk(tmp_path_factory):
    out = tmp_path_factory.mktemp("netbulk") / "netbulk"
    subprocess.run(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", str(out),
                    str(bench_net.NETBULK_APP / "netbulk.c")], check=True, timeout=120)
    return out


def test_netbulk_sink_and_source_move_and_count_every_byte(netbulk):
    port = nc.free_port()
    p = subprocess.Popen([str(netbulk), str(port)], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout.readline().strip() == f"NETBULK-LISTENING port={port}"
        n = 3 * (1 << 20) + 17
        assert nc.bulk_to_guest(port, n) > 0
        assert nc.bulk_from_guest(port, n) > 0
        nc.quit_netbulk(port)
        assert p.wait(timeout=10) == 0
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdout.close()


def test_bulk_clients_refuse_a_wrong_count():
    """A server that answers the wrong count (or sends too few bytes) is an
    error, never a figure."""
    s = socket.create_server(("127.0.0.1", 0))
    port = s.getsockname()[1]

    def serve():
        c, _ = s.accept()
        with c:                                 # SINK: read to the end, then a wrong count
            while c.recv(65536):
                pass
            c.sendall(b"GOT 1\n")
        c, _ = s.accept()
        with c:                                 # SOURCE: 3 bytes of the 10 asked for
            c.recv(64)
            c.sendall(b"abc")

    threading.Thread(target=serve, daemon=True).start()
    with s:
        with pytest.raises(BaselineError, match="answered b'GOT 1"):
            nc.bulk_to_guest(port, 10, timeout=10)
        with pytest.raises(BaselineError, match="sent 3"):
            nc.bulk_from_guest(port, 10, timeout=10)


def test_modules_load_after_their_dependencies():
    deps = {"virtio_net": ["net_failover", "virtio_ring"], "net_failover": ["failover"], "failover": [],
            "virtio_ring": ["virtio"], "virtio": [], "virtio_pci": ["virtio", "virtio_ring"], "unused": []}
    assert net_linux.load_order(["virtio_pci", "virtio_net"], deps) == \
        ["virtio", "virtio_ring", "virtio_pci", "failover", "net_failover", "virtio_net"]
    with pytest.raises(BaselineError, match="not in the kernel package"):
        net_linux.load_order(["virtio_net"], {"virtio_net": ["missing"]})
    with pytest.raises(BaselineError, match="cycle: a -> b -> a"):
        net_linux.load_order(["a"], {"a": ["b"], "b": ["a"]})
    ko = b"\x7fELF...\0license=GPL\0depends=net-failover,virtio_ring\0retpoline=Y\0"
    assert net_linux.modinfo_depends(ko) == ["net_failover", "virtio_ring"]
    assert net_linux.modinfo_depends(b"\0depends=\0") == []


def test_the_linux_vm_gets_the_runners_network_words():
    """The same -netdev/-device words `uniforge run -p` gives our image."""
    from uniforge.runner import RunSpec
    from uniforge.runner.net import PortForward
    from uniforge.runner.qemu import command
    from uniforge.targets import TARGETS
    for target in bench_net.NET_TARGETS["x86_64"] + bench_net.NET_TARGETS["arm64"]:
        words = net_linux.nic_args(target, [(4000, 8080), (4001, 9000)])
        assert words[:2] == ["-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:4000-:8080,"
                                        "hostfwd=tcp:127.0.0.1:4001-:9000"]
        assert words[3].startswith(TARGETS[target].nic + ",netdev=n0")
        spec = RunSpec(target=TARGETS[target], image=REPO / "none", image_dbg=None, net="user",
                       ports=[PortForward("127.0.0.1", 4000, 8080), PortForward("127.0.0.1", 4001, 9000)])
        ours = command(spec, "tcg")
        i = ours.index("-netdev")
        assert ours[i:i + 4] == words


def test_the_linux_vm_on_microvm_keeps_acpi():
    """Debian's kernel finds microvm's virtio-mmio NIC only through ACPI."""
    cmd = ["qemu", "-M", "microvm", "-machine", "acpi=off", "-m", "256M", "-machine", "x-option-rom=off"]
    assert net_linux.with_acpi(cmd) == ["qemu", "-M", "microvm", "-m", "256M", "-machine", "x-option-rom=off"]


def test_fresh_app_copies_the_app_without_its_saved_config(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_net, "CACHE_DIR", tmp_path / "cache")
    app = tmp_path / "app"
    (app / "rootfs" / "www").mkdir(parents=True)
    (app / "uniforge.yaml").write_text("name: app\n")
    (app / "a.c").write_text("int a;\n")
    (app / "rootfs" / "www" / "x.txt").write_text("x")
    (app / ".uniforge" / "build" / "qemu-x86_64").mkdir(parents=True)
    (app / ".uniforge" / "build" / "qemu-x86_64" / ".config").write_text("CONFIG_UKSCHED_NONE=y\n")
    dest = bench_net.fresh_app(app)
    assert sorted(p.name for p in dest.iterdir()) == ["a.c", "rootfs", "uniforge.yaml"]
    (dest / ".uniforge" / "build" / "qemu-x86_64").mkdir(parents=True)
    (dest / ".uniforge" / "build" / "qemu-x86_64" / ".config").write_text("stale\n")
    (dest / ".uniforge" / "build" / "qemu-x86_64" / "a.o").write_text("kept")
    (app / "a.c").unlink()
    (app / "b.c").write_text("int b;\n")
    assert bench_net.fresh_app(app) == dest
    assert sorted(p.name for p in dest.iterdir()) == [".uniforge", "b.c", "rootfs", "uniforge.yaml"]
    assert not (dest / ".uniforge" / "build" / "qemu-x86_64" / ".config").exists()
    assert (dest / ".uniforge" / "build" / "qemu-x86_64" / "a.o").read_text() == "kept"
    assert (app / ".uniforge" / "build" / "qemu-x86_64" / ".config").exists()    # the app is untouched


def _system(lo=16, hi=256):
    return bench_net.System("Linux VM", "qemu/x86_64", start=None, mem_range=(lo, hi), answer_timeout=1)


def test_min_memory_bisects_to_the_boundary_and_confirms_it():
    seen, timeouts = [], []

    def probe(system, mem, timeout):
        seen.append(mem)
        timeouts.append(timeout)
        return {"mem_mb": mem, "ok": mem >= 77, "answered_s": 5.0}
    r = bench_net.min_memory(_system(), budget_s=60, probe=probe)
    assert r["min_mem_mb"] == 77 and r["exact"]
    assert seen[0] == 256 and seen.count(77) == 2           # found, then booted once more
    assert len(r["probes"]) == len(seen) <= 11
    assert timeouts[0] is None and set(timeouts[1:]) == {15.0}   # 3x the first boot's answer


def test_min_memory_steps_up_when_the_confirmation_fails():
    tries = {}

    def probe(system, mem, timeout):            # 40 works once, then fails; 41 always works
        tries[mem] = tries.get(mem, 0) + 1
        return {"mem_mb": mem, "ok": mem >= 41 or (mem == 40 and tries[mem] == 1)}
    assert bench_net.min_memory(_system(), budget_s=60, probe=probe)["min_mem_mb"] == 41


def test_min_memory_reports_a_bound_when_out_of_time_and_none_when_hi_fails():
    def slow(system, mem, timeout):
        time.sleep(0.05)
        return {"mem_mb": mem, "ok": mem >= 20}
    r = bench_net.min_memory(_system(), budget_s=0.12, probe=slow)
    assert not r["exact"] and r["min_mem_mb"] >= 20
    r = bench_net.min_memory(_system(), budget_s=60, probe=lambda s, m, t: {"mem_mb": m, "ok": False})
    assert r["min_mem_mb"] is None and "even with 256 MiB" in r["note"]


def _result():
    def http(rps, p50):
        return {"requests_per_s": rps, "latency_us": {"p50": p50, "p75": 2 * p50, "p90": 3 * p50,
                                                      "p99": 10 * p50}, "cpu_us_per_req": 1e6 / rps}
    return {"boots": 3, "wrk": {"threads": 1, "conns": 10, "seconds": 5}, "bulk_mib": 32, "concurrent": 100,
            "floor": {"qemu/x86_64": {"time_to_line_s": 0.088}, "qemu/arm64": {"error": "no qemu"}},
            "rows": [
                {"system": "Linux host", "where": "host", "http": http(100000.0, 30.0), "boot_answer_s": 0.004,
                 "to_guest_mb_s": 2000.0, "from_guest_mb_s": 1000.0},
                {"system": "uniforge", "where": "qemu/x86_64", "http": http(12000.0, 500.0),
                 "boot_answer_s": 0.25, "to_guest_mb_s": 300.0, "from_guest_mb_s": 129.0,
                 "min_memory": {"min_mem_mb": 4, "exact": True}},
                {"system": "Linux VM", "where": "qemu/x86_64", "http": http(4000.0, 123456.0),
                 "boot_answer_s": 5.0, "to_guest_mb_s": 100.0, "from_guest_mb_s": 43.0,
                 "min_memory": {"min_mem_mb": 90, "exact": False}},
                {"system": "uniforge", "where": "qemu/arm64", "http_error": "build failed: no posix-socket",
                 "bulk_error": "build failed", "min_memory": {"min_mem_mb": None, "note": "does not serve"}},
            ]}


def test_tables_fit_80_columns_and_compare_with_the_vm():
    buf = io.StringIO()
    c = Console(file=buf, width=80)
    for t in bench_net.tables(_result()):
        c.print(t)
    text = buf.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "3.0×" in text                       # req/s: 12000 / 4000; bulk 300 / 100, from 129 / 43
    assert "20.0×" in text                      # boot: 5.0 s / 0.25 s
    assert "22.5×" in text                      # memory: 90 / 4
    assert "90 (≤)" in text and "88 ms" in text and "500 µs" in text and "failed" in text
    assert "83 µs" in text and "250 µs" in text                 # CPU per request: 1e6 / req/s
    assert "123 ms" in text and "1.23 s" in text                # p50, p99 of the VM: 3 digits at most


def test_no_memory_table_without_a_search():
    res = _result()
    for r in res["rows"]:
        r.pop("min_memory", None)
    assert len(bench_net.tables(res)) == 3


def test_errors_name_every_missing_figure():
    assert bench_net.errors(_result()) == [
        "net http uniforge qemu/arm64: build failed: no posix-socket",
        "net bulk uniforge qemu/arm64: build failed",
        "net min_memory uniforge qemu/arm64: does not serve",
        "net VMM floor qemu/arm64: no qemu",
    ]


def test_plot_bars_keep_the_two_x86_targets_apart():
    import plots
    rows = plots.net_rows(_result()["rows"])
    assert plots.bars(rows, "requests_per_s") == [
        ("Linux host\nhost", 100000.0), ("uniforge\nqemu x86_64", 12000.0), ("Linux VM\nqemu x86_64", 4000.0)]
    assert ("uniforge\nqemu x86_64", 250.0) in plots.bars(rows, "boot_answer_ms")


def test_a_server_that_never_answers_fails_the_probe_and_a_build_error_stops_the_search():
    quits = bench_net.System("Linux VM", "qemu/x86_64", start=lambda prog, port, mem: ["true"],
                             mem_range=(16, 64), answer_timeout=5)
    r = bench_net.serves_concurrently(quits, 32)
    assert not r["ok"] and "never answered (exited 0)" in r["why"]

    def broken(prog, port, mem):
        raise BaselineError("building httpreply for qemu/x86_64: no posix-socket")
    unbuildable = bench_net.System("uniforge", "qemu/x86_64", start=broken, mem_range=(2, 64), answer_timeout=5)
    with pytest.raises(BaselineError, match="no posix-socket"):
        bench_net.min_memory(unbuildable, budget_s=60)
    row = bench_net.measure_system(unbuildable, boots=1, wrk={"threads": 1, "conns": 1, "seconds": 1},
                                   bulk_bytes=1, mem_budget_s=60)
    assert [k for k in row if k.endswith("_error")] == ["http_error", "bulk_error", "min_memory_error"]
    assert "no posix-socket" in row["min_memory_error"]
    silent = bench_net.System("uniforge", "qemu/x86_64", start=lambda prog, port, mem: ["sleep", "30"],
                              mem_range=(2, 64), answer_timeout=0.5)
    t0 = time.perf_counter()
    row = bench_net.measure_system(silent, boots=3, wrk={"threads": 1, "conns": 1, "seconds": 1},
                                   bulk_bytes=1, mem_budget_s=60)
    assert "never answered (running)" in row["http_error"] and "never answered" in row["bulk_error"]
    assert row["min_memory_error"].startswith("not searched") and "min_memory" not in row
    assert time.perf_counter() - t0 < 5                  # one timeout each for HTTP and bulk, no search


def test_smoke_httpreply_and_netbulk_as_host_processes():
    """The real apps/httpreply and netbulk, built static with musl-gcc as
    the Linux VM's are, measured on the host with short runs: every
    figure of the host row comes out."""
    row = bench_net.measure_system(bench_net.host_system(), boots=1,
                                   wrk={"threads": 1, "conns": 4, "seconds": 1}, bulk_bytes=1 << 20,
                                   mem_budget_s=None)
    assert not [k for k in row if k.endswith("_error")], row
    assert row["http"]["requests_per_s"] > 0 and row["http"]["errors"] in ({}, {"connect": 0, "read": 0,
                                                                                 "write": 0, "timeout": 0})
    assert row["http"]["non_2xx"] == 0 and set(row["http"]["latency_us"]) == {"p50", "p75", "p90", "p99"}
    assert 0 < row["boot_answer_s"] < 10 and row["to_guest_mb_s"] > 0 and row["from_guest_mb_s"] > 0
    assert row["http"]["cpu_us_per_req"] > 0 and row["to_guest_cpu_ms_per_mb"] > 0
    assert bench_net.serves_concurrently(bench_net.host_system(), 0)["ok"]
