// SPDX-License-Identifier: GPL-2.0-only
/*
 * The store of kvmx86 test's results (include/kvmx86/testrecords.h).
 * Records are plain JSON objects in an array, oldest first; a change
 * takes the lock, reads the file as it is then, applies itself and
 * writes it back atomically, so that two runs (two branches, -j in two
 * shells) each keep what the other recorded.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <jansson.h>

#include "kvmx86/check.h"
#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/statefile.h"
#include "kvmx86/testrecords.h"
#include "kvmx86/util.h"
#include "lock.h"

/* How long a change waits for another kvmx86's; each holds it for ms. */
#define LOCK_WAIT_MS 5000

/* --- reading: every field checked, with its place in messages --- */

static int invalid(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int invalid(const char *path, const char *fmt, ...)
{
	char *what;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	kx_error_set(KX_EINVALID, "test records %s: %s", path,
		     what ? what : "invalid");
	kx_error_hint("forget them all (kvmx86 test --forget-all), or remove the file");
	free(what);
	return KX_EINVALID;
}

static bool is_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return i == len;
}

/*
 * Whether s holds a control character (none reaches a terminal); with
 * lines, a tab or a line break is none: the script of an sh -c command.
 */
static bool has_control(const char *s, bool lines)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 || *s == 0x7f) &&
		    !(lines && (*s == '\t' || *s == '\n')))
			return true;
	return false;
}

struct field {
	const char *key;
	enum { STR, HEX, NUM, INT, BOOL } type;
	size_t max;		/* STR: bytes; HEX: digits */
	bool required;
};

static const struct field fields[] = {
	{ "tree", HEX, 40, true },
	{ "commit", HEX, 40, false },
	{ "kind", STR, 32, true },
	{ "command", STR, 8192, true },
	{ "config", STR, 64, false },
	{ "config_hash", HEX, 40, false },
	{ "dotconfig", HEX, 40, false },
	{ "options", STR, 1024, false },
	{ "compiler", STR, 256, false },
	{ "build", STR, 16, false },
	{ "status", STR, 8, true },
	{ "exit", INT, 0, false },
	{ "seconds", NUM, 0, false },
	{ "log", STR, 4096, false },
	{ "date", STR, 32, false },
	{ "via", STR, 16, false },
	{ "jobs", INT, 0, false },
	{ "remote_jobs", INT, 0, false },
	{ "hosts", INT, 0, false },
};

static int check_record(json_t *rec, size_t i, const char *path)
{
	const char *status;
	size_t k;

	if (!json_is_object(rec))
		return invalid(path, "records[%zu] is not an object", i);
	for (k = 0; k < ARRAY_SIZE(fields); k++) {
		const struct field *f = &fields[k];
		json_t *v = json_object_get(rec, f->key);

		if (!v || json_is_null(v)) {
			if (f->required)
				return invalid(path, "records[%zu] has no %s", i,
					       f->key);
			continue;
		}
		switch (f->type) {
		case STR:
		case HEX:
			if (!json_is_string(v))
				return invalid(path, "records[%zu].%s is not a string",
					       i, f->key);
			if (f->type == HEX &&
			    !is_hex(json_string_value(v), f->max))
				return invalid(path, "records[%zu].%s is not a %zu-digit hex id",
					       i, f->key, f->max);
			if (json_string_length(v) > f->max ||
			    strlen(json_string_value(v)) != json_string_length(v) ||
			    has_control(json_string_value(v),
					!strcmp(f->key, "command")))
				return invalid(path, "records[%zu].%s is longer than %zu bytes or holds control characters",
					       i, f->key, f->max);
			break;
		case INT:
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > 1000000000)
				return invalid(path, "records[%zu].%s is not a count",
					       i, f->key);
			break;
		case NUM:
			if (!json_is_number(v) || json_number_value(v) < 0 ||
			    json_number_value(v) > 1e9)
				return invalid(path, "records[%zu].%s is not a number of seconds",
					       i, f->key);
			break;
		case BOOL:
			break;
		}
	}
	status = json_string_value(json_object_get(rec, "status"));
	if (strcmp(status, "pass") && strcmp(status, "fail"))
		return invalid(path, "records[%zu].status is '%s', not pass or fail",
			       i, status);
	return 0;
}

