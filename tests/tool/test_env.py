"""The guest environment and the command-line rule, on the tool's side:
the manifest's `env:` (validated with file:line), `run -e NAME=VALUE`, and
the words the runners put on the guest command line (kernel parameters,
KEY=VALUE environment words, `--`, application arguments, `---`)."""
import pytest

from conftest import uniforge
from uniforge import manifest
from uniforge.errors import UserError
from uniforge.runner import RunSpec, command_line
from uniforge.runner.qemu import append_line, guest_words
from uniforge.targets import TARGETS


def test_manifest_env_values_are_kept_as_written(make_app):
    d = make_app("""\
        name: x
        env:
          GREETING: hello world
          FLAG: yes
          NUM: 010
          QUOTED: "a: b"
          EMPTY:
          _under_9: x
        """)
    m = manifest.load(d)
    assert m.env == {"GREETING": "hello world", "FLAG": "yes", "NUM": "010", "QUOTED": "a: b",
                     "EMPTY": "", "_under_9": "x"}


@pytest.mark.parametrize("text,expected", [
    ("name: x\nenv: [A, B]\n", "uniforge.yaml:2: 'env' must be a map of names to values"),
    ("name: x\nenv:\n  lib.param: 1\n", "uniforge.yaml:3: bad environment variable name 'lib.param'"),
    ("name: x\nenv:\n  9LIVES: 1\n", "uniforge.yaml:3: bad environment variable name '9LIVES'"),
    ("name: x\nenv:\n  A: 1\n  A: 2\n", "uniforge.yaml:4: environment variable 'A' is given twice"),
    ("name: x\nenv:\n  A: [1, 2]\n", "uniforge.yaml:3: the value of 'A' must be a string, not a list or map"),
])
def test_manifest_env_errors(make_app, text, expected):
    d = make_app(text)
    with pytest.raises(UserError) as e:
        manifest.load(d)
    first = str(e.value).splitlines()[0]
    assert first.endswith("/" + expected), first
    assert "hint:" in str(e.value) or "given twice" in expected


def test_env_assignment():
    assert manifest.parse_env_assignment("A=b=c") == ("A", "b=c")
    assert manifest.parse_env_assignment("A=") == ("A", "")
    for bad in ("A", "=x", "a.b=1", "-x=1"):
        with pytest.raises(UserError):
            manifest.parse_env_assignment(bad)


def test_guest_words():
    env = {"HOME": "/", "MSG": "two words"}
    assert guest_words(["ukalloc.heap_kb=512"], ["a"], env) == \
        ["ukalloc.heap_kb=512", "HOME=/", "MSG=two words", "--", "a", "---"]
    assert guest_words([], [], {}) == []
    assert guest_words([], [], {}, terminate=True) == ["--", "---"]
    assert append_line([], ["---"], {"MSG": "two words"}) == '"MSG=two words" -- --- ---'
    with pytest.raises(UserError):
        guest_words([], ["a"] * 63)


def test_runners_put_env_on_the_command_line():
    spec = RunSpec(target=TARGETS["linuxu/x86_64"], image="img", image_dbg=None, app_args=["a"],
                   env={"K": "v"})
    argv, env, *_ = command_line(spec)
    assert argv == ["img", "K=v", "--", "a", "---"] and "K" not in env
    spec = RunSpec(target=TARGETS["microvm/x86_64"], image="img", image_dbg=None,
                   extra_vmm_args=["-device", "virtio-rng-device"])
    argv, *_ = command_line(spec)
    assert argv[argv.index("-append") + 1] == "-- ---"      # microvm appends words for devices
    spec = RunSpec(target=TARGETS["microvm/x86_64"], image="img", image_dbg=None)
    argv, *_ = command_line(spec)
    assert "-append" not in argv                            # no device: QEMU appends nothing
    spec = RunSpec(target=TARGETS["qemu/x86_64"], image="img", image_dbg=None)
    argv, *_ = command_line(spec)
    assert "-append" not in argv                            # nothing to pass: no line at all


def test_run_rejects_a_bad_e_before_building(make_app):
    d = make_app("name: x\n")
    r = uniforge("run", d, "-t", "linuxu/x86_64", "-e", "lib.x=1")
    assert r.rc == 1 and "bad environment variable name 'lib.x'" in r.err, r.text
    assert not (d / ".uniforge" / "build").exists()


def test_run_rejects_a_k_without_a_dot(make_app):
    d = make_app("name: x\n")
    r = uniforge("run", d, "-t", "linuxu/x86_64", "-k", "HOME=/x")
    assert r.rc == 1 and "a kernel parameter is <library>.<param>=<value>" in r.err, r.text
