/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /init of the applications benchmark's Linux VM (benchmarks/app_debian.py):
 * runs one of Debian's own binaries (sqlite3, lua5.4, nginx, redis-server,
 * python3.11, dynamically linked: its libraries are in the initramfs)
 * named by the kernel command line after "--", and reboots the VM (QEMU
 * runs with -no-reboot: it exits) when it exits.
 *
 * The network part is net_init.c's own code (included, its main renamed):
 * when the initramfs holds /modules.order (a server's VM), the virtio-net
 * modules are loaded and the interface gets 10.0.2.15/24 as in the
 * networking benchmark; without it (sqlite3, lua, python) there is no NIC
 * to wait for.
 *
 * The program runs with PATH, HOME=/root, TERM=dumb and LANG=C.UTF-8, in /,
 * with /tmp and /proc mounted. Console lines: "APP-INIT-UP ms=<since
 * boot>" just before the program starts; "APP-INIT-EXIT status=<n>" when
 * it ends; net_init.c's NET-INIT-ERROR on a failure.
 * Built static with musl (musl-gcc -static).
 */
#define main net_init_main
#include "net_init.c"
#undef main

int main(int argc, char **argv)
{
	static char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "TERM=dumb",
				"LANG=C.UTF-8", NULL };
	struct timespec ts;
	int status;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir("/proc", 0555);
	if (mount("proc", "/proc", "proc", 0, NULL))
		die("mount /proc");
	mkdir("/tmp", 01777);
	if (mount("tmpfs", "/tmp", "tmpfs", 0, NULL))
		die("mount /tmp");
	if (access("/modules.order", F_OK) == 0) {
		char ifname[IFNAMSIZ];
		int s;

		load_modules();
		find_interface(ifname);
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (s < 0)
			die("socket");
		up(s, "lo");
		set_addr(s, ifname, SIOCSIFADDR, GUEST_IP);
		set_addr(s, ifname, SIOCSIFNETMASK, NETMASK);
		up(s, ifname);
		default_route(s);
		close(s);
	}
	if (argc < 2) {
		errno = EINVAL;
		die("no program to run (kernel command line: ... -- /prog args)");
	}
	clock_gettime(CLOCK_BOOTTIME, &ts);
	printf("APP-INIT-UP ms=%ld\n", ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (chdir("/"))
			die("chdir");
		execve(argv[1], argv + 1, envp);
		die(argv[1]);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	printf("APP-INIT-EXIT status=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	fflush(stdout);
	reboot(RB_AUTOBOOT);
	return 0;
}
