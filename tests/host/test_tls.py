"""Host tests of os/lib/uktls/include/uk/tls.h, the TLS block layout (x86_64 variant
II): a host program with __thread variables builds a block from its own
PT_TLS and checks each variable against the offset from the thread pointer
that gcc and ld compiled in (glibc's block of the running thread has the
same layout). Four variable sets: small, over-aligned .tbss, over-aligned
.tdata with an odd size, .tbss only; block starts shifted byte by byte.
The arm64 layout (variant I) is checked in the guest (uktls tests,
tests/boot/test_crt.py)."""
import platform
import subprocess
from pathlib import Path

import pytest

from guestcc import require

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "os" / "lib" / "uktls"
HERE = Path(__file__).resolve().parent / "uktls"


@pytest.mark.skipif(platform.machine() != "x86_64", reason="checks the x86_64 layout against the host's")
@pytest.mark.parametrize("layout", [1, 2, 3, 4])
def test_block_layout_matches_the_toolchain(tmp_path, layout):
    gcc = require("gcc", "gcc")
    exe = tmp_path / f"tls{layout}"
    subprocess.run([gcc, "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", f"-DLAYOUT={layout}",
                    "-I", str(ROOT / "os" / "include"), "-I", str(LIB / "include"),
                    "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                    str(HERE / "harness.c"), "-o", str(exe)], check=True)
    r = subprocess.run([str(exe)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("ok"), r.stdout + r.stderr
