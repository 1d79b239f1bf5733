/* SPDX-License-Identifier: BSD-3-Clause */
/* The hello-world unikernel: prints a greeting and its arguments. */
#include <stdio.h>

int main(int argc, char *argv[])
{
	printf("Hello from uniforge!\n");
	for (int i = 1; i < argc; i++)
		printf("argv[%d] = %s\n", i, argv[i]);
	return 0;
}
