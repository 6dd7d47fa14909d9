// SPDX-License-Identifier: GPL-2.0
/*
 * mbmsd MSK requests that need a fresh GBA key (requests.c, worker.c):
 *
 *  - the new MUK is registered (policy and key store, saved) when the
 *    bootstrap finishes, before the HTTP request goes out, so that an MSK
 *    push the BM-SC protects with it verifies even when it overtakes the
 *    HTTP response;
 *  - its expiry counts from the bootstrap, not from the HTTP completion.
 *
 * End to end with the real worker thread, a bootstrap script and an
 * in-process BM-SC (libmicrohttpd) that holds its response until the test
 * has delivered the push: the order is forced by the test, not by timing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "mbms/common.h"
#include "../../userspace/mbmsd/daemon.h"
#include "test.h"

#define KG 0x0102
#define LIFETIME_S 3600
#define BTID "new1@bsf.test"
#define REALM "3GPP-bootstrapping@bmsc.test"
#define NS "urn:3GPP:metadata:2005:MBMS:mskResponse"
/* Generous: only a hang makes these matter. */
#define WAIT_MS 60000

static const uint8_t KD[3] = { 0x26, 0x2f, 0x01 };
static uint8_t NEW_MUK[32], MSKEY[16], RAND[16];
static char dir[] = "/tmp/mbmsd_requests_test.XXXXXX";
static char gba_path[128], password[GBA_PASSWORD_LEN + 1];

static const char CONF[] =
	"[global]\nbmsc_uri=http://127.0.0.1:%u\nbmsc_fqdn=bmsc.test\n"
	"gba_bootstrap_command=%s\nstate_dir=%s\nrequest_jitter=0\n"
	"[session tv]\nid=5\nkey_domain=262f01\nkey_group=0x0102\n"
	"flows=232.1.1.1:5004\nmtk_group=232.1.1.1\n";

/* ---- a BM-SC that holds its answer until released ---------------------- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static bool arrived, released;
static int authenticated;

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *data,
			       size_t *data_size, void **con_cls)
{
	static const char body[] = "<?xml version=\"1.0\"?><mbmsMSKResponse xmlns=\"" NS "\">"
		"<Response><MSK><keyDomainID>Ji8B</keyDomainID><MSKID>AQIAAA==</MSKID></MSK>"
		"<ResponseCode>200</ResponseCode></Response></mbmsMSKResponse>";
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *user;
	int ok;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)data;
	if (!*con_cls) {
		*con_cls = (void *)1;
		return MHD_YES;
	}
	if (*data_size) {
		*data_size = 0;
		return MHD_YES;
	}
	/* Signed with the fresh key's MRK, or refused. */
	user = MHD_digest_auth_get_username(c);
	ok = user && !strcmp(user, BTID) &&
	     MHD_digest_auth_check2(c, REALM, user, password, 300,
				    MHD_DIGEST_ALG_MD5) == MHD_YES;
	MHD_free(user);
	if (!ok) {
		r = MHD_create_response_from_buffer(0, (void *)"",
						    MHD_RESPMEM_PERSISTENT);
		ret = MHD_queue_auth_fail_response2(c, REALM, "opaque", r, 0,
						    MHD_DIGEST_ALG_MD5);
		MHD_destroy_response(r);
		return ret;
	}
	pthread_mutex_lock(&lock);
	authenticated++;
	arrived = true;
	pthread_cond_broadcast(&cond);
	while (!released)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	r = MHD_create_response_from_buffer(strlen(body), (void *)body,
					    MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", XML_CT_MSK_RESPONSE);
	ret = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return ret;
}

static bool has_arrived(void)
{
	bool a;

	pthread_mutex_lock(&lock);
	a = arrived;
	pthread_mutex_unlock(&lock);
	return a;
}

