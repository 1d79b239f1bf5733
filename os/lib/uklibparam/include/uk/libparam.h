/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklibparam: library parameters set from the kernel command line.
 *
 * A library (or the application) declares a parameter next to its variable:
 *
 *   static unsigned int heap_kb = 256;
 *   UK_LIB_PARAM(heap_kb, uint);
 *
 * and the kernel arguments (the words before "--") set it at boot, before
 * any init function runs:
 *
 *   ukalloc.heap_kb=512 app.verbose=yes app.name="hello world" -- app args
 *
 * The library part is the library's name (__LIBNAME__, given by the build),
 * the parameter part is the variable's name. Types:
 *
 *   int, uint, long, ulong   decimal or 0x hex, '-' for the signed ones;
 *                            out of range is an error
 *   bool                     1 0 true false yes no on off y n (any case)
 *   charp (or string)        the text after '=' (char * or const char *);
 *                            it points into the command line, which stays
 *
 * Each descriptor is a pointer in the section uk_libparam_tab. Its name is a
 * C identifier, so GNU ld defines __start_uk_libparam_tab and
 * __stop_uk_libparam_tab and keeps the section under --gc-sections: no
 * linker script change is needed.
 */
#ifndef UK_LIBPARAM_H
#define UK_LIBPARAM_H

#include <uk/essentials.h>

enum uk_libparam_type {
	UK_LIBPARAM_INT = 1,
	UK_LIBPARAM_UINT,
	UK_LIBPARAM_LONG,
	UK_LIBPARAM_ULONG,
	UK_LIBPARAM_BOOL,
	UK_LIBPARAM_CHARP,
};

struct uk_libparam {
	const char *libname;      /* "ukalloc" */
	const char *name;         /* "heap_kb" */
	enum uk_libparam_type type;
	void *addr;               /* the variable */
};

/*
 * Sets every parameter named in argv ("<lib>.<param>=<value>"). An unknown
 * parameter or a bad value is reported with uk_pr_warn and skipped; the
 * boot goes on. Returns the number of words that could not be applied.
 */
int uk_libparam_parse(int argc, char *argv[]);

/*
 * Applies one "<lib>.<param>=<value>" word (warning with uk_pr_warn when it
 * cannot). 0; -EINVAL: not of that form, or a value that is not of the
 * parameter's type; -ERANGE: a number outside the type's range (a negative
 * unsigned one too); -ENOENT: no such library or parameter.
 */
int uk_libparam_apply(const char *word);

#define UK_LIBPARAM_SECTION "uk_libparam_tab"

#ifndef __LIBNAME__
#define __LIBNAME__ "?"
#endif

/* type token -> enum value, and a check that the variable has that C type */
#define __UK_LIBPARAM_T_int    UK_LIBPARAM_INT
#define __UK_LIBPARAM_T_uint   UK_LIBPARAM_UINT
#define __UK_LIBPARAM_T_long   UK_LIBPARAM_LONG
#define __UK_LIBPARAM_T_ulong  UK_LIBPARAM_ULONG
#define __UK_LIBPARAM_T_bool   UK_LIBPARAM_BOOL
#define __UK_LIBPARAM_T__Bool  UK_LIBPARAM_BOOL
#define __UK_LIBPARAM_T_charp  UK_LIBPARAM_CHARP
#define __UK_LIBPARAM_T_string UK_LIBPARAM_CHARP
#define __UK_LIBPARAM_IS(v, t) __builtin_types_compatible_p(__typeof__(v), t)
#define __UK_LIBPARAM_OK_int(v)    __UK_LIBPARAM_IS(v, int)
#define __UK_LIBPARAM_OK_uint(v)   __UK_LIBPARAM_IS(v, unsigned int)
#define __UK_LIBPARAM_OK_long(v)   __UK_LIBPARAM_IS(v, long)
#define __UK_LIBPARAM_OK_ulong(v)  __UK_LIBPARAM_IS(v, unsigned long)
#define __UK_LIBPARAM_OK_bool(v)   __UK_LIBPARAM_IS(v, _Bool)
#define __UK_LIBPARAM_OK__Bool(v)  __UK_LIBPARAM_IS(v, _Bool)
#define __UK_LIBPARAM_OK_charp(v)  (__UK_LIBPARAM_IS(v, char *) || \
				    __UK_LIBPARAM_IS(v, const char *))
#define __UK_LIBPARAM_OK_string(v) __UK_LIBPARAM_OK_charp(v)

/*
 * Declares the variable `var` (at file scope) as parameter
 * <__LIBNAME__>.<var> of the given type (int, uint, long, ulong, bool,
 * charp, string). A variable of another C type is a compile error.
 */
#define UK_LIB_PARAM(var, type)                                              \
	_Static_assert(__UK_LIBPARAM_OK_##type(var),                         \
		       "UK_LIB_PARAM(" #var ", " #type "): the variable is not a " #type); \
	static const struct uk_libparam __uk_libparam_##var = {              \
		__LIBNAME__, #var, __UK_LIBPARAM_T_##type, (void *)&(var)    \
	};                                                                   \
	static const struct uk_libparam *const __uk_libparam_p_##var         \
	__used __section(UK_LIBPARAM_SECTION) = &__uk_libparam_##var

#define UK_LIB_PARAM_STR(var) UK_LIB_PARAM(var, charp)

#endif
