"""Real boots of the C runtime basics (issue 6, section 2), one fixture
image per target (tests/fixtures/crt, copied into a temporary folder):

- .preinit_array and constructors run before main, by priority;
- returning from main (and calling exit()) runs the atexit handlers, last
  first, then the .fini_array, last first -- the exact order glibc gives
  the same file (order.c) on the host;
- __thread variables: initialised, zeroed, aligned to 256, from another
  compile unit, errno among them, a 5000-byte one (a block of two pages);
- getenv from the manifest's env: and from `run -e` (which overrides it),
  and nothing from the host's environment on linuxu;
- main's arguments end at the runner's `---`; on microvm, the words QEMU
  appends after it (virtio_mmio.device=...) reach the platform, not main.
"""
import shutil
import subprocess

import pytest

from conftest import uniforge, REPO

X86 = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64"]
ARM = ["qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]
TARGETS = X86 + ARM
FIXTURE = REPO / "tests" / "fixtures" / "crt"
TIMEOUT = "120"

pytestmark = pytest.mark.boot

# What order.c prints after main, in order (checked against glibc below).
EXIT_ORDER = [
    "UK-CRT exit atexit-second",
    "UK-CRT exit atexit-first",
    "UK-CRT exit atexit-from-constructor",
    "UK-CRT exit destructor",
    "UK-CRT exit destructor-102",
    "UK-CRT exit destructor-101",
]
TLS_LINE = "UK-CRT tls init=42 zero=0 other=7 aligned=0 big=0 in-block=1 align=256"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("crt") / "crt"
    shutil.copytree(FIXTURE, d)
    return d


def crt_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("UK-CRT ")]


def test_exit_order_is_glibcs(tmp_path):
    """The expected order is the C library's: order.c built for the host."""
    main = tmp_path / "main.c"
    main.write_text("void crt_order_main(void);\nint main(void) { crt_order_main(); return 0; }\n")
    exe = tmp_path / "order"
    subprocess.run(["gcc", "-O2", str(FIXTURE / "order.c"), str(main), "-o", str(exe)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    assert crt_lines(out) == ["UK-CRT before-main P12C"] + EXIT_ORDER


@pytest.mark.parametrize("target", TARGETS)
def test_crt_runtime(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT,
                 "-e", "FROM_CLI=yes", "-e", "OVERRIDDEN=from -e",
                 "--", "3", "two words", "---", timeout=600,
                 env={"HOME": "/host/home", "GREETING": "from the host"})
    assert r.rc == 3, r.text
    lines = crt_lines(r.out)
    assert lines[0] == "UK-CRT before-main P12C", r.text
    assert TLS_LINE in lines, r.text
    for want in ("UK-CRT env GREETING=hello world",        # the manifest's, not the host's
                 "UK-CRT env OVERRIDDEN=from -e",           # -e wins over the manifest
                 "UK-CRT env EMPTY=(empty)",
                 "UK-CRT env FROM_CLI=yes",
                 "UK-CRT env count=4",                      # nothing from the host (HOME...)
                 "UK-CRT argc=4",
                 "UK-CRT argv[1]=3", "UK-CRT argv[2]=two words",
                 "UK-CRT argv[3]=---"):                    # an app's own --- survives
        assert want in lines, f"{want!r} missing\n{r.text}"
    assert not any(line.startswith("UK-CRT vmm[") for line in lines), r.text
    assert lines[-len(EXIT_ORDER):] == EXIT_ORDER, r.text


@pytest.mark.parametrize("target", ["linuxu/x86_64", "qemu/arm64"])
def test_exit_call_runs_the_same_handlers(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "4", "exit",
                 timeout=600)
    assert r.rc == 4, r.text
    lines = crt_lines(r.out)
    assert "UK-CRT env count=3" in lines, r.text
    assert lines[-len(EXIT_ORDER):] == EXIT_ORDER, r.text


def test_microvm_vmm_words_stay_out_of_main(app):
    """QEMU microvm (without ACPI) appends virtio_mmio.device=... for a
    virtio-mmio device; the guest keeps it for the platform."""
    from uniforge.runner import RunSpec, run as run_image
    from uniforge.targets import TARGETS as TABLE

    target = "microvm/x86_64"
    r = uniforge("build", app, "-t", target, timeout=600)
    assert r.rc == 0, r.text
    build = app / ".uniforge" / "build" / "microvm-x86_64"
    image = build / "crt_microvm-x86_64"
    out: list[str] = []
    for args in (["5"], []):
        out.clear()
        spec = RunSpec(target=TABLE[target], image=image, image_dbg=None, app_args=args,
                       timeout=float(TIMEOUT),
                       extra_vmm_args=["-machine", "acpi=off", "-device", "virtio-rng-device"])
        res = run_image(spec, write=out.append)
        lines = crt_lines("".join(out))
        assert res.status == (int(args[0]) if args else 0), "".join(out)
        assert f"UK-CRT argc={1 + len(args)}" in lines, "".join(out)
        assert [x for x in lines if x.startswith("UK-CRT vmm[")] == \
            ["UK-CRT vmm[0]=virtio_mmio.device=512@0xfeb00e00:12"], "".join(out)
        assert f"UK-CRT cmdline=-- {' '.join(args + [''])}--- virtio_mmio.device=" in "".join(out)
