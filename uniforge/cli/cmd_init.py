"""uniforge init: scaffold an application folder."""
from pathlib import Path
import re

from ..errors import UserError
from ..manifest import MANIFEST
from .common import out

HELP = "create an application folder (uniforge.yaml, main.c)"

MANIFEST_TEXT = """\
name: {name}
targets:
  - qemu/x86_64
  - linuxu/x86_64
# libraries: [ukallocbuddy]        # extra micro-libraries (`uniforge lib ls`)
# kconfig:
#   CONFIG_UKBOOT_SHOW_BOOTTIME: y
# cmd: ["--hello"]                 # default application arguments
memory: 8M
"""

MAIN_C = """\
#include <stdio.h>

int main(int argc, char *argv[])
{
\tprintf("Hello from {name}!\\n");
\tfor (int i = 1; i < argc; i++)
\t\tprintf("argv[%d] = %s\\n", i, argv[i]);
\treturn 0;
}
"""


def add_arguments(p):
    p.add_argument("dir", help="folder to create (or an empty existing one)")
    p.add_argument("--name", help="application name (default: the folder name)")


def run(args):
    d = Path(args.dir)
    name = args.name or re.sub(r"[^A-Za-z0-9_-]", "_", d.resolve().name)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", name):
        raise UserError(f"'{name}' is not a valid application name",
                        hint="use letters, digits, _ and -, starting with a letter (--name NAME)")
    if (d / MANIFEST).exists():
        raise UserError(f"{d / MANIFEST} already exists", hint="nothing was changed")
    d.mkdir(parents=True, exist_ok=True)
    (d / MANIFEST).write_text(MANIFEST_TEXT.format(name=name))
    if not (d / "main.c").exists():
        (d / "main.c").write_text(MAIN_C.replace("{name}", name))
    out.print(f"created {d / MANIFEST} and {d / 'main.c'}")
    out.print(f"next: uniforge run {d}")
    return 0
