"""The CLI as a user meets it: init, targets, lib ls, size, clean, errors."""
import json
import re

import pytest

from conftest import uniforge


def test_init_scaffolds_a_buildable_app(tmp_path):
    d = tmp_path / "myapp"
    r = uniforge("init", d)
    assert r.rc == 0, r.err
    assert (d / "uniforge.yaml").exists() and (d / "main.c").exists()
    r = uniforge("run", d, "-t", "linuxu/x86_64", "-q", "--", "x")
    assert r.rc == 0, r.err
    assert "Hello from myapp!" in r.out and "argv[1] = x" in r.out
    again = uniforge("init", d)
    assert again.rc == 1 and "already exists" in again.err


def test_targets_lists_every_target_and_says_tcg_here():
    r = uniforge("targets")
    assert r.rc == 0
    for t in ("linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64", "raspi3b/arm64",
              "zcu102/arm64", "firecracker/x86_64"):
        assert t in r.out


def test_lib_ls_shows_libraries_and_dependencies():
    r = uniforge("lib", "ls")
    assert r.rc == 0, r.err
    for lib in ("ukboot", "ukallocbuddy", "ukallocregion", "nolibc", "ukdebug", "uktime", "linuxu"):
        assert lib in r.out
    assert "selects" in r.out


def test_unknown_target_exits_1_with_suggestion(make_app):
    app = make_app("name: t\n")
    r = uniforge("build", app, "-t", "qemu/x86-64")
    assert r.rc == 1
    assert "unknown target 'qemu/x86-64' (did you mean 'qemu/x86_64'?)" in r.err


def test_size_breaks_down_by_library(make_app):
    app = make_app("name: t\n", '#include <stdio.h>\nint main(void) { printf("hi\\n"); return 0; }\n')
    r = uniforge("size", app, "-t", "linuxu/x86_64")
    assert r.rc == 0, r.err
    rows = {m.group(1): int(m.group(2))
            for m in re.finditer(r"^ ?(\w+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s+[\d.]+%", r.out, re.M)}
    assert rows["ukboot"] > 0 and rows["nolibc"] > 0 and rows["appt"] > 0, r.out
    j = json.loads(uniforge("size", app, "-t", "linuxu/x86_64", "--json").out)
    libs = {lib["name"]: lib for lib in j["libraries"]}
    assert libs["nolibc"]["text"] == rows["nolibc"] and j["image_bytes"] > 0


