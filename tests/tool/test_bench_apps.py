"""benchmarks/apps.py's pure parts without booting: redis-benchmark's CSV,
the smallest-memory bisection, the ready marker and the output check,
Linux's command-line words, the ELF closure of a host binary, the aims
judged from numbers (and never from missing ones), and the tables at 80
columns with an app that is not built."""
from __future__ import annotations

import io
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import app_clients as ac  # noqa: E402
import app_debian as ad  # noqa: E402
import apps_report as ar  # noqa: E402
from app_specs import APPS, after_marker, output_matches  # noqa: E402
from common import BaselineError  # noqa: E402

# redis-benchmark 7.0.15 --csv (Debian's redis-tools), two tests
REDIS_CSV = """\
"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
"SET","31746.03","1.125","0.048","0.287","4.343","10.903","56.287"
"GET","38095.24","0.775","0.072","0.271","3.719","7.463","13.191"
"""


def test_parse_redis_csv_reads_every_test_and_column():
    r = ac.parse_redis_csv(REDIS_CSV)
    assert set(r) == {"SET", "GET"}
    assert r["SET"]["rps"] == 31746.03 and r["GET"]["p99_latency_ms"] == 7.463
    assert r["GET"]["avg_latency_ms"] == 0.775


def test_parse_redis_csv_refuses_an_error_report():
    with pytest.raises(BaselineError, match="no redis-benchmark CSV"):
        ac.parse_redis_csv("Could not connect to Redis at 127.0.0.1:1: Connection refused\n")
    with pytest.raises(BaselineError, match="no test"):
        ac.parse_redis_csv(REDIS_CSV.splitlines()[0] + "\n Error: Connection reset by peer\n")


def test_resp_command_is_redis_protocol():
    assert ac.resp_command("SET", b"k", "v") == b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"


class Clock:
    """A clock each probe advances by ``step`` seconds."""

    def __init__(self, step: float = 1.0):
        self.t, self.step = 0.0, step

    def __call__(self) -> float:
        return self.t


def search(boundary: int, lo=2, hi=256, budget=1e9, flaky=(), step=1.0):
    clock = Clock(step)
    seen = []

    def ok(m, timeout):
        seen.append((m, timeout))
        clock.t += clock.step
        if m in flaky:
            flaky.remove(m)
            return False
        return m >= boundary

    return ac.bisect_min(ok, lo, hi, budget, clock=clock), seen


class SlirpLikeRedis:
    """Listens at once, as slirp does on a forwarded port, but answers PING
    only on connections accepted after ``ready`` s: the ones before hang
    (slirp's SYN to a guest that is not listening yet)."""

    def __init__(self, ready: float):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.ready_at = time.perf_counter() + ready
        self.held = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            if time.perf_counter() < self.ready_at:
                self.held.append(c)
                continue
            if c.recv(64) == ac.resp_command("PING"):
                c.sendall(b"+PONG\r\n")
            self.held.append(c)

    def close(self):
        self.sock.shutdown(socket.SHUT_RDWR)       # wakes accept()
        self.sock.close()
        self.thread.join(5)
        for c in self.held:
            c.close()


def test_wait_redis_answers_on_a_connection_opened_after_the_guest_listened():
    """The first connections hang; the reading is the ready time, not
    ready plus a hung connection's timeout (0.5 s, one at a time, as the
    probe did: redis's boot read ~550 ms whatever its start-up took)."""
    srv = SlirpLikeRedis(ready=0.3)
    try:
        t0 = time.perf_counter()
        t = ac.wait_redis(srv.port, t0, t0 + 10)
        assert t is not None and 0.3 <= t < 0.48, t
        assert len(srv.held) >= 2             # connections were opened before ready, and hung
    finally:
        srv.close()
    t0 = time.perf_counter()
    assert ac.wait_redis(srv.port, t0, t0 + 0.3) is None


@pytest.mark.parametrize("boundary", [2, 3, 17, 100, 255, 256])
def test_bisect_finds_the_smallest_passing_size(boundary):
    r, seen = search(boundary)
    assert r["min_mem_mb"] == boundary and r["exact"]
    assert seen[0] == (256, None)                   # hi first, no timeout yet
    assert all(t == 10.0 for _, t in seen[1:])      # then 3x its time, at least 10 s
    assert len(seen) <= 11


def test_bisect_steps_up_when_the_answer_fails_once_more():
    r, _ = search(40, flaky=[40])                   # the boundary is not sharp: 40 fails on its re-check
    assert r["min_mem_mb"] == 41 and r["exact"]


