"""QEMU runner: the command line for each QEMU machine in the target table.

The console is the first serial port on stdio; no display, no default
devices. Exit statuses come back through isa-debug-exit (x86) or
semihosting (arm64) — see ARCHITECTURE.md, "Exit status".
"""
from __future__ import annotations


def append_line(kernel_args, app_args) -> str:
    """The -append text. The guest's splitter (lib/ukargparse) understands
    double quotes and backslash escapes, so arguments with spaces survive."""
    words = list(kernel_args)
    if app_args or kernel_args:
        # With kernel arguments, `--` must be there even for no app arguments:
        # without it the guest hands every word to main().
        words += ["--"] + list(app_args)
    return " ".join(_quote(w) for w in words)


def _quote(w: str) -> str:
    if w and not any(c in w for c in " \t\n\"'\\"):
        return w
    return '"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"'


def command(spec, accel: str) -> list[str]:
    t = spec.target
    argv = [t.arch.qemu, "-M", t.machine]
    if accel == "kvm":
        argv += ["-accel", "kvm"]
    elif t.machine == "raspi3b":
        argv += ["-accel", "tcg,thread=single"]
    else:
        argv += ["-accel", "tcg"]
    if t.fixed_memory_mb is None:
        argv += ["-m", f"{spec.memory_mb or t.default_memory_mb}M"]
    argv += ["-display", "none", "-nodefaults", "-no-user-config", "-serial", "stdio", "-no-reboot"]
    argv += list(t.qemu_args)
    argv += ["-kernel", str(spec.image)]
    if spec.initrd is not None:
        argv += ["-initrd", str(spec.initrd)]
    line = append_line(spec.kernel_args, spec.app_args)
    if line:
        argv += ["-append", line]
    argv += list(spec.extra_vmm_args)
    return argv
