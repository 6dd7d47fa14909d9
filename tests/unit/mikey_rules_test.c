// SPDX-License-Identifier: GPL-2.0
/* libmikey receive-side rules: RFC 1982 counters, MTK ID window, MSK
 * validity.
 */
#include "mikey_fixtures.h"
#include "test.h"

static void test_counter(void)
{
	CHECK(mikey_counter_fresh(1, 2));
	CHECK(!mikey_counter_fresh(2, 2));		/* replay */
	CHECK(!mikey_counter_fresh(3, 2));		/* older */
	CHECK(mikey_counter_fresh(0xffffffffu, 0));	/* wraps */
	CHECK(mikey_counter_fresh(0xfffffff0u, 5));
	CHECK(!mikey_counter_fresh(5, 0xfffffff0u));
	CHECK(mikey_counter_fresh(0, 0x7fffffffu));	/* largest step */
	CHECK(!mikey_counter_fresh(0, 0x80000000u));	/* undefined: discard */
	CHECK(!mikey_counter_fresh(0x80000000u, 0));	/* undefined: discard */
	CHECK(!mikey_counter_fresh(0, 0x80000001u));	/* that is older */
}

static void test_window(void)
{
	struct mikey_msk_validity v = { 0 };
	struct mikey_error e;

	CHECK(mikey_mtk_id_check(&v, 1, &e) == MIKEY_E_MSK_INVALID);
	CHECK(mikey_msk_validity_update(&v, 0, 10) == 0 && v.valid);
	CHECK(mikey_mtk_id_check(&v, 0, &e) == MIKEY_E_MTK_ID_RANGE);
	CHECK(mikey_mtk_id_check(&v, 11, &e) == MIKEY_E_MTK_ID_RANGE);
	CHECK_STR(e.msg, "MTK ID 11 outside SEQl 0 < id <= SEQu 10");
	CHECK(mikey_mtk_id_check(&v, 10, &e) == 0);	/* <= SEQu */
	CHECK(mikey_mtk_id_check(&v, 1, &e) == 0);
	mikey_mtk_id_commit(&v, 3);
	CHECK(v.seql == 3 && v.current_mtk_id == 3 && v.has_current);
	CHECK(mikey_mtk_id_check(&v, 3, &e) == MIKEY_E_MTK_ID_RANGE);
	CHECK(mikey_mtk_id_check(&v, 2, &e) == MIKEY_E_MTK_ID_RANGE);
	CHECK(mikey_mtk_id_check(&v, 4, &e) == 0);
	/* a validity update that lowers SEQl still keeps MTK IDs increasing */
	CHECK(mikey_msk_validity_update(&v, 0, 20) == 0);
	CHECK(mikey_mtk_id_check(&v, 2, &e) == MIKEY_E_MTK_ID_OLD);
	CHECK(mikey_mtk_id_check(&v, 3, &e) == MIKEY_E_MTK_ID_OLD);
	CHECK(mikey_mtk_id_check(&v, 20, &e) == 0);
	/* SEQl > SEQu invalidates */
	CHECK(mikey_msk_validity_update(&v, 21, 20) == MIKEY_E_MSK_INVALID);
	CHECK(!v.valid);
	CHECK(mikey_mtk_id_check(&v, 20, &e) == MIKEY_E_MSK_INVALID);
	CHECK(mikey_msk_validity_update(&v, 1ull << 32, 2) == MIKEY_E_INVAL);
	/* SEQl == SEQu is valid but admits no MTK */
	CHECK(mikey_msk_validity_update(&v, 5, 5) == 0 && v.valid);
	CHECK(mikey_mtk_id_check(&v, 5, &e) == MIKEY_E_MTK_ID_RANGE);
	CHECK(mikey_mtk_id_check(&v, 6, &e) == MIKEY_E_MTK_ID_RANGE);
}

/* A receiver's sequence of decisions over real messages. */
static bool accept_mtk(struct mikey_msk_validity *v, uint32_t *ctr,
		       const uint8_t *b, size_t n, int *why)
{
	static struct mikey_msg m;
	struct mikey_error e;

	*why = mikey_decode(b, n, &m, &e);
	if (!*why)
		*why = mikey_verify_decrypt(&m, fx_msk, 16, fx_rand, 16, &e);
	if (!*why && !mikey_counter_fresh(*ctr, (uint32_t)m.t.value))
		*why = MIKEY_E_REPLAY;
	if (!*why)
		*why = mikey_mtk_id_check(v, m.ext.mtk_id, &e);
	if (!*why) {
		*ctr = (uint32_t)m.t.value;
		mikey_mtk_id_commit(v, m.ext.mtk_id);
	}
	mikey_msg_clear(&m);
	return *why == 0;
}

static void test_scenario(void)
{
	struct mikey_mtk_spec t = fx_mtk_spec(false);
	struct mikey_msk_spec s = fx_msk_spec(false, false);
	struct mikey_msk_validity v = { 0 };
	static struct mikey_msg m;
	uint8_t b1[256], b2[256], b3[256], bm[512];
	size_t n1, n2, n3, nm;
	uint32_t ctr = 0;
	struct mikey_error e;
	int why;

	/* MSK message: SEQl 0, SEQu 100 */
	CHECK(!mikey_encode_msk(&s, fx_muk, 32, bm, sizeof(bm), &nm, &e));
	CHECK(!mikey_decode(bm, nm, &m, &e));
	CHECK(!mikey_verify_decrypt(&m, fx_muk, 32, NULL, 0, &e));
	CHECK(!mikey_msk_validity_update(&v, m.keys[0].seql, m.keys[0].sequ));
	t.counter = 10;
	t.mtk_id = 1;
	CHECK(!mikey_encode_mtk(&t, fx_msk, 16, fx_rand, 16, b1, sizeof(b1), &n1, &e));
	t.counter = 11;
	t.mtk_id = 101;
	CHECK(!mikey_encode_mtk(&t, fx_msk, 16, fx_rand, 16, b2, sizeof(b2), &n2, &e));
	t.counter = 12;
	t.mtk_id = 2;
	CHECK(!mikey_encode_mtk(&t, fx_msk, 16, fx_rand, 16, b3, sizeof(b3), &n3, &e));

	CHECK(accept_mtk(&v, &ctr, b1, n1, &why));
	CHECK(!accept_mtk(&v, &ctr, b1, n1, &why) && why == MIKEY_E_REPLAY);
	CHECK(!accept_mtk(&v, &ctr, b2, n2, &why) && why == MIKEY_E_MTK_ID_RANGE);
	/* key-less update that invalidates the MSK */
	s.msk = NULL;
	s.seql = 50;
	s.sequ = 40;
	s.counter = 101;
	CHECK(!mikey_encode_msk(&s, fx_muk, 32, bm, sizeof(bm), &nm, &e));
	CHECK(!mikey_decode(bm, nm, &m, &e));
	CHECK(!mikey_verify_decrypt(&m, fx_muk, 32, NULL, 0, &e));
	CHECK(m.keys[0].key_len == 0);
	CHECK(mikey_msk_validity_update(&v, m.keys[0].seql, m.keys[0].sequ) ==
	      MIKEY_E_MSK_INVALID);
	CHECK(!accept_mtk(&v, &ctr, b3, n3, &why) && why == MIKEY_E_MSK_INVALID);
	mikey_msg_clear(&m);
}

int main(void)
{
	test_counter();
	test_window();
	test_scenario();
	return test_summary("mikey_rules_test");
}
