"""uniforge specialize BINARY: what a Linux program needs from the kernel
(static analysis, and a traced host run with --trace), the micro-libraries
its specialised kernel keeps, and that kernel against the generic one
(syscalls served, libraries, and with the builds, image sizes).
`uniforge deps BINARY` prints the same without building."""
from __future__ import annotations

from pathlib import Path

from rich import box
from rich.table import Table

from ..config import parse_set
from ..errors import UserError
from .common import add_json, human_size, out, print_json

HELP = "find what a Linux binary needs and build its specialised kernel (generic vs specialised)"


def add_binary_arguments(p, *, positional=True):
    if positional:
        p.add_argument("app", metavar="BINARY", help="a Linux ELF program, e.g. /usr/bin/sqlite3")
    p.add_argument("-t", "--target", help="TARGET for the kernel comparison (default: qemu/<the binary's arch>)")
    p.add_argument("--set", action="append", default=[], metavar="CONFIG_X=V",
                   help="a Kconfig value for both kernels (repeatable)")
    p.add_argument("--sysroot", type=Path, metavar="DIR",
                   help="find the libraries in DIR (a Debian root) instead of the host's /")
    p.add_argument("--trace", action="store_true",
                   help="also run the program on the host under strace -f with the ARGS after --, "
                        "and add the syscalls it made")
    p.add_argument("--only-found", action="store_true",
                   help="serve only the syscalls found even when some numbers are not known statically "
                        "(a syscall() call, a handler reading its number from memory): the rest is -ENOSYS")
    p.set_defaults(args=[])


def add_arguments(p):
    add_binary_arguments(p)
    p.add_argument("--no-build", action="store_true", help="configure the two kernels, do not build them")
    add_json(p)


def _target(args, arch: str) -> str:
    return args.target or f"qemu/{arch}"


def _settings(args) -> dict[str, str]:
    return {"CONFIG_" + a.name if not a.name.startswith("CONFIG_") else a.name: a.value
            for a in parse_set(args.set)}


def analyse(args, with_sizes: bool):
    """(static report, trace or None, selection, comparison) for the CLI's arguments."""
    from ..binary import specialize
    from ..binary.analysis import analyze
    from ..binary.trace import run as trace_run
    if args.args and not args.trace:
        raise UserError("arguments after -- are for the traced run: add --trace",
                        hint=f"uniforge {args.command} {args.app} --trace -- {' '.join(args.args)}")
    st = analyze(Path(args.app), args.sysroot)
    tr = trace_run(Path(args.app), args.args) if args.trace else None
    sel = specialize.select(st.arch, st, tr, only_found=args.only_found)
    target = _target(args, st.arch)
    if with_sizes:
        cmp = specialize.sizes(sel, target, _settings(args))
    else:
        cmp = specialize.compare(sel, target, _settings(args))
    return st, tr, sel, cmp


def as_json(st, tr, sel, cmp) -> dict:
    return {
        "binary": str(st.binary), "arch": st.arch, "kind": st.kind,
        "libc": str(st.libc) if st.libc else None,
        "objects": [{"path": o.guest_path, "role": o.role, "libc_imports": len(o.libc_imports),
                     "syscall_sites": o.sites, "unresolved_sites": o.unresolved_sites} for o in st.objects],
        "syscalls": {name: {"from": src, "why": st.syscalls.get(name, ["traced run"])}
                     for name, src in sorted(sel.syscalls.items())},
        "tolerated": st.tolerated,
        "unresolved": st.unresolved, "indirect": st.indirect, "vdso": st.vdso,
        "unknown_numbers": st.unknown_numbers,
        "trace": None if tr is None else {"calls": dict(sorted(tr.calls.items())), "status": tr.status,
                                          "unknown_numbers": sorted(tr.unknown), "unreadable_lines": tr.unreadable},
        "libraries": [{"library": c.library, "option": "CONFIG_" + c.symbol, "keep": c.keep, "why": c.why}
                      for c in sel.choices],
        "settings": sel.settings,
        "allow_list": {"on": sel.only, "why": sel.only_why},
        "target": cmp.target,
        "covered": cmp.covered,
        "enosys": [{"syscall": n, "library": lib} for n, lib in cmp.enosys],
        "forced_on": cmp.forced,
        "generic": {"libraries": cmp.generic.libraries, "syscalls": len(cmp.generic.syscalls),
                    "image_size": cmp.generic.image_size},
        "specialised": {"libraries": cmp.specialised.libraries, "syscalls": len(cmp.specialised.syscalls),
                        "image_size": cmp.specialised.image_size},
    }


