/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * peak_rss PROGRAM [ARGS...]: run PROGRAM, then print "PEAK-RSS-KIB <n>"
 * (its ru_maxrss) on stderr and exit with its status (benchmarks/apps.py,
 * the host process's memory). A wrapper because a child forked (or
 * vforked) from the Python benchmark counts Python's own resident pages
 * in its ru_maxrss until it execs; forked from this small process, the
 * figure is the program's.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: peak_rss PROGRAM [ARGS...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		execv(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	fflush(stdout);
	fprintf(stderr, "PEAK-RSS-KIB %ld\n", ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
