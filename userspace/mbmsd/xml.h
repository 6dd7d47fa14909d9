/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbmsd XML bodies of the HTTP key-management interface (TS 33.246 Annex
 * G/H, TS 26.346), through libxml2: the MSK request we send and the MSK
 * response we parse.  The response is untrusted input: size-bounded, no
 * network, no DTD (so no entity expansion), exact base64 lengths, a
 * bounded number of <Response> elements; it has a fuzz target.
 */
#ifndef MBMSD_XML_H
#define MBMSD_XML_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

#define XML_NS_MSK_REQUEST	"urn:3GPP:metadata:2005:MBMS:mskRequest"
#define XML_NS_MSK_RESPONSE	"urn:3GPP:metadata:2005:MBMS:mskResponse"
#define XML_CT_MSK_REQUEST	"application/mbms-msk+xml"
#define XML_CT_MSK_RESPONSE	"application/mbms-msk-response+xml"
#define XML_MAX_BODY		(64 * 1024)
#define XML_MAX_MSKS		16

struct xml_msk {
	uint8_t key_domain[POL_KEY_DOMAIN_LEN];
	uint32_t msk_id;
};

struct xml_msk_response {
	struct xml_msk msk;
	unsigned int code;	/* an HTTP status code, 100..599 */
};

/*
 * Build an <mbmsMSKRequest> for @n MSKs (1..XML_MAX_MSKS).  *@out is
 * malloc'ed, NUL-terminated, *@len bytes; the caller frees it.  Returns 0
 * or -1.
 */
int xml_build_msk_request(const struct xml_msk *msks, size_t n, char **out,
			  size_t *len);

/*
 * Parse an <mbmsMSKResponse> body of @len bytes into @out (capacity
 * XML_MAX_MSKS); *@n receives the count.  Returns 0, or -1 with @err
 * naming what was wrong.
 */
int xml_parse_msk_response(const char *body, size_t len,
			   struct xml_msk_response *out, size_t *n,
			   char *err, size_t errlen);

/* Quiet libxml2's own error printing (once, before threads start). */
void xml_init(void);

#endif /* MBMSD_XML_H */
