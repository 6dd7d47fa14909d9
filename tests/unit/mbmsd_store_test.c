// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for mbmsd's key store: round trip, every corruption the
 * decoder must refuse, atomic files and their permissions, the mapping to
 * the policy state.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mbms/common.h"
#include "../../userspace/mbmsd/store.h"
#include "test.h"

static const uint8_t KD[3] = { 0x26, 0x2f, 0x01 };
static struct store st, st2;	/* large: off the stack */
static uint8_t buf[STORE_MAX_FILE];

static void fill(struct store *s)
{
	uint8_t key[16], rand[16], salt[14];
	int i;

	store_init(s);
	s->cur = 1;
	s->neg = 0;
	s->need_bootstrap = true;
	s->next_gen = 7;
	s->muk[0].present = true;
	s->muk[0].gen = 5;
	s->muk[0].expires_ms = 1700000000000ull;
	s->muk[0].have_counter = true;
	s->muk[0].msk_counter = 0xdeadbeef;
	memset(s->muk[0].ks_naf, 0xa5, 32);
	strcpy(s->muk[0].btid, "btid-5@bsf.example.net");
	s->muk[1].present = true;
	s->muk[1].gen = 6;
	s->muk[1].expires_ms = 1800000000000ull;
	memset(s->muk[1].ks_naf, 0x5a, 32);
	strcpy(s->muk[1].btid, "btid-6@bsf.example.net");
	for (i = 0; i < 3; i++) {
		struct store_msk *m;

		memset(key, 0x10 + i, sizeof(key));
		memset(rand, 0x20 + i, sizeof(rand));
		m = store_msk_put(s, KD, 0x01020000u | (uint32_t)(i + 1), key,
				  rand, 1, 1000 + i);
		m->seql = (uint32_t)i;
		m->sequ = 100;
		m->have_mtk = i == 1;
		m->mtk_id = 9;
		m->have_mtk_counter = true;
		m->mtk_counter = 77;
		/* MSK 3 has no order: restored from a file without one. */
		m->muk_gen = i < 2 ? 5 + (uint32_t)i : 0;
		m->ts_counter = i < 2 ? 0xfffffff0u + (uint32_t)i : 0;
	}
	memset(salt, 0x33, sizeof(salt));
	store_mtk_put(s, 4, 0x01020001u, 9, key, salt, 50);
}

static void test_roundtrip(void)
{
	char err[200];
	long n;
	int i, same = 1;

	fill(&st);
	CHECK(store_encode(&st, buf, 40) == -1);
	n = store_encode(&st, buf, sizeof(buf));
	CHECK(n > 0);
	CHECK(store_decode(buf, (size_t)n, &st2, err, sizeof(err)) == 0);
	CHECK(st2.cur == 1 && st2.neg == 0 && st2.need_bootstrap &&
	      st2.next_gen == 7);
	for (i = 0; i < 2; i++) {
		same &= st2.muk[i].present == st.muk[i].present;
		same &= st2.muk[i].gen == st.muk[i].gen;
		same &= st2.muk[i].expires_ms == st.muk[i].expires_ms;
		same &= st2.muk[i].have_counter == st.muk[i].have_counter;
		same &= st2.muk[i].msk_counter == st.muk[i].msk_counter;
		same &= !memcmp(st2.muk[i].ks_naf, st.muk[i].ks_naf, 32);
		same &= !strcmp(st2.muk[i].btid, st.muk[i].btid);
	}
	CHECK(same);
	CHECK(!memcmp(st.msk, st2.msk, sizeof(st.msk)));
	CHECK(!memcmp(st.mtk, st2.mtk, sizeof(st.mtk)));
	/* Deterministic: re-encoding gives the same bytes. */
	{
		static uint8_t b2[STORE_MAX_FILE];

		CHECK(store_encode(&st2, b2, sizeof(b2)) == n);
		CHECK(!memcmp(buf, b2, (size_t)n));
	}
	store_wipe(&st2);
	CHECK(!st2.muk[0].present && st2.muk[0].ks_naf[0] == 0);
}

