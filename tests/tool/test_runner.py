"""Runner pieces: accelerator choice, exit-status decoding, the console
filter and its decoding, QEMU command lines, memory minimums, and that the
VMM dies on every way out of uniforge (SIGTERM, a closed pipe)."""
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import uniforge
from uniforge.runner import accel, decode_status, RunSpec, command_line, run as run_image, TIMEOUT_STATUS
from uniforge.runner.console import ConsoleFilter
from uniforge.runner.qemu import append_line
from uniforge.targets import TARGETS
from uniforge.errors import UserError

INTEL = "processor : 0\nflags : fpu vme de pse tsc msr vmx sse2\n"
PVM = "processor : 0\nflags : fpu vme de pse tsc msr sse2 hypervisor\n"


def test_cpu_flags():
    assert accel.cpu_has_virt(INTEL)
    assert not accel.cpu_has_virt(PVM)


def test_accel_defaults_to_tcg_without_hardware_virtualisation(monkeypatch):
    monkeypatch.setattr(accel, "kvm_opens", lambda dev="/dev/kvm": True)
    monkeypatch.setattr(accel, "cpu_has_virt", lambda cpuinfo=None: False)
    a, why = accel.choose(None, "x86_64", "x86_64")
    assert a == "tcg" and "software implementation" in why
    monkeypatch.setattr(accel, "cpu_has_virt", lambda cpuinfo=None: True)
    assert accel.choose(None, "x86_64", "x86_64")[0] == "kvm"
    assert accel.choose("tcg", "x86_64", "x86_64")[0] == "tcg"
    assert accel.choose(None, "arm64", "x86_64") == ("tcg", "arm64 guest on a x86_64 host")
    assert accel.choose("kvm", "arm64", "x86_64")[0] == "tcg"


@pytest.mark.parametrize("opens, cpuinfo, want", [
    (True, PVM, "tcg"),       # a software /dev/kvm (no vmx/svm): TCG is faster
    (True, INTEL, "kvm"),     # hardware virtualisation
    (False, INTEL, "tcg"),    # no usable /dev/kvm
])
def test_accel_decision_from_its_inputs(monkeypatch, opens, cpuinfo, want):
    # The decision as a function of the machine's facts, not of this machine.
    monkeypatch.setattr(accel, "kvm_opens", lambda dev="/dev/kvm": opens)
    monkeypatch.setattr(accel, "cpu_has_virt", lambda c=None, _f=cpu_has_virt_real: _f(cpuinfo))
    assert accel.choose(None, "x86_64", "x86_64")[0] == want


cpu_has_virt_real = accel.cpu_has_virt


class _St:
    def __init__(self, exit_status=None, crashed=False, lines=()):
        self.exit_status, self.crashed, self.lines = exit_status, crashed, list(lines)


@pytest.mark.parametrize("rc, marker, status", [
    (1, None, 0), (15, None, 7), (255, None, 127), (145, 200, 200), (0, None, 255)])
def test_x86_exit_status_decoding(rc, marker, status):
    got, note = decode_status(TARGETS["qemu/x86_64"], rc, _St(marker), "")
    assert got == status
    assert bool(note) == (rc == 0)      # a reset/triple fault is explained


def test_qemu_failure_is_a_user_error_not_status_0():
    with pytest.raises(UserError) as e:
        decode_status(TARGETS["qemu/x86_64"], 1, _St(), "qemu-system-x86_64: could not load kernel 'x'\n")
    assert "QEMU failed to start the image" in str(e.value)


KVM_WARNING = ("qemu-system-x86_64: warning: host doesn't support requested feature: "
               "CPUID.80000001H:ECX.svm [bit 2]\n")


def test_qemu_warning_never_turns_success_into_failure():
    # --accel kvm: QEMU warns on stderr, the guest exits 0 (isa-debug-exit: rc 1).
    assert decode_status(TARGETS["qemu/x86_64"], 1, _St(lines=["Hello"]), KVM_WARNING) == (0, "")
    assert decode_status(TARGETS["qemu/x86_64"], 1, _St(), KVM_WARNING) == (0, "")
    assert decode_status(TARGETS["qemu/arm64"], 0, _St(), "qemu-system-aarch64: warning: x\n") == (0, "")


def test_console_decodes_utf8_split_across_reads(tmp_path):
    # A guest writing one multi-byte character per byte: every character is
    # split across reads. The output must be the text, never U+FFFD.
    text = "h\u00e9llo \u2713 \U0001f600\n"
    script = tmp_path / "slow.py"
    script.write_text("import os, sys, time\n"
                      f"for b in {text.encode()!r}:\n"
                      "    os.write(1, bytes([b])); time.sleep(0.01)\n")
    spec = RunSpec(target=TARGETS["linuxu/x86_64"], image=tmp_path / "img", image_dbg=None)
    out = []
    import uniforge.runner as runner_mod
    orig = runner_mod.command_line
    try:
        runner_mod.command_line = lambda s: ([sys.executable, str(script)], {}, "native", "test")
        res = run_image(spec, out.append)
    finally:
        runner_mod.command_line = orig
    assert "".join(out) == text and "\ufffd" not in "".join(out)
    assert res.status == 0


