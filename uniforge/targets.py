"""The target table: what `-t qemu/x86_64` means.

A target is a platform and an architecture. It decides the Kconfig symbols the
tool turns on (the OS tree's arch/plat libraries key on them), the cross
toolchain, the image format the VMM wants, and how the runner starts it
(uniforge/runner/). Adding a board: one row here plus one folder under
os/plat/ (see ARCHITECTURE.md).
"""
from __future__ import annotations

from dataclasses import dataclass
import platform
import shutil

from .errors import UserError, MissingTool, did_you_mean


@dataclass(frozen=True)
class Toolchain:
    prefix: str            # "" for the host compiler, "aarch64-linux-gnu-" for cross
    package: str           # Debian package that installs it

    def tool(self, name: str) -> str:
        return self.prefix + name

    def check(self) -> None:
        """Raise MissingTool naming the Debian package if gcc is absent."""
        for prog in ("gcc", "ld", "objcopy"):
            if shutil.which(self.tool(prog)) is None:
                raise MissingTool(self.tool(prog), self.package, "to build for this target")


@dataclass(frozen=True)
class Arch:
    name: str
    symbol: str
    cflags: tuple[str, ...]
    qemu: str                  # qemu-system-* binary
    qemu_package: str
    elf_machine: str           # pyelftools e_machine value

    def toolchain(self) -> Toolchain:
        host = platform.machine()
        if self.name == "x86_64":
            if host in ("x86_64", "AMD64"):
                return Toolchain("", "gcc")
            return Toolchain("x86_64-linux-gnu-", "gcc-x86-64-linux-gnu")
        if self.name == "arm64":
            if host in ("aarch64", "arm64"):
                return Toolchain("", "gcc")
            return Toolchain("aarch64-linux-gnu-", "gcc-aarch64-linux-gnu")
        raise AssertionError(self.name)


ARCHES = {
    "x86_64": Arch("x86_64", "ARCH_X86_64", ("-m64", "-mno-red-zone"),
                   "qemu-system-x86_64", "qemu-system-x86", "EM_X86_64"),
    "arm64": Arch("arm64", "ARCH_ARM64",
                  ("-march=armv8-a", "-mcpu=cortex-a53", "-mstrict-align"),
                  "qemu-system-aarch64", "qemu-system-arm", "EM_AARCH64"),
}


@dataclass(frozen=True)
class Target:
    name: str                  # "qemu/x86_64"
    arch: Arch
    symbols: tuple[str, ...]   # Kconfig symbols set to y (besides the arch's)
    runner: str                # runner module: "qemu", "linuxu", "none"
    machine: str = ""          # QEMU -M value
    qemu_args: tuple[str, ...] = ()
    image_format: str = "elf"  # "elf", "elf32" (ELF64 → ELF32 copy), "bin" (raw)
    image_name: str = ""       # fixed file name for the runnable image (e.g. kernel8.img)
    default_memory_mb: int = 64
    fixed_memory_mb: int | None = None   # the machine has a fixed RAM size (-m not passed)
    min_memory_mb: int = 1               # below this the image cannot load or boot (measured)
    min_memory_why: str = "below this the guest cannot boot"   # said with min_memory_mb
    summary: str = ""
    cannot_run: str = ""       # non-empty: why no VMM on this machine can start it
    nic: str = ""              # QEMU -device for the guest's NIC ("" : none)
    no_nic: str = ""           # with nic "": why, said when a network is asked for

    @property
    def slug(self) -> str:
        return self.name.replace("/", "-")

    @property
    def all_symbols(self) -> tuple[str, ...]:
        return (self.arch.symbol,) + self.symbols


X86 = ARCHES["x86_64"]
ARM64 = ARCHES["arm64"]
_EXIT_DEV = ("-device", "isa-debug-exit,iobase=0xf4,iosize=0x04")
_SEMIHOST = ("-semihosting-config", "enable=on,target=native")

