/* SPDX-License-Identifier: BSD-3-Clause */
/* /tmp and the C library's temporary files: /tmp is a sticky directory
 * every user may write in (01777), and tmpfile(), mkstemp() and tmpnam()
 * work in it (Lua's io.tmpfile and os.tmpname are these calls). */
#include "pt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void tmp_dir_sticky_and_open(void)
{
	struct stat st;

	PT_OK(stat("/tmp", &st));
	PT_CHECK(S_ISDIR(st.st_mode));
	PT_CHECK((st.st_mode & 07777) == 01777);
}

static void tmp_tmpfile(void)
{
	char buf[16] = { 0 };
	FILE *f = tmpfile();

	PT_CHECK(f != NULL);
	PT_CHECK(fputs("scratch", f) >= 0);
	rewind(f);
	PT_CHECK(fgets(buf, sizeof(buf), f) != NULL);
	PT_CHECK(!strcmp(buf, "scratch"));
	PT_CHECK(fclose(f) == 0);
}

static void tmp_mkstemp_tmpnam(void)
{
	char path[] = "/tmp/pt_tmp_XXXXXX";
	struct stat st;
	int fd = mkstemp(path);

	PT_CHECK(fd >= 0);
	PT_CHECK(strncmp(path, "/tmp/pt_tmp_", 12) == 0 && !strchr(path + 12, 'X'));
	PT_OK(fstat(fd, &st));
	PT_CHECK(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0600);
	PT_OK(close(fd));
	PT_OK(unlink(path));
	/* tmpnam: a name in /tmp nothing has (it creates nothing) */
	char *name = tmpnam(NULL);
	PT_CHECK(name != NULL && strncmp(name, "/tmp/", 5) == 0);
	PT_ERRNO(access(name, F_OK), ENOENT);
}

const struct pt_case pt_tmp_cases[] = {
	PT_CASE(tmp_dir_sticky_and_open),
	PT_CASE(tmp_tmpfile),
	PT_CASE(tmp_mkstemp_tmpnam),
	PT_END
};
