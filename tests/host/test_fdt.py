"""Host tests for os/lib/ukfdt, the device tree reader the arm64 platform
boots with.

The parser is compiled with the host gcc under AddressSanitizer and
UndefinedBehaviorSanitizer (no recovery) into a small harness (below, as C
text) and run over real device trees:

* QEMU's own: `qemu-system-aarch64 -M virt,dumpdtb=...` in several machine
  variants (GICv3, EL2/EL3, SMP, big memory);
* hand-written trees compiled with dtc (raspi3b- and zcu102-like, odd cell
  sizes, memory reservations, NOP tokens, version-16 headers);

Every tree is dumped by the harness and compared with an independent Python
reader written from the Devicetree Specification, then fuzzed (truncations,
bit flips, header and token corruption): the parser may reject a blob but
must never read outside it, never hang, never hit undefined behaviour.

Needs: gcc with libasan/libubsan, dtc (Debian: device-tree-compiler),
qemu-system-aarch64 (Debian: qemu-system-arm) for the QEMU trees.
"""
from __future__ import annotations

import os
import struct
import subprocess
from pathlib import Path

import pytest

from guestcc import require

REPO = Path(__file__).resolve().parents[2]
FDT_DIR = REPO / "os" / "lib" / "ukfdt"

HARNESS_C = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/fdt.h>

static unsigned char *load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long len;

	if (!f) { perror(path); exit(2); }
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len ? len : 1);
	if (fread(buf, 1, len, f) != (size_t)len) { perror("read"); exit(2); }
	fclose(f);
	*n = len;
	return buf;
}

/* Canonical listing: one line per node and property (compared with the
 * Python reader in test_fdt.py). */
static int dump(const void *fdt)
{
	int node = ukfdt_root(fdt), depth = 0, prop, len, i, steps = 0;
	uint64_t a, s;
	const char *name;
	const unsigned char *v;

	for (i = 0; ukfdt_mem_rsv(fdt, i, &a, &s) == 0; i++)
		printf("R %llx %llx\n", (unsigned long long)a, (unsigned long long)s);
	while (node >= 0 && depth >= 0) {
		printf("N %d %s\n", depth, ukfdt_name(fdt, node, NULL));
		for (prop = ukfdt_first_prop(fdt, node); prop >= 0;
		     prop = ukfdt_next_prop(fdt, prop)) {
			v = ukfdt_prop(fdt, prop, &name, &len);
			if (!v) { printf("E prop %d\n", len); return 1; }
			printf("P %s %d ", name, len);
			for (i = 0; i < len; i++)
				printf("%02x", v[i]);
			printf("\n");
		}
		if (prop != -ENOENT) { printf("E props %d\n", prop); return 1; }
		node = ukfdt_next_node(fdt, node, &depth);
		if (++steps > 1000000) { printf("E loop\n"); return 1; }
	}
	if (node != -ENOENT) { printf("E nodes %d\n", node); return 1; }
	return 0;
}

/* The same listing through the one-pass iterator. */
static int iterdump(const void *fdt)
{
	struct ukfdt_iter it;
	const char *name;
	const void *val;
	int kind, len, i, steps = 0;
	uint64_t a, s;

	for (i = 0; ukfdt_mem_rsv(fdt, i, &a, &s) == 0; i++)
		printf("R %llx %llx\n", (unsigned long long)a, (unsigned long long)s);
	ukfdt_iter_init(fdt, &it);
	while ((kind = ukfdt_iter_next(&it, &name, &val, &len)) > 0) {
		if (kind == UKFDT_ITER_NODE) {
			printf("N %d %s\n", it.depth, name);
		} else if (kind == UKFDT_ITER_PROP) {
			printf("P %s %d ", name, len);
			for (i = 0; i < len; i++)
				printf("%02x", ((const unsigned char *)val)[i]);
			printf("\n");
		}
		if (++steps > 1000000) { printf("E loop\n"); return 1; }
	}
	if (kind < 0) { printf("E iter %d\n", kind); return 1; }
	return 0;
}

