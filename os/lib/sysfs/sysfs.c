/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sysfs at /sys: the files runtimes read to size themselves. One CPU
 * (devices/system/cpu/online, possible, present: "0"), no transparent
 * huge pages (kernel/mm/transparent_hugepage/enabled: "[never]"), and
 * the clock source uktime counts with, under Linux's name for it
 * (devices/system/clocksource/clocksource0/current_clocksource: the TSC
 * on x86_64, "tsc"; the generic timer's virtual counter on arm64,
 * "arch_sys_counter"); redis reads it at start-up.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/init.h>
#include <uk/seqfile.h>
#include <uk/vfs.h>
#include <uk/linux/statfs.h>
#include <uk/syscall.h>

static void gen_text(struct uk_seq *s, void *arg)
{
	uk_seq_puts(s, arg);
}

static const struct uk_fs_type sysfs_fs = {
	.name = "sysfs",
	.magic = UK_SYSFS_MAGIC,
};

static const char *const dirs[] = {
	"/sys/devices", "/sys/devices/system", "/sys/devices/system/cpu",
	"/sys/kernel", "/sys/kernel/mm", "/sys/kernel/mm/transparent_hugepage",
	"/sys/devices/system/clocksource", "/sys/devices/system/clocksource/clocksource0",
};

#if defined(CONFIG_ARCH_ARM64)
#define CLOCKSOURCE "arch_sys_counter\n"
#else
#define CLOCKSOURCE "tsc\n"
#endif

static const struct { const char *path, *text; } files[] = {
	{ "/sys/devices/system/cpu/online", "0\n" },
	{ "/sys/devices/system/cpu/possible", "0\n" },
	{ "/sys/devices/system/cpu/present", "0\n" },
	{ "/sys/kernel/mm/transparent_hugepage/enabled", "always madvise [never]\n" },
	{ "/sys/devices/system/clocksource/clocksource0/current_clocksource", CLOCKSOURCE },
	{ "/sys/devices/system/clocksource/clocksource0/available_clocksource", CLOCKSOURCE },
};

static int sysfs_init(void)
{
	long r = uk_sys_mkdirat(UK_AT_FDCWD, "/sys", 0555);
	size_t i;

	if (r && r != -EEXIST)
		return (int)r;
	r = uk_vfs_mount("/sys", &sysfs_fs, NULL, NULL);
	for (i = 0; !r && i < UK_ARRAY_SIZE(dirs); i++)
		r = uk_vfs_mknode(dirs[i], UK_S_IFDIR | 0755, 0, NULL, NULL);
	for (i = 0; !r && i < UK_ARRAY_SIZE(files); i++)
		r = uk_vfs_mkseq(files[i].path, 0444, gen_text, (void *)files[i].text);
	return (int)r;
}
uk_initcall(sysfs_init, UK_INIT_CLASS_LIB, 9);