/* Every flipped bit, every truncation: refused, never a crash. */
static void test_corruption(void)
{
	char err[200];
	long n;
	size_t i;
	int bit, accepted = 0;

	fill(&st);
	n = store_encode(&st, buf, sizeof(buf));
	for (i = 0; i < (size_t)n; i++)
		for (bit = 0; bit < 8; bit += 3) {
			buf[i] ^= (uint8_t)(1 << bit);
			if (!store_decode(buf, (size_t)n, &st2, err,
					  sizeof(err)))
				accepted++;
			buf[i] ^= (uint8_t)(1 << bit);
		}
	CHECK(accepted == 0);
	for (i = 0; i < (size_t)n; i++)
		if (!store_decode(buf, i, &st2, err, sizeof(err)))
			accepted++;
	CHECK(accepted == 0);
	CHECK(store_decode(buf, STORE_MAX_FILE + 1, &st2, err,
			   sizeof(err)) == -1);
	CHECK(strstr(err, "too long") != NULL);
	/* A failed decode leaves an empty, wiped store. */
	CHECK(!st2.muk[0].present && st2.cur == -1);
}

/* Wrap @body in a header and a correct CRC: the structure checks. */
static size_t wrap(const uint8_t *body, size_t blen, uint8_t *out)
{
	uint32_t crc;

	memcpy(out, "MBMSDST\0\0\x01\0\0", 12);
	out[12] = (uint8_t)(blen >> 24);
	out[13] = (uint8_t)(blen >> 16);
	out[14] = (uint8_t)(blen >> 8);
	out[15] = (uint8_t)blen;
	if (blen)
		memcpy(out + 16, body, blen);
	crc = store_crc32(out, 16 + blen);
	out[16 + blen] = (uint8_t)(crc >> 24);
	out[17 + blen] = (uint8_t)(crc >> 16);
	out[18 + blen] = (uint8_t)(crc >> 8);
	out[19 + blen] = (uint8_t)crc;
	return 20 + blen;
}

static const uint8_t META[] = { 1, 0, 7, 0, 0, 0, 0, 1, 0xff, 0xff };

static void expect_bad(const uint8_t *body, size_t blen, const char *needle)
{
	static uint8_t f[STORE_MAX_FILE + 64];
	char err[200] = "";
	size_t n = wrap(body, blen, f);
	int ret = store_decode(f, n, &st2, err, sizeof(err));

	CHECK(ret == -1);
	CHECK(strstr(err, needle) != NULL);
	if (!strstr(err, needle))
		fprintf(stderr, "  wanted \"%s\", got \"%s\"\n", needle, err);
}

