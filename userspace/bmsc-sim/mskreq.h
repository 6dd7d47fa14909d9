/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MSK request body (application/mbms-msk+xml, root mbmsMSKRequest) and
 * the response body (application/mbms-msk-response+xml, root
 * mbmsMSKResponse), TS 33.246 §6.3.2.2 and PROTOCOL.md.  The request comes
 * from the network: size, element count and every field are bounded, and a
 * DTD is refused outright (no entity games).
 */
#ifndef BMSC_MSKREQ_H
#define BMSC_MSKREQ_H

#include <stddef.h>
#include <stdint.h>

#include "mbms/mikey.h"

#define MSKREQ_MAX_BODY		16384	/* bytes of request body */
#define MSKREQ_MAX_MSKS		16	/* <MSK> elements per request */
#define MSKREQ_MAX_ELEMENTS	256	/* child elements walked in total */

#define MSKREQ_NS	"urn:3GPP:metadata:2005:MBMS:mskRequest"
#define MSKRESP_NS	"urn:3GPP:metadata:2005:MBMS:mskResponse"
#define MSKREQ_CONTENT_TYPE	"application/mbms-msk+xml"
#define MSKRESP_CONTENT_TYPE	"application/mbms-msk-response+xml"

struct mskreq_item {
	uint8_t key_domain[MIKEY_KEY_DOMAIN_LEN];
	uint32_t msk_id;	/* Key Group || Key Number; number 0 = current */
};

struct mskreq {
	size_t n;
	struct mskreq_item item[MSKREQ_MAX_MSKS];
};

/* Call once before parsing (libxml2 setup, silences its stderr output). */
void mskreq_init(void);

/*
 * Parse @len bytes of @body.  Returns 0, or -1 with a message in @err
 * naming what was wrong ("MSK 2: MSKID is not base64 of 4 bytes").
 */
int mskreq_parse(const char *body, size_t len, struct mskreq *req,
		 char *err, size_t errlen);

/*
 * Build the response for @req with one HTTP status per item (@codes) into
 * a malloc()ed NUL-terminated string *@out of *@outlen bytes.  0 or -1.
 */
int mskresp_build(const struct mskreq *req, const unsigned int *codes,
		  char **out, size_t *outlen);

#endif /* BMSC_MSKREQ_H */
