// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "io.h"
#include "kvmx86/config.h"
#include "kvmx86/error.h"
#include "kvmx86/http.h"
#include "kvmx86/lore.h"
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

int kx_config_lookup(void *cfg, const char *key, char **out)
{
	return kx_config_string(out, cfg, key);
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

/* The hint after a bad value: what to do about it. */
static int bad_key(int error, const char *key)
{
	kx_error_hint("fix it with git config %s <value>, or unset it: git config --unset %s",
		      key, key);
	return error;
}

int kx_config_uint_range(unsigned *out, git_config *cfg, const char *key,
			 unsigned min, unsigned max)
{
	char *v = NULL;
	int error = kx_config_string(&v, cfg, key);

	if (error == KX_ENOTFOUND) {
		kx_error_clear();
		return 0;
	}
	if (!error && (error = kx_config_parse_uint(out, key, v, min, max)) < 0)
		bad_key(error, key);
	free(v);
	return error;
}

/* key's entry: its value NULL when written without '='; KX_ENOTFOUND if unset. */
static int config_entry(git_config_entry **out, git_config *cfg, const char *key)
{
	int error = git_config_get_entry(out, cfg, key);

	if (error == GIT_ENOTFOUND) {
		git_error_clear();
		return KX_ENOTFOUND;
	}
	return kx_git(error);
}

int kx_config_color(struct kx_color_config *out, git_config *cfg)
{
	static const char *const keys[] = { "color.kvmx86", "color.ui" };
	enum kx_color_when when[ARRAY_SIZE(keys)] = { KX_COLOR_UNSET };
	git_config_entry *e = NULL;
	size_t i;
	int error;

	out->when = KX_COLOR_UNSET;
	out->pager = true;
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if ((error = config_entry(&e, cfg, keys[i])) == KX_ENOTFOUND)
			continue;
		if (!error && (error = kx_config_parse_color(&when[i], keys[i],
							     e->value)) < 0)
			bad_key(error, keys[i]);
		git_config_entry_free(e);
		e = NULL;
		if (error < 0)
			return error;
	}
	out->when = when[0] != KX_COLOR_UNSET ? when[0] : when[1];
	if ((error = config_entry(&e, cfg, "color.pager")) == KX_ENOTFOUND)
		return 0;
	if (!error && (error = kx_config_parse_bool(&out->pager, "color.pager",
						    e->value)) < 0)
		bad_key(error, "color.pager");
	git_config_entry_free(e);
	return error;
}

int kx_config_uint(unsigned *out, git_config *cfg, const char *key)
{
	return kx_config_uint_range(out, cfg, key, 0, INT32_MAX);
}

int kx_config_url(char **out, git_config *cfg, const char *key)
{
	int error = kx_config_string(out, cfg, key);

	if (error < 0)
		return error;
	if ((error = kx_config_check_url(key, *out)) < 0) {
		free(*out);
		*out = NULL;
		bad_key(error, key);
	}
	return error;
}

int kx_config_lore(struct kx_lore_config *out, git_config *cfg)
{
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = kx_config_http(&out->http, cfg)) < 0)
		return error;
	if (cfg && (error = kx_config_url(&out->url, cfg, "kvmx86.loreUrl")) < 0 &&
	    error != KX_ENOTFOUND)
		return error;
	if (cfg && (error = kx_config_url(&out->link_url, cfg, "kvmx86.loreLinkUrl")) < 0 &&
	    error != KX_ENOTFOUND)
		return error;
	kx_error_clear();
	if (!out->url)
		out->url = kx_xstrdup(KX_LORE_DEFAULT_URL);
	if (!out->link_url)
		out->link_url = kx_xstrdup(out->url);
	return 0;
}

void kx_lore_config_release(struct kx_lore_config *c)
{
	free(c->url);
	free(c->link_url);
	memset(c, 0, sizeof(*c));
}

int kx_config_http(struct kx_http_opts *o, git_config *cfg)
{
	struct kx_http_opts defaults = KX_HTTP_OPTS_INIT;
	unsigned total = (unsigned)(defaults.total_ms / 1000);
	unsigned retries = defaults.retries;
	int error;

	*o = defaults;
	if (!cfg)
		return 0;
	if ((error = kx_config_uint_range(&total, cfg, "kvmx86.httpTimeout",
					  1, KX_HTTP_TOTAL_MAX_S)) < 0 ||
	    (error = kx_config_uint_range(&retries, cfg, "kvmx86.httpRetries",
					  0, KX_HTTP_RETRIES_MAX)) < 0)
		return error;
	o->total_ms = (long)total * 1000;
	/* no one request may take longer than the whole look-up */
	if (o->timeout_ms > o->total_ms)
		o->timeout_ms = o->total_ms;
	if (o->connect_timeout_ms > o->total_ms)
		o->connect_timeout_ms = o->total_ms;
	o->retries = retries;
	return 0;
}