def test_runner_returns_vmm_stderr_instead_of_printing(tmp_path, capfd):
    import uniforge.runner as runner_mod
    orig = runner_mod.command_line
    try:
        runner_mod.command_line = lambda s: ([sys.executable, "-c",
                                              "import sys; sys.stderr.write('vmm says\\n')"], {}, "native", "")
        res = run_image(RunSpec(target=TARGETS["linuxu/x86_64"], image=tmp_path / "i", image_dbg=None),
                        lambda s: None)
    finally:
        runner_mod.command_line = orig
    assert res.stderr == "vmm says\n"
    assert capfd.readouterr().err == ""          # library code does not print


def test_timeout_kills_and_reports():
    import uniforge.runner as runner_mod
    orig = runner_mod.command_line
    try:
        runner_mod.command_line = lambda s: (["sleep", "30"], {}, "native", "")
        t0 = time.monotonic()
        res = run_image(RunSpec(target=TARGETS["linuxu/x86_64"], image="i", image_dbg=None, timeout=0.5),
                        lambda s: None)
    finally:
        runner_mod.command_line = orig
    assert res.status == TIMEOUT_STATUS and time.monotonic() - t0 < 10


LOOP_APP = """\
    #include <stdio.h>
    int main(void)
    {
        printf("looping\\n");
        for (volatile unsigned long i = 0;; i++)
            if ((i & 0x3fffff) == 0)
                printf("tick\\n");
    }
    """


