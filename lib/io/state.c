// SPDX-License-Identifier: GPL-2.0-only
/*
 * The state file: JSON through jansson, checked field by field against
 * the schema tables of lib/core/state.c, written atomically under its
 * lock, never silently reset.  Keys this version does not know are kept
 * on save, at every level, so an older kvmx86 does not drop what a newer
 * one recorded.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/safe.h"
#include "kvmx86/statefile.h"
#include "lock.h"

/* --- reading ------------------------------------------------------------ */

/* Where a message says the problem is, and which hint follows it. */
struct src {
	const char *what;	/* "state file /x/y.json", "b4's tracking data of b" */
	const char *path;	/* the state file, for the hint; or NULL */
};

static int invalid(const struct src *src, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int invalid(const struct src *src, const char *fmt, ...)
{
	char why[768];
	va_list ap;
	int error;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	error = kx_error_set(KX_EINVALID, "%s: %s", src->what, why);
	if (src->path)
		kx_error_hint("it is left as it is; move it aside to start the series state anew:\n"
			      "  mv '%s' '%s.broken'\n"
			      "or restore it from a backup", src->path, src->path);
	return error;
}

/* Rewrites the last message as "<src>: <message>", keeping its code. */
static int in_src(const struct src *src, int error)
{
	char *why = kx_xstrdup(kx_error_last());

	error = invalid(src, "%s", why);
	free(why);
	return error;
}

static const struct kx_state_field *find_field(const struct kx_state_object *o,
					       const char *key)
{
	size_t i;

	for (i = 0; i < o->nr; i++)
		if (!strcmp(o->fields[i].key, key))
			return &o->fields[i];
	return NULL;
}

/* Reads value v of field f into obj; name says which in a message. */
static int read_field(const struct kx_state_field *f, json_t *v, void *obj,
		      const char *name, const struct src *src)
{
	char *at = (char *)obj + f->offset;
	struct kx_strlist *l;
	json_int_t n;
	json_t *item;
	size_t i;

	switch (f->type) {
	case KX_STATE_STRING:
		free(*(char **)at);
		*(char **)at = NULL;
		if (json_is_null(v))
			return 0;
		if (!json_is_string(v))
			return invalid(src, "%s is not a string", name);
		*(char **)at = kx_xstrdup(json_string_value(v));
		return 0;
	case KX_STATE_UINT:
		if (!json_is_integer(v))
			return invalid(src, "%s is not a whole number", name);
		n = json_integer_value(v);
		if (n < (json_int_t)f->min || n > (json_int_t)f->max)
			return invalid(src, "%s %lld is out of range (%zu to %zu)",
				       name, (long long)n, f->min, f->max);
		*(unsigned *)at = (unsigned)n;
		return 0;
	case KX_STATE_LIST:
		l = (struct kx_strlist *)at;
		kx_strlist_release(l);
		if (json_is_null(v))
			return 0;
		if (!json_is_array(v))
			return invalid(src, "%s is not a list", name);
		if (json_array_size(v) > f->max_items)
			return invalid(src, "%s has %zu items, at most %zu", name,
				       json_array_size(v), f->max_items);
		json_array_foreach(v, i, item) {
			if (!json_is_string(item))
				return invalid(src, "%s[%zu] is not a string",
					       name, i);
			kx_strlist_add(l, json_string_value(item));
		}
		return 0;
	}
	return 0;
}

/*
 * Reads the fields of table o from the JSON object in into obj; keys the
 * table does not know go to *extra (an object, made when needed).
 */
static int read_object(const struct kx_state_object *o, json_t *in, void *obj,
		       const char *prefix, json_t **extra, const struct src *src)
{
	const struct kx_state_field *f;
	const char *key;
	char name[96];
	json_t *v;
	size_t i;
	int error;

	json_object_foreach(in, key, v) {
		if (!(f = find_field(o, key))) {
			if (!*extra)
				*extra = json_object();
			json_object_set(*extra, key, v);
			continue;
		}
		snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "." : "",
			 key);
		if ((error = read_field(f, v, obj, name, src)) < 0)
			return error;
	}
	for (i = 0; i < o->nr; i++)
		if (o->fields[i].required && o->fields[i].type == KX_STATE_UINT &&
		    !json_object_get(in, o->fields[i].key)) {
			snprintf(name, sizeof(name), "%s%s%s", prefix,
				 *prefix ? "." : "", o->fields[i].key);
			return invalid(src, "%s is missing", name);
		}
	return 0;
}

