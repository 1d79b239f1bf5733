/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The environment: environ is the NULL-terminated KEY=VALUE vector ukboot
 * builds from the command line (the manifest's `env:` and `uniforge run
 * -e`, see "The command-line rule" in ARCHITECTURE.md); empty until then
 * and in images without ukboot.
 */
#include <stdlib.h>
#include <unistd.h>

static char *no_env[1];
char **environ = no_env;

/* The value of `name`, or NULL when it is not set (or holds a '='). */
char *getenv(const char *name)
{
	char **e;
	size_t n = 0;

	while (name[n] && name[n] != '=')
		n++;
	if (n == 0 || name[n] == '=' || !environ)
		return NULL;
	for (e = environ; *e; e++) {
		size_t i = 0;

		while (i < n && (*e)[i] == name[i])
			i++;
		if (i == n && (*e)[n] == '=')
			return *e + n + 1;
	}
	return NULL;
}
