"""Files (issue 8): posix-fdtab, vfscore, ramfs, devfs, procfs, sysfs and
the /etc defaults, in-guest, on the four targets of the issue; and the
console's stdin: text piped into `uniforge run` comes back from the
guest's read(0), to the byte, EOF included.

One image per target (tests/fixtures/vfs, copied to a temporary folder)
with the cooperative scheduler, so the case where a pipe blocks between two
threads is in it; one more on qemu/x86_64 without a scheduler and with
posix-signal, so EPIPE's SIGPIPE is checked. The cases
that ran must be exactly those the build registered.
"""
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, ran_cases, registered_cases, uniforge

TARGETS = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
FIXTURE = REPO / "tests" / "fixtures" / "vfs"
TESTS = ["--set", "CONFIG_LIBUKTEST=y", "--set", "CONFIG_LIBVFSCORE_TESTS=y",
         "--set", "CONFIG_LIBDEVFS_TESTS=y", "--set", "CONFIG_LIBPROCFS_TESTS=y",
         "--set", "CONFIG_LIBSYSFS_TESTS=y"]
COOP = ["--set", "CONFIG_UKSCHED_COOP=y"]

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("vfs") / "vfs"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


def image_dbg(build_out: str) -> Path:
    image = Path(re.search(r"^(\S+) \(", build_out, re.M).group(1))
    return next(image.parent.glob("*.dbg"))


@pytest.mark.parametrize("target,sched", [(t, "coop") for t in TARGETS] + [("qemu/x86_64", "none")])
def test_vfs_suites_in_guest(app, target, sched):
    sets = TESTS + (COOP if sched == "coop" else ["--set", "CONFIG_LIBPOSIX_SIGNAL=y"])
    b = uniforge("build", app, "-t", target, *sets, timeout=900)
    assert b.rc == 0, b.text
    expected = registered_cases(image_dbg(b.out))
    assert {"vfscore_rename_cases", "vfscore_symlinks_readlink_loops",
            "vfsfd_pipe_data_eof_epipe_nonblock", "devfs_stdio_is_the_console_terminal",
            "procfs_self_exe_and_stat", "sysfs_etc_defaults_exist",
            "devfs_urandom_gives_different_bytes"} <= expected
    assert ("vfsfd_pipe_blocks_between_threads" in expected) == (sched == "coop")
    assert ("vfsfd_epipe_raises_sigpipe" in expected) == (sched == "none")
    r = uniforge("run", app, "-t", target, *sets, "-q", "--timeout", "240", timeout=900)
    assert "UK-TEST FAIL" not in r.out, r.text
    assert ran_cases(r.out) == expected, r.text
    n = len(expected)
    assert f"UK-TEST-RESULT total={n} passed={n} failed=0" in r.out, r.text
    assert "devfs: stderr" in r.out       # written through fd 2
    assert r.rc == 0, r.text


@pytest.mark.parametrize("target", TARGETS)
def test_stdin_reaches_the_guest(app, target):
    """The fixture's main copies fd 0 to fd 1 until read() returns 0: the
    host's bytes arrive unchanged and the end of input is seen (linuxu: the
    real EOF; the VMs: the EOT the runner sends when its stdin ends)."""
    b = uniforge("build", app, "-t", target, timeout=900)
    assert b.rc == 0, b.text
    rnd = random.Random(8)
    text = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz 0123456789\n") for _ in range(3000))
    p = subprocess.run([sys.executable, "-m", "uniforge", "run", str(app), "-t", target, "-q",
                        "--timeout", "120", "--", "echo"], input=text, capture_output=True,
                       text=True, timeout=300, env={**os.environ, "COLUMNS": "200"})
    assert p.returncode == 0, p.stdout + p.stderr
    assert "echo: start\n" + text + "\necho: end\n" in p.stdout, p.stdout[-2000:] + p.stderr


@pytest.mark.parametrize("target", ["qemu/x86_64", "qemu/arm64"])
def test_stdin_sent_before_the_guest_starts(app, target, tmp_path):
    """Input that reaches the UART before the guest's console driver starts
    is kept: QEMU is started paused (-S), the bytes are piped in and the
    UART takes the first one while no guest code has run; only then does
    the guest start (QMP `cont`). (The PL011 driver once enabled the FIFOs
    at start-up, which empties the receive FIFO; under QEMU 7.2 a byte
    arriving just then overwrote the first, now and then.)"""
    import json
    import socket
    import threading
    import time

    from uniforge.runner import RunSpec, run as run_image
    from uniforge.targets import TARGETS as ALL_TARGETS

    b = uniforge("build", app, "-t", target, timeout=900)
    assert b.rc == 0, b.text
    image = Path(re.search(r"^(\S+) \(", b.out, re.M).group(1))
    text = b"first byte kept\n" + bytes(range(0x20, 0x7f)) + b"\n"
    rfd, wfd = os.pipe()
    os.write(wfd, text)
    os.close(wfd)
    qmp = tmp_path / "qmp.sock"
    out: list[str] = []

    def start_guest() -> None:
        deadline = time.monotonic() + 60
        while not qmp.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)                 # QEMU reads the pipe; the UART takes a byte
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(qmp))
            f = s.makefile("rw")
            f.readline()                # the greeting
            for cmd in ("qmp_capabilities", "cont"):
                f.write(json.dumps({"execute": cmd}) + "\n")
                f.flush()
                f.readline()

    starter = threading.Thread(target=start_guest, daemon=True)
    starter.start()
    try:
        res = run_image(RunSpec(target=ALL_TARGETS[target], image=image, image_dbg=None,
                                app_args=["echo"], timeout=120, stdin_fd=rfd,
                                extra_vmm_args=["-S", "-qmp", f"unix:{qmp},server=on,wait=off"]),
                        out.append)
    finally:
        os.close(rfd)
    starter.join(timeout=5)
    got = "".join(out)
    assert res.status == 0, got + res.stderr + res.note
    assert "echo: start\n" + text.decode() + "\necho: end\n" in got, got[-2000:]
