// SPDX-License-Identifier: GPL-2.0
/* mbmsd XML: MSK request body and MSK response parser (libxml2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>

#include "mbms/common.h"
#include "xml.h"

static void xml_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void xml_init(void)
{
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, xml_silent);
}

static int b64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	if (cap < 4 * ((len + 2) / 3) + 1)
		return -1;
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
	return 0;
}

/*
 * Decode base64 @s (surrounding whitespace allowed) into exactly @len
 * bytes.  EVP_DecodeBlock ignores padding in its count, so compare the
 * decoded length with the padding taken off.
 */
static int b64_decode_exact(const char *s, uint8_t *out, size_t len)
{
	uint8_t buf[96];	/* >= 3/4 of tmp */
	char tmp[96];
	size_t n, i, pad = 0;
	int got;

	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
		     s[n - 1] == '\r'))
		n--;
	if (n == 0 || n % 4 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	for (i = 0; i < n; i++) {
		char c = tmp[i];

		if (c == '=') {
			/* Padding only at the end. */
			if (i < n - 2)
				return -1;
			pad++;
		} else if (pad || !((c >= 'A' && c <= 'Z') ||
				    (c >= 'a' && c <= 'z') ||
				    (c >= '0' && c <= '9') || c == '+' ||
				    c == '/')) {
			return -1;
		}
	}
	got = EVP_DecodeBlock(buf, (const unsigned char *)tmp, (int)n);
	if (got < 0 || (size_t)got - pad != len)
		return -1;
	memcpy(out, buf, len);
	return 0;
}

int xml_build_msk_request(const struct xml_msk *msks, size_t n, char **out,
			  size_t *len)
{
	xmlDocPtr doc;
	xmlNodePtr root, msk;
	xmlNsPtr ns;
	xmlChar *mem = NULL;
	char kd[8], id[12];
	uint8_t idb[4];
	int size = 0, ret = -1;
	size_t i;

	*out = NULL;
	*len = 0;
	if (n == 0 || n > XML_MAX_MSKS)
		return -1;
	doc = xmlNewDoc(BAD_CAST "1.0");
	if (!doc)
		return -1;
	root = xmlNewNode(NULL, BAD_CAST "mbmsMSKRequest");
	if (!root)
		goto out;
	xmlDocSetRootElement(doc, root);
	ns = xmlNewNs(root, BAD_CAST XML_NS_MSK_REQUEST, NULL);
	if (!ns)
		goto out;
	xmlSetNs(root, ns);
	for (i = 0; i < n; i++) {
		idb[0] = (uint8_t)(msks[i].msk_id >> 24);
		idb[1] = (uint8_t)(msks[i].msk_id >> 16);
		idb[2] = (uint8_t)(msks[i].msk_id >> 8);
		idb[3] = (uint8_t)msks[i].msk_id;
		if (b64_encode(msks[i].key_domain, POL_KEY_DOMAIN_LEN, kd,
			       sizeof(kd)) ||
		    b64_encode(idb, 4, id, sizeof(id)))
			goto out;
		msk = xmlNewChild(root, ns, BAD_CAST "MSK", NULL);
		if (!msk ||
		    !xmlNewChild(msk, ns, BAD_CAST "keyDomainID", BAD_CAST kd) ||
		    !xmlNewChild(msk, ns, BAD_CAST "MSKID", BAD_CAST id))
			goto out;
	}
	xmlDocDumpFormatMemoryEnc(doc, &mem, &size, "UTF-8", 0);
	if (!mem || size <= 0)
		goto out;
	*out = strdup((const char *)mem);
	if (!*out)
		goto out;
	*len = (size_t)size;
	ret = 0;
out:
	xmlFree(mem);
	xmlFreeDoc(doc);
	return ret;
}

static bool is_elem(xmlNodePtr n, const char *name, const char *ns)
{
	return n->type == XML_ELEMENT_NODE &&
	       !xmlStrcmp(n->name, BAD_CAST name) && n->ns &&
	       !xmlStrcmp(n->ns->href, BAD_CAST ns);
}

/* Text of a leaf element, or NULL if it has element children. */
static xmlChar *leaf_text(xmlNodePtr n)
{
	xmlNodePtr c;

	for (c = n->children; c; c = c->next)
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			return NULL;
	return xmlNodeGetContent(n);
}

