// SPDX-License-Identifier: GPL-2.0
/* libmikey: receiver acceptance rules (TS 33.246 §6.3, §6.4; RFC 1982). */
#include "mikey_int.h"

bool mikey_counter_fresh(uint32_t stored, uint32_t received)
{
	uint32_t d = received - stored;

	/* RFC 1982: s2 > s1 iff 0 < (s2 - s1) mod 2^32 < 2^31; d == 2^31 is
	 * undefined and treated as "not newer".
	 */
	return d != 0 && d < 0x80000000u;
}

int mikey_msk_validity_update(struct mikey_msk_validity *v,
			      uint64_t seql, uint64_t sequ)
{
	if (seql > UINT32_MAX || sequ > UINT32_MAX)
		return MIKEY_E_INVAL;
	v->seql = (uint32_t)seql;
	v->sequ = (uint32_t)sequ;
	v->valid = seql <= sequ;
	return v->valid ? 0 : MIKEY_E_MSK_INVALID;
}

int mikey_mtk_id_check(const struct mikey_msk_validity *v, uint16_t mtk_id,
		       struct mikey_error *err)
{
	if (!v->valid)
		return mikey_fail(err, MIKEY_E_MSK_INVALID, 0,
				  "MSK invalidated (SEQl %u > SEQu %u)",
				  v->seql, v->sequ);
	if (mtk_id <= v->seql || mtk_id > v->sequ)
		return mikey_fail(err, MIKEY_E_MTK_ID_RANGE, 0,
				  "MTK ID %u outside SEQl %u < id <= SEQu %u",
				  mtk_id, v->seql, v->sequ);
	if (v->has_current && mtk_id <= v->current_mtk_id)
		return mikey_fail(err, MIKEY_E_MTK_ID_OLD, 0,
				  "MTK ID %u not above the current %u", mtk_id,
				  v->current_mtk_id);
	return 0;
}

void mikey_mtk_id_commit(struct mikey_msk_validity *v, uint16_t mtk_id)
{
	v->seql = mtk_id;
	v->current_mtk_id = mtk_id;
	v->has_current = true;
}