static void release(void)
{
	pthread_mutex_lock(&lock);
	released = true;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

/* ---- the daemon side ---------------------------------------------------- */

static size_t push_msg(uint8_t *out, const uint8_t *muk, uint32_t msk_id,
		       uint32_t ctr)
{
	struct mikey_msk_spec s = {
		.csb_id = 0x11223344, .counter = ctr, .idi = "bmsc.test",
		.idr = BTID, .msk_id = msk_id, .msk = MSKEY, .msk_len = 16,
		.seql = 0, .sequ = 100, .v = true, .ssrc = 0x1234, .roc = 0,
	};
	struct mikey_error e;
	size_t len = 0;

	memcpy(s.rand, RAND, 16);
	memcpy(s.key_domain, KD, 3);
	CHECK(mikey_encode_msk(&s, muk, 32, out, MIKEY_MAX_MESSAGE_LEN, &len,
			       &e) == 0);
	return len;
}

static struct mbmsd *start(unsigned int port)
{
	struct mbmsd *d = calloc(1, sizeof(*d));
	char text[1024], err[200];

	snprintf(text, sizeof(text), CONF, port, gba_path, dir);
	CHECK(config_load_string(text, "req.conf", &d->cfg, stderr) == 0);
	d->persist = true;
	CHECK(mbmsd_setup_state(d) == 0);
	d->kern = kernel_open(true, err, sizeof(err));
	return d;
}

static void stop(struct mbmsd *d)
{
	kernel_close(d->kern);
	store_wipe(&d->store);
	free(d);
}

/* Wait for a worker result and apply it, as the loop does. */
static bool apply_one(struct mbmsd *d, int timeout_ms)
{
	static struct worker_result res;
	struct pollfd p = { .fd = worker_fd(d->worker), .events = POLLIN };

	if (poll(&p, 1, timeout_ms) != 1 || worker_take(d->worker, &res))
		return false;
	requests_complete(d, &res, mbmsd_now_ms());
	CHECK(res.keys.lifetime_s == 0);	/* wiped */
	return true;
}

static void test_push_overtakes_response(void)
{
	static uint8_t m[MIKEY_MAX_MESSAGE_LEN], reply[MIKEY_MAX_MESSAGE_LEN];
	static struct store disk;
	struct MHD_Daemon *bmsc;
	const union MHD_DaemonInfo *info;
	uint64_t t0, t_arrived, deadline, e;
	struct mbmsd *d;
	char err[200];
	size_t n, rl;
	int cur;

	bmsc = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
				MHD_USE_ERROR_LOG, 0, NULL, NULL, handler,
				NULL, MHD_OPTION_NONCE_NC_SIZE, 300,
				MHD_OPTION_DIGEST_AUTH_RANDOM, 16,
				"0123456789abcdef", MHD_OPTION_END);
	CHECK(bmsc != NULL);
	if (!bmsc)
		return;
	info = MHD_get_daemon_info(bmsc, MHD_DAEMON_INFO_BIND_PORT);
	CHECK(info && info->port);
	d = start(info ? info->port : 9);
	d->worker = worker_start(err, sizeof(err));
	CHECK(d->worker != NULL);
	if (!d->worker)
		goto out;

	/* No MUK yet: the request must bootstrap first. */
	t0 = mbmsd_now_ms();
	CHECK(mbmsd_request_missing(d, t0) == 1);
	requests_dispatch(d, t0);
	CHECK(d->groups[0].req.state == POL_REQ_IN_FLIGHT);
	/* Run the loop's part until the BM-SC holds the request. */
	deadline = t0 + WAIT_MS;
	while (!has_arrived() && mbmsd_now_ms() < deadline)
		apply_one(d, 50);
	CHECK(has_arrived());
	t_arrived = mbmsd_now_ms();

	/* The key is registered and on disk before the request was sent... */
	CHECK(d->ue.cur >= 0 && d->cnt.bootstraps == 1);
	CHECK(store_load(dir, &disk, err, sizeof(err)) == 0);
	CHECK(disk.cur >= 0 && disk.cur < 2 && disk.muk[disk.cur].present &&
	      !memcmp(disk.muk[disk.cur].ks_naf, NEW_MUK, 32) &&
	      !strcmp(disk.muk[disk.cur].btid, BTID));
	store_wipe(&disk);
	/* ... so the push that overtakes the HTTP response verifies. */
	n = push_msg(m, NEW_MUK, (uint32_t)KG << 16 | 1, 1);
	rl = rx_unicast(d, m, n, t_arrived, reply, sizeof(reply));
	CHECK(rl > 0);
	CHECK(d->ue.stats.accepted_msk == 1);
	CHECK(d->ue.stats.rejected[POL_R_AUTH] == 0 &&
	      d->ue.stats.rejected[POL_R_NO_MUK] == 0);
	CHECK(store_msk_find(&d->store, KD, (uint32_t)KG << 16 | 1) != NULL);
	CHECK(d->groups[0].req.state == POL_REQ_IN_FLIGHT);

	/* Let the clock move past t_arrived, then the 200 arrives. */
	usleep(100 * 1000);
	release();
	deadline = mbmsd_now_ms() + WAIT_MS;
	while (d->groups[0].req.state == POL_REQ_IN_FLIGHT &&
	       mbmsd_now_ms() < deadline)
		apply_one(d, 50);
	CHECK(d->cnt.requests_ok == 1 && d->cnt.requests_failed == 0);
	CHECK(authenticated == 1);
	CHECK(d->groups[0].req.state == POL_REQ_IDLE);
	cur = d->ue.cur;
	CHECK(cur >= 0 && d->ue.neg == cur);
	/*
	 * Expiry from the bootstrap (which ran between t0 and t_arrived),
	 * not from the 200 (after t_arrived + 100 ms).
	 */
	if (cur >= 0) {
		e = d->store.muk[cur].expires_ms;
		CHECK(e >= t0 + LIFETIME_S * 1000ull);
		CHECK(e <= t_arrived + LIFETIME_S * 1000ull);
		CHECK(d->ue.muk[cur].expires == e);
	}
	worker_stop(d->worker);
	d->worker = NULL;
out:
	release();
	MHD_stop_daemon(bmsc);
	stop(d);
}

