/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Network configuration at boot: every uknetdev device becomes an lwIP
 * interface, configured from the kernel parameters or by DHCP, before
 * main() (servers bind with an address).
 *
 *   netdev.ip=A.B.C.D/N      static IPv4 address of the first device (en0);
 *                            without it every device asks DHCP
 *   netdev.gw=A.B.C.D        default gateway (static only)
 *   netdev.dns=A.B.C.D[,..]  DNS servers (at most DNS_MAX_SERVERS; also
 *                            overrides those DHCP gives)
 *   netdev.ip6=ADDR[/N]      static IPv6 address of en0 (LIBLWIP_IPV6;
 *                            a link-local address is always made)
 *   netdev.dhcp_timeout_ms=  how long boot waits for leases (10000)
 *
 * When an interface is configured, exactly one console line (the runner
 * reads it, ARCHITECTURE.md "Console protocol"):
 *
 *   UK-NET if=en0 mac=52:54:00:12:34:56 ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3 via=dhcp
 *
 * (ip6= added when IPv6 has an address); when DHCP times out
 * "UK-NET if=en0 error=dhcp-timeout" and the boot goes on without an
 * address (a lease that comes later still prints the first line). The DNS
 * servers are written to /etc/resolv.conf (when the image has a file
 * system) for the libc's resolver (musl's getaddrinfo).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/plat.h>
#include <uk/time.h>
#include <uk/alloc.h>
#include <uk/netdev.h>
#include <uk/lwip.h>
#include <string.h>
#include "lwip/opt.h"
#include "lwip/netif.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#if !NO_SYS
#include <uk/sched.h>
#include "lwip/tcpip.h"
#endif
#ifdef CONFIG_LIBVFSCORE
#include <uk/syscall.h>
#include <uk/linux/fcntl.h>
#endif
#include "lwip_impl.h"

/* The parameters are "netdev.<name>" (the contract's spelling), not
 * "lwip.<name>": declared under that library name. */
#ifdef CONFIG_LIBUKLIBPARAM
#include <uk/libparam.h>
#undef __LIBNAME__
#define __LIBNAME__ "netdev"
#endif

static const char *ip;
static const char *gw;
static const char *dns;
static const char *ip6;
static unsigned int dhcp_timeout_ms = 10000;

#ifdef CONFIG_LIBUKLIBPARAM
UK_LIB_PARAM(ip, charp);
UK_LIB_PARAM(gw, charp);
UK_LIB_PARAM(dns, charp);
UK_LIB_PARAM(ip6, charp);
UK_LIB_PARAM(dhcp_timeout_ms, uint);
#endif

static struct uk_lwip_if *ifs;
static unsigned int nifs;

/* ---- the UK-NET line ------------------------------------------------- */

struct line {
	char buf[320];
	size_t at;
};

static void put(struct line *l, const char *s)
{
	while (*s && l->at < sizeof(l->buf) - 2)
		l->buf[l->at++] = *s++;
}

static void put_uint(struct line *l, unsigned int v)
{
	char d[12];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		l->buf[l->at < sizeof(l->buf) - 2 ? l->at++ : l->at] = d[--n];
}

static void put_ip4(struct line *l, const ip4_addr_t *a)
{
	char s[IP4ADDR_STRLEN_MAX];

	put(l, ip4addr_ntoa_r(a, s, sizeof(s)));
}

static void emit(struct line *l)
{
	l->buf[l->at++] = '\n';
	ukplat_cout(l->buf, l->at);
}

static unsigned int prefix_len(const ip4_addr_t *mask)
{
	return (unsigned int)__builtin_popcount(ip4_addr_get_u32(mask));
}

/* Core lock held. */
static void announce(struct uk_lwip_if *i)
{
	struct line l = { .at = 0 };
	char mac[18];
	int first = 1;

	if (i->announced)
		return;
	i->announced = true;
	uk_netdev_mac_str(i->dev, mac);
	put(&l, "UK-NET if=");
	put(&l, i->dev->name);
	put(&l, " mac=");
	put(&l, mac);
	put(&l, " ip=");
	put_ip4(&l, netif_ip4_addr(&i->nif));
	put(&l, "/");
	put_uint(&l, prefix_len(netif_ip4_netmask(&i->nif)));
	put(&l, " gw=");
	if (!ip4_addr_isany(netif_ip4_gw(&i->nif)))
		put_ip4(&l, netif_ip4_gw(&i->nif));
	put(&l, " dns=");
	for (u8_t k = 0; k < DNS_MAX_SERVERS; k++) {
		const ip_addr_t *s = dns_getserver(k);

		if (ip_addr_isany(s) || !IP_IS_V4(s))
			continue;
		if (!first)
			put(&l, ",");
		put_ip4(&l, ip_2_ip4(s));
		first = 0;
	}
#if LWIP_IPV6
	for (s8_t k = LWIP_IPV6_NUM_ADDRESSES - 1; k >= 0; k--) {
		/* the static (or global) address first, else the link-local */
		if (!ip6_addr_isinvalid(netif_ip6_addr_state(&i->nif, k))) {
			char s[IP6ADDR_STRLEN_MAX];

			put(&l, " ip6=");
			put(&l, ip6addr_ntoa_r(netif_ip6_addr(&i->nif, k), s, sizeof(s)));
			break;
		}
	}
#endif
	put(&l, " via=");
	put(&l, i->via);
	emit(&l);
}

