// SPDX-License-Identifier: GPL-2.0
/*
 * mbms_bench_crypto.ko: the kernel crypto floor of `make bench`.
 *
 * It links the module's own kmod/crypto.c (mirrored next to this file by
 * scripts/bench.sh) and, when loaded, times per packet exactly the crypto
 * calls that the packet path makes (mbms_cipher_hmac_digest() over header
 * || payload || ROC, mbms_cipher_iv(), mbms_cipher_ctr() over the payload)
 * on a kmalloc'ed buffer, with no skb, lookup or replay work around them.
 * Each figure is the fastest of @rounds rounds of @iters / @rounds
 * packets: on a shared host (and more so under QEMU TCG) interference
 * only ever adds time.  Results go to the kernel log, one line per
 * payload size:
 *
 *   mbms_bench_crypto: payload=172 iters=20000 both_ns=... ctr_ns=...
 *	hmac_ns=... simd=1 hmac_split_ns=...
 *
 * (totals scaled to iters packets).  Bench keys only.  Unload it
 * afterwards.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/simd.h>
#include <crypto/internal/simd.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "crypto.h"

#define BENCH_RTP_HDR	12
#define BENCH_ROC_LEN	4
#define BENCH_MAX_SIZE	1400
#define BENCH_MAX_SIZES	8

static unsigned int iters = 20000;
module_param(iters, uint, 0444);
MODULE_PARM_DESC(iters, "packets timed per payload size (default 20000)");

static unsigned int rounds = 5;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "report the fastest of this many rounds (default 5)");

static unsigned int sizes[BENCH_MAX_SIZES] = { 64, 172, 512, 1200 };
static int nsizes = 4;
module_param_array(sizes, uint, &nsizes, 0444);
MODULE_PARM_DESC(sizes, "RTP payload sizes in bytes (default 64,172,512,1200)");

static unsigned int cold;
module_param(cold, uint, 0444);
MODULE_PARM_DESC(cold, "also time each packet on the next of this many page-sized buffers, mean of all packets (default 0: off)");

/*
 * BENCH_HMAC_SPLIT: the HMAC as the packet path computed it before it
 * became one digest (init, update over the packet, update over the ROC,
 * final), so that the difference is measured side by side.
 */
enum { BENCH_CTR = 1, BENCH_HMAC = 2, BENCH_HMAC_SPLIT = 4 };

/* Time @what over @n packets of @size payload bytes; total ns or < 0. */
static s64 bench_run(const struct mbms_cipher *c, u8 *buf, unsigned int size,
		     unsigned int n, int what)
{
	u8 mac[MBMS_HMAC_LEN], iv[16];
	unsigned int i;
	u64 t0;
	int err = 0;

	t0 = ktime_get_ns();
	for (i = 0; i < n && !err; i++) {
		if (what & BENCH_HMAC)
			err = mbms_cipher_hmac_digest(c, buf,
						      BENCH_RTP_HDR + size + 4,
						      mac);
		if (what & BENCH_HMAC_SPLIT)
			err = mbms_cipher_hmac(c, buf, BENCH_RTP_HDR + size,
					       buf + BENCH_RTP_HDR + size, 4,
					       mac);
		if (!err && (what & BENCH_CTR)) {
			mbms_cipher_iv(c, 0x4d424d53, i, iv);
			err = mbms_cipher_ctr(c, iv, buf + BENCH_RTP_HDR, size);
		}
		if ((i & 255) == 255)
			cond_resched();
	}
	memzero_explicit(mac, sizeof(mac));
	return err ? err : (s64)(ktime_get_ns() - t0);
}

/* The fastest of @rounds rounds of @n / @rounds packets, scaled to @n. */
static s64 bench_min(const struct mbms_cipher *c, u8 *buf, unsigned int size,
		     unsigned int n, int what)
{
	unsigned int r, per = max(n / rounds, 1U);
	s64 best = S64_MAX, t;

	for (r = 0; r < rounds; r++) {
		t = bench_run(c, buf, size, per, what);
		if (t < 0)
			return t;
		best = min(best, t);
	}
	return div_u64((u64)best * n, per);
}

