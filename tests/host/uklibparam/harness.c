/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for uklibparam (driven by tests/host/test_libparam.py): passes
 * its own arguments to uk_libparam_parse(), then prints "errors=N" and every
 * parameter of the table as "<lib>.<name>=<value>". Warnings (uk_pr_warn) are
 * printed as "WARN <message>".
 */
#include <stdarg.h>
#include <stdio.h>
#include <uk/libparam.h>
#include <uk/print.h>

extern const struct uk_libparam *const __start_uk_libparam_tab[] __weak;
extern const struct uk_libparam *const __stop_uk_libparam_tab[] __weak;

void _uk_printk(int lvl, const char *libname, const char *fmt, ...)
{
	va_list ap;

	printf("%s %s: ", lvl == UK_PRINT_WARN ? "WARN" : "OTHER", libname);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

int main(int argc, char *argv[])
{
	const struct uk_libparam *const *d;
	int errors = uk_libparam_parse(argc - 1, argv + 1);

	printf("errors=%d\n", errors);
	for (d = __start_uk_libparam_tab; d < __stop_uk_libparam_tab; d++) {
		const struct uk_libparam *p = *d;

		printf("%s.%s=", p->libname, p->name);
		switch (p->type) {
		case UK_LIBPARAM_INT:   printf("%d\n", *(int *)p->addr); break;
		case UK_LIBPARAM_UINT:  printf("%u\n", *(unsigned int *)p->addr); break;
		case UK_LIBPARAM_LONG:  printf("%ld\n", *(long *)p->addr); break;
		case UK_LIBPARAM_ULONG: printf("%lu\n", *(unsigned long *)p->addr); break;
		case UK_LIBPARAM_BOOL:  printf("%d\n", *(bool *)p->addr); break;
		case UK_LIBPARAM_CHARP: {
			const char *s = *(const char **)p->addr;

			printf("%s%s\n", s ? "s:" : "", s ? s : "NULL");
			break;
		}
		}
	}
	return 0;
}
