/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HTTP at the edge (lib/io/http.c, libcurl): GET and empty-body POST with
 * timeouts, bounded retries, a size cap, and zlib for gzip bodies.  TLS
 * verification stays on; only http and https are spoken.  The header does
 * not include curl.h, so core may name the options.
 */
#ifndef KVMX86_HTTP_H
#define KVMX86_HTTP_H

#include <stddef.h>

/*
 * Every limit of a request; KX_HTTP_OPTS_INIT holds the defaults.  A time,
 * size or backoff of 0 (or less) means the default, never "unlimited".
 */
struct kx_http_opts {
	long connect_timeout_ms;	/* to connect, per attempt */
	long timeout_ms;		/* the whole transfer, per attempt */
	unsigned retries;		/* attempts after the first */
	long backoff_ms;		/* the first wait, doubled after each */
	long backoff_max_ms;		/* the longest wait, Retry-After too */
	size_t max_size;		/* the longest body received */
	size_t max_inflated;		/* the longest body once gunzipped */
	long max_redirects;
	const char *user_agent;		/* NULL: "kvmx86/<version>" */
	long total_ms;			/* a look-up of several requests, in all */
	long long deadline_ms;		/* every attempt and wait ends by then
					 * (kx_http_now_ms()); 0: no deadline */
};
#define KX_HTTP_OPTS_INIT { 10000, 30000, 2, 1000, 10000, \
			    (size_t)32 << 20, (size_t)256 << 20, 5, NULL, \
			    60000, 0 }

/* The bounds of kvmx86.httpTimeout (seconds) and kvmx86.httpRetries. */
#define KX_HTTP_TOTAL_MAX_S	3600
#define KX_HTTP_RETRIES_MAX	10

/* A monotonic clock in ms, for deadline_ms. */
long long kx_http_now_ms(void);

struct kx_http_response {
	long status;		/* the last HTTP status, 0 if none came */
	char *body;		/* NUL-terminated; NULL if none */
	size_t len;
	char *content_type;	/* NULL if none */
	unsigned attempts;	/* requests made, retries included */
};
#define KX_HTTP_RESPONSE_INIT { 0, NULL, 0, NULL, 0 }

/*
 * GETs url (http or https, redirects followed up to opts->max_redirects)
 * into out (released first).  Retries with exponential backoff on 429 and
 * 5xx statuses and on failures to connect, time-outs and broken transfers,
 * waiting as a Retry-After asks unless that is over opts->backoff_max_ms
 * (then it gives up at once).  Returns 0 for a 2xx status;
 * KX_ENOTFOUND for 404 ("nothing found": the body is kept); otherwise
 * KX_ENET (KX_EINVALID for a URL that is not http(s)) with a message
 * naming the URL (without any user:password) and what failed: the status,
 * the time-out, the size cap, the attempts made; and a hint.  With a
 * deadline, no attempt or wait goes past it: what is left of the time
 * bounds each attempt, and a retry that would not fit is not made.
 * opts NULL: the defaults.
 */
int kx_http_get(struct kx_http_response *out, const char *url,
		const struct kx_http_opts *opts);

/* Like kx_http_get(), with a POST of an empty body (public-inbox's x=m). */
int kx_http_post(struct kx_http_response *out, const char *url,
		 const struct kx_http_opts *opts);

/*
 * Inflates the gzip data in (one or more members) into *out (caller frees,
 * NUL-terminated) and *out_len.  what names the data in messages (its
 * URL).  Returns 0, or KX_EINVALID if the data is not gzip, is corrupt or
 * truncated, or inflates past max bytes.
 */
int kx_http_gunzip(char **out, size_t *out_len, const void *in, size_t len,
		   size_t max, const char *what);

/* Frees what r owns and empties it. */
void kx_http_response_release(struct kx_http_response *r);

#endif
