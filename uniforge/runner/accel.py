"""Choosing the accelerator: KVM only when it is hardware-backed.

A /dev/kvm that opens is not enough: some hosts expose a software
implementation (e.g. the kvm_pvm module) that runs guest kernel code 100×
slower than TCG. We use KVM when the CPU advertises vmx or svm and /dev/kvm
opens read-write; TCG otherwise. `--accel` forces either.
"""
from __future__ import annotations

import os
from pathlib import Path


def cpu_has_virt(cpuinfo: str | None = None) -> bool:
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text()
        except OSError:
            return False
    for line in cpuinfo.splitlines():
        if line.startswith(("flags", "Features")):
            flags = set(line.split(":", 1)[1].split())
            return bool(flags & {"vmx", "svm"})
    return False


def kvm_opens(dev: str = "/dev/kvm") -> bool:
    try:
        fd = os.open(dev, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False
    os.close(fd)
    return True


def choose(requested: str | None, guest_arch: str, host_arch: str) -> tuple[str, str]:
    """(accel, reason) — accel is 'kvm' or 'tcg'."""
    if requested == "tcg":
        return "tcg", "forced with --accel tcg"
    same_arch = {"x86_64": "x86_64", "arm64": "aarch64"}[guest_arch] == host_arch
    if requested == "kvm":
        if not same_arch:
            return "tcg", f"--accel kvm ignored: a {guest_arch} guest cannot use KVM on a {host_arch} host"
        return "kvm", "forced with --accel kvm"
    if not same_arch:
        return "tcg", f"{guest_arch} guest on a {host_arch} host"
    if not kvm_opens():
        return "tcg", "/dev/kvm is not usable"
    if guest_arch == "x86_64" and not cpu_has_virt():
        return "tcg", "/dev/kvm is a software implementation here (no vmx/svm CPU flag); TCG is faster"
    return "kvm", "hardware virtualisation available"
