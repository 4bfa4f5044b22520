// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/error.h"
#include "kvmx86/findings.h"
#include "kvmx86/util.h"

static const char *const sev_names[] = { "off", "advice", "warning", "error" };

const char *kx_severity_name(enum kx_severity sev)
{
	return sev <= KX_SEV_ERROR ? sev_names[sev] : "?";
}

int kx_severity_parse(enum kx_severity *out, const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sev_names); i++) {
		if (!strcmp(sev_names[i], name)) {
			*out = (enum kx_severity)i;
			return 0;
		}
	}
	return kx_error_set(KX_EINVALID,
			    "unknown severity '%s': use off, advice, warning or error",
			    name);
}

static int vadd(struct kx_findings *f, const char *commit, enum kx_severity sev,
		const char *rule, const char *fmt, va_list ap)
{
	struct kx_finding *item;
	va_list copy;
	size_t i;
	int n;

	for (i = 0; i < f->overrides_nr; i++)
		if (!strcmp(f->overrides[i].rule, rule))
			sev = f->overrides[i].severity;
	if (sev == KX_SEV_OFF)
		return 0;
	kx_grow((void **)&f->items, &f->alloc, f->nr, sizeof(*f->items));
	item = &f->items[f->nr++];
	memset(item->commit, 0, sizeof(item->commit));
	if (commit)
		strncpy(item->commit, commit, sizeof(item->commit) - 1);
	item->rule = rule;
	item->severity = sev;
	item->path = NULL;
	item->line = 0;
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	item->message = kx_xmalloc((size_t)(n > 0 ? n : 0) + 1);
	vsnprintf(item->message, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	return 0;
}

int kx_findings_add(struct kx_findings *f, enum kx_severity sev,
		    const char *rule, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vadd(f, f->commit, sev, rule, fmt, ap);
	va_end(ap);
	return ret;
}

int kx_findings_add_at(struct kx_findings *f, const char *commit,
		       enum kx_severity sev, const char *rule, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vadd(f, commit, sev, rule, fmt, ap);
	va_end(ap);
	return ret;
}

int kx_findings_add_line(struct kx_findings *f, const char *path,
			 unsigned line, enum kx_severity sev, const char *rule,
			 const char *fmt, ...)
{
	size_t before = f->nr;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vadd(f, f->commit, sev, rule, fmt, ap);
	va_end(ap);
	if (f->nr > before && path) {
		f->items[before].path = kx_xstrdup(path);
		f->items[before].line = line;
	}
	return ret;
}

size_t kx_findings_count(const struct kx_findings *f, enum kx_severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < f->nr; i++)
		n += f->items[i].severity == sev;
	return n;
}

size_t kx_findings_of(const struct kx_findings *f, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < f->nr; i++)
		n += !strcmp(f->items[i].rule, rule);
	return n;
}

void kx_findings_release(struct kx_findings *f)
{
	size_t i;

	for (i = 0; i < f->nr; i++) {
		free(f->items[i].message);
		free(f->items[i].path);
	}
	free(f->items);
	f->items = NULL;
	f->nr = f->alloc = 0;
}
