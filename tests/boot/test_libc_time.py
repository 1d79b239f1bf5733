"""Real boots of apps/clock, nolibc's time functions in a real program, on
every target (built from a copy in a temporary folder):

- the wall date it prints (UK-DATE: seconds since the epoch, ISO 8601 and
  RFC 2822 through the guest's gmtime_r + strftime) is exactly the host's
  rendering of the same second, and is today's: within a few seconds of the
  host's clock, since the guest's wall clock is real (CMOS RTC on pc, PL031
  on virt, the runner's uktime.wall parameter elsewhere);
- its timed sleeps (nanosleep, usleep, clock_nanosleep with TIMER_ABSTIME,
  sleep) never end early, and the monotonic and wall clocks advance
  together;
- nolibc's in-guest time cases pass on every target;
- sleep accuracy: 100 nanosleeps of 1-20 ms (`clock sleeperr`) report
  UK-SLEEP-ERR; none may end before its deadline, and the error's median
  and 99th percentile must stay under the bounds stated below and in
  os/lib/nolibc/README.md (SLEEP_P50_US, SLEEP_P99_US: the median is the
  guest's, the tail the host scheduler's; a run over them is run again, up
  to SLEEP_RUNS runs, since a busy host makes sleeps late, never early);
- the same with each scheduler (cooperative, preemptive), whose strong
  uk_sleep_until_ns blocks the thread instead of halting, on qemu/x86_64
  and qemu/arm64;
- without uktime: hello's image holds none of the time functions, and a
  program that calls clock_gettime fails to link with the fix in the
  message;
- idle: `clock idle 20` (20 nanosleeps of 1 s, no scheduler) costs QEMU at
  most 1% of one host CPU by its own accounting (utime+stime in
  /proc/PID/stat, read at the guest's UK-IDLE begin and end lines), on
  qemu/x86_64 and qemu/arm64.
"""
from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import time

import pytest

from conftest import APPS, copy_app, uniforge

TARGETS = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]
TIMEOUT = "120"
# Bounds on a nanosleep's lateness, in microseconds. On a host running
# little else the median is the guest's own cost (programming the one-shot
# timer, the interrupt, the wake-up): 0.09-0.21 ms under TCG on every
# target, p99 (the second-latest of 100) 0.17-3.8 ms. Beyond that it is
# the host's scheduler: a QEMU vCPU thread (or a linuxu process in
# clock_nanosleep) must be scheduled to wake up. With other helpers'
# QEMUs running (load 13-18 on 2 CPUs) the median reached 2 ms, p99 42 ms
# and the max 114 ms; the bounds hold there with margin, and a sleep that
# waited for some later, unrelated interrupt (a missed deadline) breaks
# them. No sleep may ever end early, under any load.
SLEEP_P50_US = 5000
SLEEP_P99_US = 100000
# The guest's wall clock comes from an RTC counting whole seconds (read
# once at the first use) or from the host's time as the VMM started: it may
# be behind the host's clock read before the run by up to a second, never
# ahead of the host's clock read after it.
WALL_SLACK_S = 1

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def CLOCK(tmp_path_factory):
    return copy_app(APPS / "clock", tmp_path_factory.mktemp("apps"))


def run(app, target, *args, sets=()):
    opts = [x for s in sets for x in ("--set", s)]
    return uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, *opts, "--", *args, timeout=600)


