// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/series.h"
#include "kvmx86/util.h"

struct kx_commit *kx_series_add(struct kx_series *s, const char *id,
				const char *subject)
{
	struct kx_commit *c;

	kx_grow((void **)&s->commits, &s->alloc, s->nr, sizeof(*s->commits));
	c = &s->commits[s->nr++];
	memset(c, 0, sizeof(*c));
	strncpy(c->id, id, sizeof(c->id) - 1);
	c->subject = kx_xstrdup(subject ? subject : "");
	return c;
}

struct kx_file_change *kx_commit_add_file(struct kx_commit *c,
					  const char *path)
{
	struct kx_file_change *f;

	kx_grow((void **)&c->files, &c->files_alloc, c->files_nr,
		sizeof(*c->files));
	f = &c->files[c->files_nr++];
	memset(f, 0, sizeof(*f));
	f->path = kx_xstrdup(path);
	f->area = kx_area_of_path(path);
	return f;
}

void kx_commit_finish(struct kx_commit *c)
{
	size_t i;

	c->area = KX_AREA_NON_KVM;
	for (i = 0; i < c->files_nr; i++)
		if (c->files[i].area > c->area)
			c->area = c->files[i].area;
}

void kx_series_release(struct kx_series *s)
{
	size_t i, j;

	for (i = 0; i < s->nr; i++) {
		struct kx_commit *c = &s->commits[i];

		for (j = 0; j < c->files_nr; j++)
			free(c->files[j].path);
		free(c->files);
		free(c->subject);
		free(c->fixes);
	}
	free(s->commits);
	s->commits = NULL;
	s->nr = s->alloc = 0;
}

/* The start of the last paragraph of message: where trailers live. */
static const char *last_paragraph(const char *msg)
{
	const char *p = msg, *start = msg;
	const char *end = msg + strlen(msg);

	/* ignore trailing blank lines */
	while (end > msg && isspace((unsigned char)end[-1]))
		end--;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q;

		if (!nl)
			break;
		q = nl + 1;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q == '\n')
			start = q + 1;
		p = nl + 1;
	}
	return start;
}

void kx_message_fixes(struct kx_strlist *out, const char *message)
{
	const char *p = last_paragraph(message);

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > 6 && !strncasecmp(p, "Fixes:", 6)) {
			const char *v = p + 6;
			size_t vl = len - 6;

			while (vl && isspace((unsigned char)*v)) {
				v++;
				vl--;
			}
			while (vl && isspace((unsigned char)v[vl - 1]))
				vl--;
			if (vl) {
				char *s = kx_xstrndup(v, vl);

				kx_strlist_add(out, s);
				free(s);
			}
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}
