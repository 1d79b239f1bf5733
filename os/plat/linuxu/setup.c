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
#if defined(CONFIG_STACK_PROTECTOR)
#include <uk/stackprot.h>
#endif

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

#if defined(CONFIG_STACK_PROTECTOR)
#define AT_RANDOM 25

/*
 * The stack protector's canary from the 16 random bytes the kernel puts
 * in every process (auxiliary vector entry AT_RANDOM): no system call, no
 * CPUID (a VM exit when this host is itself a virtual machine). Called by
 * entry.S before any protected function; sp as linuxu_start() gets it.
 */
__attribute__((no_stack_protector)) void linuxu_stack_chk_init(long *sp)
{
	long *p = sp + 1 + sp[0] + 1;           /* past argc, argv[], NULL */

	while (*p++)                            /* past envp[], NULL */
		;
	for (; p[0]; p += 2)                    /* auxv: type, value */
		if (p[0] == AT_RANDOM) {
			uk_stack_chk_set(*(const uint64_t *)p[1], "at_random");
			return;
		}
	uk_stack_chk_init((uintptr_t)sp);       /* no AT_RANDOM: the generic way */
}
#endif

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
