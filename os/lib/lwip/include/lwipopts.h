/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's options for uniforge. Every option we set differently from
 * lwIP's defaults (src/include/lwip/opt.h) is here, with why. Anything
 * not named keeps lwIP's default.
 *
 * Two modes (README.md):
 * - a scheduler in the image (CONFIG_LIBUKSCHED): NO_SYS=0, a tcpip
 *   thread running lwIP's timers and input; other threads call the raw
 *   API between uk_lwip_lock() and uk_lwip_unlock() (core locking);
 * - no scheduler: NO_SYS=1, the application drives the stack with
 *   uk_lwip_poll() (input + timers), raw API only.
 *
 * The block between "posix-socket: begin" and "posix-socket: end" belongs
 * to the posix-socket library (issue 9 contracts, section 4).
 */
#ifndef UK_LWIPOPTS_H
#define UK_LWIPOPTS_H


/* ---- Operating-system integration ---------------------------------- */

#ifdef CONFIG_LIBUKSCHED
/* Threads exist: lwIP runs its own tcpip thread (sys_arch.c). */
#define NO_SYS 0
/* Any thread may enter the core between LOCK_TCPIP_CORE() (our
 * uk_lwip_lock()) and UNLOCK_TCPIP_CORE(): no message round trip per
 * call, which the socket layer relies on. */
#define LWIP_TCPIP_CORE_LOCKING 1
/* Received frames are handed in by the tcpip thread itself: the driver's
 * RX interrupt only posts a message to its mailbox (netif.c), so an
 * interrupt handler never takes the core lock. */
#define LWIP_TCPIP_CORE_LOCKING_INPUT 0
#define TCPIP_THREAD_NAME "lwip-tcpip"
#define TCPIP_THREAD_STACKSIZE 16384
#define TCPIP_THREAD_PRIO 0
/* Mailbox of the tcpip thread: received frames and callbacks wait there
 * (default 0, which a port must set). */
#define TCPIP_MBOX_SIZE 512
#define DEFAULT_THREAD_STACKSIZE 16384
/* Checks (with LWIP_DEBUG) that the core is entered with the lock held. */
#define LWIP_ASSERT_CORE_LOCKED() uk_lwip_assert_core_locked()
void uk_lwip_assert_core_locked(void);
#else
/* No scheduler: no threads, the application polls (uk_lwip_poll()). */
#define NO_SYS 1
#endif

/* Our own socket layer (os/lib/posix-socket) sits on the raw API: lwIP's
 * sockets and netconn layers (which keep their own descriptor table) are
 * not built. */
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0

/* Short critical sections (pbuf reference counts, pools) mask
 * interrupts (sys_arch.c): one CPU, threads may be preempted. NO_SYS has
 * one flow of control (interrupt handlers never touch lwIP's state), so
 * nothing to protect. */
#if NO_SYS
#define SYS_LIGHTWEIGHT_PROT 0
#else
#define SYS_LIGHTWEIGHT_PROT 1
#endif

/* ---- Memory: everything from ukalloc ------------------------------- */

/* lwIP's heap is ukalloc's (mem_malloc -> uk_malloc), and so are its
 * pools (MEMP_MEM_MALLOC): memory grows with load and goes back to the
 * system allocator; an exhausted heap is ERR_MEM (ENOBUFS/ENOMEM at the
 * socket), never a crash. The MEMP_NUM_* counts are then not limits. */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
void *uk_lwip_malloc(unsigned long size);
void *uk_lwip_calloc(unsigned long n, unsigned long size);
void uk_lwip_free(void *p);
#define mem_clib_malloc uk_lwip_malloc
#define mem_clib_calloc uk_lwip_calloc
#define mem_clib_free uk_lwip_free
/* 64-bit targets: pbuf payloads and pool elements 8-byte aligned. */
#define MEM_ALIGNMENT 8

/* ---- Protocols ------------------------------------------------------ */

#define LWIP_IPV4 1
#ifdef CONFIG_LIBLWIP_IPV6
#define LWIP_IPV6 1
/* Link-local address from the MAC; SLAAC from router advertisements. */
#define LWIP_IPV6_AUTOCONFIG 1
#define LWIP_IPV6_NUM_ADDRESSES 3
/* 64-bit pointers do not fit the fragment header that reassembly reuses
 * (struct ip6_reass_helper): the headers are copied aside instead.
 * Without it ip6_reass_tmr() asserts once a second (found by
 * tests/host/test_lwip_fuzz.py). */
#define IPV6_FRAG_COPYHEADER 1
#else
#define LWIP_IPV6 0
#endif
#define LWIP_ARP 1
#define LWIP_ICMP 1
#define LWIP_RAW 1
#define LWIP_UDP 1
#define LWIP_TCP 1
/* DHCP client (off by default in lwIP). */
#define LWIP_DHCP 1
/* lwIP's default probes the offered address with ARP before binding,
 * which adds ~1-2 s to every boot; QEMU's slirp (and a DHCP server in
 * general) hands out unique addresses. */
#define DHCP_DOES_ARP_CHECK 0
/* DNS resolver (off by default in lwIP); servers from DHCP or
 * netdev.dns=. */
#define LWIP_DNS 1
#define DNS_MAX_SERVERS 2
/* The interface's name is sent in DHCP requests (the app's name). */
#define LWIP_NETIF_HOSTNAME 1
/* Status/link callbacks: the UK-NET line and DHCP completion. */
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK 1
/* The loopback interface 127.0.0.1 (lo), also on machines without a
 * NIC; packets to our own address loop back too. */
#define LWIP_HAVE_LOOPIF 1
#define LWIP_NETIF_LOOPBACK 1
#define LWIP_LOOPBACK_MAX_PBUFS 0
/* Checksums: lwIP's fastest generic algorithm, and per-interface control
 * so a device that checks RX checksums (or completes TX ones) skips the
 * software work (netif.c). */
#define LWIP_CHKSUM_ALGORITHM 3
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
/* lwIP's err_t -> errno table uses our (Linux) numbers. */
#define LWIP_ERRNO_INCLUDE "uk/errno.h"

/* TCP segment size for Ethernet's 1500-byte MTU (lwIP default 536). */
#define TCP_MSS 1460

/* posix-socket: begin */
/* Options of the socket layer (owned by os/lib/posix-socket). */
#define SO_REUSE 1
#define LWIP_TCP_KEEPALIVE 1
#define TCP_LISTEN_BACKLOG 1
#define TCP_WND (16 * TCP_MSS)
#define TCP_SND_BUF (16 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
/* posix-socket: end */

/* ---- Diagnostics ---------------------------------------------------- */

/* Statistics are not collected (lwIP's default collects them). */
#define LWIP_STATS 0

#endif
