/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of lwIP over the loopback interface (127.0.0.1), which
 * exists without any NIC: UDP datagrams, a 256 KiB TCP stream checked byte
 * by byte, and an ICMP echo answered by lwIP's ICMP (what makes a guest
 * answer pings). They run in both modes: with a scheduler the tcpip thread
 * moves the packets and the test only takes the core lock; without one
 * (NO_SYS) the test drives the stack with uk_lwip_poll().
 */
#include <uk/essentials.h>
#include <uk/test.h>
#include <uk/time.h>
#include <uk/lwip.h>
#include <string.h>
#include "lwip/opt.h"
#if !NO_SYS
#include <uk/sched.h>
#endif
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/udp.h"
#include "lwip/tcp.h"
#include "lwip/raw.h"
#include "lwip/pbuf.h"
#include "lwip/inet_chksum.h"
#include "lwip/prot/icmp.h"
#include "lwip/prot/ip4.h"
#include "lwip/timeouts.h"
#include "lwip/dns.h"
#include "netif/ppp/ppp_opts.h"   /* PPP_NUM_TIMEOUTS, in MEMP_NUM_SYS_TIMEOUT */

/* 127.0.0.1 */
static ip_addr_t lo_addr(void)
{
	ip_addr_t a;

	IP_ADDR4(&a, 127, 0, 0, 1);
	return a;
}

/* Waits until *flag is set or ms milliseconds passed: *flag. */
static int wait_flag(volatile int *flag, unsigned int ms)
{
	uint64_t end = uk_time_now_ns() + (uint64_t)ms * 1000000ull;

	while (!*flag && uk_time_now_ns() < end) {
#if NO_SYS
		uk_lwip_poll();
#else
		uk_sched_sleep_until(uk_time_now_ns() + 1000000ull);
#endif
	}
	return *flag;
}

/* Waits until *count reaches n or ms milliseconds passed. */
static void wait_flag_count(volatile int *count, int n, unsigned int ms)
{
	uint64_t end = uk_time_now_ns() + (uint64_t)ms * 1000000ull;

	while (*count < n && uk_time_now_ns() < end) {
#if NO_SYS
		uk_lwip_poll();
#else
		uk_sched_sleep_until(uk_time_now_ns() + 1000000ull);
#endif
	}
}

UK_TESTCASE(lwip, loopback_interface_is_up_at_127_0_0_1)
{
	struct netif *lo;

	uk_lwip_lock();
	lo = netif_find("lo0");
	UK_TEST_EXPECT_NOT_NULL(lo);
	if (lo) {
		UK_TEST_EXPECT(netif_is_up(lo));
		UK_TEST_EXPECT_EQ(ip4_addr_get_u32(netif_ip4_addr(lo)), PP_HTONL(0x7f000001));
	}
	uk_lwip_unlock();
}

/* ---- UDP ------------------------------------------------------------- */

struct udp_rx {
	volatile int got;
	char data[64];
	u16_t len, from_port;
};

static void udp_rx_cb(void *arg, struct udp_pcb *pcb __unused, struct pbuf *p,
		      const ip_addr_t *addr __unused, u16_t port)
{
	struct udp_rx *rx = arg;

	rx->len = pbuf_copy_partial(p, rx->data, sizeof(rx->data), 0);
	rx->from_port = port;
	rx->got++;
	pbuf_free(p);
}