/*
 * Parses the file's text into *records and *imported; KX_EINVALID names
 * what is wrong.
 */
static int parse(json_t **records, bool *imported, const char *text,
		 size_t len, const char *path)
{
	json_error_t jerr;
	json_t *root, *v;
	size_t i;
	int error = 0;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return invalid(path, "corrupt or truncated (line %d, column %d: %s)",
			       jerr.line, jerr.column, jerr.text);
	if (!json_is_object(root)) {
		error = invalid(path, "not a JSON object");
		goto done;
	}
	v = json_object_get(root, "schema_version");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		error = invalid(path, "missing its schema_version");
		goto done;
	}
	if (json_integer_value(v) > KX_TEST_STORE_SCHEMA) {
		error = kx_error_set(KX_EINVALID,
				     "test records %s have schema %lld, newer than this kvmx86 knows (%d)",
				     path, (long long)json_integer_value(v),
				     KX_TEST_STORE_SCHEMA);
		kx_error_hint("a newer kvmx86 wrote them: upgrade kvmx86; the file is left as it is");
		goto done;
	}
	*imported = json_is_true(json_object_get(root, "imported_states"));
	v = json_object_get(root, "records");
	if (!json_is_array(v)) {
		error = invalid(path, "records is not a list");
		goto done;
	}
	if (json_array_size(v) > KX_TEST_STORE_MAX) {
		error = invalid(path, "%zu records, at most %d",
				json_array_size(v), KX_TEST_STORE_MAX);
		goto done;
	}
	for (i = 0; i < json_array_size(v); i++)
		if ((error = check_record(json_array_get(v, i), i, path)) < 0)
			goto done;
	*records = json_incref(v);
done:
	json_decref(root);
	return error;
}

/* --- what an older kvmx86 kept in the states --- */

static const char *str_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Appends the records of one state's test_results to records. */
static void import_state(json_t *records, json_t *results,
			 git_repository *repo)
{
	const char *commit;
	json_t *runs;

	json_object_foreach(results, commit, runs) {
		git_commit *c = NULL;
		git_oid id;
		json_t *run;
		size_t i;

		if (!is_hex(commit, 40) || git_oid_fromstr(&id, commit) < 0 ||
		    git_commit_lookup(&c, repo, &id) < 0) {
			git_error_clear();
			continue;	/* gone: no tree to key it by */
		}
		json_array_foreach(runs, i, run) {
			json_t *rec;

			if (!str_of(run, "command") || !str_of(run, "status"))
				continue;
			/* no compiler: shown, never reused for a new run */
			rec = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:s}",
					"tree", git_oid_tostr_s(git_commit_tree_id(c)),
					"commit", commit,
					"kind", str_of(run, "kind") ? str_of(run, "kind") : "command",
					"command", str_of(run, "command"),
					"config", str_of(run, "config"),
					"build", str_of(run, "build") ? str_of(run, "build") : "command",
					"status", str_of(run, "status"));
			if (!rec)
				continue;
			if (str_of(run, "date"))
				json_object_set(rec, "date", json_object_get(run, "date"));
			if (str_of(run, "log"))
				json_object_set(rec, "log", json_object_get(run, "log"));
			if (json_is_integer(json_object_get(run, "exit")))
				json_object_set(rec, "exit", json_object_get(run, "exit"));
			if (check_record(rec, 0, "") == 0)
				json_array_append(records, rec);
			else
				kx_error_clear();
			json_decref(rec);
		}
		git_commit_free(c);
	}
}

/* Appends the records every state under commondir holds to records. */
static void import_states(json_t *records, const char *commondir,
			  git_repository *repo)
{
	char *dir = kx_xasprintf("%skvmx86/state", commondir);
	struct dirent *e;
	DIR *d;

	if (!repo || !(d = opendir(dir))) {
		free(dir);
		return;
	}
	while ((e = readdir(d))) {
		struct kx_state_file f;
		char *path;

		if (!kx_ends_with(e->d_name, ".json") || e->d_name[0] == '.')
			continue;
		path = kx_xasprintf("%s/%s", dir, e->d_name);
		/* a state that does not load has nothing to give */
		if (kx_state_file_load(&f, path) == 0 && f.test_results)
			import_state(records, f.test_results, repo);
		kx_error_clear();
		kx_state_file_release(&f);
		free(path);
	}
	closedir(d);
	free(dir);
}

