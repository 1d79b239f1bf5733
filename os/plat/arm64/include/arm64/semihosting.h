/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Arm semihosting (Arm "Semihosting for AArch32 and AArch64", v2.0): calls
 * a debugger or QEMU (-semihosting-config enable=on) handles. On A64 the
 * trap is `hlt #0xf000` with the operation in w0 and a parameter block
 * address in x1. Without a semihosting host the instruction is undefined:
 * only call these when PLAT_ARM64_SEMIHOSTING is set.
 */
#ifndef ARM64_SEMIHOSTING_H
#define ARM64_SEMIHOSTING_H

#include <uk/essentials.h>

#define SEMIHOST_SYS_WRITE0     0x04
#define SEMIHOST_SYS_GET_CMDLINE 0x15
#define SEMIHOST_SYS_HEAPINFO   0x16
#define SEMIHOST_SYS_EXIT       0x18
#define SEMIHOST_ADP_Stopped_ApplicationExit 0x20026

static inline int64_t arm64_semihost(uint32_t op, const void *arg)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = (uintptr_t)arg;

	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return (int64_t)x0;
}

/* Exit the emulator with status (exact, 0-255). Returns only if ignored. */
void arm64_semihost_exit(int status);
/* The host-side command line into buf (NUL-terminated); its length, or
 * -EIO if it does not fit or there is none. */
long arm64_semihost_cmdline(char *buf, size_t len);
/* The end of the RAM region the host knows the image is in; 0 if none. */
uint64_t arm64_semihost_ram_end(void);

#endif
