/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lwIP library's API for the rest of the system (os/lib/lwip).
 *
 * With a scheduler (NO_SYS=0) lwIP's core belongs to whoever holds the
 * core lock: the tcpip thread (timers, received frames) or a thread that
 * took it with uk_lwip_lock(). Call lwIP's raw API (tcp_*, udp_*, pbuf_*,
 * netif_*, dns_*) only between uk_lwip_lock() and uk_lwip_unlock(). lwIP's
 * callbacks (tcp_recv, tcp_sent, tcp_accept, tcp_err, udp_recv...) run
 * with the lock held. The lock is recursive, but a callback should not
 * block: every other thread's network calls wait for it.
 *
 * Without a scheduler (NO_SYS=1) there is no lock and no thread: the
 * application calls uk_lwip_poll() in its loop, which hands received
 * frames to lwIP and runs its timers; callbacks run inside that call.
 */
#ifndef UK_LWIP_H
#define UK_LWIP_H

#include <uk/essentials.h>

#ifdef CONFIG_LIBUKSCHED
/* Enter / leave lwIP's core (thread context only; not from an interrupt
 * handler). */
void uk_lwip_lock(void);
void uk_lwip_unlock(void);
/* Whether the calling thread holds the core lock. */
bool uk_lwip_locked(void);
#else
static inline void uk_lwip_lock(void) {}
static inline void uk_lwip_unlock(void) {}
static inline bool uk_lwip_locked(void) { return true; }
#endif

#ifndef CONFIG_LIBUKSCHED
/*
 * NO_SYS mode only (no scheduler): drives the stack once. Frames every
 * interface received are handed to lwIP, looped-back packets delivered
 * and the timers that are due run. Returns the number of frames taken in.
 */
int uk_lwip_poll(void);

/*
 * NO_SYS mode only: nanoseconds until lwIP's next timer is due (an idle
 * loop may halt that long, or until an interrupt); UINT64_MAX when none.
 */
uint64_t uk_lwip_next_timeout_ns(void);
#endif

#endif
