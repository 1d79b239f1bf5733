"""Build model and Ninja generation: real builds in temporary folders."""
import re
import subprocess


from uniforge.project import Project
from conftest import uniforge

HELLO_RAW = """\
#include <uk/plat.h>
int main(void) { ukplat_cout("raw\\n", 4); return 3; }
"""
RAW_MANIFEST = """\
name: raw
targets: [linuxu/x86_64]
kconfig:
  CONFIG_LIBC_NONE: y
  CONFIG_UKBOOT_ALLOC_NONE: y
"""


def test_ninja_file_has_one_object_per_source_and_partial_links(make_app):
    app = make_app(RAW_MANIFEST, HELLO_RAW, files={"extra.c": "int extra(void) { return 1; }\n",
                                                   "extra.S": ".globl extra2\nextra2: ret\n"})
    p = Project(app, "linuxu/x86_64")
    res = p.build()
    text = (p.build_dir / "build.ninja").read_text()
    assert re.search(r"^build obj/app/main\.c\.o: cc .*/main\.c$", text, re.M)
    assert re.search(r"^build obj/app/extra\.c\.o: cc .*/extra\.c$", text, re.M)
    assert re.search(r"^build obj/app/extra\.S\.o: cc .*/extra\.S$", text, re.M)   # same stem, no clash
    assert re.search(r"^build lib/libukboot\.o: partial obj/ukboot/boot\.c\.o", text, re.M)
    assert "--gc-sections" in text and "-T $script" in text
    # only selected libraries are built: no allocator, no libc
    assert "ukallocbuddy" not in text and "nolibc" not in text
    assert res.image.exists() and res.image_dbg.exists()
    out = subprocess.run([str(res.image)], capture_output=True, text=True)
    assert (out.returncode, out.stdout) == (3, "raw\n")


def test_incremental_build_does_no_work_twice(make_app):
    app = make_app(RAW_MANIFEST, HELLO_RAW)
    p = Project(app, "linuxu/x86_64")
    p.build()
    steps = []
    p.build(progress=lambda done, total, what: steps.append(what))
    assert steps == []
    (app / "main.c").write_text(HELLO_RAW.replace("return 3", "return 4"))
    p.build(progress=lambda done, total, what: steps.append(what))
    assert any("main.c" in s for s in steps)
    assert not any("boot.c" in s for s in steps)


def test_compile_error_names_file_and_line(make_app):
    app = make_app(RAW_MANIFEST, "int main(void) {\n  return undefined_thing;\n}\n")
    r = uniforge("build", app, "-t", "linuxu/x86_64")
    assert r.rc == 1
    assert re.search(r"main\.c:2:\d+: error: 'undefined_thing' undeclared", r.err), r.err


def test_link_error_is_reported(make_app):
    app = make_app(RAW_MANIFEST, "int missing(void);\nint main(void) { return missing(); }\n")
    r = uniforge("build", app, "-t", "linuxu/x86_64")
    assert r.rc == 1 and "undefined reference to `missing'" in r.err, r.err
    assert "link failed: undefined symbol missing" in r.err


def test_missing_main_gets_a_hint(make_app):
    app = make_app(RAW_MANIFEST, "int helper(void) { return 0; }\n")
    r = uniforge("build", app, "-t", "linuxu/x86_64")
    assert r.rc == 1
    assert "undefined symbol main" in r.err
    assert "hint: the application has no main()" in r.err


def test_every_undefined_symbol_is_shown_despite_warnings(make_app):
    # 40 functions, each with warnings that come before the link errors.
    n = 40
    src = "".join(f"int f{i}(int unused_{i}) {{ int x{i}; return x{i}; }}\n" for i in range(n))
    src += "".join(f"int g{i}(void);\n" for i in range(n))
    src += "int main(void) { return " + " + ".join(f"g{i}()" for i in range(n)) + "; }\n"
    app = make_app(RAW_MANIFEST, src)
    r = uniforge("build", app, "-t", "linuxu/x86_64")
    assert r.rc == 1
    assert "warning" in r.err             # the warnings are there ...
    first = r.err.splitlines()[0]
    for i in range(n):                    # ... and every symbol is named
        assert f"g{i}" in first.replace(",", " ").split(), first
    assert all(f"`g{i}'" in r.err for i in range(n))


