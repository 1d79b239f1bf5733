"""Layering of the OS tree: the architecture libraries name no platform
(a platform selects what it needs from its architecture, e.g. PLAT_KVM
selects ARCH_X86_64_BAREMETAL), and kernel libraries report errors with
the kernel's own numbers (uk/errno.h), not private error spaces."""
import re

from conftest import REPO

OS = REPO / "os"


def test_arch_libraries_name_no_platform():
    offenders = []
    for f in (OS / "arch").rglob("*"):
        if f.is_file() and f.suffix in (".toml", ".uk", ".c", ".h", ".S") or f.name == "Config.uk":
            for n, line in enumerate(f.read_text().splitlines(), 1):
                if re.search(r"\b(CONFIG_)?(PLAT|BOARD|KVM_BOOT)_[A-Z0-9_]+", line):
                    offenders.append(f"{f.relative_to(REPO)}:{n}: {line.strip()}")
    assert offenders == []


def test_x86_arch_baremetal_half_is_selected_by_the_platform(make_app):
    from uniforge.config import parse_set
    from uniforge.project import Project
    for target, want in (("qemu/x86_64", "y"), ("linuxu/x86_64", "n")):
        cfg = Project(make_app("name: t\n"), target, sets=parse_set([]), persist_sets=True).configure()
        assert cfg.value("ARCH_X86_64_BAREMETAL") == want, target


def test_no_private_error_spaces():
    hits = [str(f.relative_to(REPO)) for f in OS.rglob("*.[ch]") if re.search(r"\bUKFDT_E[A-Z]+", f.read_text())]
    assert hits == []
