"""Runner pieces that need no VMM: accelerator choice, exit-status decoding,
the console filter, QEMU command lines."""
import pytest

from uniforge.runner import accel, decode_status, RunSpec, command_line
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


def test_this_machine_picks_tcg():
    # /dev/kvm here is a software implementation without vmx/svm.
    assert accel.choose(None, "x86_64", "x86_64")[0] == "tcg"


class _St:
    def __init__(self, exit_status=None, crashed=False):
        self.exit_status, self.crashed = exit_status, crashed


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
