"""Time on every target (lib/uktime, issue 7): the guest's wall clock agrees
with the host's, from the source each target has (the CMOS RTC on pc, PL031
on arm64 virt, the host's CLOCK_REALTIME on linuxu, and elsewhere the host
time the runner passes as uktime.wall); and an idle guest costs its host
almost nothing (tickless: uk_sleep_until_ns halts until the next deadline).

One image per target, built once from a copy of tests/fixtures/time in a
temporary folder (hermetic), run with a mode argument.
"""
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from conftest import uniforge, REPO

pytestmark = pytest.mark.boot

FIXTURE = REPO / "tests" / "fixtures" / "time"
TARGETS = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64", "raspi3b/arm64",
           "zcu102/arm64"]
# Where the boot's wall time must come from. microvm has a CMOS RTC under
# TCG (QEMU's rtc=auto), none under KVM; the boards without a device tree
# (raspi3b's and zcu102's ATAGS) have no wall clock the guest can find.
SOURCE = {"linuxu/x86_64": "host", "qemu/x86_64": "cmos-rtc", "microvm/x86_64": "cmos-rtc",
          "qemu/arm64": "pl031", "raspi3b/arm64": "uktime.wall", "zcu102/arm64": "uktime.wall"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("time") / "time"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


@pytest.mark.parametrize("target", TARGETS)
def test_wall_clock_is_the_hosts(app, target):
    """Guest wall time within [host time before the run - 1 s, host time
    after it]: the RTCs count whole seconds (read once, rounded down), and
    uktime.wall is the host's time as the VMM started (then the guest adds
    its uptime), so neither can be ahead of the host, nor behind by more
    than the RTC's second."""
    assert uniforge("build", app, "-t", target, "-q", timeout=600).rc == 0
    before = time.time_ns()
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "60", "--", "wall", timeout=300)
    after = time.time_ns()
    assert r.rc == 0, r.text
    m = re.search(r"^wall ns=(\d+) source=(\S+)", r.out, re.M)
    assert m, r.text
    wall, source = int(m.group(1)), m.group(2)
    assert source == SOURCE[target], r.text
    assert before - 1_000_000_000 <= wall <= after, (wall - before) / 1e9


def test_wall_parameter_is_used_without_a_clock(app):
    """A user's uktime.wall wins over the runner's (the last word wins), and
    on a board without a wall clock it is what the guest reads."""
    r = uniforge("run", app, "-t", "raspi3b/arm64", "-q", "--timeout", "60",
                 "-k", "uktime.wall=1000000000", "--", "wall", timeout=600)
    assert r.rc == 0, r.text
    m = re.search(r"^wall ns=(\d+) source=uktime.wall", r.out, re.M)
    assert m, r.text
    # 10^9 is read as seconds (2001-09-09), then the guest's uptime
    assert 10**18 <= int(m.group(1)) < 10**18 + 60 * 10**9, r.text


@pytest.mark.parametrize("target", TARGETS)
def test_interrupts_on_before_any_registration(app, target):
    """ukplat_lcpu_enable_irq() (or halting) before any handler was
    registered sets the controller up first: on pc, SeaBIOS leaves the PIT
    ticking into the PIC at vectors 8-15, which would be taken as a double
    fault."""
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "60", "--", "irqs-on", timeout=600)
    assert r.rc == 0 and "irqs-on ok" in r.out, r.text


def _cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")    # utime + stime


