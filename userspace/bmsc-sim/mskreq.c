// SPDX-License-Identifier: GPL-2.0
/* mbmsMSKRequest parsing and mbmsMSKResponse building with libxml2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "mbms/common.h"
#include "mskreq.h"
#include "ue.h"

/* libxml2 would print parse errors of hostile input to stderr. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void mskreq_init(void)
{
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, xml_quiet);
}

static bool is_elem(const xmlNode *n, const char *name, const char *ns)
{
	return n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name) &&
	       n->ns && n->ns->href && !strcmp((const char *)n->ns->href, ns);
}

/*
 * The text of a leaf element: only text children, bounded length.
 * Returns 0 with a pointer into the tree, -1 if the element is not a
 * plain text leaf.
 */
static int leaf_text(const xmlNode *n, const char **text, size_t *len)
{
	const xmlNode *c = n->children;

	if (!c || c->next || c->type != XML_TEXT_NODE || !c->content)
		return -1;
	*text = (const char *)c->content;
	*len = strlen(*text);
	return *len > 64 ? -1 : 0;
}

static int parse_msk(const xmlNode *msk, size_t idx, size_t *walked,
		     struct mskreq_item *it, char *err, size_t errlen)
{
	bool have_kd = false, have_id = false;
	const xmlNode *c;

	for (c = msk->children; c; c = c->next) {
		uint8_t id[4];
		const char *t;
		size_t len;

		if (++*walked > MSKREQ_MAX_ELEMENTS) {
			snprintf(err, errlen, "more than %d XML nodes",
				 MSKREQ_MAX_ELEMENTS);
			return -1;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_elem(c, "keyDomainID", MSKREQ_NS)) {
			if (have_kd || leaf_text(c, &t, &len) ||
			    b64_decode_exact(t, len, it->key_domain,
					     sizeof(it->key_domain))) {
				snprintf(err, errlen,
					 "MSK %zu: keyDomainID is %s", idx + 1,
					 have_kd ? "given twice" :
					 "not base64 of 3 bytes");
				return -1;
			}
			have_kd = true;
		} else if (is_elem(c, "MSKID", MSKREQ_NS)) {
			if (have_id || leaf_text(c, &t, &len) ||
			    b64_decode_exact(t, len, id, sizeof(id))) {
				snprintf(err, errlen, "MSK %zu: MSKID is %s",
					 idx + 1, have_id ? "given twice" :
					 "not base64 of 4 bytes");
				return -1;
			}
			it->msk_id = (uint32_t)id[0] << 24 | (uint32_t)id[1] << 16 |
				     (uint32_t)id[2] << 8 | id[3];
			have_id = true;
		}
	}
	if (!have_kd || !have_id) {
		snprintf(err, errlen, "MSK %zu: no %s", idx + 1,
			 have_kd ? "MSKID" : "keyDomainID");
		return -1;
	}
	if (!mikey_msk_key_group(it->msk_id)) {
		snprintf(err, errlen, "MSK %zu: Key Group 0 is reserved", idx + 1);
		return -1;
	}
	return 0;
}

