/*
 * libFuzzer harness for lwIP's input path (tests/host/test_lwip_fuzz.py
 * builds it with clang -fsanitize=fuzzer,address,undefined over Debian's
 * lwIP 2.1.3 sources, NO_SYS=1, with the image's protocol options).
 *
 * Each input is a short session against a fresh configuration:
 *   en0  Ethernet, static 10.0.2.15/24 gw 10.0.2.2 (+ fe80:: link-local
 *        and fd00::15 when IPv6 is on), a TCP listener on port 80 that
 *        greets and echoes, a UDP socket on port 7 that echoes;
 *   en1  Ethernet, DHCP client running (DISCOVER sent at setup).
 * The input is a list of records: a byte < 0xF0 is a frame (bit 0 picks
 * en0/en1, then a 2-byte big-endian length, then the frame: the bytes go
 * to ethernet_input in a PBUF_POOL chain, as a driver hands them over);
 * a byte >= 0xF0 is an action with one argument byte (advance the clock,
 * write/close/shutdown the newest TCP connection, send UDP, resolve a
 * name, connect out, bounce en1's link, fail one allocation).
 *
 * What must hold, checked per input: no sanitizer report, no lwIP
 * assertion (LWIP_PLATFORM_ASSERT aborts), every frame lwIP transmits fits
 * the MTU, and after teardown (connections aborted, netifs removed,
 * reassembly timed out) every allocation lwIP made is freed: the live
 * allocation count is not above its value after lwip_init().
 *
 * LWIPFUZZ_TRACE=1 in the environment prints every transmitted frame as
 * "TX <if> <hex>" after a "SESSION" line per input (the seed generator
 * reads DHCP and DNS ids from it; libFuzzer runs an empty input first).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <execinfo.h>
#include <sanitizer/common_interface_defs.h>

#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/timeouts.h"
#include "lwip/ip4_frag.h"
#include "lwip/priv/tcp_priv.h"
#include "netif/ethernet.h"
#include "lwip/etharp.h"
#if LWIP_IPV6
#include "lwip/ethip6.h"
#include "lwip/ip6_frag.h"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the host side of the port: clock, randomness, memory ---- */

static u32_t now_ms;
static u32_t rand_state;
static long live;            /* allocations lwIP holds */
static long fail_in = -1;    /* the allocation that many from now fails */
static int trace;

u32_t sys_now(void) { return now_ms; }

u32_t fz_rand(void)
{
	rand_state ^= rand_state << 13;
	rand_state ^= rand_state >> 17;
	rand_state ^= rand_state << 5;
	return rand_state;
}

u32_t fz_isn(void) { return 0x01000000u; }

static int fail_now(void)
{
	if (fail_in < 0)
		return 0;
	return fail_in-- == 0;
}

/* The live allocations and where they were made, to name a leak's origin. */
#define NTRACK 4096
#define NFRAMES 8
static struct { void *p; void *stack[NFRAMES]; } track_tab[NTRACK];

static int track_stacks;     /* LWIPFUZZ_LEAKS set: note where each allocation is made */

static void *note(void *p)
{
	if (!p)
		return p;
	live++;
	if (!track_stacks)
		return p;
	for (int i = 0; i < NTRACK; i++)
		if (!track_tab[i].p) {
			track_tab[i].p = p;
			backtrace(track_tab[i].stack, NFRAMES);
			break;
		}
	return p;
}

void *fz_malloc(size_t n)
{
	return note(fail_now() ? NULL : malloc(n));
}

void *fz_calloc(size_t n, size_t m)
{
	return note(fail_now() ? NULL : calloc(n, m));
}

void fz_free(void *p)
{
	if (!p)
		return;
	live--;
	for (int i = 0; i < NTRACK && track_stacks; i++)
		if (track_tab[i].p == p) {
			track_tab[i].p = NULL;
			break;
		}
	free(p);
}

