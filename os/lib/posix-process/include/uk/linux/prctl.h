/* SPDX-License-Identifier: BSD-3-Clause */
/* The prctl(2) options posix-process knows (include/uapi/linux/prctl.h). */
#ifndef UK_LINUX_PRCTL_H
#define UK_LINUX_PRCTL_H

#define UK_PR_SET_NAME      15
#define UK_PR_GET_NAME      16
#define UK_PR_CAPBSET_READ  23
#define UK_TASK_COMM_LEN    16          /* a thread name, NUL included */
#define UK_CAP_LAST_CAP     40          /* CAP_CHECKPOINT_RESTORE (Linux 5.9+) */

#endif