UK_TESTCASE(lwip, udp_datagram_over_loopback)
{
	static struct udp_rx rx;
	static const char msg[] = "hello over lo";
	struct udp_pcb *a, *b;
	ip_addr_t lo = lo_addr();
	struct pbuf *p;
	err_t e;

	memset(&rx, 0, sizeof(rx));
	uk_lwip_lock();
	a = udp_new();
	b = udp_new();
	UK_TEST_ASSERT(a && b);
	UK_TEST_EXPECT_EQ(udp_bind(a, IP4_ADDR_ANY, 7001), ERR_OK);
	UK_TEST_EXPECT_EQ(udp_bind(b, IP4_ADDR_ANY, 7002), ERR_OK);
	udp_recv(a, udp_rx_cb, &rx);
	p = pbuf_alloc(PBUF_TRANSPORT, sizeof(msg), PBUF_RAM);
	UK_TEST_ASSERT(p);
	memcpy(p->payload, msg, sizeof(msg));
	e = udp_sendto(b, p, &lo, 7001);
	pbuf_free(p);
	uk_lwip_unlock();
	UK_TEST_EXPECT_EQ(e, ERR_OK);

	UK_TEST_EXPECT(wait_flag(&rx.got, 2000));
	UK_TEST_EXPECT_EQ(rx.got, 1);
	UK_TEST_EXPECT_EQ(rx.len, sizeof(msg));
	UK_TEST_EXPECT(memcmp(rx.data, msg, sizeof(msg)) == 0);
	UK_TEST_EXPECT_EQ(rx.from_port, 7002);

	uk_lwip_lock();
	udp_remove(a);
	udp_remove(b);
	uk_lwip_unlock();
}

/* ---- TCP ------------------------------------------------------------- */

#define TCP_TOTAL (256u * 1024u)

struct stream_state {
	struct tcp_pcb *server;             /* the accepted connection */
	volatile int accepted, connected, peer_closed;
	volatile unsigned int rx;           /* bytes the server received */
	volatile int bad;                   /* first wrong byte's offset + 1 */
};

static u8_t pattern(unsigned int i)
{
	return (u8_t)(i * 7u + (i >> 11) + 3u);
}

static err_t srv_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err __unused)
{
	struct stream_state *st = arg;
	struct pbuf *q;

	if (!p) {
		st->peer_closed = 1;
		tcp_close(pcb);
		st->server = NULL;
		return ERR_OK;
	}
	for (q = p; q; q = q->next) {
		const u8_t *b = q->payload;

		for (u16_t i = 0; i < q->len; i++, st->rx++)
			if (!st->bad && b[i] != pattern(st->rx))
				st->bad = (int)st->rx + 1;
	}
	tcp_recved(pcb, p->tot_len);
	pbuf_free(p);
	return ERR_OK;
}

static err_t srv_accept(void *arg, struct tcp_pcb *newpcb, err_t err)
{
	struct stream_state *st = arg;

	if (err != ERR_OK || !newpcb)
		return ERR_VAL;
	st->server = newpcb;
	tcp_arg(newpcb, st);
	tcp_recv(newpcb, srv_recv);
	st->accepted = 1;
	return ERR_OK;
}

static err_t cli_connected(void *arg, struct tcp_pcb *pcb __unused, err_t err)
{
	struct stream_state *st = arg;

	st->connected = err == ERR_OK ? 1 : -1;
	return ERR_OK;
}

