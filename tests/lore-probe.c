// SPDX-License-Identifier: GPL-2.0-only
/*
 * lore-probe: drives the lore and HTTP code from the command line, for the
 * integration tests (tests/integration/t-lore-*.sh).  Not installed.
 *
 *   lore-probe [OPTION...] get URL
 *   lore-probe [OPTION...] post URL
 *   lore-probe [OPTION...] versions BASE-URL EMAIL REVISION
 *   lore-probe msgid ARG
 *
 * get/post print "status S attempts N length L" (and "inflated L" with
 * --gunzip, then the body with --body); versions prints one line per
 * version: "v<rev> <kind> <msgid> <date> <change-id|subject> <subject>",
 * and the warnings as "warning: ..." on stderr.  Errors go to stderr as
 * "error: ..." and "hint: ...".  Exit: 0, 1 error, 2 nothing found (404),
 * 129 usage.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/error.h"
#include "kvmx86/http.h"
#include "kvmx86/lore.h"

enum {
	OPT_TIMEOUT = 0x100, OPT_CONNECT_TIMEOUT, OPT_RETRIES, OPT_BACKOFF,
	OPT_BACKOFF_MAX, OPT_MAX_SIZE, OPT_MAX_INFLATED, OPT_GUNZIP, OPT_BODY,
	OPT_CHANGE_ID, OPT_SUBJECT,
};

static int usage(void)
{
	fputs("usage: lore-probe [options] get|post URL\n"
	      "       lore-probe [options] versions BASE-URL EMAIL REVISION\n"
	      "       lore-probe msgid ARG\n"
	      "options: --timeout-ms N --connect-timeout-ms N --retries N\n"
	      "         --backoff-ms N --backoff-max-ms N --max-size N\n"
	      "         --max-inflated N --gunzip --body\n"
	      "         --change-id ID --subject SUBJECT\n", stderr);
	return 129;
}

static int report(int error)
{
	const char *hint = kx_error_last_hint();

	fprintf(stderr, "error: %s\n", kx_error_last());
	if (*hint)
		fprintf(stderr, "hint: %s\n", hint);
	return error == KX_ENOTFOUND ? 2 : 1;
}

static bool number(const char *s, unsigned long long *out)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	*out = strtoull(s, &end, 10);
	return !*end;
}

static int fetch(bool post, const char *url, const struct kx_http_opts *o,
		 bool gunzip, bool body)
{
	struct kx_http_response r = KX_HTTP_RESPONSE_INIT;
	char *data = NULL;
	size_t len = 0;
	int error, rc = 0;

	error = post ? kx_http_post(&r, url, o) : kx_http_get(&r, url, o);
	printf("status %ld attempts %u length %zu\n", r.status, r.attempts,
	       r.len);
	if (error < 0) {
		rc = report(error);
		goto done;
	}
	if (gunzip) {
		error = kx_http_gunzip(&data, &len, r.body, r.len,
				       o->max_inflated, url);
		if (error < 0) {
			rc = report(error);
			goto done;
		}
		printf("inflated %zu\n", len);
	}
	if (body)
		fwrite(gunzip ? data : r.body, 1, gunzip ? len : r.len,
		       stdout);
done:
	free(data);
	kx_http_response_release(&r);
	return rc;
}

static const char *kind_name(enum kx_lore_kind k)
{
	return k == KX_LORE_COVER ? "cover" :
	       k == KX_LORE_SINGLE ? "single" : "first";
}

static int versions(const char *base, const char *email, const char *rev,
		    const char *change_id, const char *subject,
		    const struct kx_http_opts *o)
{
	struct kx_lore_versions v = KX_LORE_VERSIONS_INIT;
	struct kx_lore_find q = { 0 };
	unsigned long long n;
	size_t i;
	int error, rc = 0;

	if (!number(rev, &n) || n > 10000)
		return usage();
	q.base_url = base;
	q.author_email = email;
	q.revision = (unsigned)n;
	q.change_id = change_id;
	q.subject = subject;
	q.http = o;
	error = kx_lore_find_versions(&v, &q);
	for (i = 0; i < v.warnings.nr; i++)
		fprintf(stderr, "warning: %s\n", v.warnings.items[i]);
	if (error < 0) {
		rc = report(error);
		goto done;
	}
	for (i = 0; i < v.nr; i++)
		printf("v%u %s %s %s %s %s\n", v.items[i].revision,
		       kind_name(v.items[i].kind), v.items[i].msgid,
		       v.items[i].date,
		       v.items[i].by_change_id ? "change-id" : "subject",
		       v.items[i].subject);
done:
	kx_lore_versions_release(&v);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "timeout-ms", required_argument, NULL, OPT_TIMEOUT },
		{ "connect-timeout-ms", required_argument, NULL,
		  OPT_CONNECT_TIMEOUT },
		{ "retries", required_argument, NULL, OPT_RETRIES },
		{ "backoff-ms", required_argument, NULL, OPT_BACKOFF },
		{ "backoff-max-ms", required_argument, NULL, OPT_BACKOFF_MAX },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "max-inflated", required_argument, NULL, OPT_MAX_INFLATED },
		{ "gunzip", no_argument, NULL, OPT_GUNZIP },
		{ "body", no_argument, NULL, OPT_BODY },
		{ "change-id", required_argument, NULL, OPT_CHANGE_ID },
		{ "subject", required_argument, NULL, OPT_SUBJECT },
		{ NULL, 0, NULL, 0 },
	};
	struct kx_http_opts o = KX_HTTP_OPTS_INIT;
	const char *change_id = NULL, *subject = NULL;
	unsigned long long n = 0;
	bool gunzip = false, body = false;
	char *id;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != OPT_GUNZIP && c != OPT_BODY && c != OPT_CHANGE_ID &&
		    c != OPT_SUBJECT && (c < 0x100 || !number(optarg, &n)))
			return usage();
		switch (c) {
		case OPT_TIMEOUT:
			o.timeout_ms = (long)n;
			break;
		case OPT_CONNECT_TIMEOUT:
			o.connect_timeout_ms = (long)n;
			break;
		case OPT_RETRIES:
			o.retries = (unsigned)n;
			break;
		case OPT_BACKOFF:
			o.backoff_ms = (long)n;
			break;
		case OPT_BACKOFF_MAX:
			o.backoff_max_ms = (long)n;
			break;
		case OPT_MAX_SIZE:
			o.max_size = (size_t)n;
			break;
		case OPT_MAX_INFLATED:
			o.max_inflated = (size_t)n;
			break;
		case OPT_GUNZIP:
			gunzip = true;
			break;
		case OPT_BODY:
			body = true;
			break;
		case OPT_CHANGE_ID:
			change_id = optarg;
			break;
		case OPT_SUBJECT:
			subject = optarg;
			break;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 2 && !strcmp(argv[0], "get"))
		return fetch(false, argv[1], &o, gunzip, body);
	if (argc == 2 && !strcmp(argv[0], "post"))
		return fetch(true, argv[1], &o, gunzip, body);
	if (argc == 4 && !strcmp(argv[0], "versions"))
		return versions(argv[1], argv[2], argv[3], change_id, subject,
				&o);
	if (argc == 2 && !strcmp(argv[0], "msgid")) {
		if (kx_lore_msgid_from_arg(&id, argv[1]) < 0)
			return report(KX_EINVALID);
		printf("%s\n", id);
		free(id);
		return 0;
	}
	return usage();
}
