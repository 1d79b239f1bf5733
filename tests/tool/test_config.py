"""Kconfig resolution with kconfiglib: select/imply/depends on, choices,
impossible values reported with a reason."""
import pytest

from uniforge.config import parse_set
from uniforge.errors import UserError
from uniforge.project import Project


def project(app, target="linuxu/x86_64", sets=()):
    return Project(app, target, sets=parse_set(list(sets)), persist_sets=True)


def test_defaults_and_target_symbols(make_app):
    app = make_app("name: t\n")
    cfg = project(app).configure()
    assert cfg.value("ARCH_X86_64") == "y" and cfg.value("PLAT_LINUXU") == "y"
    assert cfg.value("PLAT_KVM") == "n" and cfg.value("ARCH_ARM64") == "n"
    assert cfg.value("LIBUKBOOT") == "y"
    header = (app / ".uniforge/build/linuxu-x86_64/include/uk/config.h").read_text()
    assert "#define CONFIG_PLAT_LINUXU 1" in header
    assert '#define CONFIG_UK_APPNAME "t"' in header


def test_choice_selects_library(make_app):
    app = make_app("name: t\nkconfig:\n  CONFIG_UKBOOT_ALLOC_REGION: y\n")
    cfg = project(app).configure()
    assert cfg.value("LIBUKALLOCREGION") == "y"      # select from the choice
    assert cfg.value("LIBUKALLOC") == "y"            # select carried further
    assert cfg.value("LIBUKALLOCBUDDY") == "n"


def test_set_picks_another_member_of_a_manifest_choice(make_app):
    # the manifest picks the region allocator; --set picks buddy instead
    app = make_app("name: t\nkconfig:\n  CONFIG_UKBOOT_ALLOC_REGION: y\n")
    cfg = project(app, sets=["CONFIG_UKBOOT_ALLOC_BUDDY=y"]).configure()
    assert cfg.value("UKBOOT_ALLOC_BUDDY") == "y" and cfg.value("UKBOOT_ALLOC_REGION") == "n"
    # two members in one place: the later one wins, as for any symbol
    app = make_app("name: t\nkconfig:\n  CONFIG_UKBOOT_ALLOC_BUDDY: y\n  CONFIG_UKBOOT_ALLOC_REGION: y\n")
    assert project(app).configure().value("UKBOOT_ALLOC_REGION") == "y"


def test_manifest_library_is_selected(make_app):
    app = make_app("name: t\nlibraries: [uktest]\n")
    assert project(app).configure().value("LIBUKTEST") == "y"


def test_depends_on_is_enforced(make_app):
    # LIBUKTEST_EXIT depends on LIBUKTEST: with uktest off it cannot be set.
    app = make_app("name: t\nkconfig:\n  CONFIG_LIBUKTEST_EXIT: y\n")
    with pytest.raises(UserError) as e:
        project(app).configure()
    msg = str(e.value)
    assert msg.startswith(f"{app}/uniforge.yaml:3: cannot set CONFIG_LIBUKTEST_EXIT=y"), msg
    assert "depends on LIBUKTEST" in msg


def test_unknown_symbol_suggests(make_app):
    app = make_app("name: t\n")
    with pytest.raises(UserError) as e:
        project(app, sets=["CONFIG_LIBUKDEBUGG=y"]).configure()
    assert "unknown Kconfig symbol CONFIG_LIBUKDEBUGG (did you mean 'LIBUKDEBUG'?)" in str(e.value)


def test_target_symbols_cannot_be_overridden(make_app):
    app = make_app("name: t\n")
    with pytest.raises(UserError) as e:
        project(app, sets=["CONFIG_PLAT_KVM=y"]).configure()
    assert "cannot set CONFIG_PLAT_KVM=y" in str(e.value)


def test_set_persists_for_configure_and_variants_do_not(make_app):
    app = make_app("name: t\n")
    p = Project(app, "linuxu/x86_64", sets=parse_set(["CONFIG_LIBUKTEST=y"]), persist_sets=False)
    p.configure()
    assert p.build_dir != p.base_dir
    assert not (p.base_dir / ".config").exists()
    project(app, sets=["CONFIG_LIBUKTEST=y"]).configure()
    assert "CONFIG_LIBUKTEST=y" in (p.base_dir / ".config").read_text()
    # the saved choice survives a plain configure
    assert project(app).configure().value("LIBUKTEST") == "y"


def test_config_files_untouched_when_unchanged(make_app):
    app = make_app("name: t\n")
    project(app).configure()
    h = app / ".uniforge/build/linuxu-x86_64/include/uk/config.h"
    before = h.stat().st_mtime_ns
    project(app).configure()
    assert h.stat().st_mtime_ns == before