/* The pieces, without threads: jobs, registration, a failed bootstrap. */
static void test_jobs(void)
{
	static struct worker_result res;
	static struct worker_job job, next;
	const uint64_t T0 = 1800000000000ull;
	struct pol_request rq;
	struct mbmsd *d;
	int slot;

	d = start(9);
	CHECK(pol_request_trigger(&d->ue, &d->groups[0], T0, &d->rng));
	CHECK(pol_take_due(&d->ue, T0, &rq) && rq.bootstrap_first);
	CHECK(requests_make_job(d, &rq, &job) == 0);
	CHECK(job.task == WORKER_BOOTSTRAP && job.group == 0);
	CHECK_STR(job.gba_cmd, gba_path);
	CHECK(job.req.btid[0] == 0 && job.req.password[0] == 0);

	/* The bootstrap fails: the request fails, nothing registered. */
	memset(&res, 0, sizeof(res));
	res.task = WORKER_BOOTSTRAP;
	res.bootstrap_failed = true;
	res.out.result = POL_RES_FAILED;
	strcpy(res.bootstrap_err, "exit status 1");
	strcpy(res.out.detail, "GBA bootstrap failed: exit status 1");
	requests_complete(d, &res, T0 + 10);
	CHECK(d->cnt.bootstrap_failures == 1 && d->cnt.requests_failed == 1);
	CHECK(d->ue.cur < 0 && d->cnt.bootstraps == 0);
	CHECK(d->groups[0].req.state == POL_REQ_SCHEDULED);

	/* It succeeds, and is applied much later than it ran. */
	CHECK(pol_take_due(&d->ue, pol_next_due(&d->ue), &rq) &&
	      rq.bootstrap_first);
	memset(&res, 0, sizeof(res));
	res.task = WORKER_BOOTSTRAP;
	res.bootstrapped = true;
	res.bootstrap_ms = T0 + 5000;
	memcpy(res.keys.ks_naf, NEW_MUK, 32);
	strcpy(res.keys.btid, BTID);
	res.keys.lifetime_s = LIFETIME_S;
	CHECK(requests_bootstrapped(d, &res, &next) == 0);
	slot = d->ue.cur;
	CHECK(slot >= 0);
	if (slot >= 0) {
		CHECK(d->store.muk[slot].expires_ms ==
		      T0 + 5000 + LIFETIME_S * 1000ull);
		CHECK(d->ue.muk[slot].expires == T0 + 5000 + LIFETIME_S * 1000ull);
		CHECK(!memcmp(d->store.muk[slot].ks_naf, NEW_MUK, 32));
		CHECK(next.muk_gen == d->ue.muk[slot].gen);
	}
	/* The follow-up is the HTTP request, signed with the new key. */
	CHECK(next.task == WORKER_HTTP && next.group == 0);
	CHECK_STR(next.req.btid, BTID);
	CHECK_STR(next.req.password, password);
	/* the only realm the password may answer (TS 33.220 §5.3) */
	CHECK(!strncmp(next.req.realm, "3GPP-bootstrapping@", 19) &&
	      !strcmp(next.req.realm + 19, d->cfg.bmsc_fqdn));
	CHECK(next.req.nmsks == 1 &&
	      next.req.msks[0].msk_id == (uint32_t)KG << 16);
	CHECK(d->groups[0].req.state == POL_REQ_IN_FLIGHT);
	/* Only a successful bootstrap result registers anything. */
	res.task = WORKER_HTTP;
	CHECK(requests_bootstrapped(d, &res, &next) == -1);
	res.task = WORKER_BOOTSTRAP;
	res.bootstrapped = false;
	CHECK(requests_bootstrapped(d, &res, &next) == -1);
	CHECK(d->cnt.bootstraps == 1);
	/* Without a worker the follow-up cannot leave: the request fails. */
	res.bootstrapped = true;
	requests_complete(d, &res, T0 + 9000);
	CHECK(d->groups[0].req.state == POL_REQ_SCHEDULED);
	CHECK(res.keys.lifetime_s == 0 && res.keys.ks_naf[0] == 0);
	secure_zero(&job, sizeof(job));
	secure_zero(&next, sizeof(next));
	stop(d);
}

