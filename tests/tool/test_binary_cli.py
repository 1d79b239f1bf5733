"""`uniforge run BINARY` on the host side: the manifest form (`binary:`) and
the clear errors that come before anything is built (a script, a corrupt
or foreign ELF, a missing library or interpreter, a target that cannot
run a Linux program)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import uniforge
from uniforge import manifest
from uniforge.errors import UserError


def _err(r) -> str:
    assert r.rc == 1, r.text
    assert "Traceback" not in r.text and "internal error" not in r.text, r.text
    return r.err


def test_binary_manifest(make_app, tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    d = make_app(f"""\
        binary: /usr/bin/true
        sysroot: {root}
        cmd: ["--version"]
        targets: [microvm/x86_64]
        libraries: [uktest]
        kconfig: {{CONFIG_LIBPOSIX_SOCKET: n}}
        env: {{A: b}}
        memory: 64M
        ports: ["8080:80"]
        """)
    m = manifest.load(d)
    assert m.binary == Path("/usr/bin/true") and m.sysroot == root
    assert m.name == "true" and m.sources == [] and m.cmd == ["--version"] and m.libraries == ["uktest"]
    assert m.kconfig == {"CONFIG_LIBPOSIX_SOCKET": "n"} and m.memory_mb == 64
    (d / "bin").mkdir()
    shutil.copy("/usr/bin/true", d / "bin" / "mytrue")
    (d / "uniforge.yaml").write_text("name: t\nbinary: bin/mytrue\n")
    assert manifest.load(d).binary == d / "bin" / "mytrue"


@pytest.mark.parametrize("text, expected", [
    ("binary: /nothere\n", "uniforge.yaml:1: binary '/nothere' does not exist"),
    ("binary: /usr\n", "uniforge.yaml:1: binary '/usr' is a folder, not a program"),
    ("binary: [a, b]\n", "uniforge.yaml:1: 'binary' must be one file name"),
    ("binary: /usr/bin/true\nsources: [main.c]\n",
     "uniforge.yaml:2: 'sources' cannot go with 'binary:': a binary's manifest compiles nothing"),
    ("binary: /usr/bin/true\ncflags: [-O2]\n", "uniforge.yaml:2: 'cflags' cannot go with 'binary:'"),
    ("name: x\nsysroot: /usr\n", "uniforge.yaml:2: 'sysroot' needs 'binary:'"),
    ("binary: /usr/bin/true\nsysroot: nothere\n", "uniforge.yaml:2: sysroot folder 'nothere' does not exist"),
    ("binarry: /usr/bin/true\n", "unknown key 'binarry' (did you mean 'binary'?)"),
])
def test_binary_manifest_errors(make_app, text, expected):
    with pytest.raises(UserError) as e:
        manifest.load(make_app(text))
    assert expected in str(e.value) and "hint:" in str(e.value)


def test_script_is_a_clear_error(tmp_path):
    s = tmp_path / "hello.sh"
    s.write_text("#!/bin/sh\necho hi\n")
    err = _err(uniforge("run", s))
    assert f"{s}: not a usable ELF program: it is a script for '/bin/sh', not an ELF binary" in err
    assert "hint: run its interpreter" in err


def test_corrupt_elf_is_a_clear_error(tmp_path):
    p = tmp_path / "cut"
    p.write_bytes(Path("/usr/bin/true").read_bytes()[:200])
    err = _err(uniforge("run", p))
    assert f"{p}: not a usable ELF program: corrupt program header" in err and "truncated?" in err


def test_foreign_architecture_and_target(tmp_path):
    err = _err(uniforge("run", "/usr/bin/true", "-t", "qemu/arm64"))
    assert "/usr/bin/true: an x86_64 program cannot run on an arm64 target" in err
    err = _err(uniforge("run", "/usr/bin/true", "-t", "linuxu/x86_64"))
    assert "linuxu/x86_64 cannot run a Linux program" in err and "hint: use -t qemu/x86_64" in err


def test_missing_library_and_interpreter(tmp_path):
    lib = tmp_path / "libgone.so"
    c = tmp_path / "l.c"
    c.write_text("int gone(void) { return 0; }\n")
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(lib), str(c), "-Wl,-soname,libgone.so"], check=True)
    m = tmp_path / "m.c"
    m.write_text("int gone(void); int main(void) { return gone(); }\n")
    prog = tmp_path / "prog"
    subprocess.run(["gcc", "-o", str(prog), str(m), str(lib)], check=True)
    lib.unlink()
    err = _err(uniforge("run", prog))
    assert f"{prog}: library libgone.so, needed by {prog}, not found in the host; searched: " in err
    assert "hint: install the package holding libgone.so" in err
    ld = tmp_path / "ld"
    subprocess.run(["gcc", "-o", str(ld), str(m), str(tmp_path / "l.c"), "-Wl,--dynamic-linker=/lib/ld-gone.so.1"],
                   check=True)
    err = _err(uniforge("run", ld, "--sysroot", tmp_path))
    assert f"its interpreter /lib/ld-gone.so.1 (PT_INTERP) is not in the sysroot {tmp_path}" in err


def test_sysroot_and_initrd_misuse(tmp_path, make_app):
    assert "--sysroot /nothere: no such folder" in _err(uniforge("run", "/usr/bin/true", "--sysroot", "/nothere"))
    err = _err(uniforge("run", "/usr/bin/true", "--initrd", "/usr/bin/true"))
    assert "--initrd replaces the root file system" in err
    d = make_app("name: app\n")
    err = _err(uniforge("run", d, "--sysroot", tmp_path))
    assert "--sysroot and --locale are for running a Linux program" in err


def test_neither_folder_nor_program(tmp_path):
    err = _err(uniforge("run", tmp_path / "nothere"))
    assert f"{tmp_path / 'nothere'}: no such app folder or program" in err and "uniforge init" in err