def test_bisect_says_when_even_the_top_fails():
    r, seen = search(1000)
    assert r["min_mem_mb"] is None and not r["exact"] and "256 MiB" in r["note"] and len(seen) == 1


def test_bisect_stops_at_its_budget_with_the_best_bound():
    r, seen = search(17, budget=3.5)
    assert not r["exact"] and r["min_mem_mb"] >= 17 and len(seen) == 4


def test_after_marker_needs_the_marker_at_a_line_start():
    assert after_marker("boot\r\nAPP-READY\r\n1|2\r\n") == "1|2\n"
    assert after_marker("echo APP-READY\nx") is None
    assert after_marker("APP-READY") == ""


def test_output_matches_the_reference_byte_for_byte():
    con = "[kernel]\nAPP-READY\n10000|5\nAPP-INIT-EXIT status=0\n"
    assert output_matches(con, "10000|5\n")
    assert not output_matches(con, "10000|6\n")
    assert not output_matches("10000|5\n", "10000|5\n")


def test_kernel_words_quote_spaces_and_refuse_what_linux_cannot_carry():
    assert ad.kernel_words(["/usr/bin/lua5.4", "-e", "print(1) print(2)"]) == '/usr/bin/lua5.4 -e "print(1) print(2)"'
    for bad in ("", 'say "x"', "a\nb"):
        with pytest.raises(BaselineError):
            ad.kernel_words([bad])


def test_every_cli_app_fits_linux_command_line():
    for spec in APPS.values():
        if spec.kind == "cli":
            assert len(ad.kernel_words([f"/{spec.binary}", *spec.args])) < 1800


def test_closure_of_a_host_binary_holds_its_interpreter_and_libc():
    libs = ad.closure([Path("/bin/ls")], list(ad.HOST_LIB_DIRS))
    assert "lib64/ld-linux-x86-64.so.2" in libs
    assert "lib/x86_64-linux-gnu/libc.so.6" in libs
    with pytest.raises(BaselineError, match="found in none"):
        ad.closure([Path("/bin/ls")], [Path("/nonexistent")])


def result(ours_nginx=None, vm_nginx=None, sizes=None, ready=0.4, mem=4):
    """A measured result: nginx built, sqlite3 not."""
    def row(system, where, rps=None, **kw):
        r = {"system": system, "where": where, "status": "ok", **kw}
        if rps is not None:
            r["throughput"] = {"wrk": {"requests_per_s": rps}}
        return r
    return {
        "quick": True, "boots": 2, "targets": ["qemu/x86_64"], "wrk": {"seconds": 3},
        "redis_benchmark": {"requests": 1000}, "linux_kernel_bytes": 8_000_000,
        "floor": {"qemu/x86_64": {"time_to_line_s": 0.25}},
        "apps": {
            "nginx": {"kind": "http", "sizes": sizes if sizes is not None else
                      {"qemu/x86_64": {"image_bytes": 700_000, "lto": True,
                                       "libraries": [{"name": "nginx", "total": 500_000}]}},
                      "rows": [row("Linux host", "host", 30000, ready_s=0.02, peak_rss_kib=7000),
                               row("uniforge", "qemu/x86_64", ours_nginx, ready_s=ready,
                                   min_memory={"min_mem_mb": mem, "exact": True}),
                               row("Linux VM", "qemu/x86_64", vm_nginx, ready_s=5.7, initramfs_bytes=4_000_000,
                                   min_memory={"min_mem_mb": 60, "exact": True})]},
            "sqlite3": {"kind": "cli", "sizes": {},
                        "rows": [{"system": "uniforge", "where": "qemu/x86_64", "status": "not built",
                                  "error": "not built: apps/sqlite3 is not in this tree"}]},
        },
    }


def aims_of(res):
    return {(a["app"], a["short"]): a["met"] for a in ar.aims(res)}


def test_aims_met_from_the_numbers():
    a = aims_of(result(ours_nginx=1800, vm_nginx=580))
    assert a[("nginx", "image < UK")] is True           # 700 kB < 853 kB
    assert a[("nginx", "memory < UK")] is True          # 4 MiB < 5 MB
    assert a[("nginx", "×VM")] is True                  # 3.1x >= 3x
    assert a[("nginx", "boot ÷ floor")] is True         # 0.4 s <= 2 x 0.25 s


