"""Build model and Ninja generation: real builds in temporary folders."""
import re
import subprocess

import pytest

from uniforge.config import parse_set
from uniforge.errors import UserError
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


def test_build_output_stays_in_the_app_folder(make_app):
    app = make_app(RAW_MANIFEST, HELLO_RAW)
    r = uniforge("build", app, "-t", "linuxu/x86_64")
    assert r.rc == 0, r.err
    assert str(app / ".uniforge/build/linuxu-x86_64/raw_linuxu-x86_64") in r.out
    assert re.search(r"\(\d+(\.\d)? (B|KiB), \d+ bytes\)", r.out)