static void test_structure(void)
{
	static uint8_t body[STORE_MAX_FILE];
	char err[200];
	size_t n, i;
	uint8_t muk[3 + 51 + 3];

	/* Minimal valid file: just the meta record. */
	n = wrap(META, sizeof(META), buf);
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == 0);
	CHECK(st2.next_gen == 1 && st2.cur == -1);

	expect_bad(NULL, 0, "no meta record");
	expect_bad((const uint8_t *)"\x01\x00", 2, "truncated header");
	expect_bad((const uint8_t *)"\x01\x00\x09\x00", 4, "exceeds the 1 bytes left");
	expect_bad((const uint8_t *)"\x01\x00\x06\0\0\0\0\0\0", 9,
		   "record 1 (meta) at offset 0: length 6, expected 7");
	memcpy(body, META, sizeof(META));
	memcpy(body + sizeof(META), META, sizeof(META));
	expect_bad(body, 2 * sizeof(META), "record 2 (meta) at offset 10: repeated");
	body[0] = 1; body[1] = 0; body[2] = 7;
	memcpy(body + 3, "\0\0\0\0\x01\x02\xff", 7);
	expect_bad(body, 10, "bad MUK slot role 2/255");
	memcpy(body + 3, "\0\0\0\0\x01\x00\xff", 7);
	expect_bad(body, 10, "MUK role names an empty slot");

	/* MUK records. */
	memset(muk, 0, sizeof(muk));
	muk[0] = 2;
	muk[1] = 0;
	muk[2] = 51 + 3;
	muk[3] = 0;			/* slot */
	muk[3 + 50] = 3;		/* btid length */
	memcpy(muk + 3 + 51, "abc", 3);
	memcpy(body, META, sizeof(META));
	memcpy(body + sizeof(META), muk, sizeof(muk));
	n = wrap(body, sizeof(META) + sizeof(muk), buf);
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == 0);
	CHECK(st2.muk[0].present && !strcmp(st2.muk[0].btid, "abc"));
	muk[3 + 50] = 4;
	memcpy(body + sizeof(META), muk, sizeof(muk));
	expect_bad(body, sizeof(META) + sizeof(muk), "length 54, expected 55");
	muk[3 + 50] = 3;
	muk[3] = 2;
	memcpy(body + sizeof(META), muk, sizeof(muk));
	expect_bad(body, sizeof(META) + sizeof(muk), "bad or repeated MUK slot 2");
	muk[3] = 1;
	memcpy(body + sizeof(META), muk, sizeof(muk));
	memcpy(body + sizeof(META) + sizeof(muk), muk, sizeof(muk));
	expect_bad(body, sizeof(META) + 2 * sizeof(muk),
		   "bad or repeated MUK slot 1");
	muk[3 + 51] = '\n';
	memcpy(body + sizeof(META), muk, sizeof(muk));
	expect_bad(body, sizeof(META) + sizeof(muk), "not printable");
	expect_bad((const uint8_t *)"\x01\x00\x07\0\0\0\0\x01\xff\xff"
		   "\x02\x00\x05\0\0\0\0\0", 18, "at least 51");

	/* MSK records: reserved IDs, repeats, length, count. */
	fill(&st);
	n = (size_t)store_encode(&st, buf, sizeof(buf));
	CHECK(n > 0);
	{
		/* Find the first MSK record inside the file and alter it. */
		size_t off = 16, msk_off = 0;

		while (off < n - 4) {
			if (buf[off] == 3) {
				msk_off = off;
				break;
			}
			off += 3 + ((size_t)buf[off + 1] << 8 | buf[off + 2]);
		}
		CHECK(msk_off > 0);
		memcpy(body, buf + 16, n - 20);
		body[msk_off - 16 + 3 + 3 + 2] = 0;	/* key number hi */
		body[msk_off - 16 + 3 + 3 + 3] = 0;	/* key number lo */
		expect_bad(body, n - 20, "is reserved");
		memcpy(body, buf + 16, n - 20);
		/* Second MSK = first MSK: repeated. */
		memcpy(body + msk_off - 16 + 66, body + msk_off - 16, 66);
		expect_bad(body, n - 20, "repeated");
	}
	expect_bad((const uint8_t *)"\x01\x00\x07\0\0\0\0\x01\xff\xff"
		   "\x03\x00\x01\x00", 14, "length 1, expected 63");
	expect_bad((const uint8_t *)"\x01\x00\x07\0\0\0\0\x01\xff\xff"
		   "\x04\x00\x01\x00", 14, "length 1, expected 48");
	/* More than STORE_MAX_MTKS MTK records. */
	memcpy(body, META, sizeof(META));
	n = sizeof(META);
	for (i = 0; i <= STORE_MAX_MTKS; i++) {
		memset(body + n, 0, 51);
		body[n] = 4;
		body[n + 2] = 48;
		n += 51;
	}
	expect_bad(body, n, "more than 128 MTKs");
	/* An unknown record type is skipped. */
	memcpy(body, META, sizeof(META));
	memcpy(body + sizeof(META), "\x63\x00\x02zz", 5);
	n = wrap(body, sizeof(META) + 5, buf);
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == 0);
	/* Version and magic. */
	n = wrap(META, sizeof(META), buf);
	buf[9] = 2;
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == -1);
	CHECK(strstr(err, "format version 2") != NULL);
	n = wrap(META, sizeof(META), buf);
	buf[0] = 'X';
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == -1);
	CHECK(strstr(err, "bad magic") != NULL);
	n = wrap(META, sizeof(META), buf);
	buf[15]++;
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == -1);
	CHECK(strstr(err, "body length") != NULL);
}