/* The object at key of root, NULL if absent or null; *bad if not one. */
static json_t *sub_object(json_t *root, const char *key, bool *bad)
{
	json_t *v = json_object_get(root, key);

	*bad = v && !json_is_object(v) && !json_is_null(v);
	return json_is_object(v) ? v : NULL;
}

static const char *const root_keys[] = {
	"schema_version", "cover", "base", "recipients", "sent", "test_results",
	"attempt",
};

/* Where unknown keys are kept: extra.<part>, made when needed. */
static void keep_extra(json_t **extra, const char *part, json_t *keys)
{
	if (!keys)
		return;
	if (!*extra)
		*extra = json_object();
	json_object_set_new(*extra, part, keys);
}

/*
 * The send attempt, if any: its fields, then each of its mails; unknown
 * keys kept as extra.attempt and extra.attempt_mails (by index).
 */
static int parse_attempt(struct kx_state_file *f, json_t *root,
			 const struct src *src)
{
	struct kx_state *s = &f->state;
	json_t *att, *mails, *e, *unknown = NULL, *mail_extra = NULL;
	struct kx_attempt *a;
	char prefix[48], idx[24];
	size_t i;
	bool bad;
	int error;

	att = sub_object(root, "attempt", &bad);
	if (bad)
		return invalid(src, "attempt is not an object");
	if (!att)
		return 0;
	mails = json_object_get(att, "mails");
	if (!json_is_array(mails))
		return invalid(src, "attempt.mails is %s", mails ? "not a list" :
			       "missing");
	if (json_array_size(mails) > KX_ATTEMPT_MAILS_MAX)
		return invalid(src, "attempt.mails has %zu mails, at most %d",
			       json_array_size(mails), KX_ATTEMPT_MAILS_MAX);
	s->attempt = a = kx_attempt_new();
	{
		json_t *plain = json_deep_copy(att);

		json_object_del(plain, "mails");
		error = read_object(&kx_state_attempt, plain, a, "attempt",
				    &unknown, src);
		json_decref(plain);
	}
	keep_extra(&f->extra, "attempt", unknown);
	unknown = NULL;
	if (error < 0)
		return error;
	json_array_foreach(mails, i, e) {
		snprintf(prefix, sizeof(prefix), "attempt.mails[%zu]", i);
		if (!json_is_object(e)) {
			error = invalid(src, "%s is not an object", prefix);
			break;
		}
		error = read_object(&kx_state_attempt_mail, e,
				    kx_attempt_add_mail(a), prefix, &unknown, src);
		if (unknown) {
			if (!mail_extra)
				mail_extra = json_object();
			snprintf(idx, sizeof(idx), "%zu", i);
			json_object_set_new(mail_extra, idx, unknown);
			unknown = NULL;
		}
		if (error < 0)
			break;
	}
	keep_extra(&f->extra, "attempt_mails", mail_extra);
	return error;
}

