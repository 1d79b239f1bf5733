/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu platform: the unikernel as a plain Linux process. Fills the boot
 * info from the process's argv (kernel args before "--", app args after)
 * and an anonymous mmap for the heap, whose size comes from the UK_MEM_MB
 * environment variable (the runner sets it from `uniforge run -m`) or
 * CONFIG_LINUXU_DEFAULT_MEM_MB. Crash signals become uk_crash reports
 * (crash.c); the console and halt are in console.c.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <linuxu/syscall.h>

uint64_t ukplat_boot_cycles;
extern char __image_start[], _end[];
void linuxu_install_crash_handlers(uintptr_t stack_top);

static struct ukplat_bootinfo bi;

static unsigned long env_mem_mb(char **envp)
{
	static const char key[] = "UK_MEM_MB=";
	unsigned long v = 0;

	for (; *envp; envp++) {
		const char *e = *envp;
		unsigned int i;

		for (i = 0; key[i] && e[i] == key[i]; i++)
			;
		if (key[i])
			continue;
		for (e += i; *e >= '0' && *e <= '9'; e++)
			v = v * 10 + (unsigned long)(*e - '0');
		return v;
	}
	return 0;
}

void __noreturn linuxu_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	unsigned long mb = env_mem_mb(envp);
	long heap;

	if (!mb)
		mb = CONFIG_LINUXU_DEFAULT_MEM_MB;
	linuxu_install_crash_handlers((uintptr_t)sp);

	bi.bootloader = "linuxu";
	bi.argc = argc;
	bi.argv = argv;
	bi.mrd[0] = (struct ukplat_memregion){ (uintptr_t)__image_start,
		(size_t)(_end - __image_start), UKPLAT_MEMR_KERNEL };
	bi.nr_mrd = 1;
	/* PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE */
	heap = linuxu_syscall6(LINUXU_SYS_mmap, 0, (long)(mb << 20), 3, 0x22 | 0x4000, -1, 0);
	if (heap > 0 || heap < -4095) {
		bi.mrd[1] = (struct ukplat_memregion){ (uintptr_t)heap, mb << 20, UKPLAT_MEMR_FREE };
		bi.nr_mrd = 2;
	}
	ukplat_entry(&bi);
}
