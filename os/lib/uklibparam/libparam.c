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

/*
 * The parsers return their results by value, in registers: a result stored
 * through a pointer to the caller's local would make the caller take that
 * local's address, and cost it a stack protector canary.
 */
struct num {
	unsigned long long mag;         /* the magnitude */
	int rc;                         /* 0, -EINVAL or -ERANGE */
	bool neg;                       /* a '-' came first */
};

/* [+|-](decimal | 0x hex), the whole string. rc: -EINVAL, not a number;
 * -ERANGE, more than 64 bits. */
static struct num parse_num(const char *s)
{
	struct num n = { 0, 0, *s == '-' };
	unsigned int base = 10, d;
	const char *start;

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
			return n.rc = -EINVAL, n;
		if (n.mag > (~0ULL - d) / base)
			return n.rc = -ERANGE, n;
		n.mag = n.mag * base + d;
	}
	if (s == start)
		n.rc = -EINVAL;
	return n;
}

/* A signed value in [-max - 1, max], or an unsigned one in [0, max] (no '-'),
 * in mag (as the two's complement bits of a negative one). rc: -EINVAL, not a
 * number; -ERANGE, outside the range. */
static struct num parse_int(const char *s, bool is_signed, unsigned long long max)
{
	struct num n = parse_num(s);

	if (n.rc < 0)
		return n;
	if ((n.neg && (!is_signed || n.mag > max + 1)) || (!n.neg && n.mag > max))
		n.rc = -ERANGE;
	else if (n.neg)
		n.mag = -n.mag;
	return n;
}

/* 1 or 0, or -EINVAL for a word that is none of the spellings below. */
static int parse_bool(const char *s)
{
	static const char *const yes[] = { "1", "true", "yes", "on", "y" };
	static const char *const no[] = { "0", "false", "no", "off", "n" };

	for (size_t i = 0; i < UK_ARRAY_SIZE(yes); i++) {
		if (eq_nocase(s, yes[i]))
			return 1;
		if (eq_nocase(s, no[i]))
			return 0;
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

/* 0, or -EINVAL / -ERANGE (nothing stored). */
static int set_value(const struct uk_libparam *p, const char *val)
{
	struct num n;
	int rc;

	switch (p->type) {
	case UK_LIBPARAM_INT:
		n = parse_int(val, true, __INT_MAX__);
		if (!n.rc)
			*(int *)p->addr = (int)n.mag;
		return n.rc;
	case UK_LIBPARAM_UINT:
		n = parse_int(val, false, __INT_MAX__ * 2U + 1);
		if (!n.rc)
			*(unsigned int *)p->addr = (unsigned int)n.mag;
		return n.rc;
	case UK_LIBPARAM_LONG:
		n = parse_int(val, true, __LONG_MAX__);
		if (!n.rc)
			*(long *)p->addr = (long)n.mag;
		return n.rc;
	case UK_LIBPARAM_ULONG:
		n = parse_int(val, false, __LONG_MAX__ * 2UL + 1);
		if (!n.rc)
			*(unsigned long *)p->addr = (unsigned long)n.mag;
		return n.rc;
	case UK_LIBPARAM_BOOL:
		rc = parse_bool(val);
		if (rc < 0)
			return rc;
		*(bool *)p->addr = rc;
		return 0;
	case UK_LIBPARAM_CHARP:
		*(const char **)p->addr = val;
		return 0;
	default:
		return -EINVAL;
	}
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
