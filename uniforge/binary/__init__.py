"""Binary-compatibility mode: running an unmodified Linux ELF program (a
host's or a Debian package's) on the kernel built with ukelfload.

    elf.py      read(path) -> ElfInfo: the ELF's facts, every malformed input a UserError
    ldcache.py  glibc's /etc/ld.so.cache: parse (bounds-checked) and write
    closure.py  resolve(info, sysroot) -> the DT_NEEDED closure, searched as ld.so does
    pathwalk.py walk(guest, lookup): the one symlink walk (a chroot's), over a
                host folder or archive members
    initrd.py   the guest's root file system for a binary (binary, interpreter,
                libraries, /etc files, locales)
    kernel.py   the binary-compatibility kernel: built once per target and
                configuration, cached under ~/.cache/uniforge/binkernel/

The specialiser's (`uniforge deps BINARY`, `run --specialize`): analysis.py,
disasm.py, libcmap.py, trace.py, specialize.py. The CLI is
uniforge/cli/run_binary.py; uniforge/debroot.py makes Debian sysroots.
"""