/*
 * The MSK order record (type 6): malformed ones refused; a file without
 * it (written before it existed) loads, order "not known".
 */
static void test_msk_order_record(void)
{
	static uint8_t body[512];
	static const uint8_t ORDER[] = {
		6, 0, 15, 0x26, 0x2f, 0x01, 0x01, 0x02, 0x00, 0x01,
		0, 0, 0, 4, 0, 0, 0, 9,
	};
	uint8_t rec[3 + 63], key[16] = { 1 }, rand[16] = { 2 };
	char err[200];
	size_t n, off;

	/* One MSK record, as a version without order records wrote it. */
	store_init(&st);
	CHECK(store_msk_put(&st, KD, 0x01020001u, key, rand, 1, 5) != NULL);
	n = (size_t)store_encode(&st, buf, sizeof(buf));
	off = 16 + sizeof(META);	/* after meta: the MSK record */
	CHECK(n == 16 + sizeof(META) + sizeof(rec) + 4 && buf[off] == 3);
	memcpy(rec, buf + off, sizeof(rec));
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == 0);
	CHECK(st2.msk[0].present && st2.msk[0].muk_gen == 0 &&
	      st2.msk[0].ts_counter == 0);

	memcpy(body, META, sizeof(META));
	memcpy(body + sizeof(META), rec, sizeof(rec));
	memcpy(body + sizeof(META) + sizeof(rec), ORDER, sizeof(ORDER));
	n = wrap(body, sizeof(META) + sizeof(rec) + sizeof(ORDER), buf);
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == 0);
	CHECK(st2.msk[0].muk_gen == 4 && st2.msk[0].ts_counter == 9);
	/* Re-encoded: the same bytes. */
	CHECK(store_encode(&st2, body + 256, 256) == (long)n &&
	      !memcmp(body + 256, buf, n));

	memcpy(body + sizeof(META) + sizeof(rec) + sizeof(ORDER), ORDER,
	       sizeof(ORDER));
	expect_bad(body, sizeof(META) + sizeof(rec) + 2 * sizeof(ORDER),
		   "record 4 (msk-order) at offset 94: MSK ID 0x01020001: order repeated");
	/* Before its MSK record. */
	memcpy(body + sizeof(META), ORDER, sizeof(ORDER));
	expect_bad(body, sizeof(META) + sizeof(ORDER),
		   "MSK ID 0x01020001 not stored before it");
	memcpy(body + sizeof(META), rec, sizeof(rec));
	memcpy(body + sizeof(META) + sizeof(rec), ORDER, sizeof(ORDER));
	body[sizeof(META) + sizeof(rec) + 13] = 0;	/* generation 0 */
	expect_bad(body, sizeof(META) + sizeof(rec) + sizeof(ORDER),
		   "MUK generation 0");
	body[sizeof(META) + sizeof(rec) + 2] = 14;	/* length */
	expect_bad(body, sizeof(META) + sizeof(rec) + sizeof(ORDER) - 1,
		   "length 14, expected 15");
}

