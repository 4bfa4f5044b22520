// SPDX-License-Identifier: GPL-2.0-only
/*
 * HTTP for lore (libcurl 7.88): bounded in time, retries and size, and
 * never without TLS verification.  zlib inflates the gzip files that
 * public-inbox serves as application/gzip (not a Content-Encoding, so
 * libcurl leaves them alone).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <zlib.h>

#include "kvmx86/error.h"
#include "kvmx86/http.h"
#include "kvmx86/safe.h"
#include "kvmx86/util.h"
#include "curl.h"

static const struct kx_http_opts default_opts = KX_HTTP_OPTS_INIT;

struct sink {
	struct kx_buf buf;
	size_t max;
	bool over;
};

/* Chunked bodies have no length for CURLOPT_MAXFILESIZE: count here. */
static size_t on_data(char *ptr, size_t size, size_t nmemb, void *data)
{
	struct sink *s = data;
	size_t n = size * nmemb;

	if (n > s->max || s->buf.len > s->max - n) {
		s->over = true;
		return 0;	/* libcurl stops with CURLE_WRITE_ERROR */
	}
	kx_buf_add(&s->buf, ptr, n);
	return n;
}

long long kx_http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static bool retryable_code(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static bool retryable_status(long status)
{
	return status == 429 || (status >= 500 && status <= 599);
}

/*
 * o with every limit usable: libcurl reads a time-out of 0 as "none",
 * and a look-up must never block, so 0 or less means the default.
 */
static void sane_opts(struct kx_http_opts *o)
{
	if (o->connect_timeout_ms <= 0)
		o->connect_timeout_ms = default_opts.connect_timeout_ms;
	if (o->timeout_ms <= 0)
		o->timeout_ms = default_opts.timeout_ms;
	if (o->backoff_ms <= 0)
		o->backoff_ms = default_opts.backoff_ms;
	if (o->backoff_max_ms < o->backoff_ms)
		o->backoff_max_ms = o->backoff_ms;
	if (!o->max_size)
		o->max_size = default_opts.max_size;
	if (!o->max_inflated)
		o->max_inflated = default_opts.max_inflated;
	if (o->max_redirects < 0)
		o->max_redirects = default_opts.max_redirects;
}

static void set_options(CURL *h, const char *url, bool post,
			const struct kx_http_opts *o, struct sink *sink,
			char *errbuf, const char *agent)
{
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, agent);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, o->max_redirects);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)(o->max_size > (size_t)LONG_MAX ?
				      LONG_MAX : o->max_size));
	/* a Content-Encoding is undone by libcurl, and counted after */
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	if (post) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
		/* a redirected POST stays a POST (GET would ignore x=m) */
		curl_easy_setopt(h, CURLOPT_POSTREDIR,
				 (long)CURL_REDIR_POST_ALL);
	}
}

/* " (3 attempts)", or "" for one. */
static const char *attempts_note(char *buf, size_t n, unsigned attempts)
{
	if (attempts <= 1)
		return "";
	snprintf(buf, n, " (%u attempts)", attempts);
	return buf;
}

/* The message and hint for a transfer that did not complete. */
static int transfer_error(CURLcode rc, const char *url, const char *errbuf,
			  const struct kx_http_opts *o, const struct sink *s,
			  unsigned attempts)
{
	const char *detail = *errbuf ? errbuf : curl_easy_strerror(rc);
	char note[32];
	int error;

	attempts_note(note, sizeof(note), attempts);
	if (s->over || rc == CURLE_FILESIZE_EXCEEDED) {
		error = kx_error_set(KX_ENET, "the answer from '%s' is over "
				     "%zu bytes", url, o->max_size);
		kx_error_hint("kvmx86 reads no more than that from one "
			      "request");
		return error;
	}
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		if (o->deadline_ms && kx_http_now_ms() >= o->deadline_ms - 50) {
			error = kx_error_set(KX_ENET, "'%s' did not answer "
					     "within the %.1f s the look-up "
					     "may take in all%s", url,
					     o->total_ms / 1e3, note);
			kx_error_hint("check the network, or try again later; "
				      "kvmx86.httpTimeout sets that time");
			return error;
		}
		if (strstr(detail, "onnect"))
			error = kx_error_set(KX_ENET, "could not connect to "
					     "'%s' within %.1f s%s", url,
					     o->connect_timeout_ms / 1e3,
					     note);
		else
			error = kx_error_set(KX_ENET, "'%s' did not answer "
					     "within %.1f s%s", url,
					     o->timeout_ms / 1e3, note);
		kx_error_hint("check the network, or try again later");
		return error;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
		error = kx_error_set(KX_ENET, "could not connect to '%s': "
				     "%s%s", url, detail, note);
		kx_error_hint("check the network and the URL");
		return error;
	case CURLE_TOO_MANY_REDIRECTS:
		error = kx_error_set(KX_ENET, "'%s' redirected more than %ld "
				     "times", url, o->max_redirects);
		kx_error_hint("check the URL");
		return error;
	case CURLE_UNSUPPORTED_PROTOCOL:
		error = kx_error_set(KX_ENET, "'%s' led to a protocol other "
				     "than http and https: %s", url, detail);
		kx_error_hint("check the URL");
		return error;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		error = kx_error_set(KX_ENET, "TLS failed for '%s': %s", url,
				     detail);
		kx_error_hint("kvmx86 always verifies certificates: check "
			      "the clock, the CA certificates and the URL");
		return error;
	default:
		error = kx_error_set(KX_ENET, "fetching '%s' failed: %s%s",
				     url, detail, note);
		kx_error_hint("check the network, or try again later");
		return error;
	}
}

