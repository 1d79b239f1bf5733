/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The wall clock on x86 QEMU (uk/plat/time.h, ukplat_wall_clock()): the
 * MC146818 CMOS RTC at ports 0x70/0x71. QEMU's pc always has one, set to
 * the host's UTC time (-rtc base=utc, the default); microvm has one under
 * TCG and none under KVM (rtc=auto), so it is probed: a running RTC has
 * register A's divider at 010 (32.768 kHz), which a port nobody decodes
 * (all ones, or zeros) cannot show. Without one, uktime takes the time
 * from the runner's uktime.wall parameter.
 *
 * Read with the usual care: wait until no update is in progress, read
 * everything, and again until two reads agree (an update may start in
 * between). BCD or binary and 12- or 24-hour format per register B;
 * the century from register 0x32 (the ACPI default), else 20xx.
 * Whole seconds only: uktime reads it once.
 */
#include <uk/essentials.h>
#include <uk/plat/time.h>
#include <x86/cpu.h>

#define CMOS_INDEX  0x70
#define CMOS_DATA   0x71
#define CMOS_NMI_OFF 0x80      /* keep NMIs masked while selecting */

#define RTC_SEC     0x00
#define RTC_MIN     0x02
#define RTC_HOUR    0x04
#define RTC_MDAY    0x07
#define RTC_MON     0x08
#define RTC_YEAR    0x09
#define RTC_A       0x0a
#define RTC_B       0x0b
#define RTC_CENTURY 0x32

#define RTC_A_UIP       0x80    /* update in progress */
#define RTC_A_DV_MASK   0x70
#define RTC_A_DV_32K    0x20
#define RTC_B_24H       0x02
#define RTC_B_BINARY    0x04
#define RTC_HOUR_PM     0x80

struct rtc_time {
	uint8_t sec, min, hour, mday, mon, year, century;
};

static uint8_t cmos(uint8_t reg)
{
	x86_outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	return x86_inb(CMOS_DATA);
}

static void read_once(struct rtc_time *t)
{
	unsigned int spins = 0;

	/* an update takes < 2 ms; do not hang on a broken one */
	while ((cmos(RTC_A) & RTC_A_UIP) && spins++ < 1000000)
		;
	t->sec = cmos(RTC_SEC);
	t->min = cmos(RTC_MIN);
	t->hour = cmos(RTC_HOUR);
	t->mday = cmos(RTC_MDAY);
	t->mon = cmos(RTC_MON);
	t->year = cmos(RTC_YEAR);
	t->century = cmos(RTC_CENTURY);
}

static unsigned int bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 0x0f);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

const char *ukplat_wall_clock(uint64_t *ns)
{
	struct rtc_time a, b;
	unsigned int sec, min, hour, mday, mon, year, century;
	uint8_t regb;
	int tries = 0;
	int64_t days;

	if ((cmos(RTC_A) & RTC_A_DV_MASK) != RTC_A_DV_32K)
		return NULL;                            /* no RTC here */
	read_once(&b);
	do {
		a = b;
		read_once(&b);
	} while ((a.sec != b.sec || a.min != b.min || a.hour != b.hour || a.mday != b.mday ||
		  a.mon != b.mon || a.year != b.year) && ++tries < 5);
	regb = cmos(RTC_B);
	bool pm = b.hour & RTC_HOUR_PM;

	b.hour &= ~RTC_HOUR_PM;
	if (regb & RTC_B_BINARY) {
		sec = b.sec; min = b.min; hour = b.hour;
		mday = b.mday; mon = b.mon; year = b.year; century = b.century;
	} else {
		sec = bcd(b.sec); min = bcd(b.min); hour = bcd(b.hour);
		mday = bcd(b.mday); mon = bcd(b.mon); year = bcd(b.year);
		century = bcd(b.century);
	}
	if (!(regb & RTC_B_24H))                        /* 12 h: 12 AM is 0 */
		hour = hour % 12 + (pm ? 12 : 0);
	if (century < 19 || century > 99)
		century = 20;
	if (mon < 1 || mon > 12 || mday < 1 || mday > 31 || hour > 23 || min > 59 || sec > 59)
		return NULL;                            /* not a clock we can read */
	days = days_from_civil(century * 100 + year, mon, mday);
	if (days < 0)
		return NULL;
	*ns = (((uint64_t)days * 24 + hour) * 60 + min) * 60 + sec;
	*ns *= 1000000000ULL;
	return "cmos-rtc";
}
