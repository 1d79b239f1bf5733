/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Who the process is: pid 1 (the only process; its parent is 0, as for
 * init), its process group and session (1), and the user and group ids
 * with Linux's rules for changing them. The ids start as the configured
 * user (CONFIG_LIBPOSIX_PROCESS_UID/GID, root by default). "Privileged"
 * (CAP_SETUID/CAP_SETGID on Linux) is an effective uid of 0: a program that
 * drops root cannot get it back, as on Linux.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/user.h>
#include <uk/process.h>
#include "process_impl.h"

#define NO_ID ((unsigned int)-1)        /* "leave unchanged" */
#define NGROUPS 32

/* real, effective, saved */
static unsigned int uid[3] = { CONFIG_LIBPOSIX_PROCESS_UID, CONFIG_LIBPOSIX_PROCESS_UID,
			       CONFIG_LIBPOSIX_PROCESS_UID };
static unsigned int gid[3] = { CONFIG_LIBPOSIX_PROCESS_GID, CONFIG_LIBPOSIX_PROCESS_GID,
			       CONFIG_LIBPOSIX_PROCESS_GID };
static unsigned int groups[NGROUPS];
static int ngroups;

static bool privileged(void)
{
	return uid[1] == 0;
}

/* 1 and 0, or while a fork's child runs (fork.c) its pid and 1 */
static int cur_pid = 1, cur_ppid;

void process_set_ids(int pid, int ppid)
{
	cur_pid = pid;
	cur_ppid = ppid;
}

int uk_process_pid(void)
{
	return cur_pid;
}

int uk_process_ppid(void)
{
	return cur_ppid;
}

long uk_sys_getpid(void)
{
	return cur_pid;
}

long uk_sys_getppid(void)
{
	return cur_ppid;
}

long uk_sys_getuid(void)
{
	return uid[0];
}

long uk_sys_geteuid(void)
{
	return uid[1];
}

long uk_sys_getgid(void)
{
	return gid[0];
}

long uk_sys_getegid(void)
{
	return gid[1];
}

/* v is one of the ids of set (a change an unprivileged caller may make). */
static bool one_of(unsigned int v, const unsigned int set[3])
{
	return v == set[0] || v == set[1] || v == set[2];
}

/* setresuid/setresgid's rule, for either set of ids; -1 leaves an id. */
static long set_res(unsigned int ids[3], unsigned int r, unsigned int e, unsigned int s)
{
	const unsigned int want[3] = { r, e, s };
	int i;

	for (i = 0; i < 3; i++)
		if (want[i] != NO_ID && !privileged() && !one_of(want[i], ids))
			return -EPERM;
	for (i = 0; i < 3; i++)
		if (want[i] != NO_ID)
			ids[i] = want[i];
	return 0;
}

/* setreuid/setregid's rule: the real id may become the effective one, the
 * effective id any of the three; the saved id follows the new effective
 * one when the real id changes or the effective one leaves the real one. */
static long set_re(unsigned int ids[3], unsigned int r, unsigned int e)
{
	unsigned int old_r = ids[0];

	if (!privileged()) {
		if (r != NO_ID && r != ids[0] && r != ids[1])
			return -EPERM;
		if (e != NO_ID && !one_of(e, ids))
			return -EPERM;
	}
	if (r != NO_ID)
		ids[0] = r;
	if (e != NO_ID)
		ids[1] = e;
	if (r != NO_ID || (e != NO_ID && e != old_r))
		ids[2] = ids[1];
	return 0;
}

/* setuid/setgid's rule: privileged, all three; otherwise only the
 * effective id, to the real or saved one. */
static long set_one(unsigned int ids[3], unsigned int v)
{
	if (v == NO_ID)
		return -EINVAL;
	if (privileged()) {
		ids[0] = ids[1] = ids[2] = v;
		return 0;
	}
	if (v != ids[0] && v != ids[2])
		return -EPERM;
	ids[1] = v;
	return 0;
}

long uk_sys_setuid(unsigned int u)
{
	return set_one(uid, u);
}

long uk_sys_setgid(unsigned int g)
{
	return set_one(gid, g);
}

long uk_sys_setreuid(unsigned int r, unsigned int e)
{
	return set_re(uid, r, e);
}

long uk_sys_setregid(unsigned int r, unsigned int e)
{
	return set_re(gid, r, e);
}

long uk_sys_setresuid(unsigned int r, unsigned int e, unsigned int s)
{
	return set_res(uid, r, e, s);
}

long uk_sys_setresgid(unsigned int r, unsigned int e, unsigned int s)
{
	return set_res(gid, r, e, s);
}

static long get_res(const unsigned int ids[3], unsigned int *r, unsigned int *e, unsigned int *s)
{
	if (uk_copy_to_user(r, &ids[0], sizeof(*r)) || uk_copy_to_user(e, &ids[1], sizeof(*e)) ||
	    uk_copy_to_user(s, &ids[2], sizeof(*s)))
		return -EFAULT;
	return 0;
}

long uk_sys_getresuid(unsigned int *r, unsigned int *e, unsigned int *s)
{
	return get_res(uid, r, e, s);
}

long uk_sys_getresgid(unsigned int *r, unsigned int *e, unsigned int *s)
{
	return get_res(gid, r, e, s);
}

/* Supplementary groups: none at boot; at most NGROUPS (more: -EINVAL). */
long uk_sys_getgroups(int size, unsigned int *list)
{
	if (size < 0)
		return -EINVAL;
	if (size == 0)
		return ngroups;
	if (size < ngroups)
		return -EINVAL;
	if (uk_copy_to_user(list, groups, ngroups * sizeof(groups[0])))
		return -EFAULT;
	return ngroups;
}

long uk_sys_setgroups(int size, const unsigned int *list)
{
	unsigned int tmp[NGROUPS];

	if (!privileged())
		return -EPERM;
	if (size < 0 || size > NGROUPS)
		return -EINVAL;
	if (uk_copy_from_user(tmp, list, size * sizeof(tmp[0])))
		return -EFAULT;
	for (ngroups = 0; ngroups < size; ngroups++)
		groups[ngroups] = tmp[ngroups];
	return 0;
}

/* Process groups and sessions: the process is 1 and leads both. */
static bool self(int pid)
{
	return pid == 0 || pid == 1;
}

long uk_sys_getpgid(int pid)
{
	return self(pid) ? 1 : -ESRCH;
}

long uk_sys_getpgrp(void)
{
	return 1;
}

long uk_sys_getsid(int pid)
{
	return self(pid) ? 1 : -ESRCH;
}

long uk_sys_setpgid(int pid, int pgid)
{
	if (pgid < 0)
		return -EINVAL;
	if (!self(pid))
		return -ESRCH;
	return self(pgid) ? 0 : -EPERM;         /* already the leader of group 1 */
}

/* A process group leader cannot start a session (Linux: -EPERM). */
long uk_sys_setsid(void)
{
	return -EPERM;
}
