/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu platform: the unikernel as a plain Linux process. Fills the boot
 * info from the process's argv (kernel args before "--", app args after)
 * and an anonymous mmap for the heap, whose size comes from the UK_MEM_MB
 * environment variable (the runner sets it from `uniforge run -m`) or
 * CONFIG_LINUXU_DEFAULT_MEM_MB. The initrd is the file UK_INITRD names
 * (`uniforge run --initrd`), mapped read-only. Crash signals become uk_crash reports
 * (crash.c); the console and halt are in console.c.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/string.h>
#include <uk/assert.h>
#include <linuxu/syscall.h>
#if defined(CONFIG_STACK_PROTECTOR)
#include <uk/stackprot.h>
#endif

uint64_t ukplat_boot_cycles;
extern char __image_start[], _end[];
void linuxu_install_crash_handlers(uintptr_t stack_top);

static struct ukplat_bootinfo bi;

const struct ukplat_bootinfo *ukplat_bootinfo_get(void)
{
	return &bi;
}

/* The value of environment variable key ("NAME="), or NULL. */
static const char *env(char **envp, const char *key)
{
	size_t n = uk_strlen(key);

	for (; *envp; envp++)
		if (!uk_strncmp(*envp, key, n))
			return *envp + n;
	return NULL;
}

static unsigned long env_mem_mb(char **envp)
{
	const char *e = env(envp, "UK_MEM_MB=");
	unsigned long v = 0;

	for (; e && *e >= '0' && *e <= '9'; e++)
		v = v * 10 + (unsigned long)(*e - '0');
	return v;
}

/* The file at path, mapped read-only into bi.initrd; a file that cannot
 * be read is a crash report (the user asked for it). */
static void map_initrd(const char *path)
{
	struct { unsigned long dev, ino, nlink; unsigned int mode, uid, gid, pad;
		 unsigned long rdev; long size, blksize, blocks, times[6], rsv[3]; } st;
	long fd, m;

	fd = linuxu_syscall2(LINUXU_SYS_open, (long)path, 0 /* O_RDONLY */);
	if (fd < 0 || linuxu_syscall2(LINUXU_SYS_fstat, fd, (long)&st) < 0)
		uk_crash("linuxu: cannot open the initrd (UK_INITRD)", NULL);
	if (st.size > 0) {
		/* PROT_READ, MAP_PRIVATE */
		m = linuxu_syscall6(LINUXU_SYS_mmap, 0, st.size, 1, 0x02, fd, 0);
		if (m < 0 && m >= -4095)
			uk_crash("linuxu: cannot map the initrd (UK_INITRD)", NULL);
		bi.initrd = (const void *)m;
		bi.initrd_len = (size_t)st.size;
	}
	linuxu_syscall1(LINUXU_SYS_close, fd);
}

#define AT_RANDOM 25

/* The host kernel's 16 AT_RANDOM bytes (on the process's initial stack,
 * which lives as long as the process), or NULL. */
static const void *at_random(char **envp)
{
	long *p = (long *)envp;

	while (*p++)                            /* past envp[], NULL */
		;
	for (; p[0]; p += 2)                    /* auxv: type, value */
		if (p[0] == AT_RANDOM)
			return (const void *)p[1];
	return NULL;
}

#if defined(CONFIG_STACK_PROTECTOR)

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
	if (env(envp, "UK_INITRD="))
		map_initrd(env(envp, "UK_INITRD="));
	bi.argc = argc;
	bi.argv = argv;
	bi.loader_random = at_random(envp);
	bi.loader_random_len = bi.loader_random ? 16 : 0;
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
