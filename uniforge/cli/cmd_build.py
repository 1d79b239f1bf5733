"""uniforge build: configure if needed, then an incremental, parallel build."""
import sys

from .common import add_app, project, build, human_size

HELP = "build the image (incremental, parallel)"


def add_arguments(p):
    add_app(p)
    p.add_argument("-j", "--jobs", type=int, help="parallel jobs (default: ninja's choice)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no warnings; only the image line")


def run(args):
    proj = project(args)
    res = build(proj, jobs=args.jobs, quiet=args.quiet, verbose=args.verbose)
    size = res.image.stat().st_size
    # Plain text, never folded: the path must stay one piece to copy or parse.
    sys.stdout.write(f"{res.image} ({human_size(size)}, {size} bytes)\n")
    return 0
