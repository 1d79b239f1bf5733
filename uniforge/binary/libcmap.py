"""Which syscalls each function a C library exports can issue, derived from
the library's machine code (never from a hand-written table).

`libc_map(path)` scans the libc (uniforge/binary/disasm.py), builds the
call graph between its functions, and propagates the syscall sites of
callees to their callers (strongly connected components first, so
recursion costs nothing). Each export gets the syscall numbers it can
reach, whether it reaches a site whose number is not a constant, how many
calls through unknown pointers it reaches, and the other objects' symbols
it calls (glibc's libc calls into ld.so: those are covered by scanning the
interpreter whole). The result is cached under
`~/.cache/uniforge/libcmap/<sha256 of the file>.json`.
"""
from __future__ import annotations

from dataclasses import dataclass
import hashlib
import json
import os
from pathlib import Path
import re
import tempfile

from ..apt import cache_root
from .disasm import Scan, scan

# Calls into these exports are not followed (each keeps its own entry): the
# work they do on another function's behalf exists only after the program
# called the named import itself, whose own entry covers it.
CUT = {
    # thread exit (__libc_thread_freeres) unregisters the thread's RPC
    # services (pmap_unset over UDP: socket, sendto...): there are some
    # only after svc_register
    "svc_unregister": "svc_register",
}

FORMAT = 8       # bump when the analysis changes: old cache entries are ignored
_UNRESOLVED = 1 << 1024     # a bit past every syscall number: "a site with no constant number"


@dataclass(frozen=True)
class Reach:
    syscalls: frozenset[int]     # the numbers it can issue
    unresolved: bool             # it reaches a syscall site whose number is not a constant
    indirect: int                # calls through unknown pointers it reaches (not followed)
    external: frozenset[str]     # symbols of other objects it calls


@dataclass
class LibcMap:
    path: Path
    sha256: str
    arch: str
    exports: dict[str, Reach]
    vdso: list[str]              # vDSO symbols the library looks up (e.g. __vdso_clock_gettime)
    sites: int                   # syscall instructions in the library
    unresolved_sites: int        # of those, with a number that is not a constant
    roots: Reach                 # what runs in every program: init/fini code, __libc_start_main, exit

    def reach(self, names) -> Reach:
        """The union over the named exports (unknown names add nothing)."""
        return union([self.exports[n] for n in names if n in self.exports])


def union(reaches) -> Reach:
    s, u, ind, ext = set(), False, 0, set()
    for r in reaches:
        s |= r.syscalls
        u |= r.unresolved
        ind += r.indirect
        ext |= r.external
    return Reach(frozenset(s), u, ind, frozenset(ext))


def _bits(mask: int) -> frozenset[int]:
    out, n = [], 0
    mask &= _UNRESOLVED - 1
    while mask:
        if mask & 1:
            out.append(n)
        mask >>= 1
        n += 1
    return frozenset(out)


def propagate(sc: Scan) -> list[tuple[int, int, frozenset]]:
    """Per function: (syscall bitmask | _UNRESOLVED, unknown calls, external
    symbols), everything reachable from its entry included."""
    n = len(sc.funcs)
    succ: list[list[int]] = [[] for _ in range(n)]
    own = []
    slot_cache: dict[int, set[int]] = {}
    cut = {sc.func_at(sc.symbols[name]) for name in CUT if name in sc.symbols}
    for i, fn in enumerate(sc.funcs):
        mask = 0
        for s in fn.sites:
            if not s.replay:
                mask |= _UNRESOLVED if s.nr is None or s.nr > 1023 else 1 << s.nr
        unknown = fn.indirect
        ext = set()
        targets = set(fn.calls)
        for g in fn.got:
            if g in sc.ptrs:
                targets.add(sc.ptrs[g])
            elif g in sc.got:
                name = sc.got[g]
                if name in sc.symbols:
                    targets.add(sc.symbols[name])
                else:
                    ext.add(name)
            else:
                unknown += 1          # a function pointer variable
        for d in fn.slots:
            if d not in slot_cache:
                slot_cache[d] = sc.slot_targets(d)
            if slot_cache[d]:
                targets |= slot_cache[d]
            else:
                unknown += 1
        for t in targets:
            j = sc.func_at(t)
            if j is not None and j != i and j not in cut:
                succ[i].append(j)
        if fn.falls and i + 1 < n:
            succ[i].append(i + 1)
        own.append((mask, unknown, ext))
    return _scc_fold(succ, own)