static int parse_root(struct kx_state_file *f, json_t *root,
		      const struct src *src)
{
	struct kx_state *s = &f->state;
	json_t *v, *cover, *base, *rcpt, *sent, *e, *unknown = NULL, *sent_extra = NULL;
	const char *key;
	json_int_t schema;
	bool bad;
	size_t i, k;
	int error;

	if (!json_is_object(root))
		return invalid(src, "not a JSON object");
	v = json_object_get(root, "schema_version");
	if (!json_is_integer(v))
		return invalid(src, "missing its schema_version");
	schema = json_integer_value(v);
	if (schema > KX_STATE_SCHEMA) {
		error = kx_error_set(KX_EINVALID,
				     "%s has schema %lld, newer than this kvmx86 knows (%d)",
				     src->what, (long long)schema, KX_STATE_SCHEMA);
		kx_error_hint("a newer kvmx86 wrote it: upgrade kvmx86; the file is left as it is");
		return error;
	}
	if (schema < 1)
		return invalid(src, "schema_version %lld is unknown", (long long)schema);
	/* schema 1 is read as it is: 2 bounds it and adds no field */
	s->schema_version = KX_STATE_SCHEMA;

	/* the root's own fields; the objects below are read on their own */
	{
		json_t *plain = json_object();

		json_object_foreach(root, key, v) {
			for (k = 0; k < ARRAY_SIZE(root_keys); k++)
				if (!strcmp(root_keys[k], key))
					break;
			if (k == ARRAY_SIZE(root_keys))
				json_object_set(plain, key, v);
		}
		error = read_object(&kx_state_root, plain, s, "", &unknown, src);
		json_decref(plain);
		keep_extra(&f->extra, "root", unknown);
		unknown = NULL;
		if (error < 0)
			return error;
	}
	cover = sub_object(root, "cover", &bad);
	if (bad)
		return invalid(src, "cover is not an object");
	error = cover ? read_object(&kx_state_cover, cover, s, "cover", &unknown, src) : 0;
	keep_extra(&f->extra, "cover", unknown);
	unknown = NULL;
	if (error < 0)
		return error;
	base = sub_object(root, "base", &bad);
	if (bad)
		return invalid(src, "base is not an object");
	error = base ? read_object(&kx_state_base, base, s, "base", &unknown, src) : 0;
	keep_extra(&f->extra, "base", unknown);
	unknown = NULL;
	if (error < 0)
		return error;
	rcpt = sub_object(root, "recipients", &bad);
	if (bad)
		return invalid(src, "recipients is not an object");
	error = rcpt ? read_object(&kx_state_recipients, rcpt, s, "recipients",
				   &unknown, src) : 0;
	keep_extra(&f->extra, "recipients", unknown);
	unknown = NULL;
	if (error < 0)
		return error;

	sent = json_object_get(root, "sent");
	if (sent && !json_is_array(sent) && !json_is_null(sent))
		return invalid(src, "sent is not a list");
	if (json_array_size(sent) > KX_SENT_MAX)
		return invalid(src, "sent has %zu versions, at most %d",
			       json_array_size(sent), KX_SENT_MAX);
	json_array_foreach(sent, i, e) {
		char prefix[32], rev[16];
		struct kx_sent *x;

		snprintf(prefix, sizeof(prefix), "sent[%zu]", i);
		if (!json_is_object(e)) {
			error = invalid(src, "%s is not an object", prefix);
			break;
		}
		x = kx_state_add_sent(s, 0);
		error = read_object(&kx_state_sent, e, x, prefix, &unknown, src);
		if (unknown) {
			if (!sent_extra)
				sent_extra = json_object();
			snprintf(rev, sizeof(rev), "%u", x->revision);
			json_object_set_new(sent_extra, rev, unknown);
			unknown = NULL;
		}
		if (error < 0)
			break;
	}
	/* kept also after an error: f's destructor frees it with the rest */
	keep_extra(&f->extra, "sent", sent_extra);
	if (error < 0)
		return error;

	if ((error = parse_attempt(f, root, src)) < 0)
		return error;

	v = json_object_get(root, "test_results");
	if (v && !json_is_object(v) && !json_is_null(v))
		return invalid(src, "test_results is not an object");
	f->test_results = json_is_object(v) ? json_deep_copy(v) : json_object();

	if ((error = kx_state_check(s)) < 0)
		return in_src(src, error);
	return 0;
}

/* Parses text into f (empty); the JSON read stays in f->loaded. */
static int parse_text(struct kx_state_file *f, const char *text, size_t len,
		      const struct src *src)
{
	json_error_t jerr;
	json_t *root;
	int error;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return invalid(src, "corrupt or truncated (line %d, column %d: %s)",
			       jerr.line, jerr.column, jerr.text);
	error = parse_root(f, root, src);
	if (error < 0) {
		json_decref(root);
		/* nothing half-read stays */
		kx_state_file_release(f);
		return error;
	}
	f->loaded = root;
	return 0;
}

int kx_state_file_parse(struct kx_state_file *f, const char *text,
			size_t len, const char *what)
{
	struct src src = { what, NULL };

	kx_state_file_init(f);
	return parse_text(f, text, len, &src);
}

