/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Library parameters (include/uk/libparam.h): matches each kernel argument
 * "<lib>.<param>=<value>" against the descriptors UK_LIB_PARAM put in the
 * uk_libparam_tab section and stores the parsed value. Needs no libc: the
 * word is never modified, string values point into it.
 */
#include <uk/essentials.h>
#include <uk/string.h>
#include <uk/libparam.h>
#include <uk/print.h>
#include <uk/errno.h>

/* Defined by GNU ld for the section; weak so an image without any parameter
 * (no such section at all) still links, with an empty table.
 */
extern const struct uk_libparam *const __start_uk_libparam_tab[] __weak;
extern const struct uk_libparam *const __stop_uk_libparam_tab[] __weak;

/* z is in lower case */
static bool eq_nocase(const char *s, const char *z)
{
	for (; *s && *z; s++, z++)
		if ((*s >= 'A' && *s <= 'Z' ? *s + ('a' - 'A') : *s) != *z)
			return false;
	return *s == *z;
}

/* [+|-](decimal | 0x hex), the whole string; *mag gets the magnitude.
 * -EINVAL: not a number; -ERANGE: more than 64 bits. */
static int parse_num(const char *s, unsigned long long *mag, bool *neg)
{
	unsigned long long v = 0;
	unsigned int base = 10, d;
	const char *start;

	*neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (start = s; *s; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (unsigned int)((*s | 0x20) - 'a' + 10);
		else
			return -EINVAL;
		if (v > (~0ULL - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*mag = v;
	return s == start ? -EINVAL : 0;
}

/* Signed value in [-max - 1, max], or unsigned in [0, max] (no '-').
 * -EINVAL: not a number; -ERANGE: outside the range. */
static int parse_int(const char *s, bool is_signed, unsigned long long max,
		     long long *out)
{
	unsigned long long mag;
	bool neg;
	int rc = parse_num(s, &mag, &neg);

	if (rc < 0)
		return rc;
	if (neg && !is_signed)
		return -ERANGE;
	if ((neg && mag > max + 1) || (!neg && mag > max))
		return -ERANGE;
	*out = !neg ? (long long)mag : mag ? -(long long)(mag - 1) - 1 : 0;
	return 0;
}

/* 0, or -EINVAL for a word that is none of the spellings below. */
static int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on", "y" };
	static const char *const no[] = { "0", "false", "no", "off", "n" };

	for (size_t i = 0; i < UK_ARRAY_SIZE(yes); i++) {
		if (eq_nocase(s, yes[i]))
			return *out = true, 0;
		if (eq_nocase(s, no[i]))
			return *out = false, 0;
	}
	return -EINVAL;
}

static const char *type_help(enum uk_libparam_type t)
{
	switch (t) {
	case UK_LIBPARAM_INT:   return "an int";
	case UK_LIBPARAM_UINT:  return "an unsigned int";
	case UK_LIBPARAM_LONG:  return "a long";
	case UK_LIBPARAM_ULONG: return "an unsigned long";
	case UK_LIBPARAM_BOOL:  return "a bool (1/0, true/false, yes/no, on/off)";
	default:                return "a string";
	}
}

static int set_value(const struct uk_libparam *p, const char *val)
{
	long long v = 0;
	bool b;
	int rc = 0;

	switch (p->type) {
	case UK_LIBPARAM_INT:
		if (!(rc = parse_int(val, true, __INT_MAX__, &v)))
			*(int *)p->addr = (int)v;
		break;
	case UK_LIBPARAM_UINT:
		if (!(rc = parse_int(val, false, __INT_MAX__ * 2U + 1, &v)))
			*(unsigned int *)p->addr = (unsigned int)v;
		break;
	case UK_LIBPARAM_LONG:
		if (!(rc = parse_int(val, true, __LONG_MAX__, &v)))
			*(long *)p->addr = (long)v;
		break;
	case UK_LIBPARAM_ULONG: {
		/* the full unsigned long range does not fit in a long long */
		unsigned long long mag;
		bool neg;

		rc = parse_num(val, &mag, &neg);
		if (!rc && (neg || mag > __LONG_MAX__ * 2UL + 1))
			rc = -ERANGE;
		if (!rc)
			*(unsigned long *)p->addr = (unsigned long)mag;
		break;
	}
	case UK_LIBPARAM_BOOL:
		if (!(rc = parse_bool(val, &b)))
			*(bool *)p->addr = b;
		break;
	case UK_LIBPARAM_CHARP:
		*(const char **)p->addr = val;
		break;
	default:
		rc = -EINVAL;
	}
	return rc;
}

int uk_libparam_apply(const char *word)
{
	const struct uk_libparam *const *d;
	const char *dot = NULL, *equal;
	bool lib_known = false, found = false;
	size_t liblen, namelen;
	int rc;

	for (equal = word; *equal && *equal != '='; equal++)
		if (*equal == '.' && !dot)
			dot = equal;
	if (!*equal || !dot || dot == word || dot + 1 == equal) {
		uk_pr_warn("ignoring kernel argument \"%s\": not <library>.<parameter>=<value>\n",
			   word);
		return -EINVAL;
	}
	liblen = (size_t)(dot - word);
	namelen = (size_t)(equal - dot - 1);

	for (d = __start_uk_libparam_tab; d < __stop_uk_libparam_tab; d++) {
		const struct uk_libparam *p = *d;

		if (!uk_strneq_word(word, liblen, p->libname))
			continue;
		lib_known = true;
		if (!uk_strneq_word(dot + 1, namelen, p->name))
			continue;
		found = true;
		rc = set_value(p, equal + 1);
		if (rc < 0) {
			uk_pr_warn("ignoring kernel argument \"%s\": the value must be %s%s\n",
				   word, type_help(p->type),
				   rc == -ERANGE ? " in its range" : "");
			return rc;
		}
	}
	if (!found) {
		if (lib_known)
			uk_pr_warn("ignoring kernel argument \"%s\": library %.*s has no parameter %.*s\n",
				   word, (int)liblen, word, (int)namelen, dot + 1);
		else
			uk_pr_warn("ignoring kernel argument \"%s\": no library %.*s with parameters in this image\n",
				   word, (int)liblen, word);
		return -ENOENT;
	}
	uk_pr_debug("%s\n", word);
	return 0;
}

int uk_libparam_parse(int argc, char *argv[])
{
	int i, errors = 0;

	for (i = 0; argv && i < argc; i++)
		if (argv[i] && uk_libparam_apply(argv[i]) < 0)
			errors++;
	return errors;
}
