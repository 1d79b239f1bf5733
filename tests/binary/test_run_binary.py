"""`uniforge run BINARY` end to end: small glibc programs we compile (dynamic
PIE, dynamic non-PIE, static non-PIE, static-pie) booted on the
binary-compatibility kernel on qemu/x86_64 and microvm/x86_64 — the guest's
argv is [guest path, *ARGS], -e sets its environment, the program's exit
status is uniforge's, --rootfs and the manifest's rootfs: lay files over
the program's, and the /etc files of the tool's layout are there."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import uniforge

pytestmark = pytest.mark.boot

TARGETS = ["qemu/x86_64", "microvm/x86_64"]
TIMEOUT = "120"
# The program: prints its arguments and $GREETING, prints the files named
# by "cat:PATH" arguments, the locale setlocale(LC_ALL, "") gets for a
# "locale" argument, exits with the status of an "exit:N" argument.
SRC = r"""
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv)
{
	int status = 0;
	for (int i = 0; i < argc; i++) {
		printf("argv[%d]=%s\n", i, argv[i]);
		if (!strcmp(argv[i], "locale")) {
			const char *l = setlocale(LC_ALL, "");
			printf("locale=%s\n", l ? l : "(none)");
		}
		if (!strncmp(argv[i], "exit:", 5))
			status = atoi(argv[i] + 5);
		if (!strncmp(argv[i], "cat:", 4)) {
			FILE *f = fopen(argv[i] + 4, "r");
			char line[256];
			if (!f) {
				printf("cannot open %s\n", argv[i] + 4);
				continue;
			}
			while (fgets(line, sizeof line, f))
				printf("%s: %s", argv[i] + 4, line);
			fclose(f);
		}
	}
	printf("GREETING=%s\n", getenv("GREETING") ? getenv("GREETING") : "(unset)");
	return status;
}
"""
KINDS = {"pie": ["-fPIE", "-pie"], "nopie": ["-fno-PIE", "-no-pie"], "static": ["-static", "-no-pie"],
         "static-pie": ["-static-pie", "-fPIE"]}


@pytest.fixture(scope="module")
def progs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("progs")
    (d / "p.c").write_text(SRC)
    for kind, flags in KINDS.items():
        subprocess.run(["gcc", "-O2", *flags, "-o", str(d / kind), str(d / "p.c")], check=True)
    return {k: d / k for k in KINDS}


def _run(*args):
    r = uniforge("run", *args, timeout=3600)
    assert "Traceback" not in r.text, r.text
    return r


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_kinds_args_env_status(progs, kind, target):
    p = progs[kind]
    r = _run(p, "-t", target, "-q", "--timeout", TIMEOUT, "-e", "GREETING=hello there", "--",
             "one", "two words", "exit:7")
    assert r.rc == 7, r.text[-3000:]
    assert f"argv[0]={p}\nargv[1]=one\nargv[2]=two words\nargv[3]=exit:7\nGREETING=hello there\n" in r.out, \
        r.text[-3000:]
    assert "UK-CRASH" not in r.text


@pytest.mark.parametrize("target", TARGETS)
def test_rootfs_and_etc(progs, tmp_path, target):
    files = tmp_path / "files"
    (files / "data").mkdir(parents=True)
    (files / "data" / "hello.txt").write_text("from --rootfs\n")
    (files / "etc").mkdir()
    (files / "etc" / "motd").write_text("over the layout\n")
    r = _run(progs["pie"], "-t", target, "-q", "--timeout", TIMEOUT, "--rootfs", files, "--",
             "cat:/data/hello.txt", "cat:/etc/hostname", "cat:/etc/motd", "cat:/etc/passwd")
    assert r.rc == 0, r.text[-3000:]
    assert "/data/hello.txt: from --rootfs\n" in r.out and "/etc/hostname: uniforge\n" in r.out
    assert "/etc/motd: over the layout\n" in r.out and "/etc/passwd: root:x:0:0:root:/root:/bin/sh\n" in r.out
    assert "GREETING=(unset)" in r.out


def test_manifest_form(progs, tmp_path):
    app = tmp_path / "app"
    (app / "files").mkdir(parents=True)
    (app / "files" / "f.txt").write_text("manifest rootfs\n")
    (app / "uniforge.yaml").write_text(
        f"binary: {progs['static-pie']}\nrootfs: files\ncmd: [cat:/f.txt, 'exit:3']\n"
        "env: {GREETING: from-manifest}\ntargets: [microvm/x86_64]\n")
    r = _run(app, "-q", "--timeout", TIMEOUT)
    assert r.rc == 3, r.text[-3000:]
    assert "/f.txt: manifest rootfs\n" in r.out and "GREETING=from-manifest\n" in r.out
    assert f"argv[0]={progs['static-pie']}\n" in r.out
    # -e over env:, arguments after -- over cmd:
    r = _run(app, "-q", "--timeout", TIMEOUT, "-e", "GREETING=cli", "--", "exit:0")
    assert r.rc == 0 and "GREETING=cli\n" in r.out and "/f.txt" not in r.out, r.text[-3000:]


def test_host_sqlite3_two_commands():
    """The README's example: the host's own sqlite3, nothing else given."""
    r = _run("/usr/bin/sqlite3", "-q", "--timeout", TIMEOUT, "--", ":memory:", "select 6*7;")
    assert r.rc == 0 and r.out.splitlines()[-1] == "42", r.text[-3000:]


def test_strace_and_locale(progs):
    """--strace builds the strace variant of the binary kernel and decodes
    the program's syscalls; --locale C.UTF-8 brings the locale's files
    (without them glibc's setlocale fails) and sets LANG."""
    r = _run(progs["pie"], "-q", "--timeout", TIMEOUT, "--strace", "--locale", "C.UTF-8", "--", "locale")
    assert r.rc == 0, r.text[-3000:]
    assert "locale=C.UTF-8\n" in r.out
    assert 'openat(AT_FDCWD, "/usr/lib/locale/C.utf8/LC_CTYPE"' in r.err, r.err[-3000:]
    assert "exit_group(0)" in r.err
    r = _run(progs["pie"], "-q", "--timeout", TIMEOUT, "-e", "LANG=C.UTF-8", "--", "locale")
    assert r.rc == 0 and "locale=(none)\n" in r.out, r.text[-3000:]


def test_build_binary_prints_the_kernel(progs):
    r = uniforge("build", progs["static"], "-t", "microvm/x86_64", "-q")
    assert r.rc == 0, r.text
    image = Path(r.out.split(" (")[0])
    assert image.is_file() and "/binkernel/microvm-x86_64/" in str(image)


def test_musl_dynamic(progs, tmp_path):
    """A musl program (musl-gcc, dynamic PIE): its interpreter is musl's
    libc.so, which also answers its DT_NEEDED libc.so."""
    src = progs["pie"].parent / "p.c"
    p = tmp_path / "musl"
    subprocess.run(["musl-gcc", "-O2", "-o", str(p), str(src)], check=True)
    r = _run(p, "-q", "--timeout", TIMEOUT, "-e", "GREETING=musl", "--", "exit:9")
    assert r.rc == 9, r.text[-3000:]
    assert f"argv[0]={p}\nargv[1]=exit:9\nGREETING=musl\n" in r.out


def test_arm64_static_and_dynamic_with_a_debian_sysroot(progs, tmp_path):
    """arm64: the target follows the program's architecture (qemu/arm64);
    a dynamic program takes its ld.so and libc from a Debian arm64 root
    (uniforge.debroot: libc6:arm64 through the private apt)."""
    from uniforge import debroot
    src = progs["pie"].parent / "p.c"
    for kind, flags in (("static", ["-static"]), ("dyn", [])):
        subprocess.run(["aarch64-linux-gnu-gcc", "-O2", *flags, "-o", str(tmp_path / kind), str(src)], check=True)
    r = _run(tmp_path / "static", "-q", "--timeout", TIMEOUT, "--", "exit:5")
    assert r.rc == 5 and f"argv[0]={tmp_path / 'static'}\n" in r.out, r.text[-3000:]
    root = debroot.sysroot(["libc6"], "arm64")
    r = _run(tmp_path / "dyn", "--sysroot", root, "-q", "--timeout", TIMEOUT, "-e", "GREETING=arm", "--", "exit:6")
    assert r.rc == 6 and "GREETING=arm\n" in r.out, r.text[-3000:]