def _scc_fold(succ, own):
    """Tarjan's algorithm, iterative; SCCs come out callees first, so each
    one's value is its members' own values plus its successors' finished ones."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on = [False] * n
    stack, comp = [], [-1] * n
    value: list = [None] * n
    counter = 0
    ncomp = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            v, pi = work.pop()
            if pi == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on[v] = True
            recurse = False
            for k in range(pi, len(succ[v])):
                w = succ[v][k]
                if index[w] == -1:
                    work.append((v, k + 1))
                    work.append((w, 0))
                    recurse = True
                    break
                if on[w]:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                members = []
                while True:
                    w = stack.pop()
                    on[w] = False
                    comp[w] = ncomp
                    members.append(w)
                    if w == v:
                        break
                mask, unknown, ext = 0, 0, set()
                for w in members:
                    m, u, e = own[w]
                    mask |= m
                    unknown += u
                    ext |= e
                    for x in succ[w]:
                        if comp[x] != ncomp:
                            m2, u2, e2 = value[x]
                            mask |= m2
                            unknown += u2
                            ext |= e2
                val = (mask, unknown, frozenset(ext))
                for w in members:
                    value[w] = val
                ncomp += 1
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return value


def _reach(v) -> Reach:
    mask, unknown, ext = v
    return Reach(_bits(mask), bool(mask & _UNRESOLVED), unknown, ext)


def _roots(sc: Scan, path: Path) -> list[int]:
    """Code every program runs: DT_INIT/DT_FINI(_ARRAY) and the start/exit paths."""
    from elftools.elf.elffile import ELFFile
    addrs = [sc.symbols[n] for n in ("__libc_start_main", "__libc_early_init", "exit",
                                     "__libc_start_call_main") if n in sc.symbols]
    with open(path, "rb") as f:
        elf = ELFFile(f)
        dyn = elf.get_section_by_name(".dynamic")
        if dyn is not None:
            tags = {t.entry.d_tag: t.entry.d_val for t in dyn.iter_tags()}
            addrs += [tags[k] for k in ("DT_INIT", "DT_FINI") if k in tags]
            for arr, size in (("DT_INIT_ARRAY", "DT_INIT_ARRAYSZ"), ("DT_FINI_ARRAY", "DT_FINI_ARRAYSZ")):
                if arr in tags and size in tags:
                    for off in range(tags[arr], tags[arr] + tags[size], 8):
                        if off in sc.ptrs:
                            addrs.append(sc.ptrs[off])
    return [i for i in (sc.func_at(a) for a in addrs) if i is not None]


def vdso_names(path: Path) -> list[str]:
    """The vDSO symbols an object looks up by name (its strings __vdso_* / __kernel_*)."""
    data = Path(path).read_bytes()
    return sorted({m.decode() for m in re.findall(rb"__(?:vdso|kernel)_[a-z_0-9]+", data)})


def _compute(path: Path, digest: str) -> LibcMap:
    sc = scan(path)
    values = propagate(sc)
    exports = {name: _reach(values[i]) for name in sorted(sc.exports)
               if (i := sc.func_at(sc.symbols[name])) is not None}
    roots = union(_reach(values[i]) for i in _roots(sc, path))
    sites = [s for fn in sc.funcs for s in fn.sites]
    return LibcMap(path, digest, sc.arch, exports, vdso_names(path), len(sites),
                   sum(1 for s in sites if s.nr is None and not s.replay), roots)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _dump(r: Reach) -> list:
    return [sorted(r.syscalls), r.unresolved, r.indirect, sorted(r.external)]


def _load(v) -> Reach:
    return Reach(frozenset(v[0]), bool(v[1]), int(v[2]), frozenset(v[3]))


def libc_map(path: Path | str, cache: bool = True) -> LibcMap:
    """The map of a libc file (see the module comment). UserError if the file
    is not a readable x86_64/arm64 ELF object."""
    path = Path(path).resolve()
    digest = sha256(path)
    where = cache_root() / "libcmap" / f"{digest}.json"
    if cache and where.is_file():
        try:
            d = json.loads(where.read_text())
            if d.get("format") == FORMAT:
                return LibcMap(path, digest, d["arch"], {k: _load(v) for k, v in d["exports"].items()},
                               d["vdso"], d["sites"], d["unresolved_sites"], _load(d["roots"]))
        except (ValueError, KeyError, TypeError, IndexError):
            pass      # a damaged cache entry: compute again
    m = _compute(path, digest)
    if cache:
        where.parent.mkdir(parents=True, exist_ok=True)
        d = {"format": FORMAT, "file": str(path), "arch": m.arch, "vdso": m.vdso, "sites": m.sites,
             "unresolved_sites": m.unresolved_sites, "roots": _dump(m.roots),
             "exports": {k: _dump(v) for k, v in m.exports.items()}}
        fd, tmp = tempfile.mkstemp(dir=where.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as f:
            json.dump(d, f)
        os.replace(tmp, where)
    return m