static int set_dns(const char *list);

/* lwIP's status callback (core lock held): an address arrived. */
static void status_changed(struct netif *nif)
{
	struct uk_lwip_if *i = nif->state;

	if (i && netif_is_up(nif) && !ip4_addr_isany(netif_ip4_addr(nif))) {
		if (dns)
			set_dns(dns);   /* the parameter wins over DHCP's servers */
		announce(i);
	}
}

/* ---- parameters ------------------------------------------------------ */

/* "A.B.C.D/N": 0, or -EINVAL (reported with the fix). */
static int parse_ip(const char *s, ip4_addr_t *addr, ip4_addr_t *mask)
{
	char a[IP4ADDR_STRLEN_MAX];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int bits = 0;

	if (!slash || n >= sizeof(a) || !slash[1])
		goto bad;
	memcpy(a, s, n);
	a[n] = 0;
	if (!ip4addr_aton(a, addr))
		goto bad;
	for (const char *p = slash + 1; *p; p++) {
		if (*p < '0' || *p > '9' || (bits = bits * 10 + (unsigned int)(*p - '0')) > 32)
			goto bad;
	}
	ip4_addr_set_u32(mask, bits ? PP_HTONL(0xffffffffu << (32 - bits)) : 0);
	return 0;
bad:
	uk_pr_err("netdev.ip=%s: not an IPv4 address with a prefix length; "
		  "write it as netdev.ip=10.0.2.15/24 (DHCP is used instead)\n", s);
	return -EINVAL;
}

/* Sets the servers of "A,B" (core lock held): how many. */
static int set_dns(const char *list)
{
	int k = 0;

	while (list && *list && k < DNS_MAX_SERVERS) {
		char a[IP4ADDR_STRLEN_MAX];
		const char *comma = strchr(list, ',');
		size_t n = comma ? (size_t)(comma - list) : strlen(list);
		ip_addr_t s;

		if (n && n < sizeof(a)) {
			memcpy(a, list, n);
			a[n] = 0;
			if (ipaddr_aton(a, &s)) {
				dns_setserver((u8_t)k++, &s);
			} else {
				uk_pr_err("netdev.dns=%s: %s is not an IP address; "
					  "write netdev.dns=10.0.2.3 or a comma list\n", dns, a);
			}
		}
		list = comma ? comma + 1 : NULL;
	}
	return k;
}

#if LWIP_IPV6
static void set_ip6(struct uk_lwip_if *i)
{
	char a[IP6ADDR_STRLEN_MAX];
	const char *slash = strchr(ip6, '/');
	size_t n = slash ? (size_t)(slash - ip6) : strlen(ip6);
	ip6_addr_t addr;
	s8_t idx;

	if (n >= sizeof(a))
		n = sizeof(a) - 1;
	memcpy(a, ip6, n);
	a[n] = 0;
	if (!ip6addr_aton(a, &addr)) {
		uk_pr_err("netdev.ip6=%s: not an IPv6 address; "
			  "write it as netdev.ip6=fd00::15/64\n", ip6);
		return;
	}
	if (netif_add_ip6_address(&i->nif, &addr, &idx) != ERR_OK)
		uk_pr_err("netdev.ip6=%s: no free IPv6 address slot on %s\n", ip6, i->dev->name);
}
#endif

/* ---- /etc/resolv.conf ------------------------------------------------ */

