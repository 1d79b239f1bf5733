/*
 * lwipopts.h of the host fuzzer (tests/host/lwipfuzz): the image's own
 * options (os/lib/lwip/include/lwipopts.h, passed as LWIPFUZZ_IMAGE_OPTS by
 * tests/host/test_lwip_fuzz.py), then what the host build must change.
 *
 * Changed for the host, and why:
 *   NO_SYS=1, no netconn/sockets, no core locking: one thread, the harness
 *     drives input and timers itself (the image's NO_SYS=1 mode).
 *   MEM_LIBC_MALLOC + MEMP_MEM_MALLOC through fz_malloc/fz_free: every
 *     lwIP allocation is a separate malloc, so ASan sees each buffer's
 *     exact bounds, and the harness counts live allocations (leak check)
 *     and can fail the n-th one (out-of-memory paths).
 *   CHECKSUM_CHECK_*=0: mutated frames reach the protocol code instead of
 *     stopping at the checksum (checksum checking itself is exercised by
 *     the flood test against a booted guest).
 *   LWIP_HOOK_TCP_ISN: a fixed initial sequence number, so a seed can
 *     complete a TCP handshake and inputs replay the same way.
 */
#ifndef LWIPFUZZ_LWIPOPTS_H
#define LWIPFUZZ_LWIPOPTS_H

/* the image's configuration this build stands for: IPv6 on (the larger
 * input surface), no scheduler (NO_SYS=1) */
#define CONFIG_LIBLWIP_IPV6 1
#undef CONFIG_LIBUKSCHED
#include LWIPFUZZ_IMAGE_OPTS

/* glibc's errno numbers on the host (the image uses uk/errno.h) */
#undef LWIP_ERRNO_INCLUDE

#undef NO_SYS
#define NO_SYS 1
#undef LWIP_NETCONN
#define LWIP_NETCONN 0
#undef LWIP_SOCKET
#define LWIP_SOCKET 0
#undef SYS_LIGHTWEIGHT_PROT
#define SYS_LIGHTWEIGHT_PROT 0
#undef LWIP_TCPIP_CORE_LOCKING
#define LWIP_TCPIP_CORE_LOCKING 0
#undef LWIP_ASSERT_CORE_LOCKED
#undef LWIP_NOASSERT
#undef LWIP_DEBUG

#undef MEM_LIBC_MALLOC
#define MEM_LIBC_MALLOC 1
#undef MEMP_MEM_MALLOC
#define MEMP_MEM_MALLOC 1
#undef MEM_USE_POOLS
#define MEM_USE_POOLS 0
#undef mem_clib_malloc
#undef mem_clib_calloc
#undef mem_clib_free
#include <stddef.h>
void *fz_malloc(size_t n);
void *fz_calloc(size_t n, size_t m);
void fz_free(void *p);
#define mem_clib_malloc fz_malloc
#define mem_clib_calloc fz_calloc
#define mem_clib_free fz_free

#undef CHECKSUM_CHECK_IP
#define CHECKSUM_CHECK_IP 0
#undef CHECKSUM_CHECK_UDP
#define CHECKSUM_CHECK_UDP 0
#undef CHECKSUM_CHECK_TCP
#define CHECKSUM_CHECK_TCP 0
#undef CHECKSUM_CHECK_ICMP
#define CHECKSUM_CHECK_ICMP 0
#undef CHECKSUM_CHECK_ICMP6
#define CHECKSUM_CHECK_ICMP6 0

#undef LWIP_HOOK_TCP_ISN
unsigned int fz_isn(void);
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport) fz_isn()

/* the harness needs what the image must have */
#if !LWIP_IPV4 || !LWIP_ARP || !LWIP_ICMP || !LWIP_UDP || !LWIP_TCP || !LWIP_DHCP || !LWIP_DNS
#error "the image's lwipopts.h turned off a protocol of issue 9 (IPv4, ARP, ICMP, UDP, TCP, DHCP, DNS)"
#endif

#endif