/*
 * Reads the file as it is now into *records (a new reference) and its
 * version into *sig.  The version is taken before the read: a file
 * replaced in between is read again next time, never trusted stale.
 */
static int read_now(json_t **records, struct kx_file_sig *sig,
		    const struct kx_test_store *st)
{
	char *text = NULL;
	size_t len;
	bool imported = false;
	int error;

	*records = NULL;
	kx_file_sig_take(sig, st->path);
	error = kx_file_read(&text, &len, st->path, KX_TEST_STORE_BYTES);
	if (error == KX_ENOTFOUND) {
		kx_error_clear();
		error = 0;
	} else if (error == KX_EINVALID) {
		free(text);
		return invalid(st->path, "%s", kx_error_last());
	} else if (error < 0) {
		return error;
	} else if ((error = parse(records, &imported, text, len, st->path)) < 0) {
		free(text);
		return error;
	}
	free(text);
	if (!*records)
		*records = json_array();
	if (!imported)
		import_states(*records, st->commondir, st->repo);
	return 0;
}

int kx_test_store_load(struct kx_test_store *st, const char *commondir,
		       struct git_repository *repo)
{
	memset(st, 0, sizeof(*st));
	st->commondir = kx_xstrdup(commondir);
	st->path = kx_xasprintf("%skvmx86/test-records.json", commondir);
	st->repo = repo;
	return read_now(&st->records, &st->sig, st);
}

/* --- finding --- */

static bool same(json_t *rec, const char *key, const char *want)
{
	const char *v = str_of(rec, key);

	return v ? want && !strcmp(v, want) : !want || !*want;
}

/* Whether rec is the record of key (compiler included when exact). */
static bool is_of(json_t *rec, const struct kx_test_result *key, bool exact)
{
	return same(rec, "tree", key->tree) && same(rec, "kind", key->kind) &&
	       same(rec, "command", key->command) &&
	       same(rec, "config", key->config) &&
	       (!exact || (same(rec, "config_hash", key->config_hash) &&
			   same(rec, "compiler", key->compiler) &&
			   /* declared a build since: run it as one */
			   kx_test_build_parse(str_of(rec, "build")) ==
			   key->build));
}

static void fill(struct kx_test_result *out, json_t *rec)
{
	memset(out, 0, sizeof(*out));
	out->tree = str_of(rec, "tree");
	out->commit = str_of(rec, "commit");
	out->kind = str_of(rec, "kind");
	out->command = str_of(rec, "command");
	out->config = str_of(rec, "config");
	out->config_hash = str_of(rec, "config_hash");
	out->dotconfig = str_of(rec, "dotconfig");
	out->options = str_of(rec, "options");
	out->compiler = str_of(rec, "compiler");
	out->build = kx_test_build_parse(str_of(rec, "build"));
	out->pass = !strcmp(str_of(rec, "status"), "pass");
	out->exit_status = (int)json_integer_value(json_object_get(rec, "exit"));
	out->seconds = json_number_value(json_object_get(rec, "seconds"));
	out->log = str_of(rec, "log");
	out->date = str_of(rec, "date");
	out->via = str_of(rec, "via");
	out->jobs = (unsigned long)json_integer_value(json_object_get(rec, "jobs"));
	out->remote_jobs = (unsigned long)json_integer_value(
		json_object_get(rec, "remote_jobs"));
	out->hosts = (unsigned)json_integer_value(json_object_get(rec, "hosts"));
}

bool kx_test_store_find(const struct kx_test_store *st,
			const struct kx_test_result *key,
			struct kx_test_result *out)
{
	size_t i = json_array_size(st->records);

	/* the newest first */
	while (i--) {
		json_t *rec = json_array_get(st->records, i);

		if (!is_of(rec, key, true) || !str_of(rec, "compiler"))
			continue;
		fill(out, rec);
		return true;
	}
	return false;
}

/* --- changing: under the lock, on the file as it is --- */

static const struct kx_lock_words records_lock_words = {
	"the test records", "is writing the test records",
	"no kvmx86 is writing them now", "wait for it",
};

