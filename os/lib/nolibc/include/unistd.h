/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc: the minimal POSIX subset that needs no system call layer:
 * write() to the console (fd 1 and 2), _exit(), environ, sleep and usleep.
 */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

ssize_t write(int fd, const void *buf, size_t n);
void _exit(int status) __attribute__((__noreturn__));
/* Sleep through uk_sleep_until_ns() (needs uktime); nothing interrupts
 * them, so both return 0. */
unsigned int sleep(unsigned int seconds);
int usleep(useconds_t usec);

/* The environment, KEY=VALUE strings, NULL-terminated (POSIX). */
extern char **environ;

#ifdef __cplusplus
}
#endif

#endif