/* Every live allocation with its stack (lwIP's timers are among them). */
static void report_live(void)
{
	char where[256];

	if (!track_stacks)
		fprintf(stderr, "lwipfuzz: run this input again with LWIPFUZZ_LEAKS=1 to see where they come from\n");
	for (int i = 0; i < NTRACK; i++) {
		if (!track_tab[i].p)
			continue;
		fprintf(stderr, "lwipfuzz: live %p:", track_tab[i].p);
		for (int f = 3; f < NFRAMES && track_tab[i].stack[f]; f++) {
			__sanitizer_symbolize_pc(track_tab[i].stack[f], "%F", where, sizeof(where));
			fprintf(stderr, " <-%s", where + 3);   /* without "in " */
		}
		fprintf(stderr, "\n");
	}
}

/* ---- the netifs ---- */

static struct netif en[2];
static u8_t txbuf[0x10000];

static err_t linkoutput(struct netif *nif, struct pbuf *p)
{
	u16_t n = pbuf_copy_partial(p, txbuf, (u16_t)(sizeof(txbuf) - 1), 0);

	if (n != p->tot_len || n > nif->mtu + 14) {
		fprintf(stderr, "lwipfuzz: en%d sent a %u-byte frame (MTU %u)\n", (int)(nif - en), p->tot_len, nif->mtu);
		abort();
	}
	if (trace) {
		printf("TX en%d ", (int)(nif - en));
		for (u16_t i = 0; i < n; i++)
			printf("%02x", txbuf[i]);
		printf("\n");
	}
	return ERR_OK;
}

static err_t if_init(struct netif *nif)
{
	nif->name[0] = 'e';
	nif->name[1] = 'n';
	nif->mtu = 1500;
	nif->hwaddr_len = 6;
	memcpy(nif->hwaddr, "\x52\x54\x00\x12\x34\x56", 6);
	nif->hwaddr[5] += (u8_t)(nif - en);
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_IGMP
		     | NETIF_FLAG_MLD6;
	nif->output = etharp_output;
#if LWIP_IPV6
	nif->output_ip6 = ethip6_output;
#endif
	nif->linkoutput = linkoutput;
	return ERR_OK;
}

/* ---- the apps: TCP greet+echo on 80, UDP echo on 7 ---- */

#define NCONN 8
static struct tcp_pcb *listener, *conns[NCONN];
static struct udp_pcb *echo;
static const char pattern[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/";

static void forget(struct tcp_pcb *pcb)
{
	for (int i = 0; i < NCONN; i++)
		if (conns[i] == pcb)
			conns[i] = NULL;
}

static void remember(struct tcp_pcb *pcb)
{
	for (int i = 0; i < NCONN; i++)
		if (!conns[i]) {
			conns[i] = pcb;
			return;
		}
}

static struct tcp_pcb *newest(void)
{
	for (int i = NCONN - 1; i >= 0; i--)
		if (conns[i])
			return conns[i];
	return NULL;
}

static void on_err(void *arg, err_t err)
{
	(void)err;
	forget(arg);             /* the pcb is freed already */
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)arg;
	(void)err;
	if (!p) {                /* FIN: close our side */
		forget(pcb);
		if (tcp_close(pcb) != ERR_OK) {
			tcp_abort(pcb);
			return ERR_ABRT;
		}
		return ERR_OK;
	}
	for (struct pbuf *q = p; q; q = q->next) {
		u16_t n = LWIP_MIN(q->len, tcp_sndbuf(pcb));

		if (n && tcp_write(pcb, q->payload, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
			break;
	}
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	tcp_output(pcb);
	return ERR_OK;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	(void)err;
	tcp_write(pcb, "hi", 2, 0);
	return ERR_OK;
}

static void track(struct tcp_pcb *pcb)
{
	tcp_arg(pcb, pcb);
	tcp_recv(pcb, on_recv);
	tcp_err(pcb, on_err);
	remember(pcb);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || !pcb)
		return ERR_VAL;
	track(pcb);
	tcp_write(pcb, "hello\r\n", 7, 0);
	return ERR_OK;
}

static void on_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
	(void)arg;
	udp_sendto(pcb, p, addr, port);
	pbuf_free(p);
}

