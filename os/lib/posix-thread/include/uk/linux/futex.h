/* SPDX-License-Identifier: BSD-3-Clause */
/* Linux's futex(2) operations and robust-list structures
 * (include/uapi/linux/futex.h). */
#ifndef UK_LINUX_FUTEX_H
#define UK_LINUX_FUTEX_H

#define UK_FUTEX_WAIT            0
#define UK_FUTEX_WAKE            1
#define UK_FUTEX_REQUEUE         3
#define UK_FUTEX_CMP_REQUEUE     4
#define UK_FUTEX_WAKE_OP         5
#define UK_FUTEX_WAIT_BITSET     9
#define UK_FUTEX_WAKE_BITSET     10
#define UK_FUTEX_PRIVATE_FLAG    128
#define UK_FUTEX_CLOCK_REALTIME  256
#define UK_FUTEX_CMD_MASK        (~(UK_FUTEX_PRIVATE_FLAG | UK_FUTEX_CLOCK_REALTIME))
#define UK_FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* The robust futex word: owner's tid, and two state bits. */
#define UK_FUTEX_WAITERS    0x80000000u
#define UK_FUTEX_OWNER_DIED 0x40000000u
#define UK_FUTEX_TID_MASK   0x3fffffffu

struct uk_robust_list {
	struct uk_robust_list *next;
};

struct uk_robust_list_head {
	struct uk_robust_list list;
	long futex_offset;
	struct uk_robust_list *list_op_pending;
};

#endif