@pytest.mark.parametrize("target", TARGETS)
def test_clock_prints_todays_date_and_sleeps_on_time(CLOCK, target):
    before = time.time()
    r = run(CLOCK, target)
    after = time.time()
    assert r.rc == 0, r.text
    assert "clock: ok" in r.out, r.text
    m = re.search(r"^UK-DATE epoch=(-?\d+) usec=(\d{6})$", r.out, re.M)
    assert m, r.text
    epoch = int(m.group(1))
    date = dict(re.findall(r"^UK-DATE (iso8601|rfc2822)=(.*)$", r.out, re.M))
    assert date.keys() == {"iso8601", "rfc2822"}, r.text
    host = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    # the guest's gmtime_r + strftime render the second exactly as Python does
    assert date["iso8601"] == host.strftime("%Y-%m-%dT%H:%M:%SZ"), r.text
    assert date["rfc2822"] == host.strftime("%a, %d %b %Y %H:%M:%S +0000"), r.text
    # today's date: the guest's wall clock is real
    assert before - WALL_SLACK_S <= epoch <= after, (
        f"guest wall clock {date['iso8601']} is not the host's "
        f"({datetime.datetime.fromtimestamp(before, datetime.timezone.utc):%Y-%m-%dT%H:%M:%SZ})\n{r.text}")
    slept = re.findall(r"^UK-SLEPT fn=(\w+) want_us=(\d+) got_us=(\d+)$", r.out, re.M)
    assert [s[0] for s in slept] == ["nanosleep", "usleep", "clock_nanosleep", "sleep"], r.text
    for fn, want, got in slept:
        assert int(got) >= int(want), f"{fn} woke early: {got} < {want} us\n{r.text}"
    # the wall clock's advance, within 1 ms of the monotonic one's; the
    # latter is known between its least and most (each wall read lies
    # between two monotonic ones: a busy host may stop the guest there)
    m = re.search(r"^UK-CLOCKS monotonic_us=(\d+) realtime_us=(\d+) uptime_ms=(\d+) monotonic_max_us=(\d+)$",
                  r.out, re.M)
    assert m, r.text
    mono, real, mono_max = int(m.group(1)), int(m.group(2)), int(m.group(4))
    assert mono >= 1_100_000 and mono - 1000 <= real <= mono_max + 1000, r.text


@pytest.mark.parametrize("target", TARGETS)
def test_in_guest_time_suite(CLOCK, target):
    """nolibc's in-guest time cases (tests/test_time.c: the calendar and
    strftime against glibc's values, and with uktime the clocks) on each
    architecture and platform."""
    r = run(CLOCK, target, sets=["CONFIG_LIBUKTEST=y", "CONFIG_LIBNOLIBC_TESTS=y"])
    ok = set(re.findall(r"^UK-TEST ok nolibc_time\.(\w+)$", r.out, re.M))
    assert ok == {"gmtime_timegm_strftime", "normalise_and_overflow", "clocks_and_sleep_arguments"}, r.text
    assert re.search(r"^UK-TEST-RESULT total=\d+ passed=\d+ failed=0$", r.out, re.M) and r.rc == 0, r.text


SLEEP_RUNS = 3


def check_sleep_error(run_once, label):
    """Runs `clock sleeperr 100` (run_once()) and checks its UK-SLEEP-ERR
    line. No sleep may end early, in any run. The lateness bounds are the
    host's scheduling as much as the guest's: a host that stops the vCPU
    for long while a sleep's deadline passes makes that sleep late (never
    early), so a run over the bounds is run again, up to SLEEP_RUNS runs;
    a guest whose sleeps are slow (or wait for some later interrupt) is
    over them in every run."""
    for attempt in range(1, SLEEP_RUNS + 1):
        r = run_once()
        m = re.search(r"^UK-SLEEP-ERR n=(\d+) early=(\d+) min=(-?\d+) p50=(-?\d+) p90=(-?\d+) p99=(-?\d+) "
                      r"max=(-?\d+) unit=us$", r.out, re.M)
        assert m, r.text
        n, early, mn, p50, p90, p99, mx = map(int, m.groups())
        print(f"{label}: {m.group(0)}")
        assert n == 100 and r.rc == 0, r.text
        assert early == 0 and mn >= 0, f"a sleep ended before its deadline: {m.group(0)}"
        assert mn <= p50 <= p90 <= p99 <= mx, m.group(0)
        if p50 <= SLEEP_P50_US and p99 <= SLEEP_P99_US:
            return
        print(f"{label}: over the bounds in run {attempt} of {SLEEP_RUNS}")
    raise AssertionError(f"sleeps too late in {SLEEP_RUNS} runs out of {SLEEP_RUNS} (bounds p50 <= "
                         f"{SLEEP_P50_US} us, p99 <= {SLEEP_P99_US} us); the last: {m.group(0)}")


@pytest.mark.parametrize("target", TARGETS)
def test_sleep_error_distribution(CLOCK, target):
    check_sleep_error(lambda: run(CLOCK, target, "sleeperr", "100"), target)