static void test_mtk_keep_two(void)
{
	uint8_t k[16] = { 1 }, s[14] = { 2 };
	int i, n = 0;

	store_init(&st);
	CHECK(store_mtk_put(&st, 1, 10, 1, k, s, 100) == 0);
	CHECK(store_mtk_put(&st, 1, 10, 2, k, s, 200) == 0);
	CHECK(store_mtk_put(&st, 2, 10, 1, k, s, 150) == 0);
	CHECK(store_mtk_put(&st, 1, 10, 3, k, s, 300) == 0);
	CHECK(store_mtk_put(&st, 1, 10, 3, k, s, 310) == 0);	/* replace */
	for (i = 0; i < STORE_MAX_MTKS; i++)
		if (st.mtk[i].present && st.mtk[i].session_id == 1) {
			n++;
			CHECK(st.mtk[i].mtk_id == 2 || st.mtk[i].mtk_id == 3);
		}
	CHECK(n == 2);
	store_mtk_del_msk(&st, 10);
	for (i = 0, n = 0; i < STORE_MAX_MTKS; i++)
		n += st.mtk[i].present;
	CHECK(n == 0);
	/* Full store of MSKs: put refuses. */
	store_init(&st);
	for (i = 0; i < STORE_MAX_MSKS; i++)
		CHECK(store_msk_put(&st, KD, 0x00010001u + (uint32_t)i, k, k, 1,
				    0) != NULL);
	CHECK(store_msk_put(&st, KD, 0x00020001u, k, k, 1, 0) == NULL);
	store_msk_del(&st, KD, 0x00010001u);
	CHECK(store_msk_find(&st, KD, 0x00010001u) == NULL);
	CHECK(store_msk_put(&st, KD, 0x00020001u, k, k, 1, 0) != NULL);
}

static void test_files(void)
{
	char dir[] = "/tmp/mbmsd_store_test.XXXXXX", path[256], err[300];
	struct stat sb;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	chmod(dir, 0700);
	CHECK(store_load(dir, &st2, err, sizeof(err)) == 1);	/* fresh */
	fill(&st);
	CHECK(store_save(dir, &st, err, sizeof(err)) == 0);
	snprintf(path, sizeof(path), "%s/state", dir);
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	CHECK(store_load(dir, &st2, err, sizeof(err)) == 0);
	CHECK(!memcmp(st.msk, st2.msk, sizeof(st.msk)));
	/* Save again over it, with a stale tmp file lying around. */
	snprintf(path, sizeof(path), "%s/state.tmp", dir);
	f = fopen(path, "w");
	fputs("junk", f);
	fclose(f);
	st.next_gen = 99;
	CHECK(store_save(dir, &st, err, sizeof(err)) == 0);
	CHECK(access(path, F_OK) != 0);	/* renamed away */
	CHECK(store_load(dir, &st2, err, sizeof(err)) == 0 &&
	      st2.next_gen == 99);
	/* A state file others can read: refused. */
	snprintf(path, sizeof(path), "%s/state", dir);
	chmod(path, 0644);
	CHECK(store_load(dir, &st2, err, sizeof(err)) == -1);
	CHECK(strstr(err, "mode 0644") != NULL);
	chmod(path, 0600);
	/* A state directory others can enter: refused for load and save. */
	chmod(dir, 0755);
	CHECK(store_load(dir, &st2, err, sizeof(err)) == -1);
	CHECK(strstr(err, "state directory") && strstr(err, "mode 0755"));
	CHECK(store_save(dir, &st, err, sizeof(err)) == -1);
	chmod(dir, 0700);
	/* A corrupted file: refused with the reason. */
	f = fopen(path, "r+");
	fseek(f, 30, SEEK_SET);
	fputc('!', f);
	fclose(f);
	CHECK(store_load(dir, &st2, err, sizeof(err)) == -1);
	CHECK(strstr(err, "checksum mismatch") != NULL);
	/* Not a directory / missing. */
	CHECK(store_check_dir(path, err, sizeof(err)) == -1);
	CHECK(strstr(err, "is not a directory") != NULL);
	unlink(path);
	rmdir(dir);
	CHECK(store_check_dir(dir, err, sizeof(err)) == -1);
	CHECK(store_save(dir, &st, err, sizeof(err)) == -1);
}

