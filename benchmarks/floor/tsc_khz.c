/* Prints the host's TSC rate in kHz (x86 hosts only).
 *
 * Under TCG a guest's RDTSC reads the host's TSC, so this is the TSC rate the
 * guest sees.  linux_baseline.py passes it as `tsc_early_khz=` to Linux on
 * -M microvm: microvm has no HPET or ACPI PM timer, and under TCG on a busy
 * host the kernel's TSC calibration against the PIT fails, after which the
 * boot hangs waiting for timer ticks that never come.  (Under KVM the kernel
 * would get the rate from kvmclock / CPUID instead.)
 */
#include <stdio.h>
#include <time.h>
#include <x86intrin.h>

int main(void)
{
	struct timespec a, b, d = {0, 50 * 1000 * 1000};
	double k[5];
	for (int i = 0; i < 5; i++) {
		clock_gettime(CLOCK_MONOTONIC_RAW, &a);
		unsigned long long t0 = __rdtsc();
		nanosleep(&d, 0);
		unsigned long long t1 = __rdtsc();
		clock_gettime(CLOCK_MONOTONIC_RAW, &b);
		double ns = (b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec);
		k[i] = (t1 - t0) / ns * 1e6;
	}
	for (int i = 1; i < 5; i++) /* median of 5: insertion sort */
		for (int j = i; j > 0 && k[j - 1] > k[j]; j--) {
			double t = k[j];
			k[j] = k[j - 1];
			k[j - 1] = t;
		}
	printf("%.0f\n", k[2]);
	return 0;
}
