"""Real boots of the virtio drivers (os/drivers/virtio, virtio-pci,
virtio-mmio) with a virtio-net device on QEMU's user network, through the
in-guest tests of os/drivers/virtio/tests/test_virtio.c (a test driver
for device type 1): the transport finds the device, the core negotiates
(VERSION_1 exactly on modern devices), the MAC read from config space is
the `mac=` given to QEMU, a frame sent comes back used and a received
frame (QEMU's ARP reply for 10.0.2.2) arrives, by interrupt or polling.

Every interface QEMU offers is booted: pc's transitional virtio-net-pci
(modern, MSI-X), legacy only (INTx through the IOAPIC), modern without
MSI-X vectors (INTx), its BARs above 4 GiB, polling mode (Kconfig and
virtio.poll=1); microvm's and arm64 virt's
virtio-mmio, legacy (QEMU 7.2's default) and modern (force-legacy=false).
On pc the PCI library's own in-guest tests run too (os/drivers/pci/tests:
the chipset's functions, the virtio-net function's BAR sizes and
capabilities, a BAR mapped as device memory); with legacy only or modern
only QEMU gives other layouts (1af4:1000 without the virtio capabilities
and BAR4; 1af4:1041 without the I/O BAR), which the guest reports.
"""
import re

import pytest

from conftest import uniforge

pytestmark = pytest.mark.boot

TIMEOUT = 120
MAC = "52:54:00:12:34:{:02x}"

# name: (target, -device options, -global or [], Kconfig extra, expect)
CASES = {
    "pc-transitional-msix": ("qemu/x86_64", "virtio-net-pci", [], [],
                             dict(modern=1, polling=0, irq="MSI-X, 2 vector",
                                  layout="transitional")),
    "pc-legacy-intx": ("qemu/x86_64", "virtio-net-pci,disable-modern=on", [], [],
                       dict(modern=0, polling=0, irq="INTx, line", layout="legacy")),
    "pc-modern-intx": ("qemu/x86_64", "virtio-net-pci,disable-legacy=on,vectors=0", [], [],
                       dict(modern=1, polling=0, irq="INTx, line", layout="modern")),
    # a 2 GiB ivshmem BAR fills SeaBIOS's 32-bit window: the 64-bit BARs,
    # virtio's BAR4 among them, go above 4 GiB (mapped by uk_pci_bar_map)
    "pc-bar-above-4g": ("qemu/x86_64", "virtio-net-pci",
                        ["-object", "memory-backend-ram,id=shm,size=2G",
                         "-device", "ivshmem-plain,memdev=shm"], [],
                        dict(modern=1, polling=0, irq="MSI-X, 2 vector",
                             layout="transitional", high=True)),
    "pc-polling": ("qemu/x86_64", "virtio-net-pci", [], ["CONFIG_LIBVIRTIO_POLL=y"],
                   dict(modern=1, polling=1, irq=None, layout="transitional")),
    "pc-polling-param": ("qemu/x86_64", "virtio-net-pci", [], ["CONFIG_LIBUKLIBPARAM=y"],
                         dict(modern=1, polling=1, irq=None, layout="transitional",
                              kargs=["virtio.poll=1"])),
    "microvm-legacy": ("microvm/x86_64", "virtio-net-device", [], [],
                       dict(modern=0, polling=0, irq=None)),
    "microvm-modern": ("microvm/x86_64", "virtio-net-device",
                       ["-global", "virtio-mmio.force-legacy=false"], [],
                       dict(modern=1, polling=0, irq=None)),
    "arm64-legacy": ("qemu/arm64", "virtio-net-device", [], [],
                     dict(modern=0, polling=0, irq=None)),
    "arm64-modern": ("qemu/arm64", "virtio-net-device",
                     ["-global", "virtio-mmio.force-legacy=false"], [],
                     dict(modern=1, polling=0, irq=None)),
}

VIRTIO_LINE = re.compile(r"^UK-VIRTIO dev=(\S+) type=(\d+) modern=(\d) polling=(\d) "
                         r"mac=(\S+) features=(0x[0-9a-f]+|0) offered=(0x[0-9a-f]+)", re.M)


def _build(tmp_path, target, extra):
    app = tmp_path / "vt"
    app.mkdir()
    (app / "uniforge.yaml").write_text("name: vt\nlibraries: [virtio]\n")
    (app / "main.c").write_text("int main(void) { return 0; }\n")
    sets = ["CONFIG_LIBUKTEST=y", "CONFIG_LIBVIRTIO_TESTS=y", "CONFIG_LIBUKDEBUG=y",
            "CONFIG_LIBUKDEBUG_PRINT_LEVEL=4"] + extra
    args = ["build", app, "-t", target, "-q"]
    for s in sets:
        args += ["--set", s]
    r = uniforge(*args, timeout=600)
    assert r.rc == 0, r.text
    return r.out.strip().rsplit(" (", 1)[0]


@pytest.mark.parametrize("case", sorted(CASES))
def test_virtio_net_device_probed_and_used(case, tmp_path):
    from pathlib import Path
    from uniforge.runner import RunSpec, run as run_image
    from uniforge.targets import TARGETS

    target, device, glob, extra, want = CASES[case]
    mac = MAC.format(sorted(CASES).index(case) + 0x10)
    pc = target == "qemu/x86_64"
    image = _build(tmp_path, target, extra + (["CONFIG_LIBPCI_TESTS=y"] if pc else []))
    out: list[str] = []
    spec = RunSpec(target=TARGETS[target], image=Path(image), image_dbg=None,
                   timeout=float(TIMEOUT), kernel_args=want.get("kargs", []),
                   extra_vmm_args=glob + ["-netdev", "user,id=vt0",
                                          "-device", f"{device},netdev=vt0,mac={mac}"])
    res = run_image(spec, write=out.append)
    text = "".join(out)
    assert res.status == 0, text
    m = re.search(r"^UK-TEST-RESULT total=(\d+) passed=(\d+) failed=(\d+)", text, re.M)
    assert m and m.group(3) == "0" and m.group(1) == m.group(2), text
    ok = set(re.findall(r"^UK-TEST ok (\S+)", text, re.M))
    want_ok = {"virtio.net_device_probed_and_negotiated", "virtio.registry_errors",
               "virtio.add_rejects_bad_chains", "virtio.tx_used_and_rx_frame"}
    if pc:
        want_ok |= {"pci.scan_finds_the_pc_chipset", "pci.virtio_net_bars_and_capabilities"}
    assert ok == want_ok, text
    v = VIRTIO_LINE.search(text)
    assert v, text
    dev, typ, modern, polling, got_mac, feats, offered = v.groups()
    assert typ == "1" and got_mac == mac, text
    assert int(modern) == want["modern"] and int(polling) == want["polling"], text
    feats, offered = int(feats, 16), int(offered, 16)
    assert feats & ~offered == 0
    assert bool(feats >> 32 & 1) == bool(want["modern"]), text   # VERSION_1
    assert feats & (1 << 5), text                                 # MAC
    if pc:
        lm = re.search(r"^UK-PCI virtio-net layout=(\S+) bar4=(0x[0-9a-f]+|0)$", text, re.M)
        assert lm and lm.group(1) == want["layout"], text
        assert (int(lm.group(2), 16) >= 1 << 32) == want.get("high", False), text
        assert re.fullmatch(r"00:[0-9a-f]{2}\.0", dev), text
    else:
        assert dev.startswith("virtio-mmio@0x"), text
    if want["irq"]:
        assert want["irq"] in text, text
    else:
        assert "MSI-X" not in text and "INTx" not in text, text
