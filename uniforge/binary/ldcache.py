"""glibc's /etc/ld.so.cache: our parser and writer (glibc 2.32+ writes only
the new format; the old "ld.so-1.7.0" one may precede it in older caches
and is skipped).

    new format (little-endian here), offsets from the start of this header:
      char magic[17] "glibc-ld.so.cache"   char version[3] "1.1"
      u32 nlibs  u32 len_strings  u8 flags (endianness: 2 little)  u8 pad[3]
      u32 extension_offset  u32 unused[3]                 (48 bytes)
      nlibs × { i32 flags  u32 key  u32 value  u32 osversion  u64 hwcap }  (24 bytes)
      strings (NUL-terminated; key = soname, value = the file's path)

ld.so looks a soname up by binary search, so entries are sorted
*descending* by _dl_cache_libcmp (digits compared as numbers); write()
keeps that order. The file is outside input: every offset is checked
against the size, and anything wrong is a UserError naming the file.

    parse(data, path) -> list[Entry]      write(entries) -> bytes
    lookup(entries, soname, arch) -> path | None
"""
from __future__ import annotations

from dataclasses import dataclass
import functools
import struct

from ..errors import UserError

OLD_MAGIC = b"ld.so-1.7.0"
NEW_MAGIC = b"glibc-ld.so.cache1.1"
HEADER = struct.Struct("<20sIIB3sI12s")
ENTRY = struct.Struct("<iIIIQ")
OLD_ENTRY = 12
FLAG_ELF_LIBC6 = 0x0003
ARCH_FLAGS = {"x86_64": 0x0300, "arm64": 0x0A00}     # FLAG_X8664_LIB64, FLAG_AARCH64_LIB64
HWCAP_EXTENSION = 1 << 62        # the entry is for a glibc-hwcaps subfolder
ENDIAN_LITTLE = 2
MAX_LIBS = 1 << 20


@dataclass(frozen=True)
class Entry:
    soname: str
    path: str
    flags: int
    hwcap: int = 0

    def arch(self) -> str | None:
        """The architecture ld.so of which accepts this entry, or None."""
        for name, bits in ARCH_FLAGS.items():
            if self.flags == FLAG_ELF_LIBC6 | bits:
                return name
        return None


def _bad(path, what: str):
    raise UserError(f"corrupt ld.so cache: {what}", path=path,
                    hint="regenerate it with `ldconfig` (for a sysroot: ldconfig -r ROOT), or delete it: the "
                         "default folders are then searched")


def parse(data: bytes, path="ld.so.cache") -> list[Entry]:
    """The entries of a cache file's bytes, in file order. Raises
    UserError for anything but a well-formed new-format cache."""
    start = 0
    if data.startswith(OLD_MAGIC):
        if len(data) < 16:
            _bad(path, "truncated old-format header")
        (n,) = struct.unpack_from("<I", data, 12)
        start = 16 + n * OLD_ENTRY
        start = (start + 7) & ~7          # the new header is aligned as it (u64 hwcap)
        if start > len(data):
            _bad(path, f"the old-format part ({n} entries) runs past the end of the file")
    if len(data) < start + HEADER.size:
        _bad(path, f"truncated header ({len(data) - start} bytes)")
    magic, nlibs, len_strings, flags, _, _, _ = HEADER.unpack_from(data, start)
    if magic != NEW_MAGIC:
        _bad(path, f"not a glibc-ld.so.cache1.1 file (starts with {data[start:start + 20]!r})")
    if flags & 3 not in (0, ENDIAN_LITTLE):
        _bad(path, f"not a little-endian cache (flags {flags:#x})")
    if nlibs > MAX_LIBS:
        _bad(path, f"{nlibs} entries is not plausible")
    table = start + HEADER.size
    if table + nlibs * ENTRY.size > len(data):
        _bad(path, f"{nlibs} entries run past the end of the file ({len(data)} bytes)")
    entries = []
    for i in range(nlibs):
        eflags, key, value, _, hwcap = ENTRY.unpack_from(data, table + i * ENTRY.size)
        entries.append(Entry(_string(data, start, key, path, i), _string(data, start, value, path, i),
                             eflags, hwcap))
    return entries


def _string(data: bytes, start: int, off: int, path, i: int) -> str:
    at = start + off
    end = data.find(b"\0", at) if at < len(data) else -1
    if end < 0:
        _bad(path, f"entry {i}: its name at offset {off:#x} runs past the end of the file")
    return data[at:end].decode("utf-8", "surrogateescape")


def read(path) -> list[Entry]:
    """parse() of the file at `path`; [] when there is none. Raises UserError."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return []
    except OSError as e:
        raise UserError(f"cannot read it: {e.strerror}", path=path) from None
    return parse(data, path)


def libcmp(a: str, b: str) -> int:
    """glibc's _dl_cache_libcmp: <0, 0, >0; runs of digits compare as
    numbers and sort before other characters."""
    i = j = 0
    while i < len(a):
        ca = a[i]
        cb = b[j] if j < len(b) else ""
        if ca.isascii() and ca.isdigit():
            if not (cb.isascii() and cb.isdigit()):
                return 1
            i2, j2 = i, j
            while i2 < len(a) and a[i2].isascii() and a[i2].isdigit():
                i2 += 1
            while j2 < len(b) and b[j2].isascii() and b[j2].isdigit():
                j2 += 1
            va, vb = int(a[i:i2]), int(b[j:j2])
            if va != vb:
                return va - vb
            i, j = i2, j2
        elif cb.isascii() and cb.isdigit():
            return -1
        elif ca != cb:
            return ord(ca) - (ord(cb) if cb else 0)
        else:
            i += 1
            j += 1
    return 0 - (ord(b[j]) if j < len(b) else 0)


def lookup(entries: list[Entry], soname: str, arch: str) -> str | None:
    """The path ld.so would take for `soname` from these entries (the
    first plain entry of this architecture; glibc-hwcaps entries are
    ignored: the guest's CPU is not the host's), or None."""
    for e in entries:
        if e.soname == soname and e.arch() == arch and not e.hwcap & HWCAP_EXTENSION:
            return e.path
    return None


def write(libs: dict[str, str], arch: str) -> bytes:
    """A new-format cache naming `libs` (soname -> absolute path), in the
    order ld.so's binary search needs."""
    names = sorted(libs, key=functools.cmp_to_key(lambda a, b: libcmp(b, a)))
    strings = bytearray()
    offsets = {}
    base = HEADER.size + len(names) * ENTRY.size
    for s in [x for n in names for x in (n, libs[n])]:
        if s not in offsets:
            offsets[s] = base + len(strings)
            strings += s.encode("utf-8", "surrogateescape") + b"\0"
    out = bytearray(HEADER.pack(NEW_MAGIC, len(names), len(strings), ENDIAN_LITTLE, b"", 0, b""))
    flags = FLAG_ELF_LIBC6 | ARCH_FLAGS[arch]
    for n in names:
        out += ENTRY.pack(flags, offsets[n], offsets[libs[n]], 0, 0)
    return bytes(out + strings)
