"""uniforge build: configure if needed, then an incremental, parallel build."""
import sys

from .common import add_app, project, build, human_size

HELP = "build the image (incremental, parallel); for a Linux program (ELF), its binary-compatibility kernel"


def add_arguments(p):
    add_app(p, app_help="application folder (default: .), or a Linux program (an ELF file: binary mode)")
    p.add_argument("-j", "--jobs", type=int, help="parallel jobs (default: ninja's choice)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no warnings; only the image line")


def run(args):
    from .cmd_run import binary_mode
    binary = binary_mode(args)
    if binary is not None:      # a Linux program: its binary-compatibility kernel (cli/run_binary.py)
        from .run_binary import build_binary
        res = build_binary(args, *binary)
    else:
        res = build(project(args), jobs=args.jobs, quiet=args.quiet, verbose=args.verbose)
    size = res.image.stat().st_size
    # Plain text, never folded: the path must stay one piece to copy or parse.
    sys.stdout.write(f"{res.image} ({human_size(size)}, {size} bytes)\n")
    return 0
