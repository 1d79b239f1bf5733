"""uniforge configure: resolve the Kconfig tree for a target, write .config."""
from .common import add_app, project, out

HELP = "resolve the configuration for a target and write .config"


def add_arguments(p):
    add_app(p)


def run(args):
    proj = project(args, persist_sets=True)
    cfg = proj.configure()
    libs = [l.name for l in proj.libraries.values() if cfg.enabled(l.symbol)]
    out.print(f"{proj.dot_config}")
    out.print(f"libraries: {', '.join(sorted(libs))}")
    return 0
