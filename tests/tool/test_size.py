"""Map-file parsing for `uniforge size`."""
from uniforge.size import lto_text_ranges, parse_map, with_lto_text

MAP = """\
Archive member included to satisfy reference by file (symbol)

Linker script and memory map

LOAD lib/libukboot.o
LOAD lib/libnolibc.o

.text           0x0000000000100000      0x160
 *(.text .text.*)
 .text.ukplat_entry
                0x0000000000100000      0x100 lib/libukboot.o
                0x0000000000100000                ukplat_entry
 .text.printf   0x0000000000100100       0x50 lib/libnolibc.o
 *fill*         0x0000000000100150       0x10 
.rodata         0x0000000000100160       0x20
 .rodata.str1.1
                0x0000000000100160       0x20 lib/libappdemo.o
.data           0x0000000000101000        0x8
 .data.x        0x0000000000101000        0x8 lib/libnolibc.o
.bss            0x0000000000101008     0x1000
 .bss.stack     0x0000000000101008     0x1000 lib/libkvm.o
 .bss.__udivti3 0x0000000000102008        0x0 /usr/lib/gcc/x86_64-linux-gnu/12/libgcc.a(_udivmoddi4.o)
.debug_info     0x0000000000000000     0x9999
 .debug_info    0x0000000000000000     0x9999 lib/libukboot.o
"""


def test_parse_map_attributes_sections_to_libraries():
    rows = {r.name: r for r in parse_map(MAP)}
    assert (rows["ukboot"].text, rows["ukboot"].data, rows["ukboot"].bss) == (0x100, 0, 0)
    assert (rows["nolibc"].text, rows["nolibc"].data) == (0x50, 8)
    assert rows["appdemo"].text == 0x20
    assert rows["kvm"].bss == 0x1000
    assert rows["(padding)"].text == 0x10
    assert "libgcc" not in rows            # zero-sized entries are not listed
    # debug sections are not part of the image
    assert sum(r.total for r in rows.values()) == 0x100 + 0x50 + 8 + 0x20 + 0x1000 + 0x10


def test_largest_first():
    names = [r.name for r in parse_map(MAP)]
    assert names[0] == "kvm"


LTO_MAP = """\
Linker script and memory map

.text           0x0000000000100000      0x300
 .text.ukplat_entry
                0x0000000000100000      0x100 lib/libukboot.o
 .text          0x0000000000100100      0x180 /tmp/ccAb.ltrans0.ltrans.o
 .text          0x0000000000100280       0x80 /tmp/ccAb.ltrans1.ltrans.o
.rodata         0x0000000000100300       0x40
 .rodata        0x0000000000100300       0x40 /tmp/ccAb.ltrans0.ltrans.o
"""


def test_lto_code_moves_from_the_linker_row_to_its_libraries():
    assert lto_text_ranges(LTO_MAP) == [(0x100100, 0x100280), (0x100280, 0x100300), (0x100300, 0x100340)]
    rows = parse_map(LTO_MAP)
    assert {r.name: r.text for r in rows} == {"(linker)": 0x180 + 0x80 + 0x40, "ukboot": 0x100}
    moved = {r.name: (r.text, r.total) for r in with_lto_text(rows, {"vfscore": 0x100, "ukboot": 0x20})}
    assert moved == {"(linker)": (0x180 + 0x80 + 0x40 - 0x120, 0x120), "ukboot": (0x120, 0x120),
                     "vfscore": (0x100, 0x100)}
