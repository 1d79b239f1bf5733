/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PSCI (Arm DEN 0022) calls through the conduit the device tree (/psci
 * "method") or the board names (os/plat/arm64/psci.c).
 */
#ifndef ARM64_PSCI_H
#define ARM64_PSCI_H

#include <uk/essentials.h>
#include <arm64/board.h>

#define PSCI_VERSION       0x84000000U
#define PSCI_CPU_ON_64     0xc4000003U
#define PSCI_SYSTEM_OFF    0x84000008U
#define PSCI_SYSTEM_RESET  0x84000009U
#define PSCI_NOT_SUPPORTED (-1)

/* ARM64_PSCI_NONE, _HVC or _SMC; -1 until the first call looks it up
 * (the device tree's /psci "method", else the board's when entered at
 * EL1): boot does not spend time on what only halting needs. */
extern int arm64_psci_conduit;

/* The call's x0 result; PSCI_NOT_SUPPORTED without a conduit. */
int64_t arm64_psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

#endif
