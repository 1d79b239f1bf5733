/* SPDX-License-Identifier: BSD-3-Clause */
/* uktls tests: a __thread variable of another compile unit. */
__thread int uktls_test_other = 7;

int *uktls_test_other_addr(void)
{
	return &uktls_test_other;
}
