/* SPDX-License-Identifier: BSD-3-Clause */
/* The page-table tests of the platform API are shared by the VM platforms:
 * see os/plat/kvm/tests/test_paging.c. */
#include "../../kvm/tests/test_paging.c"
