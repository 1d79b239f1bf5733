"""uniforge build: configure if needed, then an incremental, parallel build."""
from .common import add_app, project, build, human_size, out

HELP = "build the image (incremental, parallel)"


def add_arguments(p):
    add_app(p)
    p.add_argument("-j", "--jobs", type=int, help="parallel jobs (default: ninja's choice)")


def run(args):
    proj = project(args)
    res = build(proj, jobs=args.jobs)
    size = res.image.stat().st_size
    out.print(f"{res.image} ({human_size(size)}, {size} bytes)")
    return 0