static int request(struct kx_http_response *out, const char *url, bool post,
		   const struct kx_http_opts *opts)
{
	struct kx_http_opts copy = opts ? *opts : default_opts;
	const struct kx_http_opts *o = &copy;
	struct sink sink = { KX_BUF_INIT, 0, false };
	char errbuf[CURL_ERROR_SIZE], note[32], *agent = NULL, *shown;
	const char *ct = NULL;
	curl_off_t retry_after;
	long delay, wait, status = 0;
	CURLcode rc = CURLE_OK;
	CURL *h = NULL;
	int error = 0;

	kx_http_response_release(out);
	sane_opts(&copy);
	/* messages name the URL without "user:password@" */
	shown = kx_url_redact(url);
	if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8)) {
		error = kx_error_set(KX_EINVALID, "'%s' is not an http or "
				     "https URL", shown);
		goto done;
	}
	if ((error = kx_curl_load()) < 0) {
		kx_error_hint("install libcurl (Debian: libcurl4), or use --offline");
		goto done;
	}
	if (!(h = curl_easy_init())) {
		error = kx_error_set(KX_ENET, "libcurl could not start a "
				     "transfer for '%s'", shown);
		goto done;
	}
	agent = o->user_agent ? kx_xstrdup(o->user_agent) :
		kx_xstrdup("kvmx86/" KX_VERSION);
	sink.max = o->max_size;
	set_options(h, url, post, o, &sink, errbuf, agent);
	delay = o->backoff_ms;
	for (;;) {
		if (o->deadline_ms) {
			/* what is left of the look-up's time bounds the attempt */
			long long left = o->deadline_ms - kx_http_now_ms();

			if (left <= 0) {
				error = kx_error_set(KX_ENET, "no time left to ask "
						     "'%s': the look-up may take "
						     "%.1f s in all", shown,
						     o->total_ms / 1e3);
				kx_error_hint("kvmx86.httpTimeout sets that time");
				goto done;
			}
			if (copy.timeout_ms > left)
				copy.timeout_ms = (long)left;
			if (copy.connect_timeout_ms > left)
				copy.connect_timeout_ms = (long)left;
			curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, copy.timeout_ms);
			curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
					 copy.connect_timeout_ms);
		}
		errbuf[0] = '\0';
		sink.buf.len = 0;
		sink.over = false;
		rc = curl_easy_perform(h);
		out->attempts++;
		status = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		out->status = status;
		if (rc == CURLE_OK ? !retryable_status(status) :
		    !retryable_code(rc) || sink.over)
			break;
		if (out->attempts > o->retries)
			break;
		wait = delay;
		retry_after = 0;
		if (rc == CURLE_OK)
			curl_easy_getinfo(h, CURLINFO_RETRY_AFTER,
					  &retry_after);
		if (retry_after > 0) {
			if (retry_after * 1000 > o->backoff_max_ms) {
				error = kx_error_set(KX_ENET, "'%s' answered "
						     "HTTP %ld and asks to "
						     "wait %ld s; kvmx86 "
						     "waits %.1f s at most",
						     shown, status,
						     (long)retry_after,
						     o->backoff_max_ms / 1e3);
				kx_error_hint("the server is busy: try again "
					      "later");
				goto done;
			}
			if (retry_after * 1000 > wait)
				wait = (long)retry_after * 1000;
		}
		if (wait > o->backoff_max_ms)
			wait = o->backoff_max_ms;
		/* a retry that cannot finish in time is not made */
		if (o->deadline_ms && kx_http_now_ms() + wait >= o->deadline_ms)
			break;
		sleep_ms(wait);
		delay = delay > o->backoff_max_ms / 2 ? o->backoff_max_ms :
			delay * 2;
	}
	if (rc != CURLE_OK) {
		error = transfer_error(rc, shown, errbuf, o, &sink,
				       out->attempts);
		goto done;
	}
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
	out->content_type = ct ? kx_xstrdup(ct) : NULL;
	out->len = sink.buf.len;
	out->body = kx_buf_detach(&sink.buf);
	if (status >= 200 && status <= 299)
		goto done;
	if (status == 404) {
		error = kx_error_set(KX_ENOTFOUND, "nothing at '%s'", shown);
		goto done;
	}
	error = kx_error_set(KX_ENET, "'%s' answered HTTP %ld%s", shown,
			     status, attempts_note(note, sizeof(note),
						   out->attempts));
	kx_error_hint(retryable_status(status) ?
		      "the server has trouble: try again later" :
		      "check the URL");