static void test_policy_mapping(void)
{
	struct pol_config cfg;
	struct pol_group g[1], g2[1];
	struct pol_ue ue, ue2;
	uint8_t key[16] = { 9 }, rand[16] = { 8 };

	pol_config_default(&cfg);
	memset(g, 0, sizeof(g));
	memcpy(g[0].key_domain, KD, 3);
	g[0].key_group = 0x0102;
	memcpy(g2, g, sizeof(g));
	pol_ue_init(&ue, &cfg, g, 1);
	pol_muk_bootstrapped(&ue, 3, 5000);
	ue.neg = ue.cur;
	ue.muk[ue.cur].have_counter = true;
	ue.muk[ue.cur].msk_counter = 42;
	g[0].msk[1].present = true;
	g[0].msk[1].msk_id = 0x01020005;
	g[0].msk[1].seql = 3;
	g[0].msk[1].sequ = 30;
	g[0].msk[1].have_mtk = true;
	g[0].msk[1].mtk_id = 3;
	g[0].msk[1].muk_gen = 3;
	g[0].msk[1].ts_counter = 41;
	ue.need_bootstrap = true;

	store_init(&st);
	CHECK(store_msk_put(&st, KD, 0x01020005, key, rand, 1, 77) != NULL);
	/* An MSK of a group no longer configured. */
	CHECK(store_msk_put(&st, KD, 0x07770001, key, rand, 1, 77) != NULL);
	store_sync_from_policy(&st, &ue);
	CHECK(st.muk[0].present && st.muk[0].msk_counter == 42);
	CHECK(st.cur == 0 && st.neg == 0 && st.need_bootstrap);
	CHECK(st.msk[0].sequ == 30 && st.msk[0].have_mtk);
	CHECK(st.msk[0].muk_gen == 3 && st.msk[0].ts_counter == 41);

	pol_ue_init(&ue2, &cfg, g2, 1);
	CHECK(store_restore_policy(&st, &ue2) == 1);
	CHECK(store_msk_find(&st, KD, 0x07770001) == NULL);
	CHECK(ue2.cur == 0 && ue2.neg == 0 && ue2.need_bootstrap);
	CHECK(ue2.muk[0].gen == 3 && ue2.muk[0].expires == 5000 &&
	      ue2.muk[0].msk_counter == 42);
	CHECK(g2[0].msk[0].present && g2[0].msk[0].msk_id == 0x01020005 &&
	      g2[0].msk[0].seql == 3 && g2[0].msk[0].mtk_id == 3 &&
	      g2[0].msk[0].received == 77);
	CHECK(g2[0].msk[0].muk_gen == 3 && g2[0].msk[0].ts_counter == 41);
}

/*
 * The RFC 4771 settings of an MSK (TS 33.246 §6.6.2.1 R and the mode) in
 * their own record after the MSK's: round trip, written only when set,
 * and every malformed variant refused with the reason.
 */
/*
 * Record 7: key domain | MSK ID | ROC u32 of the push's SRTP-ID map (RFC
 * 3830 §6.1.1), after its MSK record; written only when the push had one.
 */
/*
 * A store with one MSK (0x01020001 in KD), encoded: its MSK record (3) is
 * copied to @rec.  Returns the MSK, NULL (a failed check) if none.
 */
static struct store_msk *store_one_msk(uint8_t *rec, size_t rec_len)
{
	uint8_t key[16] = { 1 }, rand[16] = { 2 };
	size_t off = 16 + sizeof(META), n;
	struct store_msk *m;

	store_init(&st);
	m = store_msk_put(&st, KD, 0x01020001u, key, rand, 1, 5);
	CHECK(m != NULL);
	if (!m)
		return NULL;
	n = (size_t)store_encode(&st, buf, sizeof(buf));
	CHECK(n == 16 + sizeof(META) + rec_len + 4 && buf[off] == 3);
	memcpy(rec, buf + off, rec_len);
	return m;
}