/* Reads path into f, keeping the lock and path f already has. */
static int load(struct kx_state_file *f, const char *path)
{
	char *lock = f->lock, *what = kx_xasprintf("state file %s", path);
	struct src src = { what, path };
	char *text = NULL;
	size_t len;
	int error;

	f->lock = NULL;
	kx_state_file_release(f);
	error = kx_file_read(&text, &len, path, KX_FILE_MAX);
	if (error == KX_ENOTFOUND)
		kx_error_clear();
	else if (error < 0)
		/* "is a directory", "too large": the same hint as a bad file */
		error = in_src(&src, error);
	else
		error = parse_text(f, text, len, &src);
	if (error == KX_ENOTFOUND || !error) {
		f->path = kx_xstrdup(path);
		error = f->loaded ? 0 : KX_ENOTFOUND;
	}
	f->lock = lock;
	free(text);
	free(what);
	return error;
}

int kx_state_file_load(struct kx_state_file *f, const char *path)
{
	kx_state_file_init(f);
	return load(f, path);
}

int kx_state_file_adopt(struct kx_state_file *f, const char *from)
{
	struct kx_state_file o;
	int error = kx_state_file_load(&o, from);

	if (error < 0) {
		kx_state_file_release(&o);
		return error;
	}
	kx_state_release(&f->state);
	json_decref(f->test_results);
	json_decref(f->extra);
	f->state = o.state;
	f->test_results = o.test_results;
	f->extra = o.extra;
	kx_state_init(&o.state);
	o.test_results = o.extra = NULL;
	kx_state_file_release(&o);
	return 0;
}

/* --- writing ------------------------------------------------------------ */

static json_t *fields_json(const struct kx_state_object *o, const void *obj,
			   json_t *extra)
{
	json_t *out = json_object(), *v;
	const char *key;
	size_t i, k;

	for (i = 0; i < o->nr; i++) {
		const struct kx_state_field *f = &o->fields[i];
		const char *at = (const char *)obj + f->offset;
		const struct kx_strlist *l;

		switch (f->type) {
		case KX_STATE_STRING:
			v = *(char *const *)at ? json_string(*(char *const *)at) :
				json_null();
			break;
		case KX_STATE_UINT:
			v = json_integer(*(const unsigned *)at);
			break;
		case KX_STATE_LIST:
		default:
			l = (const struct kx_strlist *)at;
			v = json_array();
			for (k = 0; k < l->nr; k++)
				json_array_append_new(v, json_string(l->items[k]));
			break;
		}
		json_object_set_new(out, f->key, v);
	}
	json_object_foreach(extra, key, v)
		if (!json_object_get(out, key))
			json_object_set(out, key, v);
	return out;
}

/* The JSON of f's state; NULL (KX_EINVALID) if kx_state_check() refuses it. */
static json_t *to_json(const struct kx_state_file *f)
{
	const struct kx_state *s = &f->state;
	json_t *root, *sent = json_array(), *extra = f->extra, *v;
	json_t *sent_extra = json_object_get(extra, "sent");
	const char *key;
	size_t i;

	if (kx_state_check(s) < 0) {
		json_decref(sent);
		return NULL;
	}
	root = json_object();
	json_object_set_new(root, "schema_version", json_integer(KX_STATE_SCHEMA));
	v = fields_json(&kx_state_root, s, NULL);
	json_object_update(root, v);
	json_decref(v);
	json_object_set_new(root, "cover", fields_json(&kx_state_cover, s,
			    json_object_get(extra, "cover")));
	json_object_set_new(root, "base", fields_json(&kx_state_base, s,
			    json_object_get(extra, "base")));
	json_object_set_new(root, "recipients", fields_json(&kx_state_recipients, s,
			    json_object_get(extra, "recipients")));
	for (i = 0; i < s->sent_nr; i++) {
		char rev[16];

		snprintf(rev, sizeof(rev), "%u", s->sent[i].revision);
		json_array_append_new(sent, fields_json(&kx_state_sent, &s->sent[i],
					json_object_get(sent_extra, rev)));
	}
	json_object_set_new(root, "sent", sent);
	if (s->attempt) {
		json_t *att = fields_json(&kx_state_attempt, s->attempt,
					  json_object_get(extra, "attempt"));
		json_t *mails = json_array();
		json_t *mail_extra = json_object_get(extra, "attempt_mails");

		for (i = 0; i < s->attempt->nr; i++) {
			char idx[24];

			snprintf(idx, sizeof(idx), "%zu", i);
			json_array_append_new(mails, fields_json(&kx_state_attempt_mail,
						&s->attempt->mails[i],
						json_object_get(mail_extra, idx)));
		}
		json_object_set_new(att, "mails", mails);
		json_object_set_new(root, "attempt", att);
	}
	json_object_set_new(root, "test_results", f->test_results ?
			    json_deep_copy(f->test_results) : json_object());
	json_object_foreach(json_object_get(extra, "root"), key, v)
		if (!json_object_get(root, key))
			json_object_set(root, key, v);
	return root;
}