UK_TESTCASE(lwip, tcp_stream_of_256_kib_over_loopback_arrives_intact)
{
	static struct stream_state st;
	static u8_t chunk[2048];
	struct tcp_pcb *l, *c;
	ip_addr_t lo = lo_addr();
	unsigned int sent = 0;
	uint64_t end;

	memset((void *)&st, 0, sizeof(st));
	uk_lwip_lock();
	l = tcp_new_ip_type(IPADDR_TYPE_V4);
	UK_TEST_ASSERT(l);
	UK_TEST_EXPECT_EQ(tcp_bind(l, IP4_ADDR_ANY, 7003), ERR_OK);
	l = tcp_listen(l);
	UK_TEST_ASSERT(l);
	tcp_arg(l, &st);
	tcp_accept(l, srv_accept);
	c = tcp_new_ip_type(IPADDR_TYPE_V4);
	UK_TEST_ASSERT(c);
	tcp_arg(c, &st);
	UK_TEST_EXPECT_EQ(tcp_connect(c, &lo, 7003, cli_connected), ERR_OK);
	uk_lwip_unlock();

	UK_TEST_EXPECT(wait_flag(&st.connected, 2000));
	UK_TEST_EXPECT(wait_flag(&st.accepted, 2000));
	UK_TEST_ASSERT(st.connected == 1);

	end = uk_time_now_ns() + 20000000000ull;
	while (sent < TCP_TOTAL && uk_time_now_ns() < end) {
		unsigned int n;

		uk_lwip_lock();
		n = tcp_sndbuf(c);
		if (n > sizeof(chunk))
			n = sizeof(chunk);
		if (n > TCP_TOTAL - sent)
			n = TCP_TOTAL - sent;
		if (n) {
			for (unsigned int i = 0; i < n; i++)
				chunk[i] = pattern(sent + i);
			if (tcp_write(c, chunk, (u16_t)n, TCP_WRITE_FLAG_COPY) == ERR_OK)
				sent += n;
		}
		tcp_output(c);
		uk_lwip_unlock();
		if (!n) {
			volatile int never = 0;

			wait_flag(&never, 1);
		}
	}
	UK_TEST_EXPECT_EQ(sent, TCP_TOTAL);
	uk_lwip_lock();
	UK_TEST_EXPECT_EQ(tcp_close(c), ERR_OK);
	uk_lwip_unlock();

	UK_TEST_EXPECT(wait_flag(&st.peer_closed, 5000));
	UK_TEST_EXPECT_EQ(st.rx, TCP_TOTAL);
	UK_TEST_EXPECT_EQ(st.bad, 0);

	uk_lwip_lock();
	tcp_close(l);
	uk_lwip_unlock();
}

/* ---- ICMP: lwIP answers an echo request ----------------------------- */

struct ping_state {
	volatile int replies;
	u16_t id, seq;
};

/* Sees every ICMP packet before lwIP's ICMP does: takes our echo replies
 * (returns 1), leaves the request to icmp_input (returns 0), which
 * answers it. */
static u8_t ping_recv(void *arg, struct raw_pcb *pcb __unused, struct pbuf *p,
		      const ip_addr_t *addr __unused)
{
	struct ping_state *ps = arg;
	struct icmp_echo_hdr h;
	u16_t hlen;

	if (p->len < IP_HLEN)
		return 0;
	hlen = (u16_t)(IPH_HL((struct ip_hdr *)p->payload) * 4);
	if (pbuf_copy_partial(p, &h, sizeof(h), hlen) != sizeof(h))
		return 0;
	if (ICMPH_TYPE(&h) == ICMP_ER && h.id == ps->id && h.seqno == ps->seq) {
		ps->replies++;
		pbuf_free(p);
		return 1;
	}
	return 0;
}

UK_TESTCASE(lwip, icmp_echo_request_to_loopback_is_answered)
{
	static struct ping_state ps;
	struct raw_pcb *r;
	ip_addr_t lo = lo_addr();
	struct pbuf *p;
	struct icmp_echo_hdr *h;

	memset((void *)&ps, 0, sizeof(ps));
	ps.id = PP_HTONS(0x5555);
	ps.seq = PP_HTONS(1);
	uk_lwip_lock();
	r = raw_new(IP_PROTO_ICMP);
	UK_TEST_ASSERT(r);
	raw_recv(r, ping_recv, &ps);
	p = pbuf_alloc(PBUF_IP, sizeof(*h) + 32, PBUF_RAM);
	UK_TEST_ASSERT(p);
	h = p->payload;
	memset(h, 0, p->len);
	ICMPH_TYPE_SET(h, ICMP_ECHO);
	ICMPH_CODE_SET(h, 0);
	h->id = ps.id;
	h->seqno = ps.seq;
	h->chksum = inet_chksum(h, p->len);
	UK_TEST_EXPECT_EQ(raw_sendto(r, p, &lo), ERR_OK);
	pbuf_free(p);
	uk_lwip_unlock();

	UK_TEST_EXPECT(wait_flag(&ps.replies, 2000));
	UK_TEST_EXPECT_EQ(ps.replies, 1);
	uk_lwip_lock();
	raw_remove(r);
	uk_lwip_unlock();
}

/* ---- timeouts beyond lwIP's static reserve -------------------------- */

static volatile int timeouts_fired;

static void count_timeout(void *arg __unused)
{
	timeouts_fired++;
}