def test_aims_not_met_from_the_numbers():
    a = aims_of(result(ours_nginx=1000, vm_nginx=580, ready=0.6, mem=5,
                       sizes={"qemu/x86_64": {"image_bytes": 900_000, "lto": True, "libraries": []}}))
    assert a[("nginx", "image < UK")] is False
    assert a[("nginx", "memory < UK")] is False         # 5 is not less than 5
    assert a[("nginx", "×VM")] is False                 # 1.7x
    assert a[("nginx", "boot ÷ floor")] is False


def test_an_app_not_built_meets_no_aim_and_fails_none():
    a = aims_of(result(ours_nginx=1800, vm_nginx=580))
    assert a[("sqlite3", "image < UK")] is None and a[("sqlite3", "memory < UK")] is None
    assert a[("sqlite3", "boot ÷ floor")] is None


def test_tables_fit_80_columns_and_say_not_built():
    res = result(ours_nginx=1800, vm_nginx=580)
    res["aims"] = ar.aims(res)
    buf = io.StringIO()
    con = Console(file=buf, width=80, force_terminal=False)
    for t in ar.tables(res):
        con.print(t)
    text = buf.getvalue()
    assert "not built" in text and "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert ar.errors(res) == ["apps sqlite3 uniforge qemu/x86_64: not built: apps/sqlite3 is not in this tree"]


def test_plot_rows_leave_what_was_not_measured_empty():
    rows = ar.plot_rows(result(ours_nginx=1800, vm_nginx=580))
    assert rows["size"][0] == ("nginx", 0.7, 12.0, 0.853)
    assert rows["size"][1][:3] == ("sqlite3", None, None)
    assert rows["memory"][0] == ("nginx", 4, 60, 5)


def test_peak_rss_wrapper_reports_the_program_not_python(tmp_path):
    """The host figure: a program's own peak RSS, read from peak_rss's
    last line (Python's own pages, ~20+ MiB, would show through a child
    forked from it)."""
    import subprocess
    p = subprocess.run([str(ad.peak_rss()), "/bin/true"], capture_output=True, text=True, timeout=30)
    kib = ad.parse_peak_rss(p.stderr)
    assert p.returncode == 0 and kib is not None and 0 < kib < 8 * 1024
    assert ad.parse_peak_rss("out\nPEAK-RSS-KIB 12\nPEAK-RSS-KIB 34\n") == 34
    assert ad.parse_peak_rss("no figure\n") is None
    assert subprocess.run([str(ad.peak_rss()), "/bin/false"], capture_output=True).returncode == 1


def test_a_memory_bound_cut_short_is_met_only_below_the_figure():
    res = result(ours_nginx=1800, vm_nginx=580, mem=6)
    res["apps"]["nginx"]["rows"][1]["min_memory"]["exact"] = False     # <= 6 MiB: could be 4
    assert aims_of(res)[("nginx", "memory < UK")] is None
    res = result(ours_nginx=1800, vm_nginx=580, mem=3)
    res["apps"]["nginx"]["rows"][1]["min_memory"]["exact"] = False     # <= 3 MiB < 5
    assert aims_of(res)[("nginx", "memory < UK")] is True


def test_console_survives_a_read_while_the_child_writes():
    """Proc's console file is the child's stdout and shares its offset with
    ours: console() seeks to 0 to read it. A write of the child's that came
    between that seek and the read landed at offset 0 and overwrote the
    console's start (issue 11's "flaky" binary-mode sqlite3 check: the
    UK-NET line and the program's output spliced). Here the write comes
    right after the seek, every time."""
    import signal
    import time
    import apps
    child = ("import signal, sys\n"
             "signal.signal(signal.SIGUSR1, lambda *a: None)\n"
             "print('UK-NET if=en0 ip=10.0.2.15/24', flush=True)\n"
             "signal.pause()\n"
             "print('APP-READY', flush=True)\n")
    p = apps.Proc([sys.executable, "-c", child])
    try:
        deadline = time.monotonic() + 60
        while "UK-NET" not in p.console() and time.monotonic() < deadline:
            time.sleep(0.01)
        p.log.seek(0)               # console()'s first step; the child writes before the read
        p.proc.send_signal(signal.SIGUSR1)
        assert p.wait(time.perf_counter() + 60)
        assert p.console() == "UK-NET if=en0 ip=10.0.2.15/24\nAPP-READY\n"
    finally:
        p.stop()
        p.log.close()