static char *dump(json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	char *line;

	if (!text)
		return NULL;
	line = kx_xasprintf("%s\n", text);
	free(text);
	return line;
}

char *kx_state_file_format(const struct kx_state_file *f)
{
	json_t *root = to_json(f);
	char *text;

	if (!root)
		return NULL;
	text = dump(root);
	json_decref(root);
	if (!text)
		kx_error_set(KX_EINVALID, "the state of %s cannot be written as JSON",
			     f->state.branch ? f->state.branch : "(no branch)");
	return text;
}

/* --- locking ------------------------------------------------------------ */

static const struct kx_lock_words state_lock_words = {
	"this series", "is working on this series",
	"no kvmx86 is working on it now", "wait for it to finish",
};

/* Takes "<path>.lock" for f (already held: nothing to do); 0 or KX_ERROR. */
static int lock_take(struct kx_state_file *f, const char *path)
{
	char *lock = kx_xasprintf("%s.lock", path);
	int error = 0;

	if (!f->lock || strcmp(f->lock, lock)) {
		kx_state_file_unlock(f);
		error = kx_lock_take(&f->lock, lock, KX_STATE_LOCK_WAIT_MS,
				     &state_lock_words);
	}
	free(lock);
	return error;
}

void kx_state_file_unlock(struct kx_state_file *f)
{
	char *dir;

	if (!f->lock)
		return;
	dir = kx_xstrdup(f->lock);
	kx_lock_release(&f->lock);
	/*
	 * A command that failed before it wrote a state leaves no empty
	 * directories behind (the state's, then kvmx86's); rmdir() keeps
	 * any that holds something.
	 */
	if (!rmdir(dirname(dir)))
		rmdir(dirname(dir));
	free(dir);
}

int kx_state_file_lock(struct kx_state_file *f, const char *path)
{
	int error;

	if ((error = lock_take(f, path)) < 0)
		return error;
	error = load(f, path);
	if (error < 0 && error != KX_ENOTFOUND)
		kx_state_file_unlock(f);
	return error;
}

/* --- saving: the merge ---------------------------------------------------- */

static bool same(json_t *a, json_t *b)
{
	return a == b || (a && b && json_equal(a, b));
}

/* The identity of a test record: its command and configuration. */
static char *record_key(json_t *run)
{
	json_t *c = json_object_get(run, "command"), *k = json_object_get(run, "config");

	return kx_xasprintf("%s\n%s", json_is_string(c) ? json_string_value(c) : "",
			    json_is_string(k) ? json_string_value(k) : "");
}

static json_t *find_record(json_t *runs, const char *key)
{
	json_t *run;
	size_t i;

	json_array_foreach(runs, i, run) {
		char *k = record_key(run);
		bool hit = !strcmp(k, key);

		free(k);
		if (hit)
			return run;
	}
	return NULL;
}

/*
 * kvmx86 test's records of one commit, merged: theirs, with each record
 * this kvmx86 added or changed since base put in (replacing theirs of the
 * same command and configuration).
 */