static void test_msk_roc_record(void)
{
	static uint8_t body[512];
	static const uint8_t ROC[] = {
		7, 0, 11, 0x26, 0x2f, 0x01, 0x01, 0x02, 0x00, 0x01,
		0x00, 0x01, 0x00, 0x05,
	};
	uint8_t rec[3 + 63];
	struct store_msk *m;
	char err[200];
	size_t n, off, at;

	off = 16 + sizeof(META);
	m = store_one_msk(rec, sizeof(rec));
	if (!m)
		return;
	n = 16 + sizeof(META) + sizeof(rec) + 4;	/* checked there */
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == 0);
	CHECK(st2.msk[0].present && !st2.msk[0].has_roc);
	/* Encoded when known, byte for byte as the format says. */
	m->has_roc = true;
	m->roc = 0x00010005;
	n = (size_t)store_encode(&st, buf, sizeof(buf));
	CHECK(n == 16 + sizeof(META) + sizeof(rec) + sizeof(ROC) + 4);
	CHECK(!memcmp(buf + off + sizeof(rec), ROC, sizeof(ROC)));

	at = sizeof(META) + sizeof(rec);
	memcpy(body, META, sizeof(META));
	memcpy(body + sizeof(META), rec, sizeof(rec));
	memcpy(body + at, ROC, sizeof(ROC));
	n = wrap(body, at + sizeof(ROC), buf);
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == 0);
	CHECK(st2.msk[0].has_roc && st2.msk[0].roc == 0x00010005);
	memcpy(body + at + sizeof(ROC), ROC, sizeof(ROC));
	expect_bad(body, at + 2 * sizeof(ROC),
		   "record 4 (msk-roc) at offset 90: MSK ID 0x01020001 repeated");
	body[at + 9] = 7;		/* MSK 0x01020007: not stored */
	expect_bad(body, at + sizeof(ROC),
		   "MSK ID 0x01020007 not stored before it");
	body[at + 9] = 1;
	body[at + 2] = 10;		/* length */
	expect_bad(body, at + sizeof(ROC) - 1, "length 10, expected 11");
	/* Before its MSK record. */
	memcpy(body + sizeof(META), ROC, sizeof(ROC));
	expect_bad(body, sizeof(META) + sizeof(ROC), "not stored before it");
}

/*
 * Record 8: key domain | MSK ID | SRTP tag length u8 (TS 33.246 §6.6.2.1
 * NOTE 3: 14 with RCCm1/RCCm2), after its MSK record; written only for a
 * length neither suite has.  Every malformed variant refused.
 */
static void test_msk_tag_record(void)
{
	static uint8_t body[512];
	static const uint8_t TAG[] = {
		8, 0, 8, 0x26, 0x2f, 0x01, 0x01, 0x02, 0x00, 0x01, 14,
	};
	uint8_t rec[3 + 63];
	struct store_msk *m;
	char err[200];
	size_t n, off, at;

	off = 16 + sizeof(META);
	m = store_one_msk(rec, sizeof(rec));
	if (!m)
		return;
	m->tag_len = 14;
	n = (size_t)store_encode(&st, buf, sizeof(buf));
	CHECK(n == 16 + sizeof(META) + sizeof(rec) + sizeof(TAG) + 4);
	CHECK(!memcmp(buf + off + sizeof(rec), TAG, sizeof(TAG)));
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == 0);
	CHECK(st2.msk[0].present && st2.msk[0].tag_len == 14);

	at = sizeof(META) + sizeof(rec);
	memcpy(body, META, sizeof(META));
	memcpy(body + sizeof(META), rec, sizeof(rec));
	memcpy(body + at, TAG, sizeof(TAG));
	memcpy(body + at + sizeof(TAG), TAG, sizeof(TAG));
	expect_bad(body, at + 2 * sizeof(TAG),
		   "record 4 (msk-tag) at offset 87: MSK ID 0x01020001 repeated");
	body[at + 10] = 3;
	expect_bad(body, at + sizeof(TAG), "SRTP tag length 3, expected 4 to 20");
	body[at + 10] = 21;
	expect_bad(body, at + sizeof(TAG), "SRTP tag length 21, expected 4 to 20");
	body[at + 10] = 14;
	body[at + 9] = 7;		/* MSK 0x01020007: not stored */
	expect_bad(body, at + sizeof(TAG),
		   "MSK ID 0x01020007 not stored before it");
	body[at + 9] = 1;
	body[at + 2] = 7;		/* length */
	expect_bad(body, at + sizeof(TAG) - 1, "length 7, expected 8");
	/* Before its MSK record. */
	memcpy(body + sizeof(META), TAG, sizeof(TAG));
	expect_bad(body, sizeof(META) + sizeof(TAG), "not stored before it");
}