static int lock_take(struct kx_test_store *st)
{
	char *lock = kx_xasprintf("%s.lock", st->path);
	int error = kx_lock_take(&st->lock, lock, LOCK_WAIT_MS, &records_lock_words);

	free(lock);
	return error;
}

static void lock_release(struct kx_test_store *st)
{
	kx_lock_release(&st->lock);
}

/*
 * Under the lock: the records as the file holds them now, to change.  Each
 * commit of a run records its result, and parsing the whole store again
 * each time cost a run more than the rest of kvmx86's work together
 * (docs/benchmarks.md), so a file still at the version st read or wrote
 * last is not read again: every writer renames a new file into place.
 */
static int read_locked(json_t **records, struct kx_test_store *st)
{
	struct kx_file_sig now;
	int error;

	kx_file_sig_take(&now, st->path);
	if (st->records && kx_file_sig_same(&now, &st->sig)) {
		*records = json_copy(st->records);
		return *records ? 0 :
			kx_error_set(KX_ENOMEM, "cannot copy the test records");
	}
	if ((error = read_now(records, &now, st)) < 0)
		return error;
	st->sig = now;
	return 0;
}

/* Writes records as the file, then makes them st's. */
static int write_records(struct kx_test_store *st, json_t *records)
{
	json_t *root = json_pack("{s:i, s:b, s:O}", "schema_version",
				 KX_TEST_STORE_SCHEMA, "imported_states", 1,
				 "records", records);
	char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	int error;

	json_decref(root);
	if (!text)
		return kx_error_set(KX_ENOMEM, "cannot format the test records");
	if (strlen(text) > KX_TEST_STORE_BYTES)
		error = kx_error_set(KX_ERROR, "the test records would be over %zu bytes",
				     KX_TEST_STORE_BYTES);
	else
		error = kx_write_atomic(st->path, text, false);
	free(text);
	if (!error) {
		json_decref(st->records);
		st->records = json_incref(records);
		/* the lock is held: this is the version just written */
		kx_file_sig_take(&st->sig, st->path);
	}
	return error;
}

static json_t *to_json(const struct kx_test_result *r)
{
	json_t *rec = json_object();
	char date[32];
	time_t now = time(NULL);

#define SET_STR(k, v) \
	do { if (v) json_object_set_new(rec, k, json_string(v)); } while (0)
	SET_STR("tree", r->tree);
	SET_STR("commit", r->commit);
	SET_STR("kind", r->kind);
	SET_STR("command", r->command);
	SET_STR("config", r->config);
	SET_STR("config_hash", r->config_hash);
	SET_STR("dotconfig", r->dotconfig);
	SET_STR("options", r->options);
	SET_STR("compiler", r->compiler);
	SET_STR("build", kx_test_build_name(r->build));
	SET_STR("status", r->pass ? "pass" : "fail");
	json_object_set_new(rec, "exit", json_integer(r->exit_status));
	json_object_set_new(rec, "seconds", json_real(r->seconds));
	SET_STR("log", r->log);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	json_object_set_new(rec, "date", json_string(r->date ? r->date : date));
	if (r->via) {
		SET_STR("via", r->via);
		json_object_set_new(rec, "jobs", json_integer((json_int_t)r->jobs));
		json_object_set_new(rec, "remote_jobs",
				    json_integer((json_int_t)r->remote_jobs));
		json_object_set_new(rec, "hosts", json_integer(r->hosts));
	}
#undef SET_STR
	return rec;
}

int kx_test_store_put(struct kx_test_store *st, const struct kx_test_result *r)
{
	json_t *records = NULL, *rec = to_json(r);
	size_t i;
	int error;

	if ((error = check_record(rec, 0, st->path)) < 0)
		goto done;
	if ((error = lock_take(st)) < 0 || (error = read_locked(&records, st)) < 0)
		goto done;
	for (i = json_array_size(records); i--;)
		if (is_of(json_array_get(records, i), r, true))
			json_array_remove(records, i);
	/* bounded: the oldest results go first */
	while (json_array_size(records) >= KX_TEST_STORE_MAX)
		json_array_remove(records, 0);
	json_array_append(records, rec);
	error = write_records(st, records);
done:
	lock_release(st);
	json_decref(records);
	json_decref(rec);
	return error;
}