static json_t *merge_runs(json_t *base, json_t *ours, json_t *theirs)
{
	json_t *out = json_is_array(theirs) ? json_deep_copy(theirs) : json_array();
	json_t *run, *old;
	size_t i, k;

	json_array_foreach(ours, i, run) {
		char *key = record_key(run);

		if (!same(find_record(base, key), run)) {
			json_array_foreach(out, k, old) {
				char *ok = record_key(old);
				bool hit = !strcmp(ok, key);

				free(ok);
				if (hit) {
					json_array_remove(out, k);
					break;
				}
			}
			json_array_append(out, run);
		}
		free(key);
	}
	return out;
}

/* Merges object ours into theirs, both changed since base; NULL on a conflict. */
static json_t *merge_object(json_t *base, json_t *ours, json_t *theirs,
			    bool test_results, const char **conflict)
{
	json_t *out = json_object(), *o, *b, *t;
	const char *key;

	/* theirs' keys, with ours put over them where ours changed */
	json_object_foreach(theirs, key, t)
		json_object_set(out, key, t);
	json_object_foreach(ours, key, o) {
		b = json_object_get(base, key);
		t = json_object_get(theirs, key);
		if (same(o, b) || same(o, t))
			continue;
		if (same(t, b) || !strcmp(key, "last_tip")) {
			/* the tip kvmx86 saw last: the newest observation */
			json_object_set(out, key, o);
		} else if (!strcmp(key, "test_results") && json_is_object(o)) {
			json_t *m = merge_object(b, o, t, true, conflict);

			if (!m)
				goto conflict;
			json_object_set_new(out, key, m);
		} else if (test_results) {
			json_object_set_new(out, key, merge_runs(b, o, t));
		} else {
			*conflict = key;
			goto conflict;
		}
	}
	/* keys ours removed (no field is ever removed: only extra ones) */
	json_object_foreach(base, key, b)
		if (!json_object_get(ours, key) && same(b, json_object_get(theirs, key)))
			json_object_del(out, key);
	return out;
conflict:
	json_decref(out);
	return NULL;
}

/* Reads path as it is now into *now (NULL: no file); 0 or an error. */
static int read_now(json_t **now, const char *path, const char *what)
{
	struct kx_state_file tmp;
	int error;

	*now = NULL;
	error = kx_state_file_load(&tmp, path);
	if (!error) {
		*now = tmp.loaded;
		tmp.loaded = NULL;
	} else if (error == KX_ENOTFOUND) {
		error = 0;
	} else {
		char *why = kx_xstrdup(kx_error_last());

		error = kx_error_set(KX_ERROR, "cannot %s: %s", what, why);
		free(why);
	}
	kx_state_file_release(&tmp);
	return error;
}

static int changed_meanwhile(const char *path, const char *how)
{
	int error = kx_error_set(KX_ERROR,
				 "the state of this series changed while this kvmx86 worked on it: another kvmx86 %s",
				 how);

	kx_error_hint("nothing was written; run this again: it starts from what the other one wrote (%s)",
		      path);
	return error;
}

int kx_state_file_probe(struct kx_state_file *f, const char *path)
{
	json_t *ours = to_json(f);
	char *text = ours ? dump(ours) : NULL, *padded, *probe = NULL;
	char *dir_copy = kx_xstrdup(path), *dir = dirname(dir_copy);
	/* a save adds a tip or two, and the state may not be whole yet */
	size_t size = text ? strlen(text) + 512 : 8192;
	int error;

	json_decref(ours);
	kx_error_clear();
	padded = kx_xmalloc(size + 1);
	memset(padded, ' ', size);
	padded[size] = '\0';
	if (text)
		memcpy(padded, text, strlen(text));
	error = kx_write_new(&probe, dir, ".probe", ".tmp", padded);
	if (probe)
		unlink(probe);
	if (error < 0) {
		char *why = kx_xstrdup(kx_error_last());

		error = kx_error_set(KX_ERROR, "the state %s cannot be written: %s",
				     path, why);
		free(why);
	}
	free(probe);
	free(padded);
	free(text);
	free(dir_copy);
	return error;
}

