/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux's resource limits, usage and system information structures
 * (include/uapi/linux/resource.h, sysinfo.h; asm-generic/resource.h), laid
 * out as on x86_64 and arm64 (LP64: struct rlimit is struct rlimit64).
 * Also wait4's options (include/uapi/linux/wait.h).
 */
#ifndef UK_LINUX_RESOURCE_H
#define UK_LINUX_RESOURCE_H

#include <uk/essentials.h>

#define UK_RLIMIT_CPU        0
#define UK_RLIMIT_FSIZE      1
#define UK_RLIMIT_DATA       2
#define UK_RLIMIT_STACK      3
#define UK_RLIMIT_CORE       4
#define UK_RLIMIT_RSS        5
#define UK_RLIMIT_NPROC      6
#define UK_RLIMIT_NOFILE     7
#define UK_RLIMIT_MEMLOCK    8
#define UK_RLIMIT_AS         9
#define UK_RLIMIT_LOCKS      10
#define UK_RLIMIT_SIGPENDING 11
#define UK_RLIMIT_MSGQUEUE   12
#define UK_RLIMIT_NICE       13
#define UK_RLIMIT_RTPRIO     14
#define UK_RLIMIT_RTTIME     15
#define UK_RLIM_NLIMITS      16
#define UK_RLIM_INFINITY     (~0UL)

struct uk_rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
};

#define UK_RUSAGE_SELF     0
#define UK_RUSAGE_CHILDREN (-1)
#define UK_RUSAGE_THREAD   1

struct uk_rusage_timeval {
	long tv_sec;
	long tv_usec;
};

struct uk_rusage {
	struct uk_rusage_timeval ru_utime;
	struct uk_rusage_timeval ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

struct uk_sysinfo {
	long uptime;                    /* seconds since boot */
	unsigned long loads[3];         /* 1, 5, 15 min, << 16 */
	unsigned long totalram;
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs;
	unsigned short pad;
	unsigned long totalhigh;
	unsigned long freehigh;
	unsigned int mem_unit;          /* the unit of the *ram fields, bytes */
};

#define UK_WNOHANG    0x00000001
#define UK_WUNTRACED  0x00000002
#define UK_WCONTINUED 0x00000008
#define UK_WNOTHREAD  0x20000000
#define UK_WALL       0x40000000
#define UK_WCLONE     0x80000000

#endif
