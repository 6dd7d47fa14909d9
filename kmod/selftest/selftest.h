/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-module self tests of the packet-independent pieces, run at load with
 * selftest=1 and reported as KTAP lines in the kernel log.
 */
#ifndef _MBMS_SELFTEST_H
#define _MBMS_SELFTEST_H

#include <linux/types.h>

int mbms_selftest_run(void);

bool mbms_selftest_aes_cm_b2(void);
bool mbms_selftest_kdf_b3(void);
bool mbms_selftest_srtp_iv(void);
bool mbms_selftest_hmac(void);
bool mbms_selftest_roc(void);
bool mbms_selftest_window(void);
bool mbms_selftest_window_wide(void);
bool mbms_selftest_key_reserve(void);
bool mbms_selftest_rx_nomem(void);

#endif /* _MBMS_SELFTEST_H */
