/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for ukelfload's parser (os/lib/ukelfload/elfparse.c, compiled
 * as it is). Without -DFUZZ: `harness FILE [x86_64|aarch64]` parses the
 * file and prints one line, "OK type=.. loads=.. lo=.. hi=.. entry=..
 * phdr=.. interp=PATH tls=.. stack=.. relro=.." or "ENOEXEC ph=N why"
 * (exit status 0 or 8), for tests/host/test_elfload_parse.py. With -DFUZZ:
 * the libFuzzer entry point, which parses each input for both machines
 * and checks that what a success reports really holds (check_info).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/elfparse.h>

static void must(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "invariant broken: %s\n", what);
		abort();
	}
}

/* What a successful parse promises the loader. */
static void check_info(const struct uk_elf_info *in, size_t len)
{
	unsigned int i;

	must(in->nloads >= 1 && in->nloads <= UK_ELF_MAX_LOADS, "nloads");
	for (i = 0; i < in->nloads; i++) {
		const struct uk_elf_load *l = &in->load[i];

		must(l->filesz <= l->memsz, "filesz <= memsz");
		must(l->offset <= len && l->filesz <= len - l->offset, "segment in file");
		must(l->vaddr < UK_ELF_ADDR_LIMIT && l->memsz <= UK_ELF_ADDR_LIMIT - l->vaddr,
		     "segment below 2^47");
		must(l->vaddr % UK_ELF_PAGE == l->offset % UK_ELF_PAGE, "page congruence");
		must(i == 0 || l->vaddr >= in->load[i - 1].vaddr + in->load[i - 1].memsz,
		     "ascending");
		must(l->vaddr >= in->lo && l->vaddr + l->memsz <= in->hi, "inside the span");
	}
	must(in->lo % UK_ELF_PAGE == 0 && in->hi % UK_ELF_PAGE == 0, "span aligned");
	must(in->hi > in->lo && in->hi - in->lo <= UK_ELF_SPAN_MAX, "span size");
	must(in->entry >= in->lo && in->entry < in->hi, "entry in span");
	if (in->interp_len) {
		must(in->interp_off <= len && in->interp_len <= len - in->interp_off, "interp in file");
	}
	must(in->phdr_vaddr >= in->lo && in->phdr_vaddr < in->hi, "phdr in span");
}

#ifdef FUZZ
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	static const uint16_t machines[] = { UK_EM_X86_64, UK_EM_AARCH64 };
	struct uk_elf_info info;
	const char *why;
	unsigned int m;

	for (m = 0; m < 2; m++) {
		why = NULL;
		memset(&info, 0xa5, sizeof(info));
		if (uk_elf_parse(data, len, machines[m], &info, &why) == 0) {
			check_info(&info, len);
			if (info.interp_len)
				must(data[info.interp_off + info.interp_len - 1] == 0 &&
				     data[info.interp_off] == '/', "interp string");
		} else {
			must(why && *why, "a reason");
			must(info.bad_phdr >= -1 && info.bad_phdr < (int)UK_ELF_MAX_PHDRS, "bad_phdr");
		}
	}
	return 0;
}
#else
int main(int argc, char **argv)
{
	struct uk_elf_info info;
	const char *why = NULL;
	unsigned char *buf;
	FILE *f;
	long n;
	int rc;

	if (argc < 2)
		return 2;
	f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		return 2;
	fclose(f);
	rc = uk_elf_parse(buf, (size_t)n,
			  argc > 2 && !strcmp(argv[2], "aarch64") ? UK_EM_AARCH64 : UK_EM_X86_64,
			  &info, &why);
	if (rc) {
		printf("ENOEXEC ph=%d %s\n", info.bad_phdr, why);
		free(buf);
		return 8;
	}
	check_info(&info, (size_t)n);
	printf("OK type=%u loads=%u lo=%#llx hi=%#llx entry=%#llx phdr=%#llx interp=%s "
	       "tls=%d stack=%s relro=%#llx+%#llx dynamic=%#llx\n",
	       info.type, info.nloads, (unsigned long long)info.lo, (unsigned long long)info.hi,
	       (unsigned long long)info.entry, (unsigned long long)info.phdr_vaddr,
	       info.interp_len ? (const char *)buf + info.interp_off : "-", info.has_tls,
	       info.exec_stack ? "rwx" : "rw", (unsigned long long)info.relro_vaddr,
	       (unsigned long long)info.relro_memsz, (unsigned long long)info.dynamic_vaddr);
	free(buf);
	return 0;
}
#endif