static void on_dns(const char *name, const ip_addr_t *addr, void *arg)
{
	(void)name;
	(void)addr;
	(void)arg;
}

/* ---- one session ---- */

static long baseline;

static void poll_all(void)
{
	netif_poll_all();                        /* loopback deliveries */
}

/* Time passes: the clock jumps from one due timer to the next, so every
 * timer runs when it would have, and nothing runs in between. */
static void advance(u32_t ms)
{
	u32_t end = now_ms + ms;

	for (;;) {
		u32_t next = sys_timeouts_sleeptime();

		if (next == SYS_TIMEOUTS_SLEEPTIME_INFINITE || next > end - now_ms)
			break;
		now_ms += next;
		sys_check_timeouts();
		poll_all();
	}
	now_ms = end;
	sys_check_timeouts();
	poll_all();
}

static void setup(void)
{
	ip4_addr_t ip, mask, gw;

	/* the same timer phase for every input: lwIP's periods divide 60 s */
	now_ms = (now_ms / 60000 + 1) * 60000;
	sys_check_timeouts();
	rand_state = 0x2545F491u;
	fail_in = -1;
	if (trace)
		printf("SESSION\n");

	IP4_ADDR(&ip, 10, 0, 2, 15);
	IP4_ADDR(&mask, 255, 255, 255, 0);
	IP4_ADDR(&gw, 10, 0, 2, 2);
	netif_add(&en[0], &ip, &mask, &gw, NULL, if_init, ethernet_input);
	netif_add_noaddr(&en[1], NULL, if_init, ethernet_input);
	netif_set_default(&en[0]);
	for (int i = 0; i < 2; i++) {
		netif_set_up(&en[i]);
		netif_set_link_up(&en[i]);
	}
#if LWIP_IPV6
	ip6_addr_t a6;

	netif_create_ip6_linklocal_address(&en[0], 1);
	netif_ip6_addr_set_state(&en[0], 0, IP6_ADDR_PREFERRED);
	IP6_ADDR(&a6, PP_HTONL(0xfd000000), 0, 0, PP_HTONL(0x15));
	netif_ip6_addr_set(&en[0], 1, &a6);
	netif_ip6_addr_set_state(&en[0], 1, IP6_ADDR_PREFERRED);
#endif
	dhcp_start(&en[1]);

	listener = tcp_new_ip_type(IPADDR_TYPE_ANY);
	tcp_bind(listener, IP_ANY_TYPE, 80);
	listener = tcp_listen(listener);
	tcp_accept(listener, on_accept);
	echo = udp_new_ip_type(IPADDR_TYPE_ANY);
	udp_bind(echo, IP_ANY_TYPE, 7);
	udp_recv(echo, on_udp, NULL);
}

static void teardown(void)
{
	fail_in = -1;
	poll_all();
	while (tcp_active_pcbs)
		tcp_abort(tcp_active_pcbs);
	while (tcp_tw_pcbs)
		tcp_abort(tcp_tw_pcbs);
	for (int i = 0; i < NCONN; i++)
		if (conns[i]) {          /* bound or connecting, not yet active */
			tcp_abort(conns[i]);
			conns[i] = NULL;
		}
	tcp_close(listener);
	udp_remove(echo);
	dhcp_release_and_stop(&en[1]);
	dhcp_cleanup(&en[1]);
	poll_all();
	netif_remove(&en[0]);
	netif_remove(&en[1]);
	for (int i = 0; i <= IP_REASS_MAXAGE; i++)
		ip_reass_tmr();
#if LWIP_IPV6 && LWIP_IPV6_REASS
	for (int i = 0; i <= IPV6_REASS_MAXAGE; i++)
		ip6_reass_tmr();
#endif
	/* the one-shot TCP timer runs once more and, with no pcbs left, stops */
	advance(2 * TCP_TMR_INTERVAL);
	/* pending name lookups give up (each holds a UDP pcb on a random port) */
	for (int i = 0; i < 64 && live > baseline; i++)
		dns_tmr();
	/* Fewer than the baseline is no leak: a timer re-armed while an
	 * allocation was made to fail sits in timeouts.c's static reserve
	 * (timeouts-reserve.patch) until it fires again. */
	if (live > baseline) {
		fprintf(stderr, "lwipfuzz: %ld allocations left after teardown (baseline %ld)\n", live, baseline);
		report_live();
		abort();
	}
}

