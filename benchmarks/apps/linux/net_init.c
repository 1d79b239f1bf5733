/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /init of the networking benchmark's Linux VM (benchmarks/net_linux.py):
 * loads the virtio-net modules the Debian kernel ships as modules, gives
 * the first Ethernet interface QEMU user networking's static address
 * (10.0.2.15/24, gateway 10.0.2.2), then runs the program named by its
 * arguments (the kernel's command line after "--", e.g. "/httpreply 8080")
 * and reboots the VM (QEMU runs with -no-reboot: it exits) when that
 * program exits.
 *
 *   /modules.order   the .ko files to load, one path a line, in order
 *   /proc/cmdline    words "<module>.<param>=<value>" are passed to that
 *                    module, as modprobe would (a kernel built with
 *                    VIRTIO_MMIO_CMDLINE_DEVICES takes microvm's devices
 *                    as virtio_mmio.device=...; Debian's is not, so its
 *                    microvm VM keeps ACPI on: net_linux.with_acpi)
 *
 * Console lines: "NET-INIT-UP if=<name> ms=<since boot>" once the
 * interface is up; "NET-INIT-ERROR <what>" and a reboot on failure;
 * "NET-INIT-EXIT status=<n>" when the program ends.
 * Built static with musl (musl-gcc -static, or aarch64 musl from Debian's
 * musl-dev for arm64).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GUEST_IP "10.0.2.15"
#define NETMASK "255.255.255.0"
#define GATEWAY "10.0.2.2"

static void die(const char *what)
{
	printf("NET-INIT-ERROR %s: %s\n", what, strerror(errno));
	fflush(stdout);
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}

/* The module's name as the kernel knows it: the file's basename without
 * ".ko", '-' read as '_'. */
static void module_name(const char *path, char *out, size_t n)
{
	const char *b = strrchr(path, '/');
	size_t i;

	b = b ? b + 1 : path;
	for (i = 0; i + 1 < n && b[i] && strcmp(b + i, ".ko"); i++)
		out[i] = b[i] == '-' ? '_' : b[i];
	out[i] = '\0';
}

/* The "<module>.<param>=<value>" words of the kernel command line, as
 * "param=value ..." for finit_module. */
static void module_params(const char *cmdline, const char *mod, char *out, size_t n)
{
	size_t ml = strlen(mod), used = 0;
	const char *w = cmdline;

	out[0] = '\0';
	while (*w) {
		size_t wl = strcspn(w, " \n");

		if (wl > ml + 1 && !strncmp(w, mod, ml) && w[ml] == '.' &&
		    used + wl - ml + 1 < n) {
			used += snprintf(out + used, n - used, "%s%.*s", used ? " " : "",
					 (int)(wl - ml - 1), w + ml + 1);
		}
		w += wl;
		w += strspn(w, " \n");
	}
}

static void load_modules(void)
{
	char cmdline[4096] = "", line[512], name[128], params[1024];
	FILE *order;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd >= 0) {
		ssize_t r = read(fd, cmdline, sizeof(cmdline) - 1);

		cmdline[r > 0 ? r : 0] = '\0';
		close(fd);
	}
	order = fopen("/modules.order", "r");
	if (!order)
		return;			/* a kernel with virtio-net built in */
	while (fgets(line, sizeof(line), order)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		fd = open(line, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(line);
		module_name(line, name, sizeof(name));
		module_params(cmdline, name, params, sizeof(params));
		if (syscall(SYS_finit_module, fd, params, 0) && errno != EEXIST)
			die(line);
		close(fd);
	}
	fclose(order);
}

/* The first interface that is not loopback, waited for up to 10 s (the
 * driver probes asynchronously). */
static void find_interface(char *name)
{
	for (int tries = 0; tries < 1000; tries++) {
		struct if_nameindex *ifs = if_nameindex(), *i;

		for (i = ifs; i && i->if_index; i++) {
			if (strcmp(i->if_name, "lo")) {
				snprintf(name, IFNAMSIZ, "%s", i->if_name);
				if_freenameindex(ifs);
				return;
			}
		}
		if (ifs)
			if_freenameindex(ifs);
		usleep(10000);
	}
	errno = ENODEV;
	die("no network interface");
}

static void set_addr(int s, const char *ifname, unsigned long req, const char *addr)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sin->sin_addr);
	if (ioctl(s, req, &ifr))
		die(ifname);
}

static void up(int s, const char *ifname)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
	if (ioctl(s, SIOCGIFFLAGS, &ifr))
		die(ifname);
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		die(ifname);
}

static void default_route(int s)
{
	struct rtentry rt;
	struct sockaddr_in *gw = (struct sockaddr_in *)&rt.rt_gateway;

	memset(&rt, 0, sizeof(rt));
	((struct sockaddr_in *)&rt.rt_dst)->sin_family = AF_INET;
	((struct sockaddr_in *)&rt.rt_genmask)->sin_family = AF_INET;
	gw->sin_family = AF_INET;
	inet_pton(AF_INET, GATEWAY, &gw->sin_addr);
	rt.rt_flags = RTF_UP | RTF_GATEWAY;
	if (ioctl(s, SIOCADDRT, &rt) && errno != EEXIST)
		die("default route");
}

int main(int argc, char **argv)
{
	char ifname[IFNAMSIZ];
	struct timespec ts;
	int s, status;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir("/proc", 0555);
	if (mount("proc", "/proc", "proc", 0, NULL))
		die("mount /proc");
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
	clock_gettime(CLOCK_BOOTTIME, &ts);
	printf("NET-INIT-UP if=%s ms=%ld\n", ifname, ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	if (argc < 2) {
		errno = EINVAL;
		die("no program to run (kernel command line: ... -- /prog args)");
	}
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execv(argv[1], argv + 1);
		die(argv[1]);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	printf("NET-INIT-EXIT status=%d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	fflush(stdout);
	reboot(RB_AUTOBOOT);
	return 0;
}
