/* SPDX-License-Identifier: BSD-3-Clause */
/* main's arguments: argv's strings, argv[0] (the program's name) included,
 * are the program's to change (C11 5.1.2.2.1). redis's setproctitle()
 * writes its title over argv[0] and what follows it; with argv[0] in
 * read-only data the guest faulted there. musl keeps argv[0] as
 * program_invocation_name, which is how a case reaches it. */
#include "pt.h"

#include <string.h>

/* Overwrites the string `arg` in place, backwards, and back again. */
static void rewrite(void *arg)
{
	char *s = arg;
	size_t n = strlen(s);

	for (size_t i = 0; i < n / 2; i++) {
		char c = s[i];
		s[i] = s[n - 1 - i];
		s[n - 1 - i] = c;
	}
	for (size_t i = 0; i < n / 2; i++) {
		char c = s[i];
		s[i] = s[n - 1 - i];
		s[n - 1 - i] = c;
	}
}

static void args_argv0_writable(void)
{
	char saved[256];
	char *name = program_invocation_name;

	PT_CHECK(name != NULL && *name != '\0' && strlen(name) < sizeof(saved));
	strcpy(saved, name);
	PT_CHECK(pt_faults(rewrite, name, NULL, NULL) == 0);
	PT_CHECK(strcmp(name, saved) == 0);
}

const struct pt_case pt_args_cases[] = {
	PT_CASE(args_argv0_writable),
	PT_END
};
