"""uniforge.binary.closure: the DT_NEEDED closure as ld.so finds it — the
host's programs against `ldd`, DT_RPATH/DT_RUNPATH/$ORIGIN, libraries of
another machine skipped, a sysroot, and the errors."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from uniforge.binary import closure, elf
from uniforge.errors import UserError

SQLITE = Path("/usr/bin/sqlite3")


def _ldd(path) -> dict[str, str]:
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True).stdout
    return {m.group(1): m.group(2) for m in re.finditer(r"^\s*(\S+) => (\S+) \(", out, re.M)}


@pytest.mark.skipif(not SQLITE.exists(), reason="./dev setup installs sqlite3")
def test_host_sqlite3_as_ldd():
    got = closure.resolve(elf.read(SQLITE))
    assert got[0].how == "PT_INTERP" and got[0].guest_path == "/lib64/ld-linux-x86-64.so.2"
    assert got[0].host_path == Path("/lib64/ld-linux-x86-64.so.2").resolve()
    libs = {r.soname: r.guest_path for r in got[1:]}
    assert libs == _ldd(SQLITE)
    for r in got:
        assert r.host_path.is_file() and not r.host_path.is_symlink()
        assert r.host_path == Path(r.guest_path).resolve()
    by = {r.soname: r.needed_by for r in got}
    assert by["libtinfo.so.6"].endswith("/libreadline.so.8")


def _cc(out: Path, src: str, *flags):
    c = out.with_suffix(".c")
    c.write_text(src)
    subprocess.run(["gcc", "-O1", "-o", str(out), str(c), *map(str, flags)], check=True, capture_output=True)
    return out


@pytest.fixture
def tree(tmp_path):
    """app/lib/libdep.so (needs libinner.so in app/inner/), programs using
    $ORIGIN with RPATH or RUNPATH."""
    app = tmp_path / "app"
    for d in ("bin", "lib", "inner"):
        (app / d).mkdir(parents=True)
    _cc(app / "inner" / "libinner.so", "int inner(void) { return 1; }\n", "-shared", "-fPIC",
        "-Wl,-soname,libinner.so")
    _cc(app / "lib" / "libdep.so", "int inner(void); int dep(void) { return inner(); }\n", "-shared", "-fPIC",
        "-Wl,-soname,libdep.so", f"-L{app / 'inner'}", "-linner")
    main = "int dep(void); int main(void) { return dep(); }\n"
    rp = "-Wl,-rpath,$ORIGIN/../lib:$ORIGIN/../inner"
    _cc(app / "bin" / "rpath", main, f"-L{app / 'lib'}", "-ldep", rp, "-Wl,--disable-new-dtags")
    _cc(app / "bin" / "runpath", main, f"-L{app / 'lib'}", "-ldep", rp, "-Wl,--enable-new-dtags")
    return app


def test_rpath_is_inherited_and_origin_expands(tree):
    info = elf.read(tree / "bin" / "rpath")
    assert info.rpath == ["$ORIGIN/../lib", "$ORIGIN/../inner"] and not info.runpath
    got = {r.soname: r for r in closure.resolve(info)}
    assert got["libdep.so"].guest_path == str(tree / "lib" / "libdep.so") and got["libdep.so"].how == "DT_RPATH"
    # libdep.so has no search path of its own: the program's DT_RPATH serves it (ld.so's loader chain)
    assert got["libinner.so"].guest_path == str(tree / "inner" / "libinner.so")
    assert got["libinner.so"].needed_by == str(tree / "lib" / "libdep.so")
    assert got["libc.so.6"].how == "ld.so.cache"
    # what ld.so itself does with it
    assert subprocess.run([str(tree / "bin" / "rpath")]).returncode == 1


def test_runpath_is_not_inherited(tree):
    info = elf.read(tree / "bin" / "runpath")
    assert info.runpath and not info.rpath
    with pytest.raises(UserError) as e:
        closure.resolve(info)
    msg = str(e.value)
    assert "library libinner.so, needed by " + str(tree / "lib" / "libdep.so") in msg
    assert "ld.so.cache (/etc/ld.so.cache)" in msg and "/usr/lib/x86_64-linux-gnu" in msg
    assert "hint: install the package holding libinner.so" in msg
    # ld.so agrees: the program does not start
    r = subprocess.run([str(tree / "bin" / "runpath")], capture_output=True, text=True)
    assert r.returncode == 127 and "libinner.so" in r.stderr


@pytest.mark.skipif(shutil.which("aarch64-linux-gnu-gcc") is None, reason="./dev setup installs the cross gcc")
def test_other_machines_library_is_skipped(tree):
    """An arm64 libdep.so first in the path is passed over, as ld.so does."""
    other = tree / "arm"
    other.mkdir()
    c = other / "d.c"
    c.write_text("int dep(void) { return 0; }\n")
    subprocess.run(["aarch64-linux-gnu-gcc", "-shared", "-fPIC", "-o", str(other / "libdep.so"), str(c)],
                   check=True)
    _cc(tree / "bin" / "two", "int dep(void); int main(void) { return dep(); }\n", f"-L{tree / 'lib'}", "-ldep",
        f"-Wl,-rpath,{other}:$ORIGIN/../lib:$ORIGIN/../inner", "-Wl,--disable-new-dtags")
    got = {r.soname: r.guest_path for r in closure.resolve(elf.read(tree / "bin" / "two"))}
    assert got["libdep.so"] == str(tree / "lib" / "libdep.so")


def test_missing_interpreter(tmp_path):
    p = _cc(tmp_path / "p", "int main(void) { return 0; }\n", "-Wl,--dynamic-linker=/lib/ld-nothere.so.2")
    with pytest.raises(UserError) as e:
        closure.resolve(elf.read(p))
    assert f"{p}: its interpreter /lib/ld-nothere.so.2 (PT_INTERP) is not in the host" in str(e.value)
    assert "--sysroot" in str(e.value)


def test_static_has_no_closure(tmp_path):
    p = _cc(tmp_path / "s", "int main(void) { return 0; }\n", "-static")
    assert closure.resolve(elf.read(p)) == []


def test_sysroot_symlinks_resolve_inside_it(tmp_path):
    """An absolute symlink in a sysroot points into the sysroot, not the host."""
    root = tmp_path / "root"
    (root / "usr" / "lib").mkdir(parents=True)
    (root / "lib").symlink_to("usr/lib")
    (root / "usr" / "lib" / "real.so").write_bytes(b"x")
    (root / "usr" / "lib" / "abs.so").symlink_to("/lib/real.so")
    (root / "usr" / "lib" / "loop").symlink_to("loop")
    assert closure.in_root(root, "/lib/abs.so") == root / "usr" / "lib" / "real.so"
    assert closure.in_root(root, "/lib/../lib/./real.so") == root / "usr" / "lib" / "real.so"
    assert closure.in_root(root, "/lib/loop") is None
    assert closure.in_root(root, "/lib/none.so") is None
    assert closure.guest_path_of(root / "usr" / "lib" / "real.so", root) == "/usr/lib/real.so"
    assert closure.guest_path_of(root / "lib" / "real.so", root) == "/lib/real.so"
    assert closure.guest_path_of(tmp_path / "x", root) == str(tmp_path / "x")


def test_each_rpath_expands_origin_at_its_own_object(tmp_path):
    """The program's DT_RPATH serves its libraries' needs with $ORIGIN the
    program's folder, not the library's (ld.so's l_origin per object)."""
    app = tmp_path / "app"
    for d in ("bin", "lib/deep", "inner"):
        (app / d).mkdir(parents=True)
    _cc(app / "inner" / "libinner.so", "int inner(void) { return 3; }\n", "-shared", "-fPIC",
        "-Wl,-soname,libinner.so")
    _cc(app / "lib" / "deep" / "libdep.so", "int inner(void); int dep(void) { return inner(); }\n", "-shared",
        "-fPIC", "-Wl,-soname,libdep.so", f"-L{app / 'inner'}", "-linner")
    prog = _cc(app / "bin" / "p", "int dep(void); int main(void) { return dep(); }\n",
               f"-L{app / 'lib' / 'deep'}", "-ldep", "-Wl,-rpath,$ORIGIN/../lib/deep:$ORIGIN/../inner",
               "-Wl,--disable-new-dtags", f"-Wl,-rpath-link,{app / 'inner'}")
    got = {r.soname: r.guest_path for r in closure.resolve(elf.read(prog))}
    assert got["libinner.so"] == str(app / "inner" / "libinner.so")
    assert subprocess.run([str(prog)]).returncode == 3


@pytest.mark.skipif(shutil.which("musl-gcc") is None, reason="./dev setup installs musl-tools")
def test_musl_program(tmp_path):
    """musl's loader is its libc: libc.so (and libm, libpthread...) are the
    interpreter; other libraries come from RPATH and musl's path."""
    lib = tmp_path / "lib"
    lib.mkdir()
    c = tmp_path / "x.c"
    c.write_text("int x(void) { return 5; }\n")
    subprocess.run(["musl-gcc", "-shared", "-fPIC", "-o", str(lib / "libx.so"), str(c)], check=True)
    m = tmp_path / "m.c"
    m.write_text("#include <math.h>\nint x(void); int main(void) { return x() + (int)sqrt(0.0); }\n")
    p = tmp_path / "p"
    subprocess.run(["musl-gcc", "-o", str(p), str(m), f"-L{lib}", "-lx", "-lm", f"-Wl,-rpath,{lib}"], check=True)
    info = elf.read(p)
    assert info.interp == "/lib/ld-musl-x86_64.so.1" and "libc.so" in info.needed
    got = closure.resolve(info)
    assert [r.soname for r in got] == ["ld-musl-x86_64.so.1", "libx.so"]
    assert got[1].how == "DT_RUNPATH" and got[1].guest_path == str(lib / "libx.so")
    (lib / "libx.so").unlink()
    with pytest.raises(UserError) as e:
        closure.resolve(info)
    # musl's path: /etc/ld-musl-x86_64.path (Debian's musl has one), else its defaults
    path = Path("/etc/ld-musl-x86_64.path")
    dirs = path.read_text().split() if path.exists() else ["/lib", "/usr/local/lib", "/usr/lib"]
    assert f"searched: DT_RUNPATH {lib}, " + ", ".join(f"musl path {d}" for d in dirs) + "\n" in str(e.value)


def test_symbol_version_missing_in_the_library(tmp_path):
    """A program linked against a newer library (version V_2) with an older
    one (V_1 only) in its place: the host check says what ld.so would."""
    lib = tmp_path / "lib"
    lib.mkdir()
    (tmp_path / "new.map").write_text("V_1 { global: a; local: *; };\nV_2 { global: b; } V_1;\n")
    (tmp_path / "old.map").write_text("V_1 { global: a; local: *; };\n")
    _cc(lib / "libv.so", "int a(void) { return 1; }\nint b(void) { return 2; }\n", "-shared", "-fPIC",
        "-Wl,-soname,libv.so", f"-Wl,--version-script={tmp_path / 'new.map'}")
    prog = _cc(tmp_path / "p", "int b(void); int main(void) { return b(); }\n", f"-L{lib}", "-lv",
               f"-Wl,-rpath,{lib}")
    info = elf.read(prog)
    assert info.version_needs["libv.so"] == {"V_2"} and "GLIBC_2.2.5" in info.version_needs["libc.so.6"]
    assert {r.soname for r in closure.resolve(info)} >= {"libv.so", "libc.so.6"}
    _cc(lib / "libv.so", "int a(void) { return 1; }\n", "-shared", "-fPIC", "-Wl,-soname,libv.so",
        f"-Wl,--version-script={tmp_path / 'old.map'}")
    assert elf.read(lib / "libv.so").version_defs == {"V_1"}
    with pytest.raises(UserError) as e:
        closure.resolve(info)
    assert f"{prog} needs version V_2 of libv.so, which {lib / 'libv.so'} does not define" in str(e.value)
    r = subprocess.run([str(prog)], capture_output=True, text=True)
    assert r.returncode != 0 and "version `V_2' not found" in r.stderr