def print_report(st, tr, sel, cmp) -> None:
    static_n = sum(1 for s in sel.syscalls.values() if "static" in s)
    traced = "" if tr is None else f", {len(tr.calls)} in the traced run " \
        f"({sum(1 for s in sel.syscalls.values() if s == 'trace')} of them only there)"
    out.print(f"[bold]{st.binary}[/]: {st.kind} {st.arch} program"
              + (f", libc {st.libc}" if st.libc else ""))
    out.print(f"syscalls: {len(sel.syscalls)} ({static_n} found statically{traced})")
    t = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("syscall", no_wrap=True)
    t.add_column("from", no_wrap=True)
    t.add_column("why (a few)", overflow="fold", ratio=1)
    for name, src in sorted(sel.syscalls.items()):
        t.add_row(name, src, "; ".join(st.syscalls.get(name, ["traced run"])))
    out.print(t)
    if st.tolerated:
        out.print("tolerated (-ENOSYS, the caller falls back): " +
                  ", ".join(f"{n} ({', '.join(s[:2])})" for n, s in st.tolerated.items()))
    for u in st.unresolved:
        out.print(f"[yellow]unresolved[/]: {u}")
    if st.indirect:
        more = f" and {len(st.indirect) - 10} more" if len(st.indirect) > 10 else ""
        out.print(f"[yellow]not followed[/]: calls through function pointers reached from "
                  f"{', '.join(st.indirect[:10])}{more}")
    if st.unknown_numbers:
        out.print(f"[yellow]numbers the registry does not know[/]: {', '.join(map(str, st.unknown_numbers))}")
    out.print(f"vDSO functions it would call (not syscalls): {', '.join(st.vdso) or 'none'}")
    t = Table(title="micro-libraries (the candidates ukelfload implies)", box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("library", no_wrap=True)
    t.add_column("kept", no_wrap=True)
    t.add_column("why", overflow="fold", ratio=1)
    for c in sel.choices:
        forced = " (still on: another library selects it)" if c.library in cmp.forced else ""
        t.add_row(c.library, "yes" if c.keep else "no", c.why + forced)
    out.print(t)
    switched = " ".join(f"{k}={v}" for k, v in sel.settings.items()
                        if k != "CONFIG_LIBUKSYSCALL_ONLY_BITMAP") or "nothing to switch off"
    out.print(f"specialised kernel for {cmp.target}: {switched}")
    out.print(f"syscall table: {sel.only_why}")
    out.print(f"covered: {len(cmp.covered)} of the {len(sel.syscalls)} syscalls it needs")
    if cmp.enosys:
        out.print("-ENOSYS in the specialised kernel: " +
                  ", ".join(f"{n} ({lib or 'no library of uniforge provides it'})" for n, lib in cmp.enosys))
    t = Table(title="generic vs specialised", box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("")
    t.add_column("generic", justify="right")
    t.add_column("specialised", justify="right")
    t.add_row("syscalls served", str(len(cmp.generic.syscalls)), str(len(cmp.specialised.syscalls)))
    t.add_row("micro-libraries", str(len(cmp.generic.libraries)), str(len(cmp.specialised.libraries)))
    if cmp.generic.image_size is not None:
        t.add_row("image size", human_size(cmp.generic.image_size), human_size(cmp.specialised.image_size))
    out.print(t)
    gone = sorted(set(cmp.generic.libraries) - set(cmp.specialised.libraries))
    out.print(f"libraries dropped: {', '.join(gone) or 'none'}")


def run(args):
    st, tr, sel, cmp = analyse(args, with_sizes=not args.no_build)
    if args.json:
        print_json(as_json(st, tr, sel, cmp))
    else:
        print_report(st, tr, sel, cmp)
    return 0
