"""Real boots of the platform API (uk/plat.h) that the library test suites
cannot do alone:

- the initrd: `uniforge run --initrd FILE` reaches the guest's boot
  information (QEMU -initrd: a Multiboot module on pc, a PVH module on
  microvm, /chosen linux,initrd-start/end on arm64 virt, ATAG_INITRD2 on
  raspi3b and zcu102 (raw images); UK_INITRD on linuxu), byte for byte;
- the clock and the one-shot timer through uktime (its in-guest tests, with
  the platform's own, where uktime is built in).

Apps are written to tmp_path, so no saved configuration can interfere.
"""
import re
import zlib

import pytest

from conftest import uniforge

pytestmark = pytest.mark.boot

INITRD_TARGETS = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]
VM_TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]

INITRD_MAIN = r"""
#include <stdio.h>
#include <uk/plat.h>

/* CRC-32 (IEEE), as Python's zlib.crc32 */
static unsigned int crc32(const unsigned char *p, unsigned long n)
{
	unsigned int c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
	}
	return ~c;
}

int main(void)
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo_get();

	if (!bi->initrd_len) {
		printf("initrd none\n");
		return 3;
	}
	printf("initrd len=%lu crc=%08x\n", (unsigned long)bi->initrd_len,
	       crc32(bi->initrd, bi->initrd_len));
	/* its pages are not handed out as free memory */
	for (unsigned int i = 0; i < bi->nr_mrd; i++) {
		const struct ukplat_memregion *m = &bi->mrd[i];
		unsigned long a = (unsigned long)bi->initrd, e = a + bi->initrd_len;

		if (m->type == UKPLAT_MEMR_FREE && m->base < e && a < m->base + m->len)
			printf("initrd overlaps free region %u\n", i);
	}
	return 0;
}
"""


def _app(tmp_path, name, main):
    d = tmp_path / name
    d.mkdir()
    (d / "uniforge.yaml").write_text(f"name: {name}\n")
    (d / "main.c").write_text(main)
    return d


@pytest.mark.parametrize("target", INITRD_TARGETS)
def test_initrd_bytes_reach_the_guest(target, tmp_path):
    data = bytes((i * 7 + (i >> 8)) & 0xff for i in range(70001))     # odd size, not page aligned
    rd = tmp_path / "initrd.bin"
    rd.write_bytes(data)
    app = _app(tmp_path, "rd", INITRD_MAIN)
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "120", "--initrd", rd, timeout=600)
    assert r.rc == 0, r.text
    assert f"initrd len={len(data)} crc={zlib.crc32(data):08x}" in r.out, r.text
    assert "overlaps" not in r.out, r.text


def test_no_initrd_means_none(tmp_path):
    app = _app(tmp_path, "rd", INITRD_MAIN)
    r = uniforge("run", app, "-t", "microvm/x86_64", "-q", "--timeout", "120", timeout=600)
    assert r.rc == 3 and "initrd none" in r.out, r.text


def test_initrd_that_does_not_exist_is_a_user_error(tmp_path):
    app = _app(tmp_path, "rd", INITRD_MAIN)
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-q", "--initrd", tmp_path / "nope", timeout=600)
    assert r.rc == 1 and "no such file" in r.err, r.text


@pytest.mark.parametrize("target,kargs", [(t, []) for t in ["linuxu/x86_64"] + VM_TARGETS] + [
    ("qemu/x86_64", ["--set", "CONFIG_KVM_IRQ_PIC=y"]),
    ("microvm/x86_64", ["--set", "CONFIG_KVM_IRQ_PIC=y"])])
def test_time_and_platform_tests_in_guest(target, kargs, tmp_path):
    """uktime's cases (clocks, timer events, idle) with the platform's own
    (timer interrupt through ukplat_irq_register, on every VM target; on
    x86 with the local APIC + IOAPIC, and with the PIC + PIT fallback)."""
    app = _app(tmp_path, "t", "int main(void) { return 0; }\n")
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "120", "--set", "CONFIG_LIBUKTEST=y",
                 "--set", "CONFIG_LIBUKTEST_ALL=y", "--set", "CONFIG_LIBUKTIME=y", *kargs, timeout=600)
    assert r.rc == 0, r.text
    ok = set(re.findall(r"^UK-TEST ok (\S+)", r.out, re.M))
    assert {"uktime.monotonic_and_after_boot", "uktime.conversion_uses_the_platform_frequency",
            "uktime.advances_with_the_platform_clock", "uktime.events_fire_in_deadline_order",
            "uktime.equal_and_past_deadlines", "uktime.cancel_works", "uktime.rearm_works",
            "uktime.halt_until_not_early", "uktime.sleep_is_tickless",
            "uktime.wall_clock_follows_the_monotonic_clock"} <= ok, r.text
    if target.startswith(("qemu/x86_64", "microvm")):
        assert {"kvm.timer_interrupt_runs_the_handler", "kvm.clock_agrees_with_the_timer",
                "kvm.irq_error_codes", "kvm.controller_matches_cpuid",
                "kvm.isa_interrupt_through_the_controller", "kvm.handler_acknowledges_itself",
                "kvm.timer_beyond_one_pit_count", "kvm.irqf_pairs_nest",
                "kvm.calibration_measures_around_a_stalled_vcpu",
                "kvm.calibration_outlasts_a_run_of_stalled_windows",
                "kvm.calibration_sees_two_lost_wraps_in_one_window"} <= ok, r.text
    elif target.endswith("arm64"):
        assert {"arm64.timer_interrupt", "arm64.irqf_pairs_nest"} <= ok, r.text
    assert "UK-TEST FAIL" not in r.out, r.text