def _qemu_children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=,ppid=,comm=", "-e"], capture_output=True, text=True).stdout
    return [int(p) for p, pp, comm in (line.split(None, 2) for line in out.splitlines())
            if int(pp) == pid and comm.startswith("qemu-system")]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    st = open(f"/proc/{pid}/stat").read().split(")")[-1].split()[0]
    return st != "Z"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_to_uniforge_kills_the_vmm(make_app, sig):
    app = make_app("name: loop\n", LOOP_APP)
    assert uniforge("build", app, "-t", "qemu/x86_64", "-q").rc == 0
    p = subprocess.Popen([sys.executable, "-m", "uniforge", "run", str(app), "-t", "qemu/x86_64", "-q",
                          "--timeout", "120"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert p.stdout.readline() == b"looping\n"
        qemu = _qemu_children(p.pid)
        assert len(qemu) == 1
        p.send_signal(sig)
        rc = p.wait(timeout=30)
        assert rc == 128 + sig
        deadline = time.monotonic() + 10
        while _alive(qemu[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(qemu[0]), "QEMU survived uniforge"
    finally:
        p.kill()
        p.wait()
        p.stdout.close()
        p.stderr.close()


def test_run_into_a_closed_pipe_stops_quietly(make_app):
    app = make_app("name: loop\n", LOOP_APP)
    assert uniforge("build", app, "-t", "qemu/x86_64", "-q").rc == 0
    sh = subprocess.run(["bash", "-c", f"set -o pipefail; {sys.executable} -m uniforge run {app} "
                         "-t qemu/x86_64 -q --timeout 120 | head -2; echo status=${PIPESTATUS[0]}"],
                        capture_output=True, text=True, timeout=120)
    assert sh.stdout.splitlines()[:2] == ["looping", "tick"], sh.stdout
    assert "status=141" in sh.stdout, sh.stdout + sh.stderr
    assert "BrokenPipeError" not in sh.stderr and "internal error" not in sh.stderr, sh.stderr


def test_console_filter_consumes_exit_and_symbolises_backtrace():
    out = []
    f = ConsoleFilter(out.append, symbolize=lambda a, ret: f"0x{a:x} in f{int(ret)}")
    f.feed("hello\nUK-CRASH boom\nUK-REGS RIP=0x1\nUK-BT 0x10\nUK-BT 0x20\nUK-CRASH-END\nUK-EXIT 200\ntail")
    f.close()
    text = "".join(out)
    assert "UK-EXIT" not in text
    assert "UK-BT #0 0x10 in f0" in text and "UK-BT #1 0x20 in f1" in text
    assert f.state.exit_status == 200 and f.state.crashed and f.state.crash_reason == "boom"
    assert text.endswith("tail")


def test_assertion_backtrace_frames_are_all_return_addresses():
    out = []
    f = ConsoleFilter(out.append, symbolize=lambda a, ret: f"ret={int(ret)}")
    f.feed("UK-CRASH assertion failed\nUK-BT 0x10\nUK-CRASH-END\n")
    assert "UK-BT #0 ret=1" in "".join(out)


def test_append_line_quotes_and_separates():
    assert append_line([], ["a", "b c"]) == '-- a "b c" ---'
    assert append_line(["x.y=1"], []) == "x.y=1 -- ---"
    assert append_line([], []) == ""


def test_qemu_command_lines():
    spec = RunSpec(target=TARGETS["raspi3b/arm64"], image="k8.img", image_dbg=None, app_args=["a"])
    argv, env, acc, _ = command_line(spec)
    assert "-m" not in argv and "tcg,thread=single" in argv and "-semihosting-config" in argv
    spec = RunSpec(target=TARGETS["microvm/x86_64"], image="img", image_dbg=None, memory_mb=4)
    argv, *_ = command_line(spec)
    assert argv[:3] == ["qemu-system-x86_64", "-M", "microvm"] and "4M" in argv
    assert "isa-debug-exit,iobase=0xf4,iosize=0x04" in argv
    with pytest.raises(UserError):
        command_line(RunSpec(target=TARGETS["raspi3b/arm64"], image="i", image_dbg=None, memory_mb=8))


def test_console_filter_joins_output_a_protocol_line_interrupted():
    """A protocol line the guest printed while the program's output was
    mid-line starts with RS (0x1e): the program's part before it reaches
    write without a line break, the protocol line is still parsed."""
    out, err = [], []
    f = ConsoleFilter(out.append, write_err=err.append, raw=True)
    f.feed(b"$ \x1eUK-STRACE getpid() = 1\nls\n\x1eUK-ENOSYS nr=41 name=socket lib=x\npart\x1eUK-EXIT 200\n")
    f.close()
    assert b"".join(out) == b"$ ls\nUK-ENOSYS nr=41 name=socket lib=x\npart"
    assert err == ["getpid() = 1\n"] and f.state.exit_status == 200
    # a line that passes through is shown on a line of its own
    out = []
    f = ConsoleFilter(out.append, raw=True)
    f.feed(b"par\x1eUK-ENOSYS nr=41 name=socket lib=x\ntial\n")
    assert b"".join(out) == b"par\nUK-ENOSYS nr=41 name=socket lib=x\ntial\n"
    # an RS not followed by a protocol line is the program's own byte
    out = []
    f = ConsoleFilter(out.append, raw=True)
    f.feed(b"a\x1eb\nUK-EXIT 1\n")
    f.close()
    assert b"".join(out) == b"a\x1eb\n" and f.state.exit_status == 1


def test_console_filter_keeps_the_programs_carriage_returns():
    # sqlite3's CSV mode ends rows with \r\n: byte-identical output needs
    # them; protocol lines are still recognised with one.
    out = []
    f = ConsoleFilter(out.append)
    f.feed('1,"a,b"\r\nplain\nUK-EXIT 3\r\nlast\r')
    f.close()
    assert "".join(out) == '1,"a,b"\r\nplain\nlast\r'
    assert f.state.exit_status == 3


def test_console_filter_raw_passes_the_guests_bytes_unchanged():
    """raw (what `uniforge run` uses): binary output, invalid UTF-8 and a
    multi-byte character split across reads included, reaches write byte
    for byte; the protocol lines are still parsed and consumed."""
    blob = bytes(range(256)) + "é€\r\n".encode() + b"\xff\xfe\x00\x04\x1b[0m\xc3"
    console = b"UK-NET ip=10.0.2.15\n" + blob + b"\nUK-EXIT 201\n" + blob
    out = []
    f = ConsoleFilter(out.append, raw=True)
    for i in range(0, len(console), 7):         # reads cut anywhere, inside a character too
        f.feed(console[i:i + 7])
    f.close()
    assert all(isinstance(x, bytes) for x in out)
    assert b"".join(out) == b"UK-NET ip=10.0.2.15\n" + blob + b"\n" + blob
    assert f.state.exit_status == 201
    # the text form decodes each line (U+FFFD for what is not UTF-8)
    text = []
    f = ConsoleFilter(text.append)
    f.feed("é€\n".encode()[:1])
    f.feed("é€\n".encode()[1:] + b"\xff\n")
    assert "".join(text) == "é€\n\ufffd\n"


def test_run_writes_the_guests_bytes(tmp_path):
    """The runner end to end on a linuxu 'image' that is a script writing
    binary bytes: run(..., raw=True) hands them over unchanged."""
    data = bytes(range(256)) * 3 + b"\xc3"
    image = tmp_path / "image"
    image.write_text(f"#!{sys.executable}\nimport sys\nsys.stdout.buffer.write({data!r})\n")
    image.chmod(0o755)
    out = []
    res = run_image(RunSpec(target=TARGETS["linuxu/x86_64"], image=image, image_dbg=None, timeout=60), out.append,
                    raw=True)
    assert res.status == 0 and b"".join(out) == data
