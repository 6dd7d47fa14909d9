// SPDX-License-Identifier: GPL-2.0
/*
 * bmsc-sim: the mbmsMSKRequest parser against good and hostile bodies,
 * and the mbmsMSKResponse builder (read back with libxml2).
 */
#include <stdlib.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "mskreq.h"
#include "test.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define ROOT "<mbmsMSKRequest xmlns=\"" MSKREQ_NS "\">"
#define END "</mbmsMSKRequest>"
/* keyDomainID 00f110, MSK ID 0x00010002 */
#define MSK1 "<MSK><keyDomainID>APEQ</keyDomainID><MSKID>AAEAAg==</MSKID></MSK>"

static void test_good(void)
{
	const char *body = HEAD ROOT "\n  " MSK1 "\n  <MSK>\n"
		"    <keyDomainID> APEQ </keyDomainID>\n"
		"    <MSKID>\n AAIAAA==\n</MSKID><future>x</future>\n"
		"  </MSK><other/>" END;
	struct mskreq req;
	char err[256];

	CHECK(mskreq_parse(body, strlen(body), &req, err, sizeof(err)) == 0);
	CHECK(req.n == 2);
	CHECK(req.item[0].key_domain[0] == 0x00 &&
	      req.item[0].key_domain[1] == 0xf1 &&
	      req.item[0].key_domain[2] == 0x10);
	CHECK(req.item[0].msk_id == 0x00010002);
	CHECK(req.item[1].msk_id == 0x00020000);	/* Key Number 0 */

	/* A namespace prefix is as good as a default namespace. */
	body = "<m:mbmsMSKRequest xmlns:m=\"" MSKREQ_NS "\"><m:MSK>"
	       "<m:keyDomainID>APEQ</m:keyDomainID><m:MSKID>AAEAAQ==</m:MSKID>"
	       "</m:MSK></m:mbmsMSKRequest>";
	CHECK(mskreq_parse(body, strlen(body), &req, err, sizeof(err)) == 0);
	CHECK(req.n == 1 && req.item[0].msk_id == 0x00010001);
}

static void expect_bad(const char *body, size_t len, const char *msg)
{
	struct mskreq req;
	char err[256] = "";

	CHECK(mskreq_parse(body, len, &req, err, sizeof(err)) == -1);
	if (!strstr(err, msg)) {
		test_failed++;
		fprintf(stderr, "mskreq error '%s' lacks '%s'\n", err, msg);
	}
}

#define BAD(body, msg) expect_bad(body, strlen(body), msg)