int kx_test_store_forget(struct kx_test_store *st, const char *const *trees,
			 size_t nr, size_t *forgotten)
{
	json_t *records = NULL;
	size_t i, k, before;
	int error;

	*forgotten = 0;
	if ((error = lock_take(st)) < 0 || (error = read_locked(&records, st)) < 0)
		goto done;
	before = json_array_size(records);
	for (i = before; i--;) {
		const char *tree = str_of(json_array_get(records, i), "tree");

		for (k = 0; trees && k < nr; k++)
			if (!strcmp(tree, trees[k]))
				break;
		if (!trees || k < nr)
			json_array_remove(records, i);
	}
	*forgotten = before - json_array_size(records);
	error = write_records(st, records);
done:
	lock_release(st);
	json_decref(records);
	return error;
}

void kx_test_store_release(struct kx_test_store *st)
{
	lock_release(st);
	json_decref(st->records);
	free(st->path);
	free(st->commondir);
	memset(st, 0, sizeof(*st));
}

/* --- what the cover letter and prep --check read --- */

int kx_test_records_load(struct kx_test_records *out, const char *commondir,
			 struct git_repository *repo,
			 const char *const *commits, size_t nr)
{
	struct kx_test_store st;
	char (*trees)[41] = kx_xcalloc(nr ? nr : 1, sizeof(*trees));
	json_t **newest = NULL;
	size_t i, k, n = 0;
	int error;

	for (i = 0; i < nr; i++) {
		git_commit *c = NULL;
		git_oid id;

		if (git_oid_fromstr(&id, commits[i]) == 0 &&
		    git_commit_lookup(&c, repo, &id) == 0)
			git_oid_tostr(trees[i], sizeof(trees[i]),
				      git_commit_tree_id(c));
		git_commit_free(c);
		git_error_clear();
	}
	if ((error = kx_test_store_load(&st, commondir, repo)) < 0)
		goto done;
	newest = kx_xcalloc(json_array_size(st.records) + 1, sizeof(*newest));
	/*
	 * The newest record per commit, kind, command and configuration:
	 * an older result of the same test, or one of another compiler,
	 * does not speak for the series as it is.
	 */
	for (i = 0; i < nr; i++) {
		size_t first = n;

		if (!*trees[i])
			continue;
		/* oldest first: the statement keeps the order they ran in */
		for (k = 0; k < json_array_size(st.records); k++) {
			json_t *rec = json_array_get(st.records, k);
			struct kx_test_result key;
			size_t j;

			if (strcmp(str_of(rec, "tree"), trees[i]))
				continue;
			fill(&key, rec);
			for (j = first; j < n; j++)
				if (is_of(newest[j], &key, false))
					break;
			if (j < n) {
				const char *a = str_of(newest[j], "date");
				const char *b = str_of(rec, "date");

				/* later in the file is newer, unless dated older */
				if (!a || !b || strcmp(b, a) >= 0)
					newest[j] = rec;
				continue;
			}
			newest[n++] = rec;
		}
		for (k = first; k < n; k++) {
			struct kx_test_result r;
			struct kx_test_record *t;

			fill(&r, newest[k]);
			kx_grow((void **)&out->items, &out->alloc, out->nr,
				sizeof(*out->items));
			t = &out->items[out->nr++];
			memset(t, 0, sizeof(*t));
			t->commit = kx_xstrdup(commits[i]);
			t->command = kx_xstrdup(r.command);
			t->kind = kx_xstrdup(r.kind);
			t->pass = r.pass;
			t->config = r.config ? kx_xstrdup(r.config) : NULL;
			t->build = r.build;
			t->options = r.options ? kx_xstrdup(r.options) : NULL;
			t->via = r.via ? kx_xstrdup(r.via) : NULL;
			t->jobs = r.jobs;
			t->remote_jobs = r.remote_jobs;
			t->hosts = r.hosts;
		}
	}
done:
	free(newest);
	free(trees);
	kx_test_store_release(&st);
	return error;
}

void kx_test_records_release(struct kx_test_records *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++) {
		free((char *)r->items[i].commit);
		free((char *)r->items[i].command);
		free((char *)r->items[i].kind);
		free((char *)r->items[i].config);
		free((char *)r->items[i].options);
		free((char *)r->items[i].via);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}
