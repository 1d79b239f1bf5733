/* SPDX-License-Identifier: BSD-3-Clause */
/* The files real programs read: /proc/self (exe, stat, maps with a
 * mapping this case makes), /proc and /sys values (overcommit, somaxconn,
 * meminfo, the online CPUs, transparent huge pages) and /etc/passwd and
 * /etc/group through musl's getpwuid/getgrgid. Only their form is
 * compared: the values are the machine's. */
#include "pt.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PG 4096

/* The whole of a (generated) file, NUL-terminated, in a static buffer;
 * NULL (errno) on failure. */
static const char *slurp(const char *path)
{
	static char buf[256 * 1024];
	size_t n = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r < 0) {
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = 0;
	return buf;
}

static void sysfile_proc_self(void)
{
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	PT_CHECK(n > 1 && exe[0] == '/');
	const char *stat = slurp("/proc/self/stat");
	PT_CHECK(stat != NULL);
	char want[32];
	snprintf(want, sizeof(want), "%d (", (int)getpid());
	PT_CHECK(!strncmp(stat, want, strlen(want)));
	PT_CHECK(strstr(stat, ") R ") != NULL);      /* the reader is running */
	/* a region of its own in maps: the middle page of three made read-only */
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	PT_CHECK(p != MAP_FAILED);
	PT_OK(mprotect(p + PG, PG, PROT_READ));
	const char *maps = slurp("/proc/self/maps");
	int e = errno;
	char line[64];
	snprintf(line, sizeof(line), "\n%lx-%lx r--p ", (unsigned long)(p + PG), (unsigned long)(p + 2 * PG));
	int found = maps && strstr(maps, line);
	munmap(p, 3 * PG);
	errno = e;
	PT_CHECK(maps != NULL);
	PT_CHECK(found);
}

static void sysfile_proc_and_sys_values(void)
{
	const char *s = slurp("/proc/sys/vm/overcommit_memory");
	PT_CHECK(s && s[0] >= '0' && s[0] <= '2' && !strcmp(s + 1, "\n"));
	s = slurp("/proc/sys/net/core/somaxconn");
	PT_CHECK(s && atoi(s) > 0);
	s = slurp("/proc/meminfo");
	PT_CHECK(s && !strncmp(s, "MemTotal:", 9) && strstr(s, "\nMemFree:"));
	s = slurp("/proc/cpuinfo");
	PT_CHECK(s && strlen(s) > 10);
	s = slurp("/sys/devices/system/cpu/online");
	PT_CHECK(s && s[0] == '0' && s[strlen(s) - 1] == '\n');
	s = slurp("/sys/kernel/mm/transparent_hugepage/enabled");
	PT_CHECK(s && strstr(s, "[") && strstr(s, "never"));
	PT_ERRNO(open("/proc/no-such-file", O_RDONLY), ENOENT);
}

static void sysfile_etc_users(void)
{
	const char *s = slurp("/etc/passwd");
	PT_CHECK(s && (!strncmp(s, "root:x:0:0:", 11) || strstr(s, "\nroot:x:0:0:")));
	struct passwd *pw = getpwuid(0);
	PT_CHECK(pw && !strcmp(pw->pw_name, "root") && pw->pw_uid == 0 && pw->pw_dir[0] == '/');
	struct group *gr = getgrgid(0);
	PT_CHECK(gr && !strcmp(gr->gr_name, "root"));
	PT_CHECK(getpwnam("no-such-user-here") == NULL);
}

const struct pt_case pt_sysfile_cases[] = {
	PT_CASE(sysfile_proc_self),
	PT_CASE(sysfile_proc_and_sys_values),
	PT_CASE(sysfile_etc_users),
	PT_END
};