def test_internal_error_exits_2_and_traceback_only_with_v(monkeypatch, capsys):
    from uniforge.cli import main as cli_main, cmd_targets

    def boom(args):
        raise RuntimeError("simulated bug")
    monkeypatch.setattr(cmd_targets, "run", boom)
    assert cli_main.main(["targets"]) == 2
    err = capsys.readouterr().err
    assert "this is a bug" in err and "simulated bug" in err and "Traceback" not in err
    assert cli_main.main(["-v", "targets"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_user_error_exits_1(make_app, capsys):
    from uniforge.cli import main as cli_main
    app = make_app("name: t\nbogus: 1\n")
    assert cli_main.main(["build", str(app), "-t", "linuxu/x86_64"]) == 1
    assert "uniforge.yaml:2: unknown key 'bogus'" in capsys.readouterr().err


def _path_with(tmp_path, programs):
    """A PATH holding only links to the given host programs."""
    import shutil
    d = tmp_path / "bin"
    d.mkdir(exist_ok=True)
    for prog in programs:
        real = shutil.which(prog)
        if real:
            (d / prog).symlink_to(real)
    return str(d)


def test_missing_cross_toolchain_names_the_debian_package(make_app, tmp_path):
    app = make_app("name: t\n")
    r = uniforge("build", app, "-t", "qemu/arm64", env={"PATH": _path_with(tmp_path, ["gcc", "ld", "objcopy"])})
    assert r.rc == 1
    assert "'aarch64-linux-gnu-gcc' not found" in r.err
    assert "sudo apt-get install gcc-aarch64-linux-gnu" in r.err


def test_missing_qemu_names_the_debian_package(make_app, tmp_path):
    app = make_app("name: t\n")
    path = _path_with(tmp_path, ["gcc", "ld", "objcopy", "as", "cc1"])
    r = uniforge("run", app, "-t", "microvm/x86_64", env={"PATH": path})
    assert r.rc == 1, r.text
    assert "'qemu-system-x86_64' not found" in r.err
    assert "sudo apt-get install qemu-system-x86" in r.err


def test_firecracker_image_builds_but_run_says_why_not(make_app):
    app = make_app("name: t\n")
    b = uniforge("build", app, "-t", "firecracker/x86_64")
    assert b.rc == 0, b.err
    r = uniforge("run", app, "-t", "firecracker/x86_64")
    assert r.rc == 1
    assert "cannot start a firecracker/x86_64 image on this machine" in r.err
    assert "the image was built" in r.err


def test_init_on_a_file_is_a_user_error(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    r = uniforge("init", f)
    assert r.rc == 1, r.text
    assert f"{f} exists and is not a folder" in r.err


def test_init_keeps_an_existing_main(tmp_path):
    d = tmp_path / "mine"
    d.mkdir()
    (d / "app.c").write_text('#include <stdio.h>\nint main(void)\n{\n\tprintf("mine\\n");\n\treturn 0;\n}\n')
    r = uniforge("init", d)
    assert r.rc == 0, r.text
    assert not (d / "main.c").exists()
    assert "kept" in r.out and "app.c" in r.out and "main.c" not in r.out
    r = uniforge("run", d, "-t", "linuxu/x86_64", "-q")
    assert r.rc == 0 and r.out == "mine\n", r.text


def test_clean_keeps_the_saved_configuration_and_clean_all_removes_it(make_app):
    app = make_app("name: t\n")
    assert uniforge("configure", app, "-t", "linuxu/x86_64", "--set", "CONFIG_UKBOOT_SHOW_BOOTTIME=y").rc == 0
    assert uniforge("build", app, "-t", "linuxu/x86_64", "-q", "--set", "CONFIG_LIBUKDEBUG_ENABLE_ASSERT=n").rc == 0
    assert uniforge("build", app, "-t", "linuxu/x86_64", "-q").rc == 0
    saved = app / ".uniforge/build/linuxu-x86_64/choices.config"
    text = saved.read_text()
    r = uniforge("clean", app)
    assert r.rc == 0, r.text
    assert "kept the saved configuration" in r.out
    assert saved.read_text() == text and "CONFIG_UKBOOT_SHOW_BOOTTIME=y" in text
    assert sorted(p.name for p in (app / ".uniforge/build").iterdir()) == ["linuxu-x86_64"]
    assert [p.name for p in saved.parent.iterdir()] == ["choices.config"]
    # the next build starts from it
    assert uniforge("build", app, "-t", "linuxu/x86_64", "-q").rc == 0
    assert "CONFIG_UKBOOT_SHOW_BOOTTIME=y" in (saved.parent / ".config").read_text()
    r = uniforge("clean", app, "--all")
    assert r.rc == 0 and not (app / ".uniforge").exists()


def test_version():
    from uniforge import __version__
    r = uniforge("--version")
    assert r.rc == 0 and r.out == f"uniforge {__version__}\n"


@pytest.mark.parametrize("args, expected", [
    (["-m", "1K"], "1 KiB is too little memory for qemu/x86_64"),
    (["-m", ""], "bad memory size ''"),
    (["-m", "2M", "-t", "qemu/arm64"], "2 MiB is too little memory for qemu/arm64: QEMU places the device tree"),
    (["--timeout", "-1"], "argument --timeout: '-1': must be more than 0 seconds"),
    (["--timeout", "0"], "argument --timeout: '0': must be more than 0 seconds"),
])
def test_run_rejects_bad_values_before_building(make_app, args, expected):
    app = make_app("name: t\n")
    if "-t" not in args:
        args = args + ["-t", "qemu/x86_64"]
    r = uniforge("run", app, *args)
    assert r.rc in (1, 2) and expected in r.err, r.text
    assert not (app / ".uniforge").exists() or "timeout" in expected


def test_run_v_shows_the_vmm_command_line(make_app):
    app = make_app("name: t\n", '#include <stdio.h>\nint main(void) { printf("hi\\n"); return 0; }\n')
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-v", "--", "a b")
    assert r.rc == 0, r.text
    assert re.search(r"^\$ \S*gcc .*main\.c", r.err, re.M)
    assert re.search(r"^\$ \S+/t_linuxu-x86_64 -- 'a b' ---$", r.err, re.M), r.err
    r = uniforge("-v", "run", app, "-t", "linuxu/x86_64", "-q")
    assert re.search(r"^\$ \S+/t_linuxu-x86_64$", r.err, re.M), r.err


def _narrow(*args):
    return uniforge(*args, env={"COLUMNS": "80"})


def test_tables_fit_80_columns_and_never_cut_names(make_app):
    from uniforge import os_root
    from uniforge.library import discover
    from uniforge.targets import TARGETS
    app = make_app("name: an_application_with_a_long_name\n")
    for args, names in ((["targets"], list(TARGETS)),
                        (["lib", "ls"], [f"{n} " for n in discover(os_root())] +
                         [f"CONFIG_{lib.symbol}" for lib in discover(os_root()).values()]),
                        (["deps", app, "-t", "qemu/x86_64"], ["CONFIG_LIBUKALLOCBUDDY", "ukallocbuddy"]),
                        (["size", app, "-t", "qemu/x86_64"], ["appan_application_with_a_long_name"])):
        r = _narrow(*args)
        assert r.rc == 0, r.text
        assert all(len(line) <= 80 for line in r.out.splitlines()), r.out
        assert "…" not in r.out, r.out
        for n in names:
            assert n in r.out, (n, r.out)


def test_build_prints_the_image_path_on_one_line(tmp_path):
    d = tmp_path / ("a_rather_long_folder_name_" * 3) / "app"
    assert uniforge("init", d).rc == 0
    r = _narrow("build", d, "-t", "linuxu/x86_64")
    assert r.rc == 0, r.text
    assert len(r.out.splitlines()) == 1
    assert r.out.startswith(str(d / ".uniforge/build/linuxu-x86_64/app_linuxu-x86_64 ("))


def test_json_output_for_scripts(make_app):
    from uniforge.targets import TARGETS
    t = json.loads(uniforge("targets", "--json").out)
    assert [x["name"] for x in t] == list(TARGETS)
    assert all({"can_run", "accel", "min_memory_mb"} <= set(x) for x in t)
    libs = json.loads(uniforge("lib", "ls", "--json").out)
    buddy = next(x for x in libs if x["name"] == "ukallocbuddy")
    assert buddy["provides"] == "ukalloc" and buddy["option"] == "CONFIG_LIBUKALLOCBUDDY"
    d = json.loads(uniforge("deps", make_app("name: t\n"), "-t", "qemu/x86_64", "--json").out)
    why = {x["library"]: x["why"] for x in d["libraries"]}
    assert why["kvm"] == ["target qemu/x86_64"] and "ukboot" in why


def test_too_little_memory_in_the_manifest_names_its_line(make_app):
    app = make_app("name: t\nmemory: 1K\n")
    r = uniforge("run", app, "-t", "qemu/arm64")
    assert r.rc == 1
    assert "uniforge.yaml:2: 1 KiB is too little memory for qemu/arm64" in r.err, r.err
    assert "write `memory: 3M` or more, or pass -m" in r.err
    assert not (app / ".uniforge").exists()       # said before building


def test_saved_configuration_keeps_only_the_users_choices(make_app):
    """The saved choices hold what the user set, not every resolved value:
    a library dropped from `libraries:` leaves the configuration, while a
    `configure --set` choice persists."""
    app = make_app("name: t\nlibraries: [uktest]\n")
    assert uniforge("configure", app, "-t", "linuxu/x86_64", "--set", "CONFIG_UKBOOT_SHOW_BOOTTIME=y").rc == 0
    dot = app / ".uniforge/build/linuxu-x86_64/.config"
    assert "CONFIG_LIBUKTEST=y" in dot.read_text()
    (app / "uniforge.yaml").write_text("name: t\n")
    r = uniforge("configure", app, "-t", "linuxu/x86_64")
    assert r.rc == 0, r.text
    assert "CONFIG_LIBUKTEST=y" not in dot.read_text()
    assert "CONFIG_UKBOOT_SHOW_BOOTTIME=y" in dot.read_text()
    assert (dot.parent / "choices.config").read_text() == "CONFIG_UKBOOT_SHOW_BOOTTIME=y\n"
