// SPDX-License-Identifier: GPL-2.0-only
/*
 * The state file: JSON through jansson, written atomically, never
 * silently reset.  Keys this version does not know are kept on save, so
 * an older kvmx86 does not drop what a newer one recorded.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "kvmx86/error.h"
#include "kvmx86/state.h"

static const char *const known_keys[] = {
	"schema_version", "branch", "change_id", "revision", "prefixes",
	"cover", "recipients", "base", "sent", "test_results", "imported_from",
	"b4_cover_commit", "last_tip",
};

static char *dup_str(json_t *v)
{
	return json_is_string(v) ? kx_xstrdup(json_string_value(v)) : NULL;
}

static void strlist_from(struct kx_strlist *l, json_t *a)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v)
		if (json_is_string(v))
			kx_strlist_add(l, json_string_value(v));
}

static json_t *strlist_to(const struct kx_strlist *l)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->nr; i++)
		json_array_append_new(a, json_string(l->items[i]));
	return a;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int invalid(const char *path, const char *what)
{
	int error = kx_error_set(KX_EINVALID, "state file %s is %s", path, what);

	kx_error_hint("it is left as it is; move it aside to start the series state anew:\n"
		      "  mv '%s' '%s.broken'\n"
		      "or restore it from a backup", path, path);
	return error;
}

static bool is_known(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(known_keys) / sizeof(known_keys[0]); i++)
		if (!strcmp(known_keys[i], key))
			return true;
	return false;
}

static int parse(struct kx_state *s, json_t *root, const char *path)
{
	json_t *v, *cover, *base, *sent, *e;
	const char *key;
	size_t i;

	if (!json_is_object(root))
		return invalid(path, "not a JSON object");
	v = json_object_get(root, "schema_version");
	if (!json_is_integer(v))
		return invalid(path, "missing its schema_version");
	if (json_integer_value(v) > KX_STATE_SCHEMA) {
		int error = kx_error_set(KX_EINVALID,
					 "state file %s has schema %lld, newer than this kvmx86 knows (%d)",
					 path, (long long)json_integer_value(v),
					 KX_STATE_SCHEMA);

		kx_error_hint("a newer kvmx86 wrote it: upgrade kvmx86; the file is left as it is");
		return error;
	}
	if (json_integer_value(v) < 1)
		return invalid(path, "of an unknown schema");
	s->schema_version = KX_STATE_SCHEMA;
	s->branch = dup_str(json_object_get(root, "branch"));
	s->change_id = dup_str(json_object_get(root, "change_id"));
	if (!s->branch || !s->change_id)
		return invalid(path, "missing its branch or change_id");
	v = json_object_get(root, "revision");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return invalid(path, "missing a valid revision");
	s->revision = (unsigned)json_integer_value(v);
	strlist_from(&s->prefixes, json_object_get(root, "prefixes"));
	cover = json_object_get(root, "cover");
	s->cover_subject = dup_str(json_object_get(cover, "subject"));
	s->cover_body = dup_str(json_object_get(cover, "body"));
	v = json_object_get(root, "recipients");
	strlist_from(&s->to, json_object_get(v, "to"));
	strlist_from(&s->cc, json_object_get(v, "cc"));
	base = json_object_get(root, "base");
	s->base_scope = dup_str(json_object_get(base, "scope"));
	s->base_commit = dup_str(json_object_get(base, "commit"));
	s->base_ref = dup_str(json_object_get(base, "ref"));
	sent = json_object_get(root, "sent");
	json_array_foreach(sent, i, e) {
		struct kx_sent *x;

		v = json_object_get(e, "revision");
		if (!json_is_integer(v))
			return invalid(path, "holding a sent version without a revision");
		x = kx_state_add_sent(s, (unsigned)json_integer_value(v));
		x->date = dup_str(json_object_get(e, "date"));
		x->cover_msgid = dup_str(json_object_get(e, "cover_msgid"));
		strlist_from(&x->msgids, json_object_get(e, "msgids"));
		strlist_from(&x->to, json_object_get(e, "to"));
		strlist_from(&x->cc, json_object_get(e, "cc"));
		x->send_nonce = dup_str(json_object_get(e, "send_nonce"));
		x->base = dup_str(json_object_get(e, "base"));
		x->tip = dup_str(json_object_get(e, "tip"));
		x->tag = dup_str(json_object_get(e, "tag"));
	}
	s->imported_from = dup_str(json_object_get(root, "imported_from"));
	s->b4_cover_commit = dup_str(json_object_get(root, "b4_cover_commit"));
	s->last_tip = dup_str(json_object_get(root, "last_tip"));
	v = json_object_get(root, "test_results");
	s->test_results = json_is_object(v) ? json_incref(v) : json_object();

	/* what a newer kvmx86 added, kept for the next save */
	s->extra = json_object();
	json_object_foreach(root, key, v)
		if (!is_known(key))
			json_object_set(s->extra, key, v);
	return 0;
}