#ifdef CONFIG_LIBVFSCORE
static void write_resolv_conf(void)
{
	struct line l = { .at = 0 };
	long fd, w;

	for (u8_t k = 0; k < DNS_MAX_SERVERS; k++) {
		const ip_addr_t *s;
		char a[IPADDR_STRLEN_MAX];

		uk_lwip_lock();
		s = dns_getserver(k);
		if (!ip_addr_isany(s)) {
			put(&l, "nameserver ");
			put(&l, ipaddr_ntoa_r(s, a, sizeof(a)));
			put(&l, "\n");
		}
		uk_lwip_unlock();
	}
	if (!l.at)
		return;
	uk_sys_mkdirat(UK_AT_FDCWD, "/etc", 0755);
	fd = uk_sys_openat(UK_AT_FDCWD, "/etc/resolv.conf",
			   UK_O_CREAT | UK_O_TRUNC | UK_O_WRONLY, 0644);
	if (fd < 0) {
		uk_pr_err("cannot write /etc/resolv.conf: %ld\n", fd);
		return;
	}
	w = uk_sys_write((int)fd, l.buf, l.at);
	if (w != (long)l.at)
		uk_pr_err("cannot write /etc/resolv.conf: %ld\n", w);
	uk_sys_close((int)fd);
}
#else
static void write_resolv_conf(void)
{
}
#endif

/* ---- start ----------------------------------------------------------- */

static bool all_bound(void)
{
	bool done = true;

	uk_lwip_lock();
	for (unsigned int k = 0; k < nifs; k++)
		if (ifs[k].dev && !strcmp(ifs[k].via, "dhcp") && !dhcp_supplied_address(&ifs[k].nif))
			done = false;
	uk_lwip_unlock();
	return done;
}

static void wait_for_leases(void)
{
	uint64_t end = uk_time_now_ns() + (uint64_t)dhcp_timeout_ms * 1000000ull;

	while (!all_bound() && uk_time_now_ns() < end) {
#if NO_SYS
		uk_lwip_poll();
#else
		uk_sched_sleep_until(uk_time_now_ns() + 2000000ull);
#endif
	}
	uk_lwip_lock();
	for (unsigned int k = 0; k < nifs; k++) {
		if (ifs[k].dev && !ifs[k].announced) {
			struct line l = { .at = 0 };

			put(&l, "UK-NET if=");
			put(&l, ifs[k].dev->name);
			put(&l, " error=dhcp-timeout");
			emit(&l);
		}
	}
	uk_lwip_unlock();
}

int uk_lwip_netifs_start(void)
{
	unsigned int n = uk_netdev_count();
	bool any_dhcp = false;
	ip4_addr_t addr, mask, gwa;

	if (!n)
		return 0;
	ifs = uk_calloc(uk_alloc_get_default(), n, sizeof(*ifs));
	if (!ifs)
		return -ENOMEM;
	nifs = n;

	uk_lwip_lock();
	for (unsigned int k = 0; k < n; k++) {
		struct uk_lwip_if *i = &ifs[k];
		struct uk_netdev *dev = uk_netdev_get(k);
		int r = uk_lwip_if_add(i, dev);

		if (r) {
			uk_pr_err("%s: cannot add to lwIP: %d (skipped)\n", dev->name, r);
			i->dev = NULL;
			continue;
		}
		netif_set_status_callback(&i->nif, status_changed);
		if (k == 0)
			netif_set_default(&i->nif);
#if LWIP_IPV6
		netif_create_ip6_linklocal_address(&i->nif, 1);
		netif_set_ip6_autoconfig_enabled(&i->nif, 1);
		if (k == 0 && ip6)
			set_ip6(i);
#endif
		if (k == 0 && ip && !parse_ip(ip, &addr, &mask)) {
			ip4_addr_set_zero(&gwa);
			if (gw && !ip4addr_aton(gw, &gwa)) {
				uk_pr_err("netdev.gw=%s: not an IPv4 address; write it as "
					  "netdev.gw=10.0.2.2 (no gateway set)\n", gw);
				ip4_addr_set_zero(&gwa);
			}
			i->via = "static";
			set_dns(dns);
			netif_set_addr(&i->nif, &addr, &mask, &gwa);  /* announces */
		} else {
			i->via = "dhcp";
			any_dhcp = true;
			if (dhcp_start(&i->nif) != ERR_OK)
				uk_pr_err("%s: cannot start DHCP\n", dev->name);
		}
		uk_lwip_if_start_rx(i);
	}
	uk_lwip_unlock();

	if (any_dhcp)
		wait_for_leases();
	write_resolv_conf();
	return 0;
}

#if NO_SYS
int uk_lwip_netifs_poll(void)
{
	int n = 0;

	for (unsigned int k = 0; k < nifs; k++)
		if (ifs[k].dev)
			n += uk_lwip_if_poll(&ifs[k]);
	return n;
}
#endif
