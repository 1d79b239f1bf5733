"""uniforge clean: remove the application's build output. The saved
configuration (the choices `configure --set` and `menuconfig` saved) stays; `--all`
removes it too."""
from .common import add_app, project, out

HELP = "remove build output, keeping the saved configuration (--all: everything under APP/.uniforge)"


def add_arguments(p):
    add_app(p, target=False, sets=False)
    p.add_argument("--all", action="store_true",
                   help="also remove the saved configuration (each target's choices.config)")


def run(args):
    proj = project(args)
    removed = proj.clean(everything=args.all)
    if not removed:
        out.print("nothing to clean")
    elif args.all:
        out.print(f"removed {removed[0]}", soft_wrap=True)
    else:
        out.print(f"removed the build output in {proj.app_dir / '.uniforge'} "
                  f"({len(removed)} items); kept the saved configuration (`clean --all` removes it)",
                  soft_wrap=True)
    return 0
