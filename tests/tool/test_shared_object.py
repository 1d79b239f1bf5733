"""Shared objects a library builds and embeds (uniforge/shared_object.py,
library.toml [[shared_object]]), checked on the one that uses it: the vDSO
(os/lib/ukvdso). Real builds in temporary folders: the vdso.so of x86_64
and arm64 read with pyelftools as glibc and musl read it (one R+X PT_LOAD
at 0, a read-only PT_DYNAMIC, DT_HASH + DT_GNU_HASH that find every export
at its version, no relocation), embedded byte for byte at a page boundary
of the image's text with the vvar table after it, and rebuilt into the
image when it changes."""
import re

import pytest
from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerDefSection, GNUVerSymSection
from elftools.elf.hash import ELFHashTable, GNUHashTable

from uniforge import shared_object
from uniforge.errors import UserError
from uniforge.library import parse
from uniforge.project import Project

MANIFEST = "name: v\nlibraries: [ukvdso, posix-time]\n"
MAIN = """\
#include <stdio.h>
#include <uk/vdso.h>
int main(void) { printf("%p\\n", uk_vdso_base()); return 0; }
"""
EXPORTS = {
    "qemu/x86_64": ("LINUX_2.6", ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
                                  "__vdso_getcpu", "__vdso_clock_getres", "clock_gettime", "gettimeofday",
                                  "time", "getcpu", "clock_getres"]),
    "qemu/arm64": ("LINUX_2.6.39", ["__kernel_clock_gettime", "__kernel_gettimeofday",
                                    "__kernel_clock_getres", "__kernel_rt_sigreturn"]),
}
VVAR_OFFSET = 0x1000            # os/lib/ukvdso/vvar.h
MAGIC = 0x7672617620736b75


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """target -> (Project, BuildResult) of a small app with the vDSO."""
    out = {}
    for target in EXPORTS:
        d = tmp_path_factory.mktemp("vdso")
        (d / "uniforge.yaml").write_text(MANIFEST)
        (d / "main.c").write_text(MAIN)
        p = Project(d, target)
        out[target] = (p, p.build())
    return out


@pytest.mark.parametrize("target", list(EXPORTS))
def test_vdso_is_a_shared_object_glibc_and_musl_can_read(built, target):
    p, _ = built[target]
    version, names = EXPORTS[target]
    with open(p.build_dir / "gen" / "ukvdso" / "vdso.so", "rb") as f:
        elf = ELFFile(f)
        assert elf["e_type"] == "ET_DYN"
        loads = [s for s in elf.iter_segments() if s["p_type"] == "PT_LOAD"]
        assert len(loads) == 1 and loads[0]["p_vaddr"] == 0 and loads[0]["p_offset"] == 0
        assert loads[0]["p_flags"] == 5                  # R + X, never W
        dyn = [s for s in elf.iter_segments() if s["p_type"] == "PT_DYNAMIC"]
        assert len(dyn) == 1 and dyn[0]["p_flags"] == 4  # read-only: glibc does not patch it
        notes = [n for s in elf.iter_segments() if s["p_type"] == "PT_NOTE" for n in s.iter_notes()]
        assert [(n["n_name"], n["n_descdata"]) for n in notes] == [("Linux", b"\x00\x01\x06\x00")]
        dynamic = next(s for s in elf.iter_sections() if isinstance(s, DynamicSection))
        tags = {t.entry.d_tag: t for t in dynamic.iter_tags()}
        for tag in ("DT_HASH", "DT_GNU_HASH", "DT_STRTAB", "DT_SYMTAB", "DT_VERSYM", "DT_VERDEF", "DT_SONAME"):
            assert tag in tags, tag
        assert tags["DT_SONAME"].soname == "linux-vdso.so.1"
        assert not {"DT_RELA", "DT_REL", "DT_JMPREL", "DT_TEXTREL", "DT_NEEDED"} & set(tags)
        dynsym = elf.get_section_by_name(".dynsym")
        versym = next(s for s in elf.iter_sections() if isinstance(s, GNUVerSymSection))
        verdef = next(s for s in elf.iter_sections() if isinstance(s, GNUVerDefSection))
        versions = {v["vd_ndx"]: next(aux).name for v, aux in verdef.iter_versions()}
        assert set(versions.values()) == {"linux-vdso.so.1", version}
        exported = {}
        for i, sym in enumerate(dynsym.iter_symbols()):
            if sym["st_shndx"] != "SHN_UNDEF" and sym["st_info"]["type"] == "STT_FUNC":
                exported[sym.name] = (sym["st_value"], versions[versym.get_symbol(i)["ndx"]])
        assert exported == {n: (exported[n][0], version) for n in names}
        # (vaddr = file offset: the segment is at 0 from offset 0)
        sysv = ELFHashTable(elf, tags["DT_HASH"].entry.d_ptr, None, dynsym)
        gnu = GNUHashTable(elf, tags["DT_GNU_HASH"].entry.d_ptr, dynsym)
        for name in names:
            assert sysv.get_symbol(name)["st_value"] == exported[name][0], name
            assert gnu.get_symbol(name)["st_value"] == exported[name][0], name
        assert sysv.get_symbol("uk_vdso_vvar") is None and gnu.get_symbol("vvar") is None
        if target.endswith("x86_64"):       # Linux's weak aliases
            for n in ("clock_gettime", "gettimeofday", "time", "getcpu", "clock_getres"):
                assert exported[n][0] == exported["__vdso_" + n][0]