static void reset_dir(void)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/state", dir);
	unlink(p);
}

/* A TCP port on 127.0.0.1 that refuses connections: bound, not listening. */
static int refusing_port(unsigned int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	      getsockname(fd, (struct sockaddr *)&a, &len) == 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Apply worker results until the group's request is no longer in flight. */
static void settle(struct mbmsd *d)
{
	uint64_t deadline = mbmsd_now_ms() + WAIT_MS;

	while (d->groups[0].req.state == POL_REQ_IN_FLIGHT &&
	       mbmsd_now_ms() < deadline)
		apply_one(d, 50);
	CHECK(d->groups[0].req.state != POL_REQ_IN_FLIGHT);
}

/*
 * mbmsd and the BM-SC start together (systemd, make demo): the BM-SC
 * does not listen yet.  Within the start-up grace (default on), a
 * request that could not connect is retried one rate-limit window after
 * it was sent, and is not a failed request: no failure counted, no
 * backoff.
 */
static void test_startup_grace(void)
{
	struct pol_req *r;
	unsigned int port = 9;
	char err[200];
	struct mbmsd *d;
	int fd;

	fd = refusing_port(&port);
	d = start(port);
	r = &d->groups[0].req;
	d->worker = worker_start(err, sizeof(err));
	CHECK(d->worker != NULL);
	if (!d->worker)
		goto out;
	CHECK(mbmsd_request_missing(d, mbmsd_now_ms()) == 1);
	requests_dispatch(d, mbmsd_now_ms());
	settle(d);
	CHECK(d->cnt.bootstraps == 1);
	CHECK(d->cnt.requests_failed == 0 && d->cnt.requests_retried == 1);
	CHECK(r->state == POL_REQ_SCHEDULED && r->failures == 0);
	/* request_jitter = 0: the window is the 1 s floor, from the send. */
	CHECK(r->due == r->window_start + 1000);
	CHECK(!strncmp(d->last_outcome[0], "BM-SC not reachable yet", 23));
	/* The retry goes out when due (no second bootstrap): a retry again. */
	requests_dispatch(d, r->due);
	CHECK(r->state == POL_REQ_IN_FLIGHT);
	settle(d);
	CHECK(d->cnt.bootstraps == 1 && d->cnt.requests_retried == 2);
	CHECK(d->cnt.requests_failed == 0 && r->failures == 0);
	/* The grace is over: the same refusal is a failure, with backoff. */
	d->grace_until_ms = mbmsd_now_ms();
	requests_dispatch(d, r->due);
	settle(d);
	CHECK(d->cnt.requests_retried == 2 && d->cnt.requests_failed == 1);
	CHECK(r->state == POL_REQ_SCHEDULED && r->failures == 1);
	worker_stop(d->worker);
	d->worker = NULL;
out:
	close(fd);
	stop(d);
}

/*
 * The grace ends early once the BM-SC answered anything: from then on a
 * refused connection is the BM-SC going down, a failure.  And
 * startup_grace = 0 turns the grace off.  (Results applied by hand.)
 */
static void test_grace_ends(void)
{
	static struct worker_result res;
	struct pol_request rq;
	uint64_t t0;
	struct mbmsd *d;
	int off;

	for (off = 0; off < 2; off++) {
		d = start(9);
		if (off) {
			d->cfg.startup_grace_s = 0;
			CHECK(mbmsd_setup_state(d) == 0);
		}
		t0 = mbmsd_now_ms();
		CHECK(d->grace_until_ms >= t0 &&
		      d->grace_until_ms <= t0 + (off ? 0 : 60000));
		memset(&res, 0, sizeof(res));
		res.task = WORKER_HTTP;
		res.out.result = POL_RES_FAILED;
		CHECK(pol_request_trigger(&d->ue, &d->groups[0], t0, &d->rng));
		CHECK(pol_take_due(&d->ue, t0, &rq));
		if (!off) {
			/* An HTTP 500: the BM-SC is up. */
			strcpy(res.out.detail, "HTTP 500, 0 MSK response(s)");
			requests_complete(d, &res, t0);
			CHECK(d->bmsc_reached && d->cnt.requests_failed == 1);
			CHECK(pol_take_due(&d->ue, pol_next_due(&d->ue), &rq));
		}
		res.out.not_reached = true;
		strcpy(res.out.detail, "Couldn't connect to server");
		requests_complete(d, &res, t0 + 5);
		CHECK(d->cnt.requests_retried == 0);
		CHECK(d->cnt.requests_failed == (off ? 1u : 2u));
		CHECK(d->groups[0].req.failures == (off ? 1u : 2u));
		stop(d);
		reset_dir();
	}
}

static void write_gba_script(void)
{
	char hex[65];
	FILE *f;

	snprintf(gba_path, sizeof(gba_path), "%s/gba.sh", dir);
	hex_encode(NEW_MUK, 32, hex);
	f = fopen(gba_path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "#!/bin/sh\nprintf 'btid=%s\\nks_naf=%s\\nlifetime=%d\\n'\n",
		BTID, hex, LIFETIME_S);
	fclose(f);
	chmod(gba_path, 0700);
}

int main(void)
{
	struct gba_keys k;
	int i;

	log_init("mbmsd_requests_test", LOG_LVL_ERR);
	CHECK(http_global_init() == 0);
	for (i = 0; i < 32; i++)
		NEW_MUK[i] = (uint8_t)(0xa0 + i);
	for (i = 0; i < 16; i++) {
		MSKEY[i] = (uint8_t)(0x40 + i);
		RAND[i] = (uint8_t)(0x20 + i);
	}
	memset(&k, 0, sizeof(k));
	memcpy(k.ks_naf, NEW_MUK, 32);
	CHECK(gba_derive(&k) == 0);
	memcpy(password, k.password, sizeof(password));
	gba_keys_wipe(&k);
	CHECK(mkdtemp(dir) != NULL);
	chmod(dir, 0700);
	write_gba_script();
	test_push_overtakes_response();
	reset_dir();
	test_jobs();
	reset_dir();
	test_startup_grace();
	reset_dir();
	test_grace_ends();
	unlink(gba_path);
	rmdir(dir);
	return test_summary("mbmsd_requests_test");
}