/* More timeouts than the reserve of MEMP_NUM_SYS_TIMEOUT entries
 * (patches/timeouts-reserve.patch): the rest come from the heap and go
 * back to it when they fire (a heap timeout's free once looped forever,
 * hanging the tcpip thread). */
UK_TESTCASE(lwip, timeouts_beyond_the_reserve_fire_and_are_freed)
{
	const int n = MEMP_NUM_SYS_TIMEOUT + 16;

	timeouts_fired = 0;
	uk_lwip_lock();
	for (int k = 0; k < n; k++)
		sys_timeout(5 + (u32_t)k % 7, count_timeout, NULL);
	uk_lwip_unlock();
	wait_flag_count(&timeouts_fired, n, 3000);
	UK_TEST_EXPECT_EQ(timeouts_fired, n);
}

/* ---- lwIP's DNS resolver, against a server on 127.0.0.1:53 ----------- */

/* Answers any A query with 10.9.8.7 (one answer, a pointer to the
 * question's name). */
static void dns_server_recv(void *arg __unused, struct udp_pcb *pcb, struct pbuf *p,
			    const ip_addr_t *addr, u16_t port)
{
	static const u8_t answer[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 9, 8, 7 };
	u8_t buf[512];
	u16_t n = pbuf_copy_partial(p, buf, sizeof(buf) - sizeof(answer), 0);
	struct pbuf *r;

	pbuf_free(p);
	if (n < 12)
		return;
	buf[2] = 0x81;                  /* response, recursion desired */
	buf[3] = 0x80;                  /* recursion available, no error */
	buf[6] = 0;
	buf[7] = 1;                     /* one answer */
	memcpy(buf + n, answer, sizeof(answer));
	r = pbuf_alloc(PBUF_TRANSPORT, (u16_t)(n + sizeof(answer)), PBUF_RAM);
	if (!r)
		return;
	memcpy(r->payload, buf, r->len);
	udp_sendto(pcb, r, addr, port);
	pbuf_free(r);
}

static volatile int dns_done;
static ip_addr_t dns_result;

static void dns_found(const char *name __unused, const ip_addr_t *ip, void *arg __unused)
{
	if (ip)
		dns_result = *ip;
	dns_done = ip ? 1 : -1;
}

UK_TESTCASE(lwip, dns_resolver_asks_the_configured_server)
{
	ip_addr_t lo = lo_addr(), saved[DNS_MAX_SERVERS], got;
	struct udp_pcb *srv;
	err_t e;

	dns_done = 0;
	ip_addr_set_zero(&dns_result);
	uk_lwip_lock();
	for (u8_t k = 0; k < DNS_MAX_SERVERS; k++)
		saved[k] = *dns_getserver(k);
	srv = udp_new();
	UK_TEST_ASSERT(srv);
	UK_TEST_EXPECT_EQ(udp_bind(srv, &lo, 53), ERR_OK);
	udp_recv(srv, dns_server_recv, NULL);
	dns_setserver(0, &lo);
	e = dns_gethostbyname("answer.uniforge.test", &got, dns_found, NULL);
	uk_lwip_unlock();
	UK_TEST_EXPECT_EQ(e, ERR_INPROGRESS);

	UK_TEST_EXPECT(wait_flag(&dns_done, 5000));
	UK_TEST_EXPECT_EQ(dns_done, 1);
	UK_TEST_EXPECT_EQ(ip4_addr_get_u32(ip_2_ip4(&dns_result)), PP_HTONL(0x0a090807));

	uk_lwip_lock();
	/* now cached: answered at once */
	UK_TEST_EXPECT_EQ(dns_gethostbyname("answer.uniforge.test", &got, dns_found, NULL), ERR_OK);
	UK_TEST_EXPECT_EQ(ip4_addr_get_u32(ip_2_ip4(&got)), PP_HTONL(0x0a090807));
	for (u8_t k = 0; k < DNS_MAX_SERVERS; k++)
		dns_setserver(k, &saved[k]);
	udp_remove(srv);
	uk_lwip_unlock();
}