static void test_msk_rcc(void)
{
	static uint8_t body[STORE_MAX_FILE];
	uint8_t rec[13] = { 5, 0, 10, 0x26, 0x2f, 0x01, 0x01, 0x02, 0x00, 0x01,
			    2, 0x00, 0x10 };
	size_t n, off, msk_off = 0, nrcc = 0, base;
	char err[200];

	fill(&st);
	st.msk[1].rcc_mode = 2;
	st.msk[1].rcc_rate = 16;
	n = (size_t)store_encode(&st, buf, sizeof(buf));
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == 0);
	CHECK(!memcmp(st.msk, st2.msk, sizeof(st.msk)));
	CHECK(st2.msk[1].rcc_mode == 2 && st2.msk[1].rcc_rate == 16 &&
	      st2.msk[0].rcc_mode == 0 && st2.msk[0].rcc_rate == 0);
	for (off = 16; off < n - 4;
	     off += 3 + ((size_t)buf[off + 1] << 8 | buf[off + 2])) {
		if (buf[off] == 3 && !msk_off)
			msk_off = off;
		nrcc += buf[off] == 5;
	}
	CHECK(nrcc == 1);	/* only the MSK with settings has one */
	/* META, the first MSK (0x01020001), then the record under test. */
	memcpy(body, META, sizeof(META));
	memcpy(body + sizeof(META), buf + msk_off, 66);
	base = sizeof(META) + 66;
	memcpy(body + base, rec, sizeof(rec));
	n = wrap(body, base + sizeof(rec), buf);
	CHECK(store_decode(buf, n, &st2, err, sizeof(err)) == 0);
	CHECK(st2.msk[0].rcc_mode == 2 && st2.msk[0].rcc_rate == 16);
	memcpy(body + base + sizeof(rec), rec, sizeof(rec));
	expect_bad(body, base + 2 * sizeof(rec), "record 4 (msk-rcc) at offset 89: MSK ID 0x01020001 repeated");
	body[base + 9] = 7;		/* MSK 0x01020007: not stored */
	expect_bad(body, base + sizeof(rec), "MSK ID 0x01020007 not stored before it");
	body[base + 9] = 1;
	body[base + 10] = 4;
	expect_bad(body, base + sizeof(rec), "bad RFC 4771 mode 4, R 16");
	body[base + 10] = 0;
	body[base + 12] = 0;
	expect_bad(body, base + sizeof(rec), "bad RFC 4771 mode 0, R 0");
	body[base + 2] = 9;
	expect_bad(body, base + sizeof(rec) - 1, "length 9, expected 10");
	/* Before the MSK's own record: refused too. */
	memcpy(body + sizeof(META), rec, sizeof(rec));
	expect_bad(body, sizeof(META) + sizeof(rec), "not stored before it");
}

int main(void)
{
	CHECK(store_crc32((const uint8_t *)"123456789", 9) == 0xcbf43926u);
	test_roundtrip();
	test_corruption();
	test_structure();
	test_msk_rcc();
	test_msk_roc_record();
	test_msk_tag_record();
	test_msk_order_record();
	test_mtk_keep_two();
	test_files();
	test_policy_mapping();
	return test_summary("mbmsd_store_test");
}