TARGETS: dict[str, Target] = {t.name: t for t in [
    Target("linuxu/x86_64", X86, ("PLAT_LINUXU",), "linuxu",
           summary="a Linux process (raw syscalls, no host libc)", default_memory_mb=16,
           no_nic="a linuxu image is a Linux process with no network device of its own; "
                  "its sockets reach only the guest's loopback (127.0.0.1)"),
    Target("qemu/x86_64", X86, ("PLAT_KVM", "KVM_BOOT_MULTIBOOT"), "qemu",
           machine="pc", qemu_args=_EXIT_DEV, image_format="elf32", default_memory_mb=16,
           min_memory_mb=2, min_memory_why="the image loads at 1 MiB and needs its heap above it",
           summary="QEMU pc, Multiboot entry, 16550 console", nic="virtio-net-pci"),
    Target("microvm/x86_64", X86, ("PLAT_KVM", "KVM_BOOT_PVH"), "qemu",
           # acpi=off: only then does QEMU append virtio_mmio.device= words for
           # its virtio-mmio devices (the guest has no ACPI parser to find them)
           machine="microvm", qemu_args=("-machine", "acpi=off") + _EXIT_DEV,
           default_memory_mb=16, min_memory_mb=2,
           min_memory_why="the image loads at 1 MiB and needs its heap above it",
           summary="QEMU microvm (Firecracker-like), PVH entry", nic="virtio-net-device"),
    Target("firecracker/x86_64", X86, ("PLAT_KVM", "KVM_BOOT_PVH"), "none",
           summary="Firecracker (PVH entry)",
           cannot_run="Firecracker is not packaged for Debian and needs hardware KVM; "
                      "the image is built and can be started with firecracker --kernel",
           no_nic="uniforge does not start Firecracker, so it cannot give it a network; "
                  "Firecracker's own config adds a virtio-net device (network-interfaces)"),
    Target("qemu/arm64", ARM64, ("PLAT_ARM64", "BOARD_VIRT"), "qemu",
           machine="virt", qemu_args=("-cpu", "cortex-a53") + _SEMIHOST, image_format="bin",
           default_memory_mb=64, min_memory_mb=3,
           min_memory_why="QEMU places the device tree after the image, 2 MiB-aligned "
                          "(with less it stops with 'Not enough space for DTB')",
           summary="QEMU virt, cortex-a53, PL011, GIC, PSCI", nic="virtio-net-device"),
    Target("raspi3b/arm64", ARM64, ("PLAT_ARM64", "BOARD_RASPI3B"), "qemu",
           machine="raspi3b", qemu_args=_SEMIHOST, image_format="bin", image_name="kernel8.img",
           default_memory_mb=1024, fixed_memory_mb=1024, summary="Raspberry Pi 3 B (BCM2837), kernel8.img at 0x80000",
           no_nic="QEMU gives the Raspberry Pi 3 B no NIC we can use: the board's Ethernet is "
                  "a LAN9514 chip on USB, which QEMU does not emulate (only the USB host "
                  "controller, and uniforge has no USB stack), and the machine has no virtio "
                  "transport to attach a virtio NIC to"),
    Target("zcu102/arm64", ARM64, ("PLAT_ARM64", "BOARD_ZCU102"), "qemu",
           machine="xlnx-zcu102", qemu_args=_SEMIHOST, image_format="bin",
           default_memory_mb=64, summary="Xilinx ZynqMP (ZCU102 / Ultra96-V2 SoC), Cadence UART",
           no_nic="QEMU gives the ZCU102 no NIC we can use: its only Ethernet is the SoC's "
                  "Cadence GEM, which QEMU emulates but uniforge has no driver for, and the machine has no virtio "
                  "transport to attach a virtio NIC to"),
]}

# Every target symbol, so the ones a target does not use are defined as n.
ALL_TARGET_SYMBOLS = sorted({s for t in TARGETS.values() for s in t.all_symbols})


def get_target(name: str, *, path=None, line=None) -> Target:
    if name in TARGETS:
        return TARGETS[name]
    raise UserError(f"unknown target '{name}'{did_you_mean(name, TARGETS)}",
                    path=path, line=line,
                    hint="`uniforge targets` lists them: " + ", ".join(TARGETS))