/* What ukfdt_boot_info reads. */
static int bootdump(const void *fdt)
{
	struct ukfdt_boot b;
	int rc = ukfdt_boot_info(fdt, &b), k;
	unsigned int i;

	for (i = 0; i < b.nr_mem; i++)
		printf("M %llx %llx\n", (unsigned long long)b.mem[i].base,
		       (unsigned long long)b.mem[i].size);
	for (i = 0; i < b.nr_rsv; i++)
		printf("R %llx %llx\n", (unsigned long long)b.rsv[i].base,
		       (unsigned long long)b.rsv[i].size);
	if (b.bootargs) {
		printf("B ");
		for (k = 0; k < b.bootargs_len; k++)
			printf("%02x", (unsigned char)b.bootargs[k]);
		printf("\n");
	}
	if (b.initrd_end)
		printf("I %llx %llx\n", (unsigned long long)b.initrd_start,
		       (unsigned long long)b.initrd_end);
	if (b.psci_method) {
		printf("P ");
		for (k = 0; k < b.psci_method_len; k++)
			printf("%02x", (unsigned char)b.psci_method[k]);
		printf("\n");
	}
	if (rc) { printf("E boot %d\n", rc); return 1; }
	return 0;
}

/* The parent of a path ("/a/b" -> "/a"). */
static int parent_of(const void *fdt, const char *path)
{
	char buf[512];
	char *slash;

	snprintf(buf, sizeof(buf), "%s", path);
	slash = strrchr(buf, '/');
	if (!slash) return -1;
	if (slash == buf) return ukfdt_root(fdt);
	*slash = 0;
	return ukfdt_path(fdt, buf);
}

/* Everything a boot loader user would do, on a possibly corrupt blob. */
static void exercise(const void *fdt)
{
	static const char *paths[] = { "/", "/chosen", "/memory", "/psci", "/cpus",
		"/cpus/cpu@0", "/reserved-memory", "/soc", "/timer", "/intc@8000000",
		"/pl011@9000000", "/a/b/c", "memory", "", "//chosen//", "/memory@0" };
	static const char *props[] = { "reg", "compatible", "bootargs", "#address-cells",
		"#size-cells", "method", "device_type", "interrupts", "status", "" };
	int node, prop, child, depth = 0, len, i, j, steps = 0;
	uint64_t a, s;
	const char *name;
	const void *v;
	volatile unsigned char sink = 0;

	for (i = 0; i < 64 && ukfdt_mem_rsv(fdt, i, &a, &s) == 0; i++)
		sink ^= (unsigned char)(a ^ s);
	for (i = 0; i < (int)(sizeof(paths) / sizeof(paths[0])); i++) {
		node = ukfdt_path(fdt, paths[i]);
		for (j = 0; j < (int)(sizeof(props) / sizeof(props[0])); j++) {
			v = ukfdt_getprop(fdt, node, props[j], &len);
			if (v) {
				const unsigned char *b = v;
				for (int k = 0; k < len; k++) sink ^= b[k];
			}
			sink ^= (unsigned char)ukfdt_getprop_u32(fdt, node, props[j], 7);
			sink ^= ukfdt_prop_has_string(fdt, node, props[j], "arm,psci-0.2");
			sink ^= ukfdt_prop_has_string(fdt, node, props[j], "");
		}
		for (j = 0; j < 4; j++)
			if (ukfdt_reg(fdt, node, 1 + (j & 1), (j >> 1) + 1, j, &a, &s) == 0)
				sink ^= (unsigned char)(a + s);
	}
	node = ukfdt_root(fdt);
	while (node >= 0 && depth >= 0 && steps++ < 100000) {
		int nlen;
		const char *nname = ukfdt_name(fdt, node, &nlen);

		if (nname)
			for (int k = 0; k < nlen; k++) sink ^= (unsigned char)nname[k];
		for (prop = ukfdt_first_prop(fdt, node); prop >= 0 && steps++ < 100000;
		     prop = ukfdt_next_prop(fdt, prop)) {
			v = ukfdt_prop(fdt, prop, &name, &len);
			if (v) {
				const unsigned char *b = v;
				for (int k = 0; k < len; k++) sink ^= b[k];
				for (int k = 0; name[k]; k++) sink ^= (unsigned char)name[k];
			}
		}
		for (child = ukfdt_first_child(fdt, node); child >= 0 && steps++ < 100000;
		     child = ukfdt_next_sibling(fdt, child)) {
			uint32_t ac = ukfdt_address_cells(fdt, node), sc = ukfdt_size_cells(fdt, node);
			for (j = 0; j < 8 && ukfdt_reg(fdt, child, ac, sc, j, &a, &s) == 0; j++)
				sink ^= (unsigned char)(a ^ s);
			int clen;
			const char *cname = ukfdt_name(fdt, child, &clen);
			if (cname && clen >= 0)
				sink ^= (unsigned char)ukfdt_subnode(fdt, node, cname, (size_t)clen);
		}
		node = ukfdt_next_node(fdt, node, &depth);
	}
	/* the one-pass iterator */
	{
		struct ukfdt_iter it;
		const char *iname;
		const void *ival;
		int kind, ilen;

		ukfdt_iter_init(fdt, &it);
		while ((kind = ukfdt_iter_next(&it, &iname, &ival, &ilen)) > 0 && steps++ < 200000) {
			for (int k = 0; iname[k]; k++) sink ^= (unsigned char)iname[k];
			if (kind == UKFDT_ITER_PROP)
				for (int k = 0; k < ilen; k++) sink ^= ((const unsigned char *)ival)[k];
		}
	}
	/* what a kernel reads to boot */
	{
		struct ukfdt_boot b;
		unsigned int n;

		ukfdt_boot_info(fdt, &b);
		for (n = 0; n < b.nr_mem && n < UKFDT_BOOT_MAX; n++)
			sink ^= (unsigned char)(b.mem[n].base ^ b.mem[n].size);
		for (n = 0; n < b.nr_rsv && n < UKFDT_BOOT_MAX; n++)
			sink ^= (unsigned char)(b.rsv[n].base ^ b.rsv[n].size);
		for (int k = 0; b.bootargs && k < b.bootargs_len; k++)
			sink ^= (unsigned char)b.bootargs[k];
		for (int k = 0; b.psci_method && k < b.psci_method_len; k++)
			sink ^= (unsigned char)b.psci_method[k];
	}
	/* garbage offsets */
	for (i = -8; i < 64; i += 3) {
		sink ^= (unsigned char)ukfdt_first_child(fdt, i);
		sink ^= (unsigned char)ukfdt_next_prop(fdt, i);
		v = ukfdt_prop(fdt, i, &name, &len);
		sink ^= (unsigned char)(v != NULL);
		sink ^= (unsigned char)(ukfdt_name(fdt, i, NULL) != NULL);
	}
	(void)sink;
}

