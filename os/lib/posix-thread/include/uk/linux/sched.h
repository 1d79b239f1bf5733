/* SPDX-License-Identifier: BSD-3-Clause */
/* Linux's clone(2) flags (include/uapi/linux/sched.h) and arch_prctl
 * codes (arch/x86/include/uapi/asm/prctl.h). */
#ifndef UK_LINUX_SCHED_H
#define UK_LINUX_SCHED_H

#define UK_CSIGNAL              0x000000ff
#define UK_CLONE_VM             0x00000100
#define UK_CLONE_FS             0x00000200
#define UK_CLONE_FILES          0x00000400
#define UK_CLONE_SIGHAND        0x00000800
#define UK_CLONE_PIDFD          0x00001000
#define UK_CLONE_PTRACE         0x00002000
#define UK_CLONE_VFORK          0x00004000
#define UK_CLONE_PARENT         0x00008000
#define UK_CLONE_THREAD         0x00010000
#define UK_CLONE_NEWNS          0x00020000
#define UK_CLONE_SYSVSEM        0x00040000
#define UK_CLONE_SETTLS         0x00080000
#define UK_CLONE_PARENT_SETTID  0x00100000
#define UK_CLONE_CHILD_CLEARTID 0x00200000
#define UK_CLONE_DETACHED       0x00400000
#define UK_CLONE_UNTRACED       0x00800000
#define UK_CLONE_CHILD_SETTID   0x01000000

/* clone3's argument (Linux's struct clone_args); version 0 is the first
 * 64 bytes, later versions add set_tid, set_tid_size (80) and cgroup (88). */
struct uk_clone_args {
	unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	unsigned long long set_tid, set_tid_size, cgroup;
};
#define UK_CLONE_ARGS_SIZE_VER0 64
#define UK_CSIGNAL              0x000000ff

#define UK_ARCH_SET_GS 0x1001
#define UK_ARCH_SET_FS 0x1002
#define UK_ARCH_GET_FS 0x1003
#define UK_ARCH_GET_GS 0x1004

#endif