static int parse_msk(xmlNodePtr m, struct xml_msk *out, char *err,
		     size_t errlen)
{
	bool have_kd = false, have_id = false;
	xmlNodePtr c;
	xmlChar *t;
	uint8_t idb[4];

	for (c = m->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(c, "keyDomainID", XML_NS_MSK_RESPONSE)) {
			t = leaf_text(c);
			if (have_kd || !t ||
			    b64_decode_exact((const char *)t, out->key_domain,
					     POL_KEY_DOMAIN_LEN)) {
				snprintf(err, errlen,
					 "<keyDomainID> at line %d: expected base64 of 3 bytes, once",
					 c->line);
				xmlFree(t);
				return -1;
			}
			xmlFree(t);
			have_kd = true;
		} else if (is_elem(c, "MSKID", XML_NS_MSK_RESPONSE)) {
			t = leaf_text(c);
			if (have_id || !t ||
			    b64_decode_exact((const char *)t, idb, 4)) {
				snprintf(err, errlen,
					 "<MSKID> at line %d: expected base64 of 4 bytes, once",
					 c->line);
				xmlFree(t);
				return -1;
			}
			xmlFree(t);
			out->msk_id = (uint32_t)idb[0] << 24 |
				      (uint32_t)idb[1] << 16 |
				      (uint32_t)idb[2] << 8 | idb[3];
			have_id = true;
		}
		/* Other elements: a later release's additions, ignored. */
	}
	if (!have_kd || !have_id) {
		snprintf(err, errlen, "<MSK> at line %d lacks <%s>", m->line,
			 have_kd ? "MSKID" : "keyDomainID");
		return -1;
	}
	return 0;
}

/*
 * <ResponseCode>: an HTTP status code, alone or leading a reason phrase
 * (TS 26.346 §11.8.2's example is "200 OK"): three digits, then the end
 * or white space.
 */
static int parse_code(xmlNodePtr c, unsigned int *code, char *err,
		      size_t errlen)
{
	xmlChar *t = leaf_text(c);
	const char *s = (const char *)t;
	unsigned int v = 0;
	int i;

	while (s && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'))
		s++;
	for (i = 0; s && i < 3 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (unsigned int)(s[i] - '0');
	if (!s || i != 3 || (s[3] && s[3] != ' ' && s[3] != '\t' &&
			     s[3] != '\n' && s[3] != '\r') ||
	    v < 100 || v > 599) {
		snprintf(err, errlen,
			 "<ResponseCode> at line %d: expected an HTTP status code (\"200\" or \"200 OK\")",
			 c->line);
		xmlFree(t);
		return -1;
	}
	xmlFree(t);
	*code = v;
	return 0;
}

static int parse_response(xmlNodePtr r, struct xml_msk_response *out,
			  char *err, size_t errlen)
{
	bool have_msk = false, have_code = false;
	xmlNodePtr c;

	for (c = r->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(c, "MSK", XML_NS_MSK_RESPONSE)) {
			if (have_msk) {
				snprintf(err, errlen,
					 "<Response> at line %d: more than one <MSK>",
					 r->line);
				return -1;
			}
			if (parse_msk(c, &out->msk, err, errlen))
				return -1;
			have_msk = true;
		} else if (is_elem(c, "ResponseCode", XML_NS_MSK_RESPONSE)) {
			if (have_code) {
				snprintf(err, errlen,
					 "<Response> at line %d: more than one <ResponseCode>",
					 r->line);
				return -1;
			}
			if (parse_code(c, &out->code, err, errlen))
				return -1;
			have_code = true;
		}
	}
	if (!have_msk || !have_code) {
		snprintf(err, errlen, "<Response> at line %d lacks <%s>",
			 r->line, have_msk ? "ResponseCode" : "MSK");
		return -1;
	}
	return 0;
}

int xml_parse_msk_response(const char *body, size_t len,
			   struct xml_msk_response *out, size_t *n,
			   char *err, size_t errlen)
{
	xmlDocPtr doc;
	xmlNodePtr root, c;
	int ret = -1;

	*n = 0;
	if (len > XML_MAX_BODY) {
		snprintf(err, errlen, "body of %zu bytes exceeds %d", len,
			 XML_MAX_BODY);
		return -1;
	}
	/*
	 * No network, no DTD loading, no entity substitution; a document
	 * with any DTD at all is refused below, so entities cannot expand.
	 */
	doc = xmlReadMemory(body, (int)len, "msk-response.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!doc) {
		snprintf(err, errlen, "not well-formed XML");
		return -1;
	}
	if (doc->intSubset || doc->extSubset) {
		snprintf(err, errlen, "a DTD is not allowed");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !is_elem(root, "mbmsMSKResponse", XML_NS_MSK_RESPONSE)) {
		snprintf(err, errlen,
			 "root element is not <mbmsMSKResponse> in namespace %s",
			 XML_NS_MSK_RESPONSE);
		goto out;
	}
	for (c = root->children; c; c = c->next) {
		if (!is_elem(c, "Response", XML_NS_MSK_RESPONSE))
			continue;
		if (*n == XML_MAX_MSKS) {
			snprintf(err, errlen, "more than %d <Response> elements",
				 XML_MAX_MSKS);
			goto out;
		}
		if (parse_response(c, &out[*n], err, errlen))
			goto out;
		(*n)++;
	}
	if (*n == 0) {
		snprintf(err, errlen, "no <Response> element");
		goto out;
	}
	ret = 0;
out:
	if (ret)
		*n = 0;
	xmlFreeDoc(doc);
	return ret;
}
