/* SPDX-License-Identifier: BSD-3-Clause */
/* The smallest program: exit(0) by a raw syscall, no libc. Built static,
 * static-pie and with a PT_INTERP as small seeds for the fuzzer
 * (tests/host/test_elfload_fuzz.py). */
static const char msg[] = "tiny";
static char scratch[64];
__thread int tls_word = 1;

void _start(void)
{
	scratch[0] = msg[0] + (char)tls_word;
#if defined(__x86_64__)
	__asm__ __volatile__("syscall" : : "a"(231), "D"(0) : "rcx", "r11", "memory");
#else
	register long x8 __asm__("x8") = 94, x0 __asm__("x0") = 0;
	__asm__ __volatile__("svc #0" : : "r"(x8), "r"(x0) : "memory");
#endif
	for (;;)
		;
}
