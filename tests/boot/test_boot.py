"""Real boots: every runnable target boots helloworld, returns exact exit
statuses, runs the allocator suite with each allocator and every library's
in-guest tests, and turns a deliberate crash into a symbolised report.

The guest reports through its console (UK-TEST-RESULT, UK-CRASH/UK-BT lines)
and its exit status becomes the status of `uniforge run`.

Hermetic: every app is built from a copy in a temporary folder (conftest's
`apps` fixture), so a configuration saved in apps/ cannot change a result.
In-guest suites must run exactly the cases the build registered: the
expected set is read from the compiled objects (every UK_TESTCASE leaves a
`__uk_testp_<suite>_<case>` symbol), so it follows the code and a case that
vanishes between the sources and the console is noticed.
"""
import re

import pytest

from conftest import uniforge, ran_cases, registered_cases
from uniforge.config import parse_set
from uniforge.project import Project
from uniforge.targets import TARGETS as TARGET_TABLE

X86 = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64"]
ARM = ["qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]
TARGETS = X86 + ARM
TIMEOUT = "120"

pytestmark = pytest.mark.boot


@pytest.fixture
def HELLO(apps):
    return apps["helloworld"]


@pytest.fixture
def CRASH(apps):
    return apps["crash"]


@pytest.fixture
def EXIT(apps):
    return apps["exitcode"]


def build_objects(app, target, sets) -> list:
    """The object files the build model of this configuration lists."""
    proj = Project(app, target, sets=parse_set(list(sets)))
    model = proj.model(proj.configure())
    return [proj.build_dir / unit.obj for _, unit in model.all_units()]


def assert_exact_suite(r, app, target, sets):
    """Every registered case ran and passed, and nothing else ran."""
    m = re.search(r"^UK-TEST-RESULT total=(\d+) passed=(\d+) failed=(\d+)", r.out, re.M)
    assert m, r.text
    total, passed, failed = map(int, m.groups())
    ran = ran_cases(r.out)
    expected = registered_cases(*build_objects(app, target, sets))
    assert expected, "no test case registered: is the suite enabled?"
    assert ran == expected, f"missing: {sorted(expected - ran)}; unexpected: {sorted(ran - expected)}"
    assert total == len(expected) and passed == total and failed == 0, r.text
    assert r.rc == 0, r.text


def run(app, target, *args, sets=(), kargs=()):
    cmd = ["run", app, "-t", target, "-q", "--timeout", TIMEOUT]
    for s in sets:
        cmd += ["--set", s]
    for k in kargs:
        cmd += ["-k", k]
    return uniforge(*cmd, "--", *args, timeout=600)


@pytest.mark.parametrize("target", TARGETS)
def test_hello_prints_greeting_and_arguments(HELLO, target):
    r = run(HELLO, target, "one", "two words")
    assert r.rc == 0, r.text
    lines = r.out.splitlines()
    assert "Hello from uniforge!" in lines
    assert "argv[1] = one" in lines and "argv[2] = two words" in lines


@pytest.mark.parametrize("target", TARGETS)
def test_exit_status_is_exact(EXIT, target):
    for status in (0, 7, 128, 200, 255):
        r = run(EXIT, target, str(status))
        assert f"exiting with {status}" in r.out, r.text
        assert r.rc == status, f"status {status}: got {r.rc}\n{r.text}"
        assert "UK-EXIT" not in r.out       # the protocol line is consumed by the runner
    # after output that did not end its line: the status exact, the output unchanged
    r = run(EXIT, target, "200", "nonl")
    assert r.rc == 200 and r.out.endswith("exiting with 200"), r.text
    assert "UK-EXIT" not in r.out and "\x1e" not in r.out, r.text


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("alloc", ["BUDDY", "REGION"])
def test_allocator_suite_in_guest(HELLO, target, alloc):
    sets = ("CONFIG_LIBUKTEST=y", "CONFIG_LIBUKALLOC_TESTS=y", f"CONFIG_UKBOOT_ALLOC_{alloc}=y")
    r = run(HELLO, target, sets=sets)
    assert_exact_suite(r, HELLO, target, sets)


@pytest.mark.parametrize("target", TARGETS)
def test_every_library_test_in_guest(HELLO, target):
    sets = ("CONFIG_LIBUKTEST=y", "CONFIG_LIBUKTEST_ALL=y")
    r = run(HELLO, target, sets=sets)
    assert_exact_suite(r, HELLO, target, sets)


@pytest.mark.parametrize("target", TARGETS)
def test_crash_report_names_the_faulting_function(CRASH, target):
    r = run(CRASH, target)
    assert r.rc == 255, r.text
    assert "UK-CRASH" in r.out
    bt = [l for l in r.out.splitlines() if l.startswith("UK-BT #")]
    assert bt, r.text
    assert " in crash_here+" in bt[0], r.text          # the faulting pc
    assert any(" in deeper+" in l for l in bt[1:]), r.text
    assert any(" in main+" in l for l in bt[1:]), r.text
    assert "the guest crashed" in r.err


def test_failing_in_guest_test_fails_the_run(make_app):
    app = make_app("name: failing\nkconfig:\n  CONFIG_LIBUKTEST: y\n", """\
        #include <uk/test.h>
        UK_TESTCASE(demo, passes) { UK_TEST_EXPECT_EQ(1 + 1, 2); }
        UK_TESTCASE(demo, fails) { UK_TEST_EXPECT_EQ(1 + 1, 3); }
        int main(void) { return 0; }
        """)
    r = run(app, "linuxu/x86_64")
    assert "UK-TEST ok demo.passes" in r.out
    assert re.search(r"UK-TEST FAIL demo\.fails: 1 \+ 1 == 3: 2 != 3 \(.*main\.c:3\)", r.out), r.out
    assert "UK-TEST-RESULT total=2 passed=1 failed=1" in r.out
    assert r.rc == 1


PARAM_APP = """\
    #include <stdio.h>
    #include <uk/libparam.h>
    static int verbose;
    static char *greeting = "none";
    UK_LIB_PARAM(verbose, int);
    UK_LIB_PARAM_STR(greeting);
    int main(int argc, char *argv[])
    {
        printf("verbose=%d greeting=%s argc=%d\\n", verbose, greeting, argc);
        return 0;
    }
    """


@pytest.mark.parametrize("target", ["linuxu/x86_64", "qemu/x86_64", "qemu/arm64"])
def test_kernel_parameters_reach_libraries_and_app_args_stay_apart(make_app, target):
    app = make_app("name: params\n", PARAM_APP)
    r = run(app, target, kargs=("app.verbose=3", "app.greeting=hi there"))
    assert r.rc == 0, r.text
    assert "verbose=3 greeting=hi there argc=1" in r.out
    r = run(app, target, "x", kargs=("app.verbose=0x10", "app.nosuch=1"))
    assert "verbose=16 greeting=none argc=2" in r.out, r.text
    assert "nosuch" in r.out          # warned about, and the boot went on


@pytest.mark.parametrize("target", ["qemu/x86_64", "qemu/arm64"])
def test_lto_image_boots_and_is_not_larger(HELLO, target):
    r = run(HELLO, target, "lto", sets=("CONFIG_OPTIMIZE_LTO=y",))
    assert r.rc == 0 and "argv[1] = lto" in r.out, r.text
    sizes = {}
    for sets in ((), ("CONFIG_OPTIMIZE_LTO=y",)):
        b = uniforge("build", HELLO, "-t", target, *[a for s in sets for a in ("--set", s)])
        sizes[sets] = int(re.search(r", (\d+) bytes\)", b.out).group(1))
    assert sizes[("CONFIG_OPTIMIZE_LTO=y",)] <= sizes[()]


def test_a_saved_configuration_in_the_original_app_cannot_reach_the_tests(tmp_path):
    # What a developer may do in apps/helloworld (done here to a copy standing
    # in for it): save a configuration that turns every in-guest test on.
    from conftest import copy_app, APPS
    original = copy_app(APPS / "helloworld", tmp_path / "original")
    r = uniforge("configure", original, "-t", "linuxu/x86_64",
                 "--set", "CONFIG_LIBUKTEST=y", "--set", "CONFIG_LIBUKTEST_ALL=y")
    assert r.rc == 0, r.text
    assert "UK-TEST-RESULT" in run(original, "linuxu/x86_64").out      # it is hostile
    # The boot tests build from copy_app's copy, which leaves it behind.
    copy = copy_app(original, tmp_path / "copy")
    r = run(copy, "linuxu/x86_64", "one")
    assert r.rc == 0 and "UK-TEST" not in r.out, r.text
    assert "argv[1] = one" in r.out.splitlines()


@pytest.mark.parametrize("target", [t for t in TARGETS if TARGET_TABLE[t].fixed_memory_mb is None])
def test_hello_boots_at_the_targets_stated_minimum_memory(HELLO, target):
    # The minimum a target states (and enforces) is real: hello boots there.
    mb = TARGET_TABLE[target].min_memory_mb
    r = uniforge("run", HELLO, "-t", target, "-q", "--timeout", TIMEOUT, "-m", f"{mb}M", timeout=600)
    assert r.rc == 0 and "Hello from uniforge!" in r.out.splitlines(), r.text
    r = uniforge("run", HELLO, "-t", target, "-q", "-m", f"{mb * 1024 - 4}K")
    assert r.rc == 1 and f"is too little memory for {target}" in r.err, r.text
