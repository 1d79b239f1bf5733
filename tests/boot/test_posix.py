"""The POSIX suite (tests/posix: C against musl) on Linux and in the guest,
which must agree case by case.

- Host: the suite built with Debian's musl-gcc (musl 1.2.3, the guest's
  libc) runs as a Linux process in a temporary folder, with only the
  manifest's environment; every case must pass there, so the host is the
  reference for what each case must give.
- Guest: the same sources as an app with `libraries: [musl]`, booted on
  qemu/x86_64, microvm/x86_64, qemu/arm64 and linuxu/x86_64, working in
  its ramfs. Its result for every case must equal the host's.
- The set of cases is the one compiled in: `POSIX-COUNT` and the names of
  `posix --list` must be exactly the PT_CASE entries of the sources, and
  each run must report every one of them, so a case that vanishes fails.

A case that crashes the guest, or hangs it (no output for SILENCE s),
stops that boot; the runner records the case as CRASH or HANG with the
crash report's first lines and boots again with `--after <that case>`, so
one missing kernel piece cannot hide the state of every case after it.
The console must also carry the unknown syscall's `UK-ENOSYS` line.
"""
from __future__ import annotations

import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
import yaml

from conftest import REPO, copy_app, uniforge

SUITE = REPO / "tests" / "posix"
GUEST_TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64", "linuxu/x86_64"]
HOST_CFLAGS = ["-static", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread"]
GUEST_BASE = "/tmp/posix"
# One boot runs every case in 5-15 s of TCG, and no case is silent for
# more than a few seconds, even with other QEMUs on the machine: a boot
# that prints nothing for SILENCE seconds is stopped, its case is a HANG,
# and the run resumes after it. TIMEOUT bounds a whole boot.
SILENCE = 30
TIMEOUT = 300
# Boots per target at most (each crash or hang costs one).
MAX_BOOTS = 40

# linuxu is a Linux process: there is no ring 0 of ours, and a `syscall`
# instruction the app issues itself goes to the host's kernel, not to our
# table (the native path, every libc call, is ours there too). The cases
# issuing the instruction must therefore differ from Linux there -- the host
# kernel knows neither our descriptors nor our pid -- and that is checked:
# a FAIL, never a crash.
TRAP_CASES = {"err_efault_trapped", "misc_enosys_trapped"}
# survey.c issues its calls natively on linuxu (CONFIG_PLAT_LINUXU), and a
# thread clone needs the trapped entry's frame: natively, clone3 is ENOSYS.
TRAP_CASES |= {"survey_clone3_thread"}
# And MAP_SHARED of a ramfs file is -ENODEV on linuxu: the file's pages are
# the host's private anonymous memory, which the host cannot map a second
# time (os/lib/posix-mmap/host.c). Checked as a FAIL too.
LINUXU_SHARED_FILE_MAP = {"mman_file_shared", "mman_msync", "dbfile_shared_mapping_is_coherent_with_pwrite",
                          "survey_shared_file_map"}
# And linuxu's scheduler is cooperative (no timer events): a thread is
# never preempted, so no restartable sequence is ever aborted.
LINUXU_NO_PREEMPTION = {"rseq_spinning_thread_is_preempted", "rseq_preempted_section_restarts"}
PLATFORM_DIFFERS = {"linuxu/x86_64": TRAP_CASES | LINUXU_SHARED_FILE_MAP | LINUXU_NO_PREEMPTION}

pytestmark = pytest.mark.boot


@dataclass
class Case:
    status: str        # ok, FAIL, CRASH (the program died in it), HANG (timed out in it), NOT-RUN
    detail: str = ""


@dataclass
class Run:
    count: int | None
    cases: dict[str, Case]
    boots: list[str]   # each boot's output

    @property
    def log(self) -> str:
        return "\n".join(f"--- boot {i}\n{out}" for i, out in enumerate(self.boots))


def source_cases() -> list[str]:
    """Every PT_CASE(name) in the suite's sources."""
    names = []
    for c in sorted(SUITE.glob("*.c")):
        names += re.findall(r"^\s*PT_CASE\((\w+)\),", c.read_text(), re.M)
    return names


def manifest_env() -> dict[str, str]:
    return {k: str(v) for k, v in yaml.safe_load((SUITE / "uniforge.yaml").read_text())["env"].items()}


def parse(out: str) -> tuple[int | None, dict[str, Case], str | None, bool]:
    """(POSIX-COUNT, finished cases, the case begun but not finished,
    whether the summary line came)."""
    m = re.search(r"^POSIX-COUNT (\d+)$", out, re.M)
    count = int(m.group(1)) if m else None
    cases: dict[str, Case] = {}
    begun = None
    for line in out.splitlines():
        if m := re.match(r"^POSIX-BEGIN (\w+)$", line):
            begun = m.group(1)
        elif m := re.match(r"^POSIX-CASE (\w+) (ok|FAIL)(?: (.*))?$", line):
            cases[m.group(1)] = Case(m.group(2), m.group(3) or "")
            begun = None
    done = re.search(r"^POSIX-RESULT total=\d+ passed=\d+ failed=\d+$", out, re.M) is not None
    return count, cases, begun, done


def watched(args: list[str], env: dict, cwd=None) -> tuple[int, str]:
    """Runs args, stdout and stderr merged: (exit status, output). Stops
    it (SIGTERM to its process group: uniforge stops its VMM) when it has
    printed nothing for SILENCE seconds or ran TIMEOUT seconds; the status
    is then 124, as uniforge's own --timeout gives."""
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                          start_new_session=True) as p, selectors.DefaultSelector() as sel:
        out = bytearray()
        start = last = time.monotonic()
        sel.register(p.stdout, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            if now - last > SILENCE or now - start > TIMEOUT:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    out += p.communicate(timeout=30)[0]
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    out += p.communicate()[0]
                return 124, out.decode(errors="replace")
            if sel.select(timeout=1):
                chunk = os.read(p.stdout.fileno(), 65536)
                if not chunk:
                    break
                out += chunk
                last = time.monotonic()
        return p.wait(), out.decode(errors="replace")


def why_it_stopped(out: str) -> str:
    """The crash report's reason and its first frames, or the last lines."""
    lines = out.strip().splitlines()
    crash = [x for x in lines if x.startswith(("UK-CRASH ", "UK-BT #0 ", "UK-BT #1 ", "UK-BT #2 "))]
    return " | ".join(crash[:4] or lines[-3:])


def run_suite(boot) -> Run:
    """Runs the whole suite through boot(after) -> (status, output), booting
    again after a case that crashed or hung."""
    cases: dict[str, Case] = {}
    boots, count, after = [], None, None
    for _ in range(MAX_BOOTS):
        rc, out = boot(after)
        boots.append(f"(after {after}: status {rc})\n{out}")
        n, got, begun, done = parse(out)
        count = n if count is None else count
        cases.update(got)
        if done or begun is None:
            break            # finished, or died outside any case (see the log)
        cases[begun] = Case("HANG" if rc == 124 else "CRASH", f"status {rc}: {why_it_stopped(out)}")
        after = begun
    return Run(count, cases, boots)


def report(run: Run, names: list[str]) -> str:
    lines = [f"{n}: {run.cases[n].status} {run.cases[n].detail}" for n in names
             if n in run.cases and run.cases[n].status != "ok"]
    lines += [f"{n}: NOT-RUN" for n in names if n not in run.cases]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    """(case names from --list, the host's run) of the suite built with
    musl-gcc."""
    cc = shutil.which("musl-gcc")
    if not cc:
        pytest.fail("musl-gcc not found: install the Debian package musl-tools (./dev setup does)")
    d = tmp_path_factory.mktemp("posix-host")
    exe = d / "posix"
    subprocess.run([cc, *HOST_CFLAGS, "-o", str(exe), *map(str, sorted(SUITE.glob("*.c")))],
                   check=True, capture_output=True, text=True)
    listed = subprocess.run([str(exe), "--list"], check=True, capture_output=True, text=True).stdout
    names = re.findall(r"^POSIX-LIST (\w+)$", listed, re.M)

    def boot(after):
        args = [str(exe), str(d / "scratch")] + (["--after", after] if after else [])
        return watched(args, env=manifest_env(), cwd=d)
    return names, run_suite(boot)


def test_compiled_cases_are_the_sources(host):
    names, run = host
    assert sorted(names) == sorted(source_cases()) and len(set(names)) == len(names)
    assert run.count == len(names), run.log


def test_host_passes_every_case(host):
    names, run = host
    assert list(run.cases) == names, run.log
    bad = report(run, names)
    assert not bad, f"the suite must pass on Linux:\n{bad}"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return copy_app(SUITE, tmp_path_factory.mktemp("apps"))


@pytest.mark.parametrize("target", GUEST_TARGETS)
def test_guest_agrees_with_host(host, app, target):
    names, host_run = host
    r = uniforge("build", app, "-t", target, "-q", timeout=1200)
    assert r.rc == 0, r.text

    def boot(after):
        extra = ["--after", after] if after else []
        return watched([sys.executable, "-m", "uniforge", "run", str(app), "-t", target, "-q",
                        "--timeout", str(TIMEOUT), "--", GUEST_BASE, *extra],
                       env={**os.environ, "PYTHONUNBUFFERED": "1"})
    run = run_suite(boot)
    assert run.count == len(names), run.log
    expected_diff = PLATFORM_DIFFERS.get(target, set())
    for n in expected_diff:
        got = run.cases.get(n, Case("NOT-RUN"))
        assert got.status == "FAIL", f"{n} on {target}: {got}\n{run.log[-6000:]}"
    differ = [n for n in names if n not in expected_diff and
              (run.cases.get(n) or Case("NOT-RUN")).status != host_run.cases[n].status]
    ok = sum(1 for n in names if n in run.cases and run.cases[n].status == "ok")
    assert not differ, (f"{target}: {ok}/{len(names)} cases as on Linux; these differ:\n"
                        f"{report(run, differ)}\n\n{run.log[-6000:]}")
    # the unknown syscall was logged, once per boot, with its number
    logged = [len(re.findall(r"^UK-ENOSYS nr=1000 name=\? lib=-$", out, re.M)) for out in run.boots]
    assert sum(logged) >= 1 and max(logged) == 1, run.log
    # rseq has a handler (posix-thread's rseq.c): no UK-ENOSYS line for it
    assert not any(re.search(r"^UK-ENOSYS nr=\d+ name=rseq", out, re.M) for out in run.boots), run.log


def test_a_crash_or_hang_is_recorded_and_the_run_resumes():
    """run_suite's bookkeeping, on scripted outputs: the case a boot died
    in is CRASH (or HANG on a timeout) and the next boot starts after it."""
    boots = {
        None: (255, "POSIX-COUNT 4\nPOSIX-BEGIN a\nPOSIX-CASE a ok\nPOSIX-BEGIN b\nUK-CRASH page fault\n"),
        "b": (124, "POSIX-COUNT 4\nPOSIX-BEGIN c\n"),
        "c": (1, "POSIX-COUNT 4\nPOSIX-BEGIN d\nPOSIX-CASE d FAIL x.c:1: y (errno=2 No such file)\n"
                 "POSIX-RESULT total=1 passed=0 failed=1\n"),
    }
    seen = []

    def boot(after):
        seen.append(after)
        return boots[after]
    run = run_suite(boot)
    assert seen == [None, "b", "c"]
    assert run.count == 4
    assert {n: c.status for n, c in run.cases.items()} == {"a": "ok", "b": "CRASH", "c": "HANG", "d": "FAIL"}
    assert "UK-CRASH page fault" in run.cases["b"].detail
    assert run.cases["d"].detail == "x.c:1: y (errno=2 No such file)"
