"""uniforge menuconfig: kconfiglib's terminal menu over the whole tree.
Choices are saved in the target's .config and persist across builds (the
manifest's `kconfig:` values still win over them)."""
from ..config import scoped_environ
from ..errors import UserError
from .common import add_app, project, out

HELP = "edit the configuration in a terminal menu (saved per target)"


def add_arguments(p):
    add_app(p, sets=False)


def run(args):
    import menuconfig as kmenu
    proj = project(args)
    cfg = proj.configure()
    import os
    if not os.isatty(0):
        raise UserError("menuconfig needs a terminal", hint="use `uniforge configure --set CONFIG_X=y` instead")
    with scoped_environ(KCONFIG_CONFIG=str(proj.dot_config)):    # where the menu saves
        kmenu.menuconfig(cfg.kconf)
    proj.configure()          # re-apply the manifest and rewrite uk/config.h
    out.print(f"saved {proj.dot_config}")
    return 0