@pytest.mark.parametrize("target", list(EXPORTS))
def test_vdso_is_embedded_read_only_at_a_page_with_its_vvar_table(built, target):
    p, res = built[target]
    so = (p.build_dir / "gen" / "ukvdso" / "vdso.so").read_bytes()
    with open(res.image_dbg, "rb") as f:
        elf = ELFFile(f)
        syms = {s.name: s["st_value"] for s in elf.get_section_by_name(".symtab").iter_symbols()}
        base = syms["uk_vdso_image"]
        assert base % 4096 == 0
        seg = next(s for s in elf.iter_segments() if s["p_type"] == "PT_LOAD" and
                   s["p_vaddr"] <= base < s["p_vaddr"] + s["p_filesz"])
        assert seg["p_flags"] & 1 and not seg["p_flags"] & 2    # executable, not writable
        off = seg["p_offset"] + base - seg["p_vaddr"]
        f.seek(off)
        assert f.read(len(so)) == so
        f.seek(off + VVAR_OFFSET)
        words = [int.from_bytes(f.read(8), "little") for _ in range(5)]
    assert words == [MAGIC, syms["uk_sys_clock_gettime"], syms["uk_sys_gettimeofday"], syms["uk_sys_time"],
                     syms["uk_sys_clock_getres"]]


def test_embedding_unit_is_rebuilt_when_the_shared_object_changes(built):
    p, _ = built["qemu/x86_64"]
    text = (p.build_dir / "build.ninja").read_text().replace("$\n    ", "")
    assert re.search(r"^build gen/ukvdso/vdso\.so: so_link obj/ukvdso/@so/vdso/dso/vdso\.c\.o", text, re.M)
    assert re.search(r"^build obj/ukvdso/embed\.S\.o: cc \S+/embed\.S \| gen/ukvdso/vdso\.so", text, re.M)
    assert "-Wa,-Igen/ukvdso" in text
    so = p.build_dir / "gen" / "ukvdso" / "vdso.so"
    so.write_bytes(so.read_bytes())         # newer: what a rebuilt vdso.so looks like to ninja
    steps = []
    p.build(progress=lambda done, total, what: steps.append(what))
    assert "CC ukvdso embed.S" in steps and not any("shared object" in s for s in steps), steps


def write_lib(tmp_path, body: str):
    d = tmp_path / "lib"
    (d / "dso").mkdir(parents=True)
    for name in ("x.lds", "x.map", "x.c"):
        (d / "dso" / name).write_text("")
    (d / "library.toml").write_text('name = "x"\n' + body)
    return d


def test_shared_object_entries_are_checked(tmp_path):
    good = ('[[shared_object]]\noutput = "x.so"\nsources = ["dso/x.c"]\nlinker_script = "dso/x.lds"\n'
            'version_script = "dso/x.map"\nif = "ARCH_X86_64"\n')
    lib = parse(write_lib(tmp_path, good))
    assert [(s.output, s.cond, [c.src for c in s.sources]) for s in lib.shared_objects] == \
        [("x.so", "ARCH_X86_64", ["dso/x.c"])]
    for bad, words in ((good.replace('"x.so"', '"sub/x.so"'), "must be a file name ending in .so"),
                       (good.replace('"dso/x.lds"', '"dso/nope.lds"'), "linker_script 'dso/nope.lds' is missing"),
                       (good.replace("output", "outptu"), "bad [[shared_object]] entry"),
                       ('shared_object = 3\n', "must be a list of tables")):
        with pytest.raises(UserError, match=re.escape(words)):
            parse(write_lib(tmp_path / str(len(words)), bad))


def test_both_entries_selected_for_one_output_is_an_error(tmp_path):
    entry = ('[[shared_object]]\noutput = "x.so"\nsources = ["dso/x.c"]\nlinker_script = "dso/x.lds"\n'
             'version_script = "dso/x.map"\n')
    lib = parse(write_lib(tmp_path, entry + entry))
    with pytest.raises(UserError, match="make their `if` expressions exclusive"):
        shared_object.plan(lib, lambda cond: True, [], tmp_path / "config.h", [])


def test_cache_key_text_covers_flags_and_sources(tmp_path):
    def build(flags):
        return shared_object.SharedObjectBuild("x", "gen/x/x.so", ((tmp_path / "a.c", "obj/x/@so/x/a.c.o"),),
                                               flags, tmp_path / "x.lds", tmp_path / "x.map", ())
    rel = str
    assert shared_object.key_text([build(("-O2",))], "x", rel) != shared_object.key_text([build(("-O1",))], "x", rel)
    assert shared_object.key_text([build(("-O2",))], "other", rel) == ""