static void test_bad(void)
{
	static char big[MSKREQ_MAX_BODY + 1];
	char many[4096];
	size_t n, i;

	BAD("", "request body of 0 bytes");
	BAD("not xml", "malformed XML");
	BAD(HEAD ROOT MSK1, "malformed XML");		/* truncated */
	BAD(HEAD "<mbmsMSKRequest>" MSK1 END, "root element");	/* no ns */
	BAD(HEAD "<mbmsMSKRequest xmlns=\"urn:x\">" MSK1 END, "root element");
	BAD(HEAD "<mbmsRegister xmlns=\"" MSKREQ_NS "\">" MSK1
	    "</mbmsRegister>", "root element");
	BAD(HEAD ROOT END, "no MSK element");
	BAD(HEAD ROOT "<msk/>" END, "no MSK element");	/* case matters */
	BAD(HEAD ROOT "<MSK><MSKID>AAEAAg==</MSKID></MSK>" END,
	    "MSK 1: no keyDomainID");
	BAD(HEAD ROOT "<MSK><keyDomainID>APEQ</keyDomainID></MSK>" END,
	    "MSK 1: no MSKID");
	BAD(HEAD ROOT MSK1 "<MSK><keyDomainID>APEQAA==</keyDomainID>"
	    "<MSKID>AAEAAg==</MSKID></MSK>" END,
	    "MSK 2: keyDomainID is not base64 of 3 bytes");
	BAD(HEAD ROOT "<MSK><keyDomainID>APEQ</keyDomainID>"
	    "<MSKID>AAEAAgA=</MSKID></MSK>" END, "MSKID is not base64 of 4");
	BAD(HEAD ROOT "<MSK><keyDomainID>APEQ</keyDomainID>"
	    "<MSKID>AAEA!g==</MSKID></MSK>" END, "MSKID is not base64");
	BAD(HEAD ROOT "<MSK><keyDomainID>APEQ</keyDomainID>"
	    "<MSKID></MSKID></MSK>" END, "MSKID is not base64");
	BAD(HEAD ROOT "<MSK><keyDomainID>APEQ</keyDomainID>"
	    "<MSKID>AAEA<b>Ag</b>==</MSKID></MSK>" END, "MSKID is not base64");
	BAD(HEAD ROOT "<MSK><keyDomainID>APEQ</keyDomainID><keyDomainID>APEQ"
	    "</keyDomainID><MSKID>AAEAAg==</MSKID></MSK>" END, "given twice");
	BAD(HEAD ROOT "<MSK><keyDomainID>APEQ</keyDomainID>"
	    "<MSKID>AAAAAQ==</MSKID></MSK>" END, "Key Group 0 is reserved");
	/* Entities: a DTD is refused before anything is looked at. */
	BAD(HEAD "<!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
	    ROOT "<MSK><keyDomainID>&b;</keyDomainID><MSKID>AAEAAg==</MSKID>"
	    "</MSK>" END, "DTD");
	BAD(HEAD "<!DOCTYPE x SYSTEM \"http://192.0.2.1/x.dtd\">" ROOT MSK1 END,
	    "DTD");
	/* Invalid UTF-8 and an embedded NUL. */
	BAD(HEAD ROOT "\xff\xfe" MSK1 END, "malformed XML");
	expect_bad(HEAD ROOT "\0" MSK1 END, sizeof(HEAD ROOT "\0" MSK1 END) - 1,
		   "malformed XML");
	/* Too many MSK elements. */
	n = (size_t)snprintf(many, sizeof(many), "%s", ROOT);
	for (i = 0; i < MSKREQ_MAX_MSKS + 1; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "%s", MSK1);
	snprintf(many + n, sizeof(many) - n, "%s", END);
	BAD(many, "more than 16 MSK elements");
	/* Exactly the limit is fine. */
	n = (size_t)snprintf(many, sizeof(many), "%s", ROOT);
	for (i = 0; i < MSKREQ_MAX_MSKS; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "%s", MSK1);
	snprintf(many + n, sizeof(many) - n, "%s", END);
	{
		struct mskreq req;
		char err[256];

		CHECK(mskreq_parse(many, strlen(many), &req, err,
				   sizeof(err)) == 0 && req.n == MSKREQ_MAX_MSKS);
	}
	/* Too many nodes of other kinds. */
	n = (size_t)snprintf(many, sizeof(many), "%s", ROOT);
	for (i = 0; i < MSKREQ_MAX_ELEMENTS + 1; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "<x/>");
	snprintf(many + n, sizeof(many) - n, "%s%s", MSK1, END);
	BAD(many, "XML nodes");
	/* Oversized body. */
	memset(big, ' ', sizeof(big));
	expect_bad(big, sizeof(big), "16384");
	/* Deep nesting is bounded by libxml2 and not walked by us. */
	{
		static char deep[MSKREQ_MAX_BODY];

		n = (size_t)snprintf(deep, sizeof(deep), "%s", ROOT);
		for (i = 0; i < 1200 && n + 8 < sizeof(deep); i++)
			n += (size_t)snprintf(deep + n, sizeof(deep) - n, "<a>");
		BAD(deep, "malformed XML");
	}
}

static void test_response(void)
{
	struct mskreq req = { .n = 2 };
	unsigned int codes[2] = { 200, 404 };
	xmlDoc *doc;
	xmlNode *root, *r, *c;
	char *xml = NULL;
	size_t len = 0;
	int responses = 0;

	req.item[0] = (struct mskreq_item){ { 0x00, 0xf1, 0x10 }, 0x00010000 };
	req.item[1] = (struct mskreq_item){ { 0x00, 0xf1, 0x10 }, 0x00020007 };
	CHECK(mskresp_build(&req, codes, &xml, &len) == 0);
	CHECK(xml && len == strlen(xml));
	if (!xml)
		return;
	doc = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET);
	CHECK(doc != NULL);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	CHECK(root && !strcmp((const char *)root->name, "mbmsMSKResponse"));
	CHECK(root && root->ns &&
	      !strcmp((const char *)root->ns->href, MSKRESP_NS));
	for (r = root ? root->children : NULL; r; r = r->next) {
		if (r->type != XML_ELEMENT_NODE)
			continue;
		CHECK(!strcmp((const char *)r->name, "Response"));
		for (c = r->children; c; c = c->next) {
			xmlChar *t;

			if (c->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)c->name, "ResponseCode"))
				continue;
			t = xmlNodeGetContent(c);
			CHECK_STR((const char *)t, responses ? "404 Not Found" : "200 OK");
			xmlFree(t);
		}
		responses++;
	}
	CHECK(responses == 2);
	CHECK(strstr(xml, "<MSKID>AAEAAA==</MSKID>") != NULL);
	CHECK(strstr(xml, "<MSKID>AAIABw==</MSKID>") != NULL);
	CHECK(strstr(xml, "<keyDomainID>APEQ</keyDomainID>") != NULL);
	xmlFreeDoc(doc);
	free(xml);
}

int main(void)
{
	mskreq_init();
	test_good();
	test_bad();
	test_response();
	return test_summary("bmscsim_mskreq_test");
}