int kx_state_load(struct kx_state *out, const char *path)
{
	json_error_t jerr;
	json_t *root;
	int error;

	kx_state_init(out);
	if (access(path, F_OK) < 0) {
		if (errno == ENOENT)
			return KX_ENOTFOUND;
		return kx_error_set(KX_ERROR, "cannot read state file %s: %s",
				    path, strerror(errno));
	}
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char what[300];

		snprintf(what, sizeof(what),
			 "corrupt or truncated (line %d, column %d: %s)",
			 jerr.line, jerr.column, jerr.text);
		return invalid(path, what);
	}
	error = parse(out, root, path);
	json_decref(root);
	if (error < 0)
		kx_state_free_json(out);
	return error;
}

void kx_state_free_json(struct kx_state *s)
{
	json_decref(s->test_results);
	json_decref(s->extra);
	s->test_results = s->extra = NULL;
}

static json_t *to_json(const struct kx_state *s)
{
	json_t *root = json_object(), *sent = json_array();
	const char *key;
	json_t *v;
	size_t i;

	json_object_set_new(root, "schema_version", json_integer(KX_STATE_SCHEMA));
	json_object_set_new(root, "branch", json_string(s->branch));
	json_object_set_new(root, "change_id", json_string(s->change_id));
	json_object_set_new(root, "revision", json_integer(s->revision));
	json_object_set_new(root, "prefixes", strlist_to(&s->prefixes));
	json_object_set_new(root, "cover",
		json_pack("{s:s, s:s}", "subject",
			  s->cover_subject ? s->cover_subject : "",
			  "body", s->cover_body ? s->cover_body : ""));
	json_object_set_new(root, "recipients",
		json_pack("{s:o, s:o}", "to", strlist_to(&s->to),
			  "cc", strlist_to(&s->cc)));
	json_object_set_new(root, "base",
		json_pack("{s:o, s:o, s:o}", "scope", str_or_null(s->base_scope),
			  "commit", str_or_null(s->base_commit),
			  "ref", str_or_null(s->base_ref)));
	for (i = 0; i < s->sent_nr; i++) {
		const struct kx_sent *x = &s->sent[i];

		json_array_append_new(sent, json_pack(
			"{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"revision", (int)x->revision,
			"date", str_or_null(x->date),
			"cover_msgid", str_or_null(x->cover_msgid),
			"msgids", strlist_to(&x->msgids),
			"to", strlist_to(&x->to),
			"cc", strlist_to(&x->cc),
			"send_nonce", str_or_null(x->send_nonce),
			"base", str_or_null(x->base),
			"tip", str_or_null(x->tip),
			"tag", str_or_null(x->tag)));
	}
	json_object_set_new(root, "sent", sent);
	json_object_set_new(root, "test_results", s->test_results ?
			    json_incref((json_t *)s->test_results) : json_object());
	json_object_set_new(root, "imported_from", str_or_null(s->imported_from));
	json_object_set_new(root, "b4_cover_commit", str_or_null(s->b4_cover_commit));
	json_object_set_new(root, "last_tip", str_or_null(s->last_tip));
	if (s->extra)
		json_object_foreach((json_t *)s->extra, key, v)
			if (!json_object_get(root, key))
				json_object_set(root, key, v);
	return root;
}

/* mkdir -p */
static int make_dirs(const char *dir)
{
	char *copy = kx_xstrdup(dir), *p;
	int error = 0;

	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(copy, 0777) < 0 && errno != EEXIST) {
			error = kx_error_set(KX_ERROR, "cannot create %s: %s",
					     copy, strerror(errno));
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	free(copy);
	return error;
}

int kx_write_atomic(const char *path, const char *text, bool sync)
{
	char *dir_copy = kx_xstrdup(path), *dir = dirname(dir_copy);
	char *base_copy = kx_xstrdup(path), *base = basename(base_copy);
	char *tmp = NULL;
	size_t len = strlen(text), done = 0;
	int fd = -1, dfd = -1, error;

	if ((error = make_dirs(dir)) < 0)
		goto done;
	/* not *.json: only state files end so in the state directory */
	tmp = kx_xasprintf("%s/.%s.tmpXXXXXX", dir, base);
	fd = mkstemp(tmp);
	if (fd < 0) {
		error = kx_error_set(KX_ERROR, "cannot create %s: %s", tmp,
				     strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (done < len || (sync && fsync(fd) < 0)) {
		error = kx_error_set(KX_ERROR, "cannot write %s: %s", tmp,
				     strerror(errno));
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		error = kx_error_set(KX_ERROR, "cannot write %s: %s", tmp,
				     strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		error = kx_error_set(KX_ERROR, "cannot rename %s to %s: %s", tmp,
				     path, strerror(errno));
		goto done;
	}
	free(tmp);
	tmp = NULL;
	/* the rename itself must reach the disk */
	if (sync && (dfd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
done:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(dir_copy);
	free(base_copy);
	return error;
}

int kx_state_save(const struct kx_state *s, const char *path)
{
	json_t *root = to_json(s);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *line;
	int error;

	json_decref(root);
	if (!text)
		return kx_error_set(KX_ERROR, "cannot encode the state of %s", path);
	line = kx_xasprintf("%s\n", text);
	free(text);
	error = kx_write_atomic(path, line, true);
	free(line);
	return error;
}

char *kx_read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, alloc = 0, n;

	if (!f)
		return NULL;
	do {
		kx_grow((void **)&buf, &alloc, len + 4096, 1);
		n = fread(buf + len, 1, alloc - len - 1, f);
		len += n;
	} while (n);
	fclose(f);
	buf[len] = '\0';
	return buf;
}
