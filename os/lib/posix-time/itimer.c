/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * setitimer and getitimer: ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF,
 * each a deadline on the monotonic clock and an interval, over one uktime
 * timer event (uk/timer.h). At expiry (interrupt context) the timer is
 * re-armed for the next interval (periods missed while interrupts were off
 * are skipped, as overruns), its signal — SIGALRM, SIGVTALRM, SIGPROF —
 * becomes owed (posix_time_alarms), and the threads sleeping in
 * nanosleep/clock_nanosleep are woken. Signals are synchronous in
 * posix-signal (delivered in the thread that sends them), so an owed
 * signal is sent, with posix-signal's kill, from thread context: by the
 * sleep it interrupts (which then returns -EINTR if a handler ran), or at
 * the next itimer or clock call (clock_gettime, gettimeofday, time: one
 * flag test). Several expiries before then are one signal, as Linux's
 * standard signals. Without posix-signal only the bookkeeping runs.
 * VIRTUAL and PROF count the process's CPU time, which here is the time
 * since boot (clock.c), so all three count alike.
 *
 * On linuxu there is no timer interrupt (uk_timer_event_arm is -ENOTSUP):
 * expiries are accounted when the timer is next read or set, and sleeps
 * wait no longer than the next expiry, so an alarm still ends them.
 *
 * getitimer gives the time left rounded up to a whole microsecond, at
 * least 1 us while armed (as Linux). Errors: -EINVAL (which, or a
 * timeval with tv_usec outside [0, 999999] or tv_sec < 0), -EFAULT.
 * A NULL new value disarms, as Linux still accepts.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/linux/time.h>
#include "time_sys.h"

#if defined(CONFIG_LIBPOSIX_SIGNAL)
#include <uk/linux/signal.h>
#endif
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif

#define SIGALRM   14
#define SIGVTALRM 26
#define SIGPROF   27
#define NSEC_PER_USEC 1000ULL

volatile unsigned int posix_time_alarms;
volatile uint64_t posix_time_next_deadline = UINT64_MAX;
struct posix_time_sleeper *posix_time_sleepers;

struct itimer {
	uint64_t deadline;              /* monotonic ns; 0: disarmed */
	uint64_t interval;              /* ns; 0: one-shot */
	unsigned long fired;            /* expiries so far */
	int sig;
	struct uk_timer_event ev;
};

static struct itimer timers[3] = {
	[UK_ITIMER_REAL] = { .sig = SIGALRM },
	[UK_ITIMER_VIRTUAL] = { .sig = SIGVTALRM },
	[UK_ITIMER_PROF] = { .sig = SIGPROF },
};

/* Accounts the expiries of t up to now, and owes its signal; true if it
 * expired at least once. Interrupts masked. */
static bool catch_up(struct itimer *t, uint64_t now)
{
	uint64_t n;

	if (!t->deadline || t->deadline > now)
		return false;
	if (!t->interval) {
		t->deadline = 0;
		t->fired++;
	} else {
		n = (now - t->deadline) / t->interval + 1;
		t->deadline += n * t->interval;
		t->fired += n;
	}
	posix_time_alarms |= 1U << (t - timers);
	return true;
}

static void wake_sleepers(void)
{
#if defined(CONFIG_LIBUKSCHED)
	struct posix_time_sleeper *s;

	/* Not the current thread: it may be the one idling in the
	 * scheduler, blocked until this very expiry (sleep.c), which wakes
	 * it by its deadline anyway. */
	for (s = posix_time_sleepers; s; s = s->next)
		if (s->thread && s->thread != uk_thread_current())
			uk_thread_wake(s->thread);
#endif
}

static void expire(struct uk_timer_event *ev __unused, void *arg)
{
	struct itimer *t = arg;

	if (!catch_up(t, uk_time_now_ns()))
		return;
	if (t->deadline)
		uk_timer_event_arm(&t->ev, t->deadline, expire, t);
	posix_time_next_alarm();
	wake_sleepers();
}

uint64_t posix_time_next_alarm(void)
{
	uint64_t now = uk_time_now_ns(), next = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < UK_ARRAY_SIZE(timers); i++) {
		catch_up(&timers[i], now);
		if (timers[i].deadline && timers[i].deadline < next)
			next = timers[i].deadline;
	}
	posix_time_next_deadline = next;
	return next;
}

