/* SPDX-License-Identifier: BSD-3-Clause */
/* The environment: the variable the runner sets (POSIX_SUITE, from the
 * host's environment on Linux and `uniforge run -e` in the guest) through
 * getenv and environ, and setenv/unsetenv/putenv changing both. */
#include "pt.h"

#include <stdlib.h>
#include <string.h>

extern char **environ;

/* Is "NAME=VALUE" (whole) among environ's entries? */
static int in_environ(const char *entry)
{
	for (char **e = environ; e && *e; e++)
		if (!strcmp(*e, entry))
			return 1;
	return 0;
}

static void env_from_the_runner(void)
{
	const char *v = getenv("POSIX_SUITE");
	PT_CHECK(v != NULL && !strcmp(v, "posix suite value"));
	PT_CHECK(in_environ("POSIX_SUITE=posix suite value"));
	PT_CHECK(getenv("POSIX_SUITE_NOT_SET") == NULL);
	PT_CHECK(getenv("POSIX_SUITE=") == NULL);
}

static void env_setenv_unsetenv(void)
{
	PT_OK(setenv("PT_NEW", "one", 0));
	PT_CHECK(!strcmp(getenv("PT_NEW"), "one") && in_environ("PT_NEW=one"));
	PT_OK(setenv("PT_NEW", "two", 0));            /* no overwrite: stays */
	PT_CHECK(!strcmp(getenv("PT_NEW"), "one"));
	PT_OK(setenv("PT_NEW", "three", 1));
	PT_CHECK(!strcmp(getenv("PT_NEW"), "three") && in_environ("PT_NEW=three") && !in_environ("PT_NEW=one"));
	PT_OK(setenv("PT_EMPTY", "", 1));
	PT_CHECK(getenv("PT_EMPTY") && !*getenv("PT_EMPTY"));
	PT_OK(unsetenv("PT_NEW"));
	PT_CHECK(getenv("PT_NEW") == NULL && !in_environ("PT_NEW=three"));
	PT_OK(unsetenv("PT_NEVER_SET"));
	PT_ERRNO(setenv("BAD=NAME", "x", 1), EINVAL);
	PT_ERRNO(setenv("", "x", 1), EINVAL);
	PT_ERRNO(unsetenv("BAD=NAME"), EINVAL);
	static char entry[] = "PT_PUT=put";
	PT_OK(putenv(entry));
	PT_CHECK(!strcmp(getenv("PT_PUT"), "put"));
	entry[7] = 'P';                               /* putenv keeps the caller's string */
	PT_CHECK(!strcmp(getenv("PT_PUT"), "Put"));
	PT_OK(unsetenv("PT_PUT"));
	PT_OK(unsetenv("PT_EMPTY"));
	PT_CHECK(!strcmp(getenv("POSIX_SUITE"), "posix suite value"));
}

const struct pt_case pt_env_cases[] = {
	PT_CASE(env_from_the_runner),
	PT_CASE(env_setenv_unsetenv),
	PT_END
};
