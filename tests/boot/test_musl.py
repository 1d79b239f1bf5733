"""hello on musl (os/lib/musl, Debian's musl 1.2.3) on every VM target and
linuxu (and the two arm64 boards): tests/fixtures/musl/main.c prints `UK-MUSL ...` lines — stdio
buffering, atexit order, the environment from `env:` and `-e`, the "C" and
"C.UTF-8" locales, libm, __thread and errno, malloc small and large (mmap),
printf formats — and returns 3. The same file built on the host with
Debian's musl-gcc must print exactly the same lines.

Every syscall goes through musl's syscall_arch.h and uksyscall's
dispatcher, natively, to the real handlers (devfs's console fds,
posix-mmap, posix-process, posix-thread...), which `libraries: [musl]`
brings in (musl's Config.uk implies them).
"""
import shutil
import subprocess

import pytest

from conftest import uniforge, REPO

FIXTURE = REPO / "tests" / "fixtures" / "musl"
TARGETS = ["qemu/x86_64", "microvm/x86_64", "linuxu/x86_64", "qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]
ENV = {"GREETING": "hello world"}

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = tmp_path_factory.mktemp("musl") / "muslhello"
    shutil.copytree(FIXTURE, app)
    return app


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    """The lines the same program prints on the host, built with musl-gcc
    (Debian's musl-tools, the same musl 1.2.3), and its exit status."""
    exe = tmp_path_factory.mktemp("muslhost") / "hello"
    subprocess.run(["musl-gcc", "-O2", str(FIXTURE / "main.c"), "-o", str(exe), "-lm"], check=True)
    p = subprocess.run([str(exe)], env=ENV, capture_output=True, text=True)
    lines = [line for line in p.stdout.splitlines() if line.startswith("UK-MUSL")]
    assert len(lines) == 16
    return lines, p.returncode


def musl_lines(text: str) -> list[str]:
    return [line[line.index("UK-MUSL"):] for line in text.splitlines() if "UK-MUSL" in line]


@pytest.mark.parametrize("target", TARGETS)
def test_hello_on_musl(app, expected, target):
    r = uniforge("run", app, "-t", target, "--timeout", "120", "-j2", timeout=1200)
    want, status = expected
    assert musl_lines(r.out) == want, r.text[-3000:]
    assert r.rc == status == 3


def test_env_from_command_line(app):
    """`run -e` reaches musl's environ and getenv over the manifest's env:."""
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-e", "GREETING=from -e", "-e", "OTHER=1",
                 "--timeout", "60", timeout=1200)
    assert "UK-MUSL env count=2 GREETING=from -e MISSING=(null)" in r.out, r.text[-2000:]


def pi_reference(decimals: int) -> str:
    """"3" and the first `decimals` decimals of pi, by Machin's formula."""
    unity = 10 ** (decimals + 10)

    def atan_inv(x: int) -> int:
        total = term = unity // x
        x2, k, sign = x * x, 1, -1
        while term:
            term //= x2
            k += 2
            total += sign * (term // k)
            sign = -sign
        return total
    return str(16 * atan_inv(5) - 4 * atan_inv(239))[:decimals + 1]


@pytest.mark.parametrize("target", ["qemu/x86_64", "qemu/arm64"])
def test_pi_app_on_musl(tmp_path, target):
    """apps/pi, an ordinary C program (malloc, stdio, strtoul), on musl:
    its 2000 decimals are pi's, and its output is the host musl-gcc build's."""
    app = tmp_path / "pi"
    shutil.copytree(REPO / "apps" / "pi", app, ignore=shutil.ignore_patterns(".uniforge"))
    host = tmp_path / "pi-host"
    subprocess.run(["musl-gcc", "-O2", str(app / "main.c"), "-o", str(host)], check=True)
    want = subprocess.run([str(host), "2000"], capture_output=True, text=True, check=True).stdout
    r = uniforge("run", app, "-t", target, "--timeout", "300", "-j2", "--", "2000", timeout=1200)
    assert r.rc == 0, r.text[-3000:]
    got = r.out[r.out.index("3.\n"):]
    assert got == want
    digits = "".join(ch for ch in got.split("pi:")[0] if ch.isdigit())
    assert digits == pi_reference(2000)
    bad = uniforge("run", app, "-t", target, "--timeout", "120", "--", "0", timeout=600)
    assert bad.rc == 1 and "pi: '0' is not a number of decimals in [1, 100000]" in bad.text
