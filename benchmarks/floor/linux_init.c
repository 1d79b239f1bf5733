/* /init for the Linux baseline initramfs (benchmarks/linux_baseline.py).
 *
 * Freestanding, no libc: open /dev/console, write one line, then
 * reboot(POWER_OFF). With QEMU's -no-reboot, a guest reboot also ends QEMU,
 * and if power-off is not wired up the kernel halts and the harness kills
 * QEMU after it saw the line.
 *
 * Build (done by linux_baseline.py):
 *   gcc                 -static -nostdlib -Os -o init linux_init.c
 *   aarch64-linux-gnu-gcc -static -nostdlib -Os -o init linux_init.c
 */

#ifndef MARKER
#define MARKER "LINUX-INIT-HELLO"
#endif

#if defined(__x86_64__)
#define SYS_write 1
#define SYS_openat 257
#define SYS_reboot 169
static long sys3(long n, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}
static long sys4(long n, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}
#elif defined(__aarch64__)
#define SYS_write 64
#define SYS_openat 56
#define SYS_reboot 142
static long sys4(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3)
			 : "memory");
	return x0;
}
static long sys3(long n, long a, long b, long c)
{
	return sys4(n, a, b, c, 0);
}
#else
#error "unsupported architecture"
#endif

#define AT_FDCWD -100
#define O_WRONLY 01
#define O_NOCTTY 0400
#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc

static const char msg[] = MARKER "\n";

void _start(void)
{
	long fd = sys3(SYS_openat, AT_FDCWD, (long)"/dev/console",
		       O_WRONLY | O_NOCTTY);
	if (fd < 0)
		fd = 1; /* the kernel's own stdout for init, if any */
	sys3(SYS_write, fd, (long)msg, sizeof(msg) - 1);
	sys4(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	     LINUX_REBOOT_CMD_POWER_OFF, 0);
	for (;;)
		; /* reboot failed: spin; PID 1 must not return */
}
