"""Manifest validation: every bad input gets its exact error text."""
import pytest

from uniforge import manifest
from uniforge.errors import UserError

LIBS = {"ukallocbuddy", "ukallocregion", "ukdebug", "nolibc"}


def load(make_app, text):
    return manifest.load(make_app(text), libraries=LIBS)


def error_of(make_app, text) -> str:
    with pytest.raises(UserError) as e:
        load(make_app, text)
    return str(e.value)


def test_full_manifest(make_app):
    m = load(make_app, """\
        name: demo
        targets: [qemu/x86_64, linuxu/x86_64]
        libraries: [ukallocbuddy]
        kconfig:
          CONFIG_UKBOOT_SHOW_BOOTTIME: y
          LIBUKDEBUG_PRINT_LEVEL: 4
          CONFIG_UK_NAME: "text"
        cmd: --verbose "two words"
        memory: 512K
        """)
    assert m.name == "demo"
    assert m.targets == ["qemu/x86_64", "linuxu/x86_64"]
    assert m.libraries == ["ukallocbuddy"]
    assert m.kconfig == {"CONFIG_UKBOOT_SHOW_BOOTTIME": "y", "CONFIG_LIBUKDEBUG_PRINT_LEVEL": "4",
                         "CONFIG_UK_NAME": "text"}
    assert m.cmd == ["--verbose", "two words"]
    assert m.memory_mb == 1
    assert [p.name for p in m.sources] == ["main.c"]


@pytest.mark.parametrize("text, expected", [
    ("name: x\nlibraries: [ukalocbuddy]\n",
     "uniforge.yaml:2: unknown library 'ukalocbuddy' (did you mean 'ukallocbuddy'?)"),
    ("name: x\ntarget: [qemu/x86_64]\n",
     "uniforge.yaml:2: unknown key 'target' (did you mean 'targets'?)"),
    ("name: x\ntargets:\n  - qemu/x86_64\n  - qemu/x86\n",
     "uniforge.yaml:4: unknown target 'qemu/x86' (did you mean 'qemu/x86_64'?)"),
    ("name: x\nmemory: lots\n", "uniforge.yaml:2: bad memory size 'lots'"),
    ("name: x\nmemory: 0\n", "uniforge.yaml:2: bad memory size 0"),
    ("name: x\nmemory: [8]\n", "uniforge.yaml:2: memory must be a size such as 8M, not a list ([8])"),
    ("name: x\nmemory: {a: 1}\n", "uniforge.yaml:2: memory must be a size such as 8M, not a dict ({'a': 1})"),
    ("name: x\nmemory: true\n", "uniforge.yaml:2: memory must be a size such as 8M, not a bool (True)"),
    ("name: x\nmemory:\n", "uniforge.yaml:2: bad memory size ''"),
    ("targets: [qemu/x86_64]\n", "uniforge.yaml:1: missing 'name'"),
    ("name: 9lives\n", "uniforge.yaml:1: bad name '9lives'"),
    ("name: x\nkconfig: [a, b]\n", "uniforge.yaml:2: 'kconfig' must be a map of CONFIG_* names to values"),
    ("name: x\nkconfig:\n  lower_case: y\n", "uniforge.yaml:3: bad Kconfig symbol name 'lower_case'"),
    ("name: x\nname: y\n", "uniforge.yaml:2: 'name' is given twice"),
    ("name: x\nsources: [nope.c]\n", "uniforge.yaml:2: source file 'nope.c' does not exist"),
    ("- just\n- a list\n", "uniforge.yaml:1: the manifest must be a mapping of keys to values"),
])
def test_errors_name_file_line_and_fix(make_app, text, expected):
    msg = error_of(make_app, text)
    assert msg.splitlines()[0].endswith("/" + expected), msg


def test_yaml_syntax_error_has_line(make_app):
    msg = error_of(make_app, "name: x\ntargets: [x\n")
    assert "/uniforge.yaml:3: not valid YAML: expected ',' or ']'" in msg, msg


def test_unknown_library_error_is_exact(make_app):
    msg = error_of(make_app, "name: x\nlibraries:\n  - nolibc\n  - ukalocbuddy\n")
    assert msg.splitlines()[0].endswith("uniforge.yaml:4: unknown library 'ukalocbuddy' (did you mean 'ukallocbuddy'?)")
    assert "uniforge lib ls" in msg


def test_missing_manifest(tmp_path):
    with pytest.raises(UserError) as e:
        manifest.load(tmp_path)
    assert "no uniforge.yaml" in str(e.value) and "uniforge init" in str(e.value)


@pytest.mark.parametrize("text, mib", [("8M", 8), ("512K", 1), ("1G", 1024), (64, 64), ("2MiB", 2)])
def test_memory_sizes(text, mib):
    assert manifest.parse_memory(text) == mib


@pytest.mark.parametrize("text, kib", [("1K", 1), ("8M", 8192), ("1536K", 1536), (2, 2048)])
def test_memory_sizes_in_kib(text, kib):
    assert manifest.parse_memory_kib(text) == kib


@pytest.mark.parametrize("bad", ["", " ", "0", "-1M", "8X", None, [8]])
def test_bad_memory_sizes(bad):
    with pytest.raises(UserError):
        manifest.parse_memory_kib(bad)
