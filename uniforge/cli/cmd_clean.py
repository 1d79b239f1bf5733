"""uniforge clean: remove the application's build output."""
from .common import add_app, project, out

HELP = "remove build output (APP/.uniforge)"


def add_arguments(p):
    add_app(p, target=False, sets=False)


def run(args):
    proj = project(args)
    removed = proj.clean()
    out.print("removed " + ", ".join(map(str, removed)) if removed else "nothing to clean")
    return 0
