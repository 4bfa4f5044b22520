// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>

#include <git2.h>

#include "io.h"
#include "kvmx86/error.h"
#include "kvmx86/http.h"
#include "kvmx86/util.h"

int kx_config_string(char **out, git_config *cfg, const char *key)
{
	git_buf buf = GIT_BUF_INIT;
	int error = git_config_get_string_buf(&buf, cfg, key);

	*out = NULL;
	if (error == GIT_ENOTFOUND)
		return KX_ENOTFOUND;
	if (error < 0)
		return kx_git(error);
	*out = kx_xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	return 0;
}

int kx_config_bool(bool *out, git_config *cfg, const char *key)
{
	int v, error = git_config_get_bool(&v, cfg, key);

	if (error == GIT_ENOTFOUND)
		return 0;
	if (error < 0)
		return kx_error_set(KX_EINVALID,
				    "bad boolean config value for '%s'", key);
	*out = v != 0;
	return 0;
}

int kx_config_uint(unsigned *out, git_config *cfg, const char *key)
{
	int32_t v;
	int error = git_config_get_int32(&v, cfg, key);

	if (error == GIT_ENOTFOUND)
		return 0;
	if (error < 0 || v < 0)
		return kx_error_set(KX_EINVALID,
				    "bad config value for '%s': expected a number of at least 0",
				    key);
	*out = (unsigned)v;
	return 0;
}

void kx_config_http(struct kx_http_opts *o, git_config *cfg)
{
	struct kx_http_opts defaults = KX_HTTP_OPTS_INIT;
	unsigned timeout = 0, retries = defaults.retries;

	*o = defaults;
	if (!cfg)
		return;
	if (kx_config_uint(&timeout, cfg, "kvmx86.httpTimeout") == 0 && timeout) {
		o->timeout_ms = (long)timeout * 1000;
		if (o->connect_timeout_ms > o->timeout_ms)
			o->connect_timeout_ms = o->timeout_ms;
	}
	if (kx_config_uint(&retries, cfg, "kvmx86.httpRetries") == 0)
		o->retries = retries;
	kx_error_clear();
}
