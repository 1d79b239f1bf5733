"""uniforge run: build if needed, boot, stream the console; exit with the
guest's exit status."""
import sys
from pathlib import Path

from ..manifest import parse_memory
from ..runner import RunSpec, run as run_image, CRASH_STATUS
from .common import add_app, project, build, err

HELP = "build if needed and boot; exit status = the guest's"


def add_arguments(p):
    add_app(p)
    p.add_argument("-m", "--memory", help="guest memory, e.g. 8M (default: manifest, else target default)")
    p.add_argument("--accel", choices=["kvm", "tcg"], help="force the accelerator (default: KVM only if hardware-backed)")
    p.add_argument("-k", "--kernel-arg", action="append", default=[], metavar="LIB.PARAM=V",
                   help="kernel (library) parameter, before `--` on the guest command line")
    p.add_argument("--initrd", metavar="FILE", type=Path,
                   help="pass FILE to the guest as its initrd (QEMU -initrd; linuxu: UK_INITRD)")
    p.add_argument("--timeout", type=float, help="kill the guest after this many seconds (status 124)")
    p.add_argument("-j", "--jobs", type=int, help="parallel build jobs")
    p.add_argument("-q", "--quiet", action="store_true", help="no build output or run banner")
    p.set_defaults(args=[])
    p.epilog = "Application arguments follow `--`: uniforge run APP -t TARGET -- arg1 arg2"


def run(args):
    proj = project(args)
    res = build(proj, jobs=args.jobs, quiet=args.quiet)
    if args.memory:
        mem = parse_memory(args.memory)
    else:   # the manifest's size, except on boards whose RAM is fixed
        mem = None if proj.target.fixed_memory_mb else proj.manifest.memory_mb
    spec = RunSpec(target=proj.target, image=res.image, image_dbg=res.image_dbg,
                   app_args=args.args if args.args else list(proj.manifest.cmd),
                   kernel_args=args.kernel_arg, memory_mb=mem, accel=args.accel, timeout=args.timeout,
                   initrd=args.initrd)
    from ..runner import command_line
    _, _, acc, why = command_line(spec)
    if not args.quiet:
        err.print(f"[dim]uniforge: {proj.target.name}: {res.image.name} "
                  f"(accel {acc}: {why})[/]")
    result = run_image(spec)
    if result.console.crashed:
        err.print(f"[bold red]uniforge: the guest crashed:[/] {result.console.crash_reason} "
                  f"(exit status {CRASH_STATUS})")
    elif result.note:
        err.print(f"[bold red]uniforge:[/] {result.note}")
    sys.stdout.flush()
    return result.status