int kx_state_file_save(struct kx_state_file *f, const char *path)
{
	json_t *ours = NULL, *now = NULL, *base, *result = NULL;
	struct kx_state_file merged;
	char *want = kx_xasprintf("%s.lock", path), *text = NULL, *why;
	bool took = !f->lock || strcmp(f->lock, want);
	const char *conflict = NULL;
	int error;

	free(want);
	kx_state_file_init(&merged);
	if (!(ours = to_json(f))) {
		why = kx_xstrdup(kx_error_last());
		error = kx_error_set(KX_EINVALID, "refusing to write the state of %s: %s",
				     f->state.branch ? f->state.branch : "this series", why);
		free(why);
		return error;
	}
	/* a lock held since the read: the file is as it was read */
	if (took && (error = lock_take(f, path)) < 0)
		goto done;
	if ((error = read_now(&now, path, "write the state")) < 0)
		goto done;
	/* what this kvmx86 read of that file (nothing, for another path) */
	base = f->path && !strcmp(f->path, path) ? f->loaded : NULL;
	if (same(now, base)) {
		result = json_incref(ours);
	} else if (!now) {
		error = changed_meanwhile(path, "removed it (prep --cleanup?)");
		goto done;
	} else if (!base) {
		error = changed_meanwhile(path, "wrote it first");
		goto done;
	} else if (!(result = merge_object(base, ours, now, false, &conflict))) {
		why = kx_xasprintf("changed its %s too", conflict);
		error = changed_meanwhile(path, why);
		free(why);
		goto done;
	}
	if (!(text = dump(result))) {
		error = kx_error_set(KX_ERROR, "cannot encode the state of %s", path);
		goto done;
	}
	if (result != ours) {
		/* f becomes what was written: its check is the load's */
		char *what = kx_xasprintf("the merged state of %s", path);
		struct src src = { what, NULL };

		error = parse_text(&merged, text, strlen(text), &src);
		free(what);
		if (error < 0)
			goto done;
	}
	if ((error = kx_write_atomic(path, text, true)) < 0)
		goto done;
	if (result != ours) {
		/* keeps the lock and the path */
		char *lock = f->lock;

		f->lock = NULL;
		kx_state_file_release(f);
		*f = merged;
		kx_state_file_init(&merged);
		f->lock = lock;
	}
	json_decref(f->loaded);
	f->loaded = json_incref(result);
	free(f->path);
	f->path = kx_xstrdup(path);
done:
	if (took)
		kx_state_file_unlock(f);
	kx_state_file_release(&merged);
	json_decref(ours);
	json_decref(now);
	json_decref(result);
	free(text);
	return error;
}

int kx_state_file_remove(struct kx_state_file *f)
{
	bool took = !f->lock;
	json_t *now = NULL;
	int error;

	if (!f->path)
		return 0;
	if (took && (error = lock_take(f, f->path)) < 0)
		return error;
	if ((error = read_now(&now, f->path, "remove the state")) < 0)
		goto done;
	if (!same(now, f->loaded)) {
		error = changed_meanwhile(f->path, "changed it");
		goto done;
	}
	if (now && unlink(f->path) < 0 && errno != ENOENT) {
		error = kx_error_set(KX_ERROR, "cannot remove %s: %s", f->path,
				     strerror(errno));
		goto done;
	}
	json_decref(f->loaded);
	f->loaded = NULL;
done:
	if (took)
		kx_state_file_unlock(f);
	json_decref(now);
	return error;
}

int kx_state_file_archive(struct kx_state_file *f, const char *dir,
			  const char *stem, char **out)
{
	char *text = kx_state_file_format(f);
	int error;

	*out = NULL;
	if (!text)
		return KX_EINVALID;
	error = kx_write_new(out, dir, stem, ".json", text);
	free(text);
	return error;
}

void kx_state_file_init(struct kx_state_file *f)
{
	memset(f, 0, sizeof(*f));
	kx_state_init(&f->state);
}

void kx_state_file_release(struct kx_state_file *f)
{
	kx_state_file_unlock(f);
	kx_state_release(&f->state);
	json_decref(f->test_results);
	json_decref(f->extra);
	json_decref(f->loaded);
	free(f->path);
	kx_state_file_init(f);
}

/* --- b4's tracking data ---------------------------------------------------- */

