"""uniforge menuconfig: kconfiglib's terminal menu over the whole tree.
What the menu changes from the defaults is saved in the target's
choices.config and persists across builds (the manifest's `kconfig:`
values still win over them)."""
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
    before = proj.dot_config.read_text()
    with scoped_environ(KCONFIG_CONFIG=str(proj.dot_config)):    # where the menu saves
        kmenu.menuconfig(cfg.kconf)
    if proj.dot_config.read_text() == before:
        out.print("nothing saved")
        return 0
    # What the saved menu has that differs from the defaults becomes the choices.
    cfg.kconf.write_min_config(str(proj.choices_file), header="")
    proj.configure()          # re-apply the manifest and rewrite uk/config.h
    out.print(f"saved {proj.choices_file}")
    return 0
