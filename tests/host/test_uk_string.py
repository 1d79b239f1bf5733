"""os/include/uk/string.h (the kernel's string helpers) against glibc, under
ASan/UBSan (uk_strnlen must not read past its bound)."""
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_helpers_match_glibc(tmp_path):
    exe = tmp_path / "check"
    subprocess.run(["gcc", "-O1", "-g", "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                    "-Wall", "-Werror", "-I", str(ROOT / "os" / "include"),
                    str(ROOT / "tests" / "host" / "ukstring" / "check.c"), "-o", str(exe)], check=True)
    p = subprocess.run([str(exe)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "fails=0" in p.stdout and "checks=" in p.stdout