/*
 * The floor as the packet path meets it: every packet in a buffer of its
 * own (a ring of @cold pages, so no data or TLB entry is warm from the
 * previous packet) and the mean of all packets rather than the fastest
 * round.  The gap between this and both_ns is the part of the module's
 * distance to the floor that comes from running the crypto cold, not
 * from the module's own code.
 */
static s64 bench_cold(const struct mbms_cipher *c, unsigned int size,
		      unsigned int n)
{
	u8 mac[MBMS_HMAC_LEN], iv[16], *ring, *buf;
	unsigned int i;
	int err = 0;
	u64 t0;

	ring = vzalloc(array_size(cold, PAGE_SIZE));
	if (!ring)
		return -ENOMEM;
	t0 = ktime_get_ns();
	for (i = 0; i < n && !err; i++) {
		buf = ring + (size_t)(i % cold) * PAGE_SIZE;
		err = mbms_cipher_hmac_digest(c, buf, BENCH_RTP_HDR + size + 4,
					      mac);
		if (!err) {
			mbms_cipher_iv(c, 0x4d424d53, i, iv);
			err = mbms_cipher_ctr(c, iv, buf + BENCH_RTP_HDR, size);
		}
		if ((i & 255) == 255)
			cond_resched();
	}
	t0 = ktime_get_ns() - t0;
	memzero_explicit(mac, sizeof(mac));
	vfree(ring);
	return err ? err : (s64)t0;
}

static int __init bench_init(void)
{
	static const u8 ekey[MBMS_SESSION_KEY_LEN] = { 0x2b, 0x7e, 0x15 };
	static const u8 salt[MBMS_SESSION_SALT_LEN] = { 0xf0, 0xf1 };
	static const u8 akey[MBMS_AUTH_KEY_LEN] = { 0x0e, 0xc6, 0x75 };
	struct mbms_cipher *c;
	s64 both, ctr, hmac, split;
	int k, err;
	u8 *buf;

	if (!rounds || !iters)
		return -EINVAL;
	err = mbms_crypto_init();
	if (err)
		return err;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	buf = kzalloc(BENCH_RTP_HDR + BENCH_MAX_SIZE + 4, GFP_KERNEL);	/* + ROC */
	err = -ENOMEM;
	if (!c || !buf)
		goto out;
	err = mbms_cipher_init(c, ekey, salt, akey);
	if (err)
		goto out;
	for (k = 0; k < nsizes; k++) {
		if (sizes[k] > BENCH_MAX_SIZE) {
			pr_err("payload %u: at most %d bytes\n", sizes[k],
			       BENCH_MAX_SIZE);
			err = -EINVAL;
			break;
		}
		bench_run(c, buf, sizes[k], iters / 10 + 1,
			  BENCH_CTR | BENCH_HMAC);	/* warm up */
		both = bench_min(c, buf, sizes[k], iters,
				 BENCH_CTR | BENCH_HMAC);
		ctr = bench_min(c, buf, sizes[k], iters, BENCH_CTR);
		hmac = bench_min(c, buf, sizes[k], iters, BENCH_HMAC);
		split = bench_min(c, buf, sizes[k], iters, BENCH_HMAC_SPLIT);
		if (both < 0 || ctr < 0 || hmac < 0 || split < 0) {
			pr_err("crypto error on payload %u\n", sizes[k]);
			err = -EIO;
			break;
		}
		pr_info("payload=%u iters=%u both_ns=%lld ctr_ns=%lld hmac_ns=%lld simd=%d hmac_split_ns=%lld\n",
			sizes[k], iters, both, ctr, hmac,
			mbms_cipher_has_simd() && crypto_simd_usable(), split);
		if (cold) {
			s64 t = bench_cold(c, sizes[k], iters);

			if (t < 0) {
				err = t;
				break;
			}
			pr_info("payload=%u cold=%u cold_both_ns=%lld\n",
				sizes[k], cold, t);
		}
	}
	mbms_cipher_free(c);
out:
	mbms_crypto_exit();
	kfree(c);
	kfree(buf);
	return err;
}

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_DESCRIPTION("mbms_srtp crypto floor benchmark");
MODULE_LICENSE("GPL");
