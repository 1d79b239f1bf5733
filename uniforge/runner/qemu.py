"""QEMU runner: the command line for each QEMU machine in the target table.

The console is the first serial port on stdio; no display, no default
devices. Exit statuses come back through isa-debug-exit (x86) or
semihosting (arm64) — see ARCHITECTURE.md, "Exit status".
"""
from __future__ import annotations

import time

from ..errors import UserError


# QEMU machines that append words of their own to -append (microvm adds
# virtio_mmio.device=... for each virtio-mmio device): when a device is
# added, their line ends with our terminator even with nothing to pass, so
# those words never reach main(). Without devices QEMU appends nothing, and
# an empty line keeps the guest's boot free of any parsing.
APPENDS_WORDS = {"microvm"}
# Words the guest splits the line into (UKBOOT_MAX_ARGS in lib/ukboot/boot.c).
GUEST_MAX_WORDS = 64


def guest_words(kernel_args, app_args, env=None, *, terminate=False) -> list[str]:
    """The guest command line as words (the command-line rule, ARCHITECTURE.md):

        [lib.param=value ...] [KEY=VALUE ...] -- [app args] ---

    Environment words are KEY=VALUE with no dot in KEY (manifest.ENV_NAME),
    which is how the guest tells them from library parameters. `---` ends
    the line we wrote: the guest ignores what a VMM appends after it (and
    keeps it for the platform). Empty when there is nothing to pass, unless
    `terminate` (a VMM that appends words)."""
    words = list(kernel_args) + [f"{k}={v}" for k, v in (env or {}).items()]
    if words or app_args or terminate:
        words += ["--"] + list(app_args) + ["---"]
    if len(words) > GUEST_MAX_WORDS:
        raise UserError(f"the guest command line has {len(words)} words; the guest keeps "
                        f"{GUEST_MAX_WORDS} (kernel arguments, environment, application arguments, "
                        f"and the -- and --- separators)",
                        hint="pass fewer -k/-e/application arguments")
    return words


def append_line(kernel_args, app_args, env=None, *, terminate=False) -> str:
    """The -append text. The guest's splitter (lib/ukargparse) understands
    double quotes and backslash escapes, so arguments with spaces survive."""
    return " ".join(_quote(w) for w in guest_words(kernel_args, app_args, env, terminate=terminate))


def _quote(w: str) -> str:
    if w and not any(c in w for c in " \t\n\"'\\"):
        return w
    return '"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"'


def machine_args(t, accel: str, memory_mb: int | None = None) -> list[str]:
    """QEMU's command line for target `t` up to the image: the machine, the
    accelerator, memory, no display or default devices, the console on
    stdio, the target's own devices. Also used by benchmarks/ to boot other
    kernels on exactly the same machine."""
    argv = [t.arch.qemu, "-M", t.machine]
    if accel == "kvm":
        argv += ["-accel", "kvm"]
    elif t.machine == "raspi3b":
        argv += ["-accel", "tcg,thread=single"]
    else:
        argv += ["-accel", "tcg"]
    if t.fixed_memory_mb is None:
        argv += ["-m", f"{memory_mb or t.default_memory_mb}M"]
    argv += ["-display", "none", "-nodefaults", "-no-user-config", "-serial", "stdio", "-no-reboot"]
    argv += list(t.qemu_args)
    return argv


def appends_words(machine: str) -> bool:
    """True for a QEMU machine (`-M` value, options included, e.g.
    "microvm,acpi=off") that appends words to the command line."""
    return machine.split(",", 1)[0] in APPENDS_WORDS


def command(spec, accel: str) -> list[str]:
    from .net import net_mode, qemu_net_args
    t = spec.target
    net = qemu_net_args(spec, net_mode(spec))
    argv = machine_args(t, accel, spec.memory_mb)
    argv += ["-kernel", str(spec.image)]
    if spec.initrd is not None:
        argv += ["-initrd", str(spec.initrd)]
    # The host's time for the guest's wall clock (lib/uktime), taken as the
    # VMM starts; before the user's -k words, so that one of theirs wins.
    kargs = ([f"uktime.wall={time.time_ns()}"] if spec.wall_clock else []) + list(spec.kernel_args)
    # Every -device the runner or the caller adds on microvm is a virtio-mmio
    # one (the machine's own devices come from t.qemu_args).
    devices = "-device" in net or "-device" in spec.extra_vmm_args
    line = append_line(kargs, spec.app_args, spec.env, terminate=appends_words(t.machine) and devices)
    if line:
        argv += ["-append", line]
    argv += net + list(spec.extra_vmm_args)
    return argv