@pytest.mark.parametrize("target", ["qemu/x86_64", "qemu/arm64"])
def test_idle_guest_costs_at_most_one_percent(app, target):
    """20 s asleep in 1 s steps (uk_sleep_until_ns, no scheduler): QEMU's
    own CPU time (/proc/PID/stat utime+stime, read while the guest sleeps,
    between its "idle start" and "idle end" lines) is at most 1% of the
    wall time, and the guest took at most a couple of interrupts per step."""
    assert uniforge("build", app, "-t", target, "-q", timeout=600).rc == 0
    p = subprocess.Popen([sys.executable, "-m", "uniforge", "run", str(app), "-t", target, "-q",
                          "--timeout", "120", "--", "idle", "20"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, qemu = [], None
    try:
        for line in p.stdout:
            out.append(line)
            if line.startswith("idle start"):
                with open(f"/proc/{p.pid}/task/{p.pid}/children") as f:
                    kids = f.read().split()
                assert len(kids) == 1, kids
                qemu = int(kids[0])
                c0, t0 = _cpu_seconds(qemu), time.monotonic()
            elif line.startswith("idle end"):
                c1, t1 = _cpu_seconds(qemu), time.monotonic()
        text = "".join(out) + p.stderr.read()
    finally:
        rc = p.wait(timeout=180)
        p.stdout.close()
        p.stderr.close()
    assert rc == 0, text
    m = re.search(r"^idle end ns=(\d+) irqs=(\d+)", text, re.M)
    assert m and qemu, text
    assert int(m.group(1)) >= 20 * 10**9, text
    assert int(m.group(2)) <= 2 * 20, text
    share = (c1 - c0) / (t1 - t0)
    print(f"{target}: QEMU used {c1 - c0:.2f} s of CPU over {t1 - t0:.2f} s idle = {100 * share:.2f}%")
    assert share <= 0.01, f"{100 * share:.2f}% of a CPU"


# Machine variants the runner does not start: every library's in-guest tests
# (uktime's timer events and idle, the platform's interrupts) booted by hand
# with the target's own QEMU command line, one option changed.
VARIANTS = {
    # GICv3 (the CPU's system register interface) instead of virt's GICv2
    "gicv3": ("qemu/arm64", ["-M", "virt,gic-version=3"]),
    # another CPU model: CPUID decides x2APIC / TSC-deadline (QEMU 7.2's TCG
    # offers neither, even here; kvm.controller_matches_cpuid checks)
    "x86-cpu-max": ("qemu/x86_64", ["-cpu", "max"]),
    "microvm-cpu-max": ("microvm/x86_64", ["-cpu", "max"]),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_timer_events_on_machine_variants(variant, tmp_path):
    from uniforge.runner.qemu import machine_args
    from uniforge.targets import TARGETS
    target, change = VARIANTS[variant]
    app = tmp_path / "t"
    app.mkdir()
    (app / "uniforge.yaml").write_text("name: t\n")
    (app / "main.c").write_text("int main(void) { return 0; }\n")
    r = uniforge("build", app, "-t", target, "-q", "--set", "CONFIG_LIBUKTEST=y",
                 "--set", "CONFIG_LIBUKTEST_ALL=y", "--set", "CONFIG_LIBUKTIME=y", timeout=600)
    assert r.rc == 0, r.text
    image = r.out.strip().rsplit(" (", 1)[0]
    argv = machine_args(TARGETS[target], "tcg")
    if change[0] in argv:               # replace the option's value (-M, -cpu), or add it
        argv[argv.index(change[0]) + 1] = change[1]
    else:
        argv += change
    argv += ["-kernel", image, "-append", f"uktime.wall={time.time_ns()} -- ---"]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "QEMU_AUDIO_DRV": "none"})
    out = p.stdout
    m = re.search(r"^UK-TEST-RESULT total=(\d+) passed=(\d+) failed=(\d+)", out, re.M)
    assert m and m.group(3) == "0" and m.group(1) == m.group(2), out + p.stderr
    ok = set(re.findall(r"^UK-TEST ok (\S+)", out, re.M))
    assert {"uktime.events_fire_in_deadline_order", "uktime.sleep_is_tickless",
            "uktime.halt_until_not_early"} <= ok, out
    assert ("arm64.timer_interrupt" if target.endswith("arm64") else
            "kvm.controller_matches_cpuid") in ok, out
