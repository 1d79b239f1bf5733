"""The CLI as a user meets it: init, targets, lib ls, size, clean, errors."""
import re

from conftest import uniforge, REPO


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
    rows = {m.group(1): int(m.group(2)) for m in re.finditer(r"│ (\w+)\s+│\s+(\d+) │", r.out)}
    assert rows["ukboot"] > 0 and rows["nolibc"] > 0 and rows["appt"] > 0


def test_clean_removes_build_output(make_app):
    app = make_app("name: t\n")
    assert uniforge("build", app, "-t", "linuxu/x86_64").rc == 0
    assert (app / ".uniforge").exists()
    r = uniforge("clean", app)
    assert r.rc == 0 and not (app / ".uniforge").exists()


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