static void input(struct netif *nif, const u8_t *f, u16_t n)
{
	struct pbuf *p = pbuf_alloc(PBUF_RAW, n, PBUF_POOL);

	if (!p)
		return;                  /* out of memory: the driver drops it */
	pbuf_take(p, f, n);
	if (nif->input(p, nif) != ERR_OK)
		pbuf_free(p);
	poll_all();
}

static void action(u8_t op, u8_t arg)
{
	struct tcp_pcb *c = newest();
	ip_addr_t a;

	switch (op & 0x0f) {
	case 0:                          /* time passes: 100 ms .. 12.8 s */
		advance(100u << (arg & 7));
		break;
	case 1:                          /* the app writes */
		if (c) {
			u16_t n = LWIP_MIN((u16_t)(arg * 8u), tcp_sndbuf(c));
			for (u16_t off = 0; off < n; off += 64)
				tcp_write(c, pattern, LWIP_MIN(64, n - off), TCP_WRITE_FLAG_MORE);
			tcp_output(c);
		}
		break;
	case 2:                          /* the app closes */
		if (c) {
			forget(c);
			if (tcp_close(c) != ERR_OK)
				tcp_abort(c);
		}
		break;
	case 3:                          /* shutdown(SHUT_WR) */
		if (c)
			tcp_shutdown(c, 0, 1);
		break;
	case 4: {                        /* UDP to the gateway (ARP first) or a v6 neighbour */
		struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, arg * 4u, PBUF_RAM);

		if (!p)
			break;
		memset(p->payload, 'u', p->len);
		if (arg & 1)
			IP_ADDR4(&a, 10, 0, 2, (u8_t)(arg >> 1));
		else
			ipaddr_aton("fe80::1", &a);
		udp_sendto(echo, p, &a, 5353);
		pbuf_free(p);
		break;
	}
	case 5: {                        /* resolve a name (the answer comes as a frame) */
		IP_ADDR4(&a, 10, 0, 2, 3);
		dns_setserver(0, &a);
		dns_gethostbyname(arg & 1 ? "example.org" : "a.b", &a, on_dns, NULL);
		break;
	}
	case 6:                          /* the arg-th allocation from now fails */
		fail_in = arg;
		break;
	case 7: {                        /* connect out to 10.0.2.2:8080 */
		struct tcp_pcb *o = tcp_new();

		if (!o)
			break;
		IP_ADDR4(&a, 10, 0, 2, 2);
		track(o);
		if (tcp_connect(o, &a, 8080, on_connected) != ERR_OK) {
			forget(o);
			tcp_abort(o);
		}
		break;
	}
	case 8:                          /* en1's link goes down and up: DHCP restarts */
		netif_set_link_down(&en[1]);
		netif_set_link_up(&en[1]);
		break;
	default:
		break;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	trace = getenv("LWIPFUZZ_TRACE") != NULL;
	track_stacks = getenv("LWIPFUZZ_LEAKS") != NULL;
	lwip_init();
	baseline = live;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i = 0;

	setup();
	while (i < size) {
		u8_t op = data[i++];

		if (op >= 0xF0) {
			action(op, i < size ? data[i] : 0);
			i++;
			continue;
		}
		if (size - i < 2)
			break;
		size_t n = (size_t)data[i] << 8 | data[i + 1];
		i += 2;
		n = LWIP_MIN(n, size - i);
		n = LWIP_MIN(n, 1514);
		input(&en[op & 1], data + i, (u16_t)n);
		i += n;
	}
	teardown();
	return 0;
}
