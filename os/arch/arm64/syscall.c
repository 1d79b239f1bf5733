/* SPDX-License-Identifier: BSD-3-Clause */
/* The C side of the arm64 trapped syscall path (syscall.S): x8 = number,
 * x0-x5 = arguments, the result goes back in x0. */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/syscall.h>

void arm64_syscall_handler(struct __regs *r);

void arm64_syscall_handler(struct __regs *r)
{
	r->x[0] = (uint64_t)uk_syscall_trapped(r, (long)r->x[8], (long)r->x[0], (long)r->x[1],
					       (long)r->x[2], (long)r->x[3], (long)r->x[4],
					       (long)r->x[5]);
}
