/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_INET / AF_INET6 sockets: socket() for the family (which protocol
 * goes where), socket addresses to and from lwIP's ip_addr_t, and lwIP's
 * errors as errno values. TCP is inet_tcp.c, UDP inet_udp.c.
 */
#include "inet.h"

int inet_errno(err_t e)
{
	switch (e) {
	case ERR_OK:         return 0;
	case ERR_MEM:        return -ENOMEM;
	case ERR_BUF:        return -ENOBUFS;
	case ERR_TIMEOUT:    return -ETIMEDOUT;
	case ERR_RTE:        return -ENETUNREACH;
	case ERR_INPROGRESS: return -EINPROGRESS;
	case ERR_VAL:        return -EINVAL;
	case ERR_WOULDBLOCK: return -EAGAIN;
	case ERR_USE:        return -EADDRINUSE;
	case ERR_ALREADY:    return -EALREADY;
	case ERR_ISCONN:     return -EISCONN;
	case ERR_CONN:       return -ENOTCONN;
	case ERR_IF:         return -ENETDOWN;
	case ERR_ABRT:       return -ECONNABORTED;
	case ERR_RST:        return -ECONNRESET;
	case ERR_CLSD:       return -ENOTCONN;
	default:             return -EIO;
	}
}

static uint16_t ntohs16(uint16_t v)
{
	return (uint16_t)((v >> 8) | (v << 8));
}

uint8_t inet_iptype(int family)
{
#if LWIP_IPV6
	return family == UK_AF_INET6 ? IPADDR_TYPE_ANY : IPADDR_TYPE_V4;
#else
	(void)family;
	return IPADDR_TYPE_V4;
#endif
}

const ip_addr_t *inet_any(int family)
{
#if LWIP_IPV6
	if (family == UK_AF_INET6)
		return IP_ANY_TYPE;
#endif
	(void)family;
	return IP4_ADDR_ANY;
}

int inet_addr_in(int family, const struct uk_sockaddr_storage *a, unsigned int len,
		 ip_addr_t *ip, uint16_t *port)
{
	if (len < sizeof(a->ss_family))
		return -EINVAL;
	if (a->ss_family == UK_AF_INET) {
		const struct uk_sockaddr_in *in = (const void *)a;

		if (len < sizeof(*in))
			return -EINVAL;
		ip_addr_set_ip4_u32(ip, in->sin_addr.s_addr);
		*port = ntohs16(in->sin_port);
		return 0;
	}
#if LWIP_IPV6
	if (a->ss_family == UK_AF_INET6 && family == UK_AF_INET6) {
		const struct uk_sockaddr_in6 *in6 = (const void *)a;
		const uint8_t *b = in6->sin6_addr.s6_addr;
		uint32_t w[4];

		if (len < sizeof(*in6))
			return -EINVAL;
		__builtin_memcpy(w, b, sizeof(w));
		*port = ntohs16(in6->sin6_port);
		/* ::ffff:a.b.c.d is IPv4 to lwIP */
		if (!w[0] && !w[1] && b[8] == 0 && b[9] == 0 && b[10] == 0xff && b[11] == 0xff) {
			ip_addr_set_ip4_u32(ip, w[3]);
			return 0;
		}
		if (!(w[0] | w[1] | w[2] | w[3])) {
			/* :: is every address, IPv4 ones too (dual stack) */
			ip_addr_copy(*ip, *IP_ANY_TYPE);
			return 0;
		}
		IP_ADDR6(ip, w[0], w[1], w[2], w[3]);
		ip6_addr_clear_zone(ip_2_ip6(ip));
		return 0;
	}
#endif
	(void)family;
	return -EAFNOSUPPORT;
}

void inet_addr_out(int family, const ip_addr_t *ip, uint16_t port,
		   struct uk_sockaddr_storage *a, unsigned int *len)
{
	__builtin_memset(a, 0, sizeof(*a));
#if LWIP_IPV6
	if (family == UK_AF_INET6) {
		struct uk_sockaddr_in6 *in6 = (void *)a;

		in6->sin6_family = UK_AF_INET6;
		in6->sin6_port = ntohs16(port);
		if (IP_IS_V6(ip)) {
			__builtin_memcpy(in6->sin6_addr.s6_addr, ip_2_ip6(ip)->addr, 16);
		} else if (!ip_addr_isany(ip)) {
			uint32_t v4 = ip4_addr_get_u32(ip_2_ip4(ip));

			in6->sin6_addr.s6_addr[10] = 0xff;
			in6->sin6_addr.s6_addr[11] = 0xff;
			__builtin_memcpy(&in6->sin6_addr.s6_addr[12], &v4, 4);
		}
		*len = sizeof(*in6);
		return;
	}
#endif
	struct uk_sockaddr_in *in = (void *)a;

	(void)family;
	in->sin_family = UK_AF_INET;
	in->sin_port = ntohs16(port);
	in->sin_addr.s_addr = IP_IS_V4(ip) ? ip4_addr_get_u32(ip_2_ip4(ip)) : 0;
	*len = sizeof(*in);
}

int uk_inet_socket(int family, int type, int protocol, struct uk_sock **s)
{
#if !LWIP_IPV6
	if (family == UK_AF_INET6)
		return -EAFNOSUPPORT;
#endif
	switch (type) {
	case UK_SOCK_STREAM:
		if (protocol && protocol != UK_IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		return inet_tcp_socket(family, s);
	case UK_SOCK_DGRAM:
		if (protocol && protocol != UK_IPPROTO_UDP)
			return -EPROTONOSUPPORT;
		return inet_udp_socket(family, s);
	default:
		return -ESOCKTNOSUPPORT;
	}
}