APP_KCONFIG = """\
config APP_WANTS_TIME
\tbool "use the clock"
\tdefault y
\timply LIBUKTIME

config APP_NEEDS_TEST
\tbool "in-guest tests"
\tdefault y
\tselect LIBUKTEST
"""


def test_app_config_imply_is_weak_and_select_is_forced(make_app):
    app = make_app("name: t\n", files={"Config.uk": APP_KCONFIG})
    cfg = project(app).configure()
    assert cfg.value("LIBUKTIME") == "y"                 # implied
    assert cfg.value("LIBUKTEST") == "y"                 # selected
    # an implied library can still be turned off ...
    assert project(app, sets=["CONFIG_LIBUKTIME=n"]).configure().value("LIBUKTIME") == "n"
    # ... a selected one cannot, and the error says who forces it
    with pytest.raises(UserError) as e:
        project(app, sets=["CONFIG_LIBUKTEST=n"]).configure()
    assert "cannot set CONFIG_LIBUKTEST=n" in str(e.value)
    assert "forced by: APP_NEEDS_TEST" in str(e.value)


def test_conflicting_choice_is_reported(make_app):
    app = make_app("name: t\nkconfig:\n  CONFIG_UKBOOT_ALLOC_REGION: y\n  CONFIG_UKBOOT_ALLOC_BUDDY: n\n"
                   "  CONFIG_LIBUKALLOCBUDDY: y\n")
    cfg = project(app).configure()
    assert cfg.value("UKBOOT_ALLOC_REGION") == "y" and cfg.value("LIBUKALLOCBUDDY") == "y"
    app2 = make_app("name: t\nkconfig:\n  CONFIG_LIBC_NONE: y\n  CONFIG_LIBNOLIBC: y\n")
    with pytest.raises(UserError) as e:
        project(app2).configure()
    assert "uniforge.yaml:4: cannot set CONFIG_LIBNOLIBC=y" in str(e.value)


def test_yes_in_quotes_means_y(make_app):
    # Quoted "yes" used to stay unset and be blamed on "dependencies
    # (LIBUKBOOT) allow only 'n'".
    app = make_app('name: t\nkconfig:\n  CONFIG_UKBOOT_SHOW_BOOTTIME: "yes"\n')
    assert project(app).configure().value("UKBOOT_SHOW_BOOTTIME") == "y"


def test_set_overrides_the_manifest_value(make_app):
    app = make_app("name: t\nkconfig:\n  CONFIG_UKBOOT_SHOW_BOOTTIME: y\n")
    cfg = project(app, sets=["CONFIG_UKBOOT_SHOW_BOOTTIME=n"]).configure()
    assert cfg.value("UKBOOT_SHOW_BOOTTIME") == "n"


def test_forced_value_names_the_select_that_forces_it(make_app):
    # ukallocbuddy is selected by the default allocator choice: it cannot be n.
    app = make_app("name: t\nkconfig:\n  CONFIG_LIBUKALLOCBUDDY: n\n")
    with pytest.raises(UserError) as e:
        project(app).configure()
    msg = str(e.value)
    assert "uniforge.yaml:3: cannot set CONFIG_LIBUKALLOCBUDDY=n (it stays 'y')" in msg
    assert "forced by: UKBOOT_ALLOC_BUDDY" in msg
    assert "dependencies" not in msg


def test_not_a_bool_is_said(make_app):
    app = make_app('name: t\nkconfig:\n  CONFIG_UKBOOT_SHOW_BOOTTIME: "maybe"\n')
    with pytest.raises(UserError, match="CONFIG_UKBOOT_SHOW_BOOTTIME is a bool; 'maybe' is not y or n"):
        project(app).configure()


@pytest.mark.parametrize("target, lib, own", [
    ("qemu/x86_64", "arm64", "kvm, x86_64"),
    ("qemu/x86_64", "linuxu", "kvm, x86_64"),
    ("linuxu/x86_64", "plat_arm64", "linuxu, x86_64"),
])
def test_other_targets_arch_or_platform_library_is_rejected(make_app, target, lib, own):
    app = make_app(f"name: t\nlibraries: [{lib}]\n")
    with pytest.raises(UserError) as e:
        project(app, target).configure()
    assert f"uniforge.yaml:2: library '{lib}' is the" in str(e.value)
    assert f"{target} uses {own}" in str(e.value)
    assert "remove" in str(e.value)


def test_configure_leaves_the_process_environment_alone(make_app, monkeypatch):
    import os
    monkeypatch.delenv("srctree", raising=False)
    before = dict(os.environ)
    project(make_app("name: t\n")).configure()
    assert dict(os.environ) == before
    monkeypatch.setenv("srctree", "/nonexistent")        # left over from a Linux build
    assert project(make_app("name: t\n")).configure().value("LIBUKBOOT") == "y"