static unsigned long long rng_state;
static unsigned rnd(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng_state >> 33);
}

static void put32(unsigned char *p, unsigned v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static int fuzz(const unsigned char *orig, size_t n, unsigned seed, int iters)
{
	static const unsigned interesting[] = { 0, 1, 2, 3, 4, 9, 0x7fffffff, 0x80000000,
		0xffffffff, 0xfffffffc, 0xfffffff0, 16, 17, 40, 0xd00dfeed };
	int i, k, ok = 0;

	rng_state = seed;
	for (i = 0; i < iters; i++) {
		size_t len = n;
		unsigned char *b;
		unsigned kind = rnd() % 6, nmut = 1 + rnd() % 4;

		if (kind == 0 && n > 0)
			len = rnd() % n;                        /* truncation */
		b = malloc(len ? len : 1);                  /* exact size: ASan catches overreads */
		memcpy(b, orig, len);
		for (k = 0; k < (int)nmut && len >= 40; k++) {
			switch (kind) {
			case 1:                                 /* bit flips anywhere */
				b[rnd() % len] ^= 1u << (rnd() % 8);
				break;
			case 2:                                 /* header fields */
				put32(b + 4 * (1 + rnd() % 9), rnd() & 1 ? interesting[rnd() % 15]
				      : (unsigned)(len + (rnd() % 64) - 32));
				break;
			case 3: {                               /* a 4-byte word in the blob */
				size_t at = (rnd() % (len / 4)) * 4;
				put32(b + at, rnd() & 1 ? interesting[rnd() % 15] : rnd());
				break;
			}
			case 4: {                               /* copy a chunk over another */
				size_t from = rnd() % len, to = rnd() % len, m = rnd() % 64;
				if (from + m > len) m = len - from;
				if (to + m > len) m = len - to;
				memmove(b + to, b + from, m);
				break;
			}
			case 5:                                 /* random bytes */
				b[rnd() % len] = (unsigned char)rnd();
				break;
			}
		}
		if (ukfdt_check(b, len) == 0) {
			ok++;
			exercise(b);
		}
		free(b);
	}
	printf("fuzz iterations=%d accepted=%d\n", iters, ok);
	return 0;
}

int main(int argc, char **argv)
{
	size_t n;
	unsigned char *buf;
	int rc, node;

	if (argc < 3) { fprintf(stderr, "usage: harness dump|fuzz|path|reg|strings FILE ...\n"); return 2; }
	buf = load(argv[2], &n);
	if (!strcmp(argv[1], "fuzz"))
		return fuzz(buf, n, (unsigned)atoi(argv[3]), atoi(argv[4]));
	if (!strcmp(argv[1], "misaligned")) {      /* the same blob at fdt + 1 */
		unsigned char *m = malloc(n + 1);
		memcpy(m + 1, buf, n);
		printf("check %d\n", ukfdt_check(m + 1, n));
		free(m);
		return 0;
	}
	rc = ukfdt_check(buf, n);
	if (rc) { printf("check %d\n", rc); return 0; }
	if (!strcmp(argv[1], "dump"))
		return dump(buf);
	if (!strcmp(argv[1], "iterdump"))
		return iterdump(buf);
	if (!strcmp(argv[1], "bootdump"))
		return bootdump(buf);
	node = ukfdt_path(buf, argv[3]);
	if (!strcmp(argv[1], "path")) {
		if (node < 0) printf("err %d\n", node);
		else printf("found %s\n", ukfdt_name(buf, node, NULL));
	} else if (!strcmp(argv[1], "reg")) {
		int parent = parent_of(buf, argv[3]);
		uint32_t ac = ukfdt_address_cells(buf, parent), sc = ukfdt_size_cells(buf, parent);
		uint64_t a, s;
		for (int i = 0; ukfdt_reg(buf, node, ac, sc, i, &a, &s) == 0; i++)
			printf("%llx %llx\n", (unsigned long long)a, (unsigned long long)s);
	} else if (!strcmp(argv[1], "strings")) {
		printf("%s\n", ukfdt_prop_has_string(buf, node, argv[4], argv[5]) ? "yes" : "no");
	}
	return 0;
}
"""


def _need(prog: str, package: str) -> str:
    return require(prog, package)


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> Path:
    _need("gcc", "gcc")
    d = tmp_path_factory.mktemp("fdt")
    (d / "harness.c").write_text(HARNESS_C)
    exe = d / "harness"
    cmd = ["gcc", "-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Wno-unused-parameter",
           "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer",
           "-I", str(FDT_DIR / "include"), "-I", str(REPO / "os" / "include"),
           str(d / "harness.c"), str(FDT_DIR / "fdt.c"), "-o", str(exe)]
    subprocess.run(cmd, check=True)
    return exe


def run(harness: Path, *args) -> str:
    env = {**os.environ, "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0",
           "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1"}
    p = subprocess.run([str(harness), *map(str, args)], capture_output=True, text=True,
                       timeout=300, env=env)
    assert p.returncode == 0 and "ERROR" not in p.stderr and "runtime error" not in p.stderr, \
        f"harness {args} failed rc={p.returncode}\n{p.stdout[-2000:]}\n{p.stderr[-4000:]}"
    return p.stdout


# --- an independent reader, from the spec, to check the C one against -------

def py_dump(blob: bytes) -> str:
    (magic, total, off_struct, off_strings, off_rsv, version, _last, _cpu,
     size_strings) = struct.unpack_from(">9I", blob, 0)
    assert magic == 0xD00DFEED
    size_struct = struct.unpack_from(">I", blob, 36)[0] if version >= 17 else total - off_struct
    out = []
    off = off_rsv
    while True:
        a, s = struct.unpack_from(">QQ", blob, off)
        if a == 0 and s == 0:
            break
        out.append(f"R {a:x} {s:x}")
        off += 16
    strings = blob[off_strings:off_strings + size_strings]
    sblk = blob[off_struct:off_struct + size_struct]
    off, depth = 0, -1
    while True:
        tok = struct.unpack_from(">I", sblk, off)[0]
        off += 4
        if tok == 1:
            end = sblk.index(b"\0", off)
            name = sblk[off:end].decode()
            off = (end + 1 + 3) & ~3
            depth += 1
            out.append(f"N {depth} {name}")
        elif tok == 2:
            depth -= 1
        elif tok == 3:
            ln, nameoff = struct.unpack_from(">II", sblk, off)
            val = sblk[off + 8:off + 8 + ln]
            name = strings[nameoff:strings.index(b"\0", nameoff)].decode()
            out.append(f"P {name} {ln} {val.hex()}")
            off = (off + 8 + ln + 3) & ~3
        elif tok == 4:
            pass
        elif tok == 9:
            break
        else:
            raise AssertionError(f"bad token {tok}")
    return "\n".join(out) + "\n"


def py_boot(blob: bytes) -> str:
    """What ukfdt_boot_info reads, from the spec: "reg" of top-level nodes
    with device_type "memory" (first string) and status absent/"okay"/"ok",
    in the root's cells; "reg" of /reserved-memory's enabled children in
    its cells (1 or 2 cells only); then the memory reservation block;
    /chosen bootargs and /psci method (the last such node wins)."""
    (magic, total, off_struct, off_strings, off_rsv, version, _last, _cpu,
     size_strings) = struct.unpack_from(">9I", blob, 0)
    size_struct = struct.unpack_from(">I", blob, 36)[0] if version >= 17 else total - off_struct
    strings = blob[off_strings:off_strings + size_strings]
    sblk = blob[off_struct:off_struct + size_struct]
    mem, rsv, boot, psci, initrd = [], [], None, None, None
    stack, off = [], 0

    def cells(props, name, dflt):
        v = props.get(name)
        return struct.unpack(">I", v)[0] if v is not None and len(v) == 4 else dflt

    def regs(props, parent, out):
        ac, sc = cells(parent, "#address-cells", 2), cells(parent, "#size-cells", 1)
        reg = props.get("reg")
        if reg is None or ac not in (1, 2) or sc not in (1, 2):
            return
        esz = 4 * (ac + sc)
        for i in range(0, len(reg) - esz + 1, esz):
            a = int.from_bytes(reg[i:i + 4 * ac], "big")
            s = int.from_bytes(reg[i + 4 * ac:i + esz], "big")
            if len(out) < 16:
                out.append((a, s))

    def enabled(props):
        st = props.get("status")
        return st is None or st.split(b"\0")[0] in (b"okay", b"ok") and b"\0" in st

    while True:
        tok = struct.unpack_from(">I", sblk, off)[0]
        off += 4
        if tok == 1:
            end = sblk.index(b"\0", off)
            stack.append((sblk[off:end].decode().split("@")[0], {}))
            off = (end + 1 + 3) & ~3
        elif tok == 2:
            name, props = stack.pop()
            if len(stack) == 1:
                if name == "chosen" and "bootargs" in props:
                    boot = props["bootargs"]
                rd = [props.get(k) for k in ("linux,initrd-start", "linux,initrd-end")]
                if name == "chosen" and all(v is not None and len(v) in (4, 8) for v in rd):
                    start, end = (int.from_bytes(v, "big") for v in rd)
                    if start <= end:
                        initrd = (start, end)
                if name == "psci" and "method" in props:
                    psci = props["method"]
                dt = props.get("device_type", b"")
                if enabled(props) and b"\0" in dt and dt.split(b"\0")[0] == b"memory":
                    regs(props, stack[0][1], mem)
            elif len(stack) == 2 and stack[1][0] == "reserved-memory" and enabled(props):
                regs(props, stack[1][1], rsv)
        elif tok == 3:
            ln, nameoff = struct.unpack_from(">II", sblk, off)
            name = strings[nameoff:strings.index(b"\0", nameoff)].decode()
            if len(stack) <= 3:
                stack[-1][1][name] = sblk[off + 8:off + 8 + ln]
            off = (off + 8 + ln + 3) & ~3
        elif tok == 9:
            break
    off = off_rsv
    while len(rsv) < 16:
        a, s = struct.unpack_from(">QQ", blob, off)
        if a == 0 and s == 0:
            break
        rsv.append((a, s))
        off += 16
    out = [f"M {a:x} {s:x}" for a, s in mem] + [f"R {a:x} {s:x}" for a, s in rsv]
    if boot is not None:
        out.append("B " + boot.hex())
    if initrd is not None and initrd[1]:
        out.append(f"I {initrd[0]:x} {initrd[1]:x}")
    if psci is not None:
        out.append("P " + psci.hex())
    return "".join(l + "\n" for l in out)


# --- corpus ------------------------------------------------------------------

QEMU_VARIANTS = {
    "virt": ["-M", "virt", "-cpu", "cortex-a53", "-m", "64"],
    "virt-gicv3-smp4": ["-M", "virt,gic-version=3", "-cpu", "cortex-a53", "-smp", "4", "-m", "256"],
    "virt-el2": ["-M", "virt,virtualization=on", "-cpu", "cortex-a53", "-m", "128"],
    "virt-el3": ["-M", "virt,secure=on", "-cpu", "cortex-a53", "-m", "64"],
    "virt-bigmem": ["-M", "virt", "-cpu", "cortex-a57", "-m", "5G"],
    "virt-initrd": ["-M", "virt", "-cpu", "cortex-a53", "-m", "64", "-initrd", "INITRD"],
}

RASPI_LIKE = r"""
/dts-v1/;
/memreserve/ 0x0 0x1000;
/ {
	compatible = "raspberrypi,3-model-b", "brcm,bcm2837";
	model = "Raspberry Pi 3 Model B";
	#address-cells = <1>;
	#size-cells = <1>;
	chosen { bootargs = "console=ttyAMA0 -- a b"; stdout-path = "serial0:115200n8";
		 linux,initrd-start = <0x2000000>; linux,initrd-end = <0x2000123>; };
	aliases { serial0 = "/soc/serial@7e201000"; };
	memory@0 { device_type = "memory"; reg = <0x0 0x3c000000>; };
	reserved-memory {
		#address-cells = <1>; #size-cells = <1>; ranges;
		fw@3b400000 { reg = <0x3b400000 0x400000>; no-map; };
	};
	cpus {
		#address-cells = <1>; #size-cells = <0>;
		cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0>;
			enable-method = "spin-table"; cpu-release-addr = <0x0 0xd8>; };
		cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <1>; };
	};
	soc {
		compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>;
		ranges = <0x7e000000 0x3f000000 0x1000000>, <0x40000000 0x40000000 0x1000>;
		serial@7e201000 { compatible = "arm,pl011", "arm,primecell"; reg = <0x7e201000 0x200>; };
		local_intc@40000000 { compatible = "brcm,bcm2836-l1-intc"; reg = <0x40000000 0x100>; };
	};
	timer { compatible = "arm,armv7-timer"; interrupts = <0 4>, <1 4>, <3 4>, <2 4>; always-on; };
	empty-node { };
	props { empty; str = ""; bytes = [00 01 02]; cells64 = /bits/ 64 <0x123456789abcdef0>; };
};
"""

ZYNQMP_LIKE = r"""
/dts-v1/;
/memreserve/ 0x7ff00000 0x100000;
/memreserve/ 0x800000000 0x1000;
/ {
	compatible = "xlnx,zynqmp-zcu102", "xlnx,zynqmp";
	#address-cells = <2>;
	#size-cells = <2>;
	chosen { bootargs = ""; };
	memory@0 { device_type = "memory"; reg = <0x0 0x0 0x0 0x80000000>, <0x8 0x0 0x0 0x80000000>; };
	psci { compatible = "arm,psci-0.2"; method = "smc"; };
	amba {
		compatible = "simple-bus"; #address-cells = <2>; #size-cells = <2>; ranges;
		serial@ff000000 { compatible = "cdns,uart-r1p12", "xlnx,xuartps"; reg = <0x0 0xff000000 0x0 0x1000>; };
		interrupt-controller@f9010000 { compatible = "arm,gic-400"; #interrupt-cells = <3>;
			reg = <0x0 0xf9010000 0x0 0x10000>, <0x0 0xf9020000 0x0 0x20000>; interrupt-controller; };
	};
	a { b { c { d { e { f { deep = <1>; }; }; }; }; }; };
	cells-odd { #address-cells = <3>; #size-cells = <0>; x@1 { reg = <1 2 3>; }; };
};
"""


def _dtc(tmp: Path, name: str, source: str, *extra) -> Path:
    _need("dtc", "device-tree-compiler")
    src = tmp / f"{name}.dts"
    src.write_text(source)
    out = tmp / f"{name}.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", *extra, "-o", str(out), str(src)], check=True)
    return out


def _compact(blob: bytes) -> bytes:
    """The same tree without the free space after its blocks (QEMU pads its
    trees to 1 MiB; fuzzing the padding would be wasted effort)."""
    (_m, total, off_struct, off_strings, off_rsv, version, _l, _c,
     size_strings, size_struct) = struct.unpack_from(">10I", blob, 0)
    end = max(off_struct + size_struct, off_strings + size_strings)
    return blob[:4] + struct.pack(">I", end) + blob[8:end]


def _with_nops(blob: bytes) -> bytes:
    """Insert FDT_NOP tokens after every BEGIN_NODE/END_NODE (a valid tree)."""
    (magic, total, off_struct, off_strings, off_rsv, version, last, cpu,
     size_strings, size_struct) = struct.unpack_from(">10I", blob, 0)
    sblk = blob[off_struct:off_struct + size_struct]
    out, off = bytearray(), 0
    while off < len(sblk):
        tok = struct.unpack_from(">I", sblk, off)[0]
        start = off
        off += 4
        if tok == 1:
            off = (sblk.index(b"\0", off) + 1 + 3) & ~3
        elif tok == 3:
            ln = struct.unpack_from(">I", sblk, off)[0]
            off = (off + 8 + ln + 3) & ~3
        out += sblk[start:off]
        if tok in (1, 2):
            out += struct.pack(">I", 4)
        if tok == 9:
            break
    rsv = blob[off_rsv:off_struct]
    strings = blob[off_strings:off_strings + size_strings]
    hdr_len = 40
    new_rsv = hdr_len
    new_struct = new_rsv + len(rsv)
    new_strings = new_struct + len(out)
    total = new_strings + len(strings)
    hdr = struct.pack(">10I", magic, total, new_struct, new_strings, new_rsv, version, last, cpu,
                      len(strings), len(out))
    return hdr + rsv + bytes(out) + strings


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("dtbs")
    found: dict[str, Path] = {}
    qemu = _need("qemu-system-aarch64", "qemu-system-arm")
    if qemu:
        initrd = tmp / "initrd.bin"
        initrd.write_bytes(bytes(range(256)) * 3)
        for name, args in QEMU_VARIANTS.items():
            args = [str(initrd) if a == "INITRD" else a for a in args]
            out = tmp / f"{name}.dtb"
            machine = args[1]
            cmd = [qemu, *args[:1], machine + f",dumpdtb={out}", *args[2:], "-display", "none",
                   "-nodefaults", "-kernel", "/dev/null", "-append", "console=ttyAMA0 -- x y"]
            subprocess.run(cmd, capture_output=True, timeout=60)
            if out.is_file():
                found[name] = out
    if _need("dtc", "device-tree-compiler"):
        found["raspi-like"] = _dtc(tmp, "raspi-like", RASPI_LIKE)
        found["zynqmp-like"] = _dtc(tmp, "zynqmp-like", ZYNQMP_LIKE)
        found["v16"] = _dtc(tmp, "v16", RASPI_LIKE, "-V", "16")
        found["padded"] = _dtc(tmp, "padded", ZYNQMP_LIKE, "-p", "4096")
        nops = tmp / "nops.dtb"
        nops.write_bytes(_with_nops(found["raspi-like"].read_bytes()))
        found["nops"] = nops
    for shipped in sorted(Path("/usr/share/qemu").glob("*.dtb")):
        found["qemu-share-" + shipped.stem] = shipped
    return found


def test_dump_matches_reference_reader(harness, corpus):
    for name, path in corpus.items():
        blob = path.read_bytes()
        assert run(harness, "dump", path) == py_dump(blob), name
        assert run(harness, "iterdump", path) == py_dump(blob), name


def test_boot_info_matches_reference(harness, corpus):
    for name, path in corpus.items():
        assert run(harness, "bootdump", path) == py_boot(path.read_bytes()), name
    # what the arm64 boot reads from QEMU's tree and the hand-written ones
    virt = run(harness, "bootdump", corpus["virt"])
    assert virt.startswith("M 40000000 4000000\n")
    assert "B " + b"console=ttyAMA0 -- x y\0".hex() + "\n" in virt
    assert "P " + b"hvc\0".hex() + "\n" in virt
    if "virt-bigmem" in corpus:
        assert run(harness, "bootdump", corpus["virt-bigmem"]).startswith("M 40000000 140000000\n")
    assert run(harness, "bootdump", corpus["raspi-like"]).startswith(
        "M 0 3c000000\nR 3b400000 400000\nR 0 1000\n")
    z = run(harness, "bootdump", corpus["zynqmp-like"])
    assert z.startswith("M 0 80000000\nM 800000000 80000000\nR 7ff00000 100000\nR 800000000 1000\n")
    assert "P " + b"smc\0".hex() + "\n" in z and "B 00\n" in z
    # /chosen linux,initrd-start/end: QEMU's (64-bit cells) and 32-bit ones
    assert "I 2000000 2000123\n" in run(harness, "bootdump", corpus["raspi-like"])
    rd = [line.split() for line in run(harness, "bootdump", corpus["virt-initrd"]).splitlines()
          if line.startswith("I ")]
    assert len(rd) == 1 and int(rd[0][2], 16) - int(rd[0][1], 16) == 768, rd


def test_qemu_virt_tree(harness, corpus):
    dtb = corpus["virt"]
    assert run(harness, "path", dtb, "/chosen") == "found chosen\n"
    assert run(harness, "path", dtb, "/memory") == "found memory@40000000\n"
    assert run(harness, "path", dtb, "/memory@40000000") == "found memory@40000000\n"
    assert run(harness, "path", dtb, "/memory@4") == "err -2\n"
    assert run(harness, "path", dtb, "/nonexistent/x") == "err -2\n"
    assert run(harness, "reg", dtb, "/memory") == "40000000 4000000\n"
    assert run(harness, "reg", dtb, "/pl011@9000000") == "9000000 1000\n"
    assert run(harness, "strings", dtb, "/psci", "compatible", "arm,psci-0.2") == "yes\n"
    assert run(harness, "strings", dtb, "/psci", "compatible", "arm,psci-0") == "no\n"
    assert run(harness, "strings", dtb, "/psci", "method", "hvc") == "yes\n"
    dump = run(harness, "dump", dtb)
    assert "P bootargs 23 " + b"console=ttyAMA0 -- x y\0".hex() in dump
    if "virt-bigmem" in corpus:
        assert run(harness, "reg", corpus["virt-bigmem"], "/memory") == "40000000 140000000\n"
    if "virt-el2" in corpus:
        assert run(harness, "strings", corpus["virt-el2"], "/psci", "method", "smc") == "yes\n"


def test_cells_reservations_and_lookup(harness, corpus):
    r, z = corpus["raspi-like"], corpus["zynqmp-like"]
    assert run(harness, "reg", r, "/memory") == "0 3c000000\n"
    assert run(harness, "reg", r, "/reserved-memory/fw@3b400000") == "3b400000 400000\n"
    assert run(harness, "reg", r, "/soc/serial@7e201000") == "7e201000 200\n"
    assert run(harness, "reg", r, "/cpus/cpu@1") == "1 0\n"        # #size-cells = 0: no size
    assert run(harness, "reg", z, "/memory@0") == "0 80000000\n800000000 80000000\n"
    assert run(harness, "reg", z, "/amba/interrupt-controller@f9010000") == \
        "f9010000 10000\nf9020000 20000\n"
    assert run(harness, "reg", z, "/cells-odd/x@1") == ""        # 3 address cells: refused
    assert run(harness, "path", z, "/a/b/c/d/e/f") == "found f\n"
    assert run(harness, "path", z, "//a//b/") == "found b\n"
    assert run(harness, "path", z, "a") == "err -2\n"
    dz = run(harness, "dump", z)
    assert dz.startswith("R 7ff00000 100000\nR 800000000 1000\n")
    assert "P bootargs 1 00\n" in dz
    dr = run(harness, "dump", r)
    assert "P empty 0 \n" in dr and "P cells64 8 123456789abcdef0\n" in dr
    for name in ("v16", "nops"):
        assert run(harness, "dump", corpus[name]) == py_dump(corpus[name].read_bytes())
    assert run(harness, "path", corpus["nops"], "/soc/local_intc") == "found local_intc@40000000\n"


def test_rejects_bad_headers(harness, tmp_path):
    good = None
    cases = {
        "empty": b"",
        "short": b"\xd0\x0d\xfe\xed",
        "magic": b"\0" * 64,
    }
    if _need("dtc", "device-tree-compiler"):
        good = _dtc(tmp_path, "g", ZYNQMP_LIKE).read_bytes()
        cases["truncated"] = good[:-1]
        cases["version15"] = good[:20] + struct.pack(">I", 15) + good[24:]
        cases["struct-oob"] = good[:8] + struct.pack(">I", len(good)) + good[12:]
    ERANGE, EINVAL, ENOTSUP, EBADMSG, EFAULT = 34, 22, 95, 74, 14   # Linux's numbers
    expect = {"empty": -ERANGE, "short": -ERANGE, "magic": -EINVAL, "truncated": -ERANGE,
              "version15": -ENOTSUP, "struct-oob": -EBADMSG}
    for name, blob in cases.items():
        f = tmp_path / f"{name}.dtb"
        f.write_bytes(blob)
        assert run(harness, "dump", f) == f"check {expect[name]}\n", name
    if good:
        assert run(harness, "misaligned", tmp_path / "g.dtb") == f"check {-EFAULT}\n"


FUZZ_SKIP = ("virt-el2", "virt-el3", "virt-bigmem", "virt-initrd", "v16")   # near-copies of others
@pytest.mark.parametrize("seed", [1, 2])
def test_fuzz_never_reads_out_of_bounds(harness, corpus, seed, tmp_path):
    """Mutated copies of every tree; UKFDT_FUZZ_ITERS=100000 for a long run."""
    iters = int(os.environ.get("UKFDT_FUZZ_ITERS", "1500"))
    for name, path in corpus.items():
        if name in FUZZ_SKIP:
            continue
        blob = path.read_bytes()
        if len(blob) > 64 * 1024:
            path = tmp_path / f"{name}.compact.dtb"
            path.write_bytes(_compact(blob))
            assert run(harness, "dump", path) == py_dump(blob), name
        out = run(harness, "fuzz", path, seed * 7919 + len(name), iters)
        assert f"fuzz iterations={iters}" in out, name
