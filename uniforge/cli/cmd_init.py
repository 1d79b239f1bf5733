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


_MAIN = re.compile(r"^[ \t]*(?:int|void)\s+main\s*\(", re.M)


def _has_main(d: Path) -> Path | None:
    """A C source in d that already defines main(), if any."""
    for src in sorted(d.glob("*.c")):
        try:
            if _MAIN.search(src.read_text(errors="replace")):
                return src
        except OSError:
            continue
    return None


def run(args):
    d = Path(args.dir)
    if d.exists() and not d.is_dir():
        raise UserError(f"{d} exists and is not a folder",
                        hint="give a new folder name, or an existing folder to add uniforge.yaml to")
    name = args.name or re.sub(r"[^A-Za-z0-9_-]", "_", d.resolve().name)
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", name):
        raise UserError(f"'{name}' is not a valid application name",
                        hint="use letters, digits, _ and -, starting with a letter (--name NAME)")
    if (d / MANIFEST).exists():
        raise UserError(f"{d / MANIFEST} already exists", hint="nothing was changed")
    existing = _has_main(d) if d.is_dir() else None
    if existing is None and (d / "main.c").exists():
        existing = d / "main.c"
    d.mkdir(parents=True, exist_ok=True)
    (d / MANIFEST).write_text(MANIFEST_TEXT.format(name=name))
    if existing is None:
        (d / "main.c").write_text(MAIN_C.replace("{name}", name))
        out.print(f"created {d / MANIFEST} and {d / 'main.c'}", soft_wrap=True)
    else:
        out.print(f"created {d / MANIFEST}; kept {existing} (the application's main)", soft_wrap=True)
    out.print(f"next: uniforge run {d}", soft_wrap=True)
    return 0