@pytest.mark.parametrize("sched", ["UKSCHED_COOP", "UKSCHED_PREEMPT"])
@pytest.mark.parametrize("target", ["qemu/x86_64", "qemu/arm64"])
def test_sleeps_under_a_scheduler(CLOCK, target, sched):
    """With a scheduler, nanosleep goes through uksched's strong
    uk_sleep_until_ns (the thread blocks on a timer event): the same
    program, the same guarantees."""
    sets = [f"CONFIG_{sched}=y"]
    r = run(CLOCK, target, sets=sets)
    assert r.rc == 0 and "clock: ok" in r.out, r.text
    for fn, want, got in re.findall(r"^UK-SLEPT fn=(\w+) want_us=(\d+) got_us=(\d+)$", r.out, re.M):
        assert int(got) >= int(want), f"{fn} woke early\n{r.text}"
    check_sleep_error(lambda: run(CLOCK, target, "sleeperr", "100", sets=sets), f"{target} {sched}")


def test_time_functions_stay_out_of_hello_and_name_uktime_when_missing(make_app, tmp_path):
    from elftools.elf.elffile import ELFFile

    hello = copy_app(APPS / "helloworld", tmp_path)
    r = uniforge("build", hello, "-t", "qemu/x86_64", "-q", timeout=600)
    assert r.rc == 0, r.text
    dbg = next((hello / ".uniforge" / "build" / "qemu-x86_64").glob("*.dbg"))
    with open(dbg, "rb") as f:
        names = {s.name for s in ELFFile(f).get_section_by_name(".symtab").iter_symbols()}
    assert not names & {"strftime", "gmtime_r", "timegm", "clock_gettime", "nanosleep", "uk_time_now_ns"}
    app = make_app("name: t\n", main_c="""\
        #include <time.h>
        int main(void) { struct timespec ts; return clock_gettime(CLOCK_MONOTONIC, &ts); }
        """)
    r = uniforge("build", app, "-t", "qemu/x86_64", "-q", timeout=600)
    assert r.rc == 1 and "undefined symbol nolibc_time_needs_uktime__add_uktime_to_libraries" in r.err, r.text
    # with uktime it links and runs
    (app / "uniforge.yaml").write_text("name: t\nlibraries: [uktime]\n")
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-q", "--timeout", TIMEOUT, timeout=600)
    assert r.rc == 0, r.text


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process, all its threads, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.parametrize("target", ["qemu/x86_64", "qemu/arm64"])
def test_nanosleep_idle_costs_at_most_one_percent(CLOCK, target):
    assert uniforge("build", CLOCK, "-t", target, "-q", timeout=600).rc == 0
    p = subprocess.Popen([sys.executable, "-m", "uniforge", "run", str(CLOCK), "-t", target, "-q",
                          "--timeout", "120", "--", "idle", "20"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, qemu, c0 = [], None, None
    try:
        for line in p.stdout:
            out.append(line)
            if line.startswith("UK-IDLE begin"):
                with open(f"/proc/{p.pid}/task/{p.pid}/children") as f:
                    kids = f.read().split()
                assert len(kids) == 1, kids       # the VMM, uniforge's only child
                qemu = int(kids[0])
                with open(f"/proc/{qemu}/comm") as f:
                    assert f.read().startswith("qemu-system"), kids
                c0, t0 = _cpu_seconds(qemu), time.monotonic()
            elif line.startswith("UK-IDLE end") and c0 is not None:
                c1, t1 = _cpu_seconds(qemu), time.monotonic()
        text = "".join(out) + p.stderr.read()
    finally:
        rc = p.wait(timeout=180)
        p.stdout.close()
        p.stderr.close()
    assert rc == 0, text
    m = re.search(r"^UK-IDLE end elapsed_ms=(\d+)$", text, re.M)
    assert m and c0 is not None, text
    assert int(m.group(1)) >= 20_000, text
    share = (c1 - c0) / (t1 - t0)
    print(f"{target}: QEMU used {c1 - c0:.2f} s of CPU over {t1 - t0:.2f} s of nanosleep = {100 * share:.2f}%")
    assert share <= 0.01, f"{target}: an idle guest cost {100 * share:.2f}% of a CPU\n{text}"