int kx_b4_tracking_parse(struct kx_state *s, const char *text,
			 const char *what)
{
	struct src src = { what, NULL };
	struct kx_state t;
	json_error_t jerr;
	json_t *root, *series, *v, *hist, *msgids;
	const char *key;
	char name[64];
	size_t i;
	int error = 0;

	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	series = json_object_get(root, "series");
	if (!json_is_object(series)) {
		error = kx_error_set(KX_EINVALID, "%s is not readable: %s", what,
				     root ? "no \"series\" object" : jerr.text);
		json_decref(root);
		return error;
	}
	/* into a copy of what the import may change, so that s stays whole */
	kx_state_init(&t);
	t.change_id = s->change_id ? kx_xstrdup(s->change_id) : NULL;
	t.revision = s->revision;
	v = json_object_get(series, "change-id");
	if (v && !json_is_null(v) && (error = read_field(find_field(&kx_state_root, "change_id"), v,
					&t, "change-id", &src)) < 0)
		goto done;
	v = json_object_get(series, "revision");
	if (v && (error = read_field(find_field(&kx_state_root, "revision"), v,
					&t, "revision", &src)) < 0)
		goto done;
	v = json_object_get(series, "prefixes");
	if (v && (error = read_field(find_field(&kx_state_root, "prefixes"), v,
					&t, "prefixes", &src)) < 0)
		goto done;
	hist = json_object_get(series, "history");
	if (hist && !json_is_object(hist) && !json_is_null(hist)) {
		error = invalid(&src, "history is not an object");
		goto done;
	}
	if (json_object_size(hist) > KX_SENT_MAX) {
		error = invalid(&src, "history has %zu versions, at most %d",
				json_object_size(hist), KX_SENT_MAX);
		goto done;
	}
	json_object_foreach(hist, key, msgids) {
		struct kx_sent *e;
		unsigned rev;
		char *shown;

		if (kx_parse_revision(&rev, key) < 0) {
			shown = kx_escape(key, 0);
			error = invalid(&src, "history key '%.60s' is not a version (v1 to v%d)",
					shown, KX_REVISION_MAX);
			free(shown);
			goto done;
		}
		if (kx_state_find_sent(&t, rev)) {
			error = invalid(&src, "history lists v%u twice", rev);
			goto done;
		}
		e = kx_state_add_sent(&t, rev);
		snprintf(name, sizeof(name), "history.v%u", rev);
		if ((error = read_field(find_field(&kx_state_sent, "msgids"),
					msgids, e, name, &src)) < 0)
			goto done;
		if (e->msgids.nr)
			e->cover_msgid = kx_xstrdup(e->msgids.items[0]);
	}
	/* the checks of the state file, under b4's names */
	if (t.change_id && !*t.change_id) {
		error = invalid(&src, "change-id is empty");
		goto done;
	}
	if ((t.change_id &&
	     (error = kx_state_field_check(find_field(&kx_state_root, "change_id"),
					   &t, "change-id")) < 0) ||
	    (error = kx_state_field_check(find_field(&kx_state_root, "prefixes"),
					  &t, "prefixes")) < 0) {
		error = in_src(&src, error);
		goto done;
	}
	for (i = 0; i < t.sent_nr; i++) {
		snprintf(name, sizeof(name), "history.v%u", t.sent[i].revision);
		if ((error = kx_state_field_check(find_field(&kx_state_sent, "msgids"),
						  &t.sent[i], name)) < 0) {
			error = in_src(&src, error);
			goto done;
		}
	}
	/* all good: into s */
	free(s->change_id);
	s->change_id = t.change_id;
	t.change_id = NULL;
	s->revision = t.revision;
	for (i = 0; i < t.prefixes.nr; i++)
		kx_strlist_add(&s->prefixes, t.prefixes.items[i]);
	for (i = 0; i < t.sent_nr; i++) {
		struct kx_sent *e;

		if (kx_state_find_sent(s, t.sent[i].revision))
			continue;
		e = kx_state_add_sent(s, t.sent[i].revision);
		*e = t.sent[i];
		memset(&t.sent[i], 0, sizeof(t.sent[i]));
	}
done:
	kx_state_release(&t);
	json_decref(root);
	return error;
}