def test_libc_function_the_libc_lacks_is_named(make_app):
    app = make_app("name: t\n", "#include <stdio.h>\nvoid *fopen(const char *, const char *);\n"
                                 "int main(void) { return fopen(\"x\", \"r\") != 0; }\n")
    r = uniforge("build", app, "-t", "linuxu/x86_64")
    assert r.rc == 1
    assert "fopen() is a C library function: the selected libc, nolibc, does not provide it; musl has it " \
        "(choose it with `libraries: [musl]` in uniforge.yaml, or CONFIG_LIBC_MUSL=y)" in r.err, r.err


def test_libc_explanation_names_the_libc_that_has_it():
    from uniforge.libc import explain_undefined
    got = explain_undefined(["fopen", "my_helper"], "nolibc",
                            {"nolibc": {"printf"}, "musl": {"fopen", "printf"}})
    assert got == ["fopen() is a C library function: the selected libc, nolibc, does not provide it; "
                   "musl has it (choose it with `libraries: [musl]` in uniforge.yaml, or CONFIG_LIBC_MUSL=y)"]
    # a libc-specific name (declared in a libc's symbols.txt) counts as well
    assert explain_undefined(["__musl_only"], "nolibc", {"nolibc": set(), "musl": {"__musl_only"}})
    assert explain_undefined(["my_helper"], "nolibc", {"nolibc": set()}) == []


def test_selected_libc_symbols_come_from_its_built_object(make_app):
    from uniforge.libc import defined_symbols
    app = make_app("name: t\n")
    assert uniforge("build", app, "-t", "linuxu/x86_64").rc == 0
    syms = defined_symbols(app / ".uniforge/build/linuxu-x86_64/lib/libnolibc.o")
    assert {"printf", "memcpy", "strtol"} <= syms and "fopen" not in syms


def test_path_with_a_space_builds(tmp_path):
    d = tmp_path / "my app" / "hello world"
    d.mkdir(parents=True)
    (d / "uniforge.yaml").write_text(RAW_MANIFEST)
    (d / "main.c").write_text(HELLO_RAW)
    (d / "other file.c").write_text("int other(void) { return 0; }\n")
    r = uniforge("build", d, "-t", "linuxu/x86_64")
    assert r.rc == 0, r.text
    r = uniforge("build", d, "-t", "linuxu/x86_64", "-v")
    assert r.rc == 0 and "$ " not in r.err            # up to date: nothing re-run


def test_build_quiet_and_verbose(make_app):
    app = make_app(RAW_MANIFEST, "int main(void) { int unused; return 0; }\n")
    r = uniforge("build", app, "-t", "linuxu/x86_64", "-v")
    assert r.rc == 0, r.text
    assert re.search(r"^\$ \S*gcc .* -c \S*main\.c -o obj/app/main\.c\.o$", r.err, re.M), r.err
    assert re.search(r"^\$ \S*gcc -nostdlib .*-T ", r.err, re.M), r.err
    assert "unused variable 'unused'" in r.err        # warnings are shown ...
    (app / "main.c").write_text("int main(void) { int unused2; return 0; }\n")
    r = uniforge("build", app, "-t", "linuxu/x86_64", "-q")
    assert r.rc == 0 and r.err == ""                  # ... except with -q
    assert r.out.count("\n") == 1


def test_build_output_stays_in_the_app_folder(make_app):
    app = make_app(RAW_MANIFEST, HELLO_RAW)
    r = uniforge("build", app, "-t", "linuxu/x86_64")
    assert r.rc == 0, r.err
    assert str(app / ".uniforge/build/linuxu-x86_64/raw_linuxu-x86_64") in r.out
    assert re.search(r"\(\d+(\.\d)? (B|KiB), \d+ bytes\)", r.out)
