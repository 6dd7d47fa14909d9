// SPDX-License-Identifier: GPL-2.0
/* libmikey receive-side rules: RFC 1982 counters, MTK ID window, MSK
 * validity.
 */
#include "mbms/mikey.h"
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

int main(void)
{
	test_counter();
	test_window();
	return test_summary("mikey_rules_test");
}
