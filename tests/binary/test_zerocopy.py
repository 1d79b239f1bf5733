"""Binary mode's root file system costs no copy: the program's and its
libraries' file pages are the initrd's own (the tool page-aligns file data
in the archive, uniforge/cpio.py; ukcpio hands the pages to ramfs,
os/lib/ukcpio/README.md), read at log level 4 from ukcpio's line
`initrd: N KiB of file data taken in place, M KiB copied`.

python3.11 is a non-PIE program at 0x400000: on qemu/x86_64 QEMU's
Multiboot loader puts the initrd right after the kernel, over its
ukboot.reserve= range, whose memory the guest keeps for the program; the
tool starts the archive's files past that range (run_binary.archive_skip).
Before, about 7.5 MiB of its files lay there and were copied.
"""
from __future__ import annotations

import re
import shutil

import pytest

from binhelp import run_binary, sysroot, failure

pytestmark = pytest.mark.boot

LINE = re.compile(r"ukcpio: initrd: (\d+) KiB of file data taken in place, (\d+) KiB copied")


@pytest.mark.parametrize("app,binary,args,target", [
    ("python3.11", "/usr/bin/python3.11", ["-c", "print(6 * 7)"], "qemu/x86_64"),
    ("python3.11", "/usr/bin/python3.11", ["-c", "print(6 * 7)"], "microvm/x86_64"),
    ("sqlite3", "/usr/bin/sqlite3", [":memory:", "select 6 * 7"], "qemu/x86_64"),
])
def test_files_are_taken_in_place(app, binary, args, target, tmp_path):
    root = sysroot(app)
    rootfs = None
    if app == "python3.11":         # -S: only the encodings package is not frozen
        rootfs = tmp_path / "rootfs"
        shutil.copytree(root / "usr/lib/python3.11/encodings", rootfs / "usr/lib/python3.11/encodings")
        args = ["-S", *args]
    r = run_binary(root, binary, target, args, rootfs=rootfs, sets=["CONFIG_LIBUKDEBUG_PRINT_LEVEL=4"])
    assert r.rc == 0, failure(r)
    assert "42" in r.out, failure(r)
    m = LINE.search(r.text)
    assert m, failure(r)
    taken, copied = int(m.group(1)), int(m.group(2))
    # only the tails of files (under a page each) and the small ones
    assert taken >= 4 << 10 and copied < 256, m.group(0)