bool posix_time_deliver(void)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	unsigned int owed;
	bool interrupts = false;

	posix_time_next_alarm();        /* expiries no interrupt reported */
	owed = posix_time_alarms;
	posix_time_alarms = 0;
	ukplat_lcpu_restore_irqf(irqf);
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	for (unsigned int i = 0; i < UK_ARRAY_SIZE(timers); i++) {
		struct uk_sigaction a = { 0 };
		unsigned long blocked = 0;
		int sig = timers[i].sig;

		if (!(owed & (1U << i)))
			continue;
		uk_sys_rt_sigaction(sig, NULL, &a, sizeof(blocked));
		uk_sys_rt_sigprocmask(UK_SIG_BLOCK, NULL, &blocked, sizeof(blocked));
		/* a handler that runs now (SIG_DFL ends the process in kill
		 * for these three; a blocked one stays pending) */
		if (a.sa_handler != UK_SIG_IGN && a.sa_handler != UK_SIG_DFL &&
		    !(blocked & (1UL << (sig - 1))))
			interrupts = true;
		uk_sys_kill(0, sig);
	}
#else
	(void)owed;
#endif
	return interrupts;
}

static uint64_t tv_ns(const struct uk_timeval *tv)
{
	uint64_t s = (uint64_t)tv->tv_sec;

	if (s > (UINT64_MAX / 2) / UK_NSEC_PER_SEC)
		return UINT64_MAX / 2;  /* never, in practice; no overflow */
	return s * UK_NSEC_PER_SEC + (uint64_t)tv->tv_usec * NSEC_PER_USEC;
}

static struct uk_timeval ns_tv(uint64_t ns)
{
	ns = (ns + NSEC_PER_USEC - 1) / NSEC_PER_USEC;  /* whole us, up */
	return (struct uk_timeval){ (long)(ns / 1000000), (long)(ns % 1000000) };
}

static bool tv_valid(const struct uk_timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

/* t's current value. Interrupts masked. */
static struct uk_itimerval value_of(struct itimer *t, uint64_t now)
{
	struct uk_itimerval v = { ns_tv(t->interval), { 0, 0 } };

	catch_up(t, now);
	if (t->deadline) {
		v.it_value = ns_tv(t->deadline - now);
		if (!v.it_value.tv_sec && !v.it_value.tv_usec)
			v.it_value.tv_usec = 1;
	}
	return v;
}

long uk_sys_getitimer(int which, struct uk_itimerval *value)
{
	struct uk_itimerval v;
	unsigned long irqf;

	if (which < UK_ITIMER_REAL || which > UK_ITIMER_PROF)
		return -EINVAL;
	irqf = ukplat_lcpu_save_irqf();
	v = value_of(&timers[which], uk_time_now_ns());
	ukplat_lcpu_restore_irqf(irqf);
	posix_time_check_alarms();
	return uk_copy_to_user(value, &v, sizeof(v));
}

long uk_sys_setitimer(int which, const struct uk_itimerval *value, struct uk_itimerval *ovalue)
{
	struct uk_itimerval nv = { { 0, 0 }, { 0, 0 } }, old;
	struct itimer *t;
	unsigned long irqf;
	uint64_t now;

	if (which < UK_ITIMER_REAL || which > UK_ITIMER_PROF)
		return -EINVAL;
	if (value && uk_copy_from_user(&nv, value, sizeof(nv)))
		return -EFAULT;
	if (!tv_valid(&nv.it_value) || !tv_valid(&nv.it_interval))
		return -EINVAL;
	t = &timers[which];
	irqf = ukplat_lcpu_save_irqf();
	now = uk_time_now_ns();
	old = value_of(t, now);
	uk_timer_event_cancel(&t->ev);
	t->interval = tv_ns(&nv.it_interval);
	t->deadline = tv_ns(&nv.it_value) ? now + tv_ns(&nv.it_value) : 0;
	if (t->deadline)
		/* -ENOTSUP on linuxu, -EBUSY while a test holds the timer:
		 * then expiries are only accounted (see the top) */
		uk_timer_event_arm(&t->ev, t->deadline, expire, t);
	posix_time_next_alarm();
	ukplat_lcpu_restore_irqf(irqf);
	posix_time_check_alarms();
	if (ovalue && uk_copy_to_user(ovalue, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

unsigned long posix_time_itimer_fired(int which)
{
	unsigned long irqf = ukplat_lcpu_save_irqf(), n;

	catch_up(&timers[which], uk_time_now_ns());
	n = timers[which].fired;
	ukplat_lcpu_restore_irqf(irqf);
	return n;
}