int mskreq_parse(const char *body, size_t len, struct mskreq *req,
		 char *err, size_t errlen)
{
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR |
			 XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
	size_t walked = 0;
	xmlDoc *doc = NULL;
	xmlNode *root, *c;
	int ret = -1;

	memset(req, 0, sizeof(*req));
	if (!len || len > MSKREQ_MAX_BODY) {
		snprintf(err, errlen, "request body of %zu bytes (1 to %d allowed)",
			 len, MSKREQ_MAX_BODY);
		return -1;
	}
	doc = xmlReadMemory(body, (int)len, "msk-request.xml", NULL, opts);
	if (!doc) {
		const xmlError *e = xmlGetLastError();

		snprintf(err, errlen, "malformed XML%s%.*s",
			 e && e->message ? ": " : "", 80,
			 e && e->message ? e->message : "");
		/* libxml2 messages end in a newline. */
		err[strcspn(err, "\n")] = '\0';
		goto out;
	}
	if (doc->intSubset || doc->extSubset) {
		snprintf(err, errlen, "a DTD is not allowed in a request");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !is_elem(root, "mbmsMSKRequest", MSKREQ_NS)) {
		snprintf(err, errlen, "root element is not mbmsMSKRequest in namespace %s",
			 MSKREQ_NS);
		goto out;
	}
	for (c = root->children; c; c = c->next) {
		if (++walked > MSKREQ_MAX_ELEMENTS) {
			snprintf(err, errlen, "more than %d XML nodes",
				 MSKREQ_MAX_ELEMENTS);
			goto out;
		}
		if (!is_elem(c, "MSK", MSKREQ_NS))
			continue;
		if (req->n == MSKREQ_MAX_MSKS) {
			snprintf(err, errlen, "more than %d MSK elements",
				 MSKREQ_MAX_MSKS);
			goto out;
		}
		if (parse_msk(c, req->n, &walked, &req->item[req->n], err,
			      errlen))
			goto out;
		req->n++;
	}
	if (!req->n) {
		snprintf(err, errlen, "no MSK element in the request");
		goto out;
	}
	ret = 0;
out:
	xmlFreeDoc(doc);
	xmlResetLastError();
	return ret;
}

int mskresp_build(const struct mskreq *req, const unsigned int *codes,
		  char **out, size_t *outlen)
{
	xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNode *root;
	xmlNs *ns;
	xmlChar *mem = NULL;
	int memlen = 0, ret = -1;
	size_t i;

	if (!doc)
		return -1;
	root = xmlNewNode(NULL, BAD_CAST "mbmsMSKResponse");
	if (!root)
		goto out;
	xmlDocSetRootElement(doc, root);
	ns = xmlNewNs(root, BAD_CAST MSKRESP_NS, NULL);
	if (!ns)
		goto out;
	xmlSetNs(root, ns);
	for (i = 0; i < req->n; i++) {
		const struct mskreq_item *it = &req->item[i];
		uint8_t id[4] = { it->msk_id >> 24, it->msk_id >> 16,
				  it->msk_id >> 8, it->msk_id };
		char kd[8], mid[12], code[40];
		xmlNode *r, *m;

		if (b64_encode(it->key_domain, sizeof(it->key_domain), kd,
			       sizeof(kd)) ||
		    b64_encode(id, sizeof(id), mid, sizeof(mid)))
			goto out;
		/* TS 26.346 §11.8.2's form: status code and reason, "200 OK" */
		snprintf(code, sizeof(code), "%u %s", codes[i],
			 codes[i] == 200 ? "OK" : codes[i] == 404 ? "Not Found" :
			 codes[i] == 503 ? "Service Unavailable" : "Error");
		r = xmlNewChild(root, ns, BAD_CAST "Response", NULL);
		m = r ? xmlNewChild(r, ns, BAD_CAST "MSK", NULL) : NULL;
		if (!m || !xmlNewChild(m, ns, BAD_CAST "keyDomainID", BAD_CAST kd) ||
		    !xmlNewChild(m, ns, BAD_CAST "MSKID", BAD_CAST mid) ||
		    !xmlNewChild(r, ns, BAD_CAST "ResponseCode", BAD_CAST code))
			goto out;
	}
	xmlDocDumpFormatMemoryEnc(doc, &mem, &memlen, "UTF-8", 1);
	if (!mem || memlen <= 0)
		goto out;
	*out = malloc((size_t)memlen + 1);
	if (!*out)
		goto out;
	memcpy(*out, mem, (size_t)memlen);
	(*out)[memlen] = '\0';
	*outlen = (size_t)memlen;
	ret = 0;
out:
	xmlFree(mem);
	xmlFreeDoc(doc);
	return ret;
}