done:
	kx_buf_release(&sink.buf);
	if (h)
		curl_easy_cleanup(h);
	free(agent);
	free(shown);
	return error;
}

int kx_http_get(struct kx_http_response *out, const char *url,
		const struct kx_http_opts *opts)
{
	return request(out, url, false, opts);
}

int kx_http_post(struct kx_http_response *out, const char *url,
		 const struct kx_http_opts *opts)
{
	return request(out, url, true, opts);
}

int kx_http_gunzip(char **out, size_t *out_len, const void *in, size_t len,
		   size_t max, const char *what)
{
	const unsigned char *data = in;
	unsigned char chunk[16384];
	struct kx_buf b = KX_BUF_INIT;
	z_stream z;
	size_t n;
	int zr, error = 0;
	bool started = false;

	*out = NULL;
	*out_len = 0;
	memset(&z, 0, sizeof(z));
	if (len < 2 || data[0] != 0x1f || data[1] != 0x8b)
		return kx_error_set(KX_EINVALID, "the answer from '%s' is not "
				    "gzip data", what);
	if (len > UINT_MAX)
		return kx_error_set(KX_EINVALID, "the gzip data from '%s' is "
				    "too large", what);
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		error = kx_error_set(KX_ENOMEM, "zlib could not start");
		goto done;
	}
	started = true;
	z.next_in = (unsigned char *)data;
	z.avail_in = (unsigned)len;
	for (;;) {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		zr = inflate(&z, Z_NO_FLUSH);
		n = sizeof(chunk) - z.avail_out;
		if (n > max || b.len > max - n) {
			error = kx_error_set(KX_EINVALID, "the gzip data from "
					     "'%s' inflates past %zu bytes",
					     what, max);
			goto done;
		}
		kx_buf_add(&b, chunk, n);
		if (zr == Z_STREAM_END) {
			/* another member may follow (gzip concatenates) */
			if (z.avail_in >= 2 && z.next_in[0] == 0x1f &&
			    z.next_in[1] == 0x8b && inflateReset(&z) == Z_OK)
				continue;
			break;	/* like gzip(1), trailing bytes are ignored */
		}
		if (zr == Z_BUF_ERROR || (zr == Z_OK && !z.avail_in &&
					  z.avail_out)) {
			error = kx_error_set(KX_EINVALID, "the gzip data from "
					     "'%s' is truncated (%zu bytes "
					     "came)", what, len);
			goto done;
		}
		if (zr != Z_OK) {
			error = kx_error_set(KX_EINVALID, "the gzip data from "
					     "'%s' is corrupt: %s", what,
					     z.msg ? z.msg : "zlib error");
			goto done;
		}
	}
	*out_len = b.len;
	*out = kx_buf_detach(&b);
done:
	if (started)
		inflateEnd(&z);
	kx_buf_release(&b);
	return error;
}

void kx_http_response_release(struct kx_http_response *r)
{
	free(r->body);
	free(r->content_type);
	*r = (struct kx_http_response)KX_HTTP_RESPONSE_INIT;
}
