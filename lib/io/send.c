// SPDX-License-Identifier: GPL-2.0-only
/*
 * What kvmx86 send reads of the repository.  The diffs come from one git
 * format-patch over the series: only git's own code gives its diffstat
 * widths, rename and mode notation and binary patches byte for byte (see
 * ../shared/docs/api-notes.md on libgit2's email API); kvmx86 keeps what
 * follows each "---" and writes every header itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "io.h"
#include "kvmx86/checkbase.h"
#include "kvmx86/error.h"
#include "kvmx86/recipients.h"
#include "kvmx86/resolve.h"
#include "kvmx86/run.h"
#include "kvmx86/lore.h"
#include "kvmx86/send.h"
#include "kvmx86/series.h"
#include "kvmx86/sign.h"
#include "kvmx86/safe.h"
#include "kvmx86/smtp.h"

#define REPO(s) ((git_repository *)(s)->prep.repo)

/* The largest MAINTAINERS, .mailmap or .yaml file read. */
#define KX_SEND_FILE_MAX ((size_t)64 << 20)

/* The tip's tree, for get_maintainer's questions about the tree. */
struct tree_view {
	git_repository *repo;
	git_tree *tree;
};

static bool view_is_dir(void *data, const char *path)
{
	struct tree_view *v = data;
	git_tree_entry *e = NULL;
	bool dir;
	size_t n = strlen(path);
	char *p = kx_xstrndup(path, n);

	/* "arch/x86/" as F: writes a directory */
	while (n && p[n - 1] == '/')
		p[--n] = '\0';
	if (!n) {
		free(p);
		return true;
	}
	dir = git_tree_entry_bypath(&e, v->tree, p) == 0 &&
	      git_tree_entry_type(e) == GIT_OBJECT_TREE;
	git_error_clear();
	git_tree_entry_free(e);
	free(p);
	return dir;
}

static char *view_read(void *data, const char *path)
{
	struct tree_view *v = data;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	char *text = NULL;

	if (git_tree_entry_bypath(&e, v->tree, path) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
	    git_blob_lookup(&blob, v->repo, git_tree_entry_id(e)) == 0 &&
	    (size_t)git_blob_rawsize(blob) <= KX_SEND_FILE_MAX)
		text = kx_xstrndup(git_blob_rawcontent(blob),
				   (size_t)git_blob_rawsize(blob));
	git_error_clear();
	git_blob_free(blob);
	git_tree_entry_free(e);
	return text;
}

static int add_multivar(const git_config_entry *e, void *data)
{
	kx_strlist_add(data, e->value);
	return 0;
}

struct address_multivar {
	struct kx_strlist *list;
	const char *key;
	int error;
};

/* Each mailbox of one value, which may be a list as git send-email's */
static int add_address_multivar(const git_config_entry *e, void *data)
{
	struct address_multivar *mv = data;
	struct kx_strlist one = KX_STRLIST_INIT;
	size_t i;

	kx_mail_split_list(&one, e->value);
	for (i = 0; i < one.nr && !mv->error; i++) {
		struct kx_mailbox mb;

		/* a configured recipient is never left out unsaid */
		if (kx_mailbox_parse(&mb, one.items[i]) < 0) {
			char *shown = kx_escape(one.items[i], 0);

			mv->error = kx_error_set(KX_EINVALID,
						 "bad config value '%s' for '%s': not an address",
						 shown, mv->key);
			kx_error_hint("one address per value, or a list separated by commas: git config --add %s 'Name <addr>'",
				      mv->key);
			free(shown);
			break;
		}
		kx_mailbox_release(&mb);
		kx_strlist_add(mv->list, one.items[i]);
	}
	kx_strlist_release(&one);
	return mv->error;
}

/* Appends every address of key (a multi-valued key) to list, why to whys. */
static int config_list(struct kx_strlist *list, struct kx_strlist *whys,
		       git_config *cfg, const char *key)
{
	struct address_multivar mv = { list, key, 0 };
	size_t before = list->nr;

	if (git_config_get_multivar_foreach(cfg, key, NULL, add_address_multivar,
					    &mv) < 0 &&
	    !mv.error)
		git_error_clear();
	while (whys->nr < list->nr && before < list->nr) {
		kx_strlist_addf(whys, "%s (configuration)", key);
		before++;
	}
	return mv.error;
}

/*
 * The key of sendemail setting name that counts: "sendemail.<identity>.name"
 * when set, else "sendemail.name", as git send-email reads its
 * configuration (the identity's setting hides the plain one, lists too).
 */
static char *sendemail_key(git_config *cfg, const char *identity,
			   const char *name)
{
	if (identity) {
		char *key = kx_xasprintf("sendemail.%s.%s", identity, name);
		git_config_entry *e = NULL;
		bool set = git_config_get_entry(&e, cfg, key) == 0;

		git_config_entry_free(e);
		git_error_clear();
		if (set)
			return key;
		free(key);
	}
	return kx_xasprintf("sendemail.%s", name);
}

/* A boolean sendemail setting: 1, 0, or -1 when unset. */
static int sendemail_bool(int *out, git_config *cfg, const char *identity,
			  const char *name)
{
	char *key = sendemail_key(cfg, identity, name);
	bool v = false;
	git_config_entry *e = NULL;
	int error = 0;

	*out = -1;
	if (git_config_get_entry(&e, cfg, key) == 0 &&
	    (error = kx_config_bool(&v, cfg, key)) == 0)
		*out = v;
	git_config_entry_free(e);
	git_error_clear();
	free(key);
	return error;
}

/* sendemail.suppressCc, suppressFrom and signedOffByCc, as git reads them. */
static int suppress_cc(struct kx_send_facts *f, git_config *cfg,
		       const char *identity, unsigned option)
{
	struct kx_strlist values = KX_STRLIST_INIT;
	char *key = sendemail_key(cfg, identity, "suppresscc");
	unsigned mask = 0;
	int from, sob, error = 0;
	size_t i;

	if (git_config_get_multivar_foreach(cfg, key, NULL, add_multivar,
					    &values) < 0)
		git_error_clear();
	for (i = 0; i < values.nr && !error; i++)
		if ((error = kx_suppress_cc_add(&mask, values.items[i])) < 0) {
			char *why = kx_xstrdup(kx_error_last());

			error = kx_error_set(KX_EINVALID, "%s: %s", key, why);
			kx_error_hint("use author, self, cc, bodycc, sob, misc-by, cccmd, body or all: git config --replace-all %s <value>",
				      key);
			free(why);
		}
	if (error == 0 &&
	    (error = sendemail_bool(&from, cfg, identity, "suppressfrom")) == 0 &&
	    (error = sendemail_bool(&sob, cfg, identity, "signedoffbycc")) == 0) {
		/* git's older spelling, read when the newer is not set */
		if (sob < 0)
			error = sendemail_bool(&sob, cfg, identity, "signedoffcc");
		/* --suppress-cc adds to the configured values, as in git */
		f->suppress_cc_values = mask | option;
		f->suppress_from = from;
		f->signed_off_by_cc = sob;
		f->suppress_cc = kx_suppress_cc_resolve(mask | option, from, sob);
	}
	kx_strlist_release(&values);
	free(key);
	return error;
}

/*
 * git send-email's recipient and header commands, which kvmx86 does not
 * run (a command of the configuration would get the mails' text, and
 * MAINTAINERS is read natively): a warning each, so that no recipient a
 * user expects is left out unsaid.
 */
static void unrun_commands(struct kx_send_facts *f, git_config *cfg,
			   const char *identity)
{
	static const char *const names[] = { "toCmd", "ccCmd", "headerCmd" };
	static const char *const what[] = { "--to-cmd", "--cc-cmd", "--header-cmd" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char *key = sendemail_key(cfg, identity, names[i]);
		git_config_entry *e = NULL;

		if (git_config_get_entry(&e, cfg, key) == 0 && e->value && *e->value)
			kx_strlist_addf(&f->warnings,
					"%s (git send-email's %s) is not run: kvmx86 takes the recipients from MAINTAINERS and the trailers itself (--dry-run says who and why); add others with kvmx86.to, kvmx86.cc or --to/--cc",
					key, what[i]);
		git_config_entry_free(e);
		git_error_clear();
		free(key);
	}
}

/*
 * What the configuration takes out of the MAINTAINERS answers: all of
 * them for cccmd (git send-email then runs no --cc-cmd), the sender's
 * own entry for self.
 */
static void suppress_hits(struct kx_send_facts *f)
{
	size_t i, k, kept;

	for (i = 0; i < f->nr; i++) {
		struct kx_maint_hits *h = &f->patches[i].maint;

		if (f->suppress_cc & KX_SUPPRESS_CCCMD) {
			kx_maint_hits_release(h);
			continue;
		}
		if (!(f->suppress_cc & KX_SUPPRESS_SELF))
			continue;
		for (k = kept = 0; k < h->nr; k++) {
			struct kx_maint_hit *e = &h->items[k];

			if (kx_rcpt_is_sender(&f->sender, e->name, e->addr)) {
				free(e->text);
				free(e->name);
				free(e->addr);
				free(e->role);
				continue;
			}
			h->items[kept++] = h->items[k];
		}
		h->nr = kept;
	}
}

/* sendemail.from ([sendemail "<identity>"] first), else user.name/email. */
static int sender(struct kx_send_facts *f, git_repository *repo, git_config *cfg,
		  const char *identity)
{
	char *from = NULL, *key = NULL;
	git_signature *me = NULL;
	int error = 0;

	if (identity) {
		key = kx_xasprintf("sendemail.%s.from", identity);
		if (kx_config_string(&from, cfg, key) < 0) {
			free(key);
			key = NULL;
		}
	}
	kx_error_clear();
	if (!from && kx_config_string(&from, cfg, "sendemail.from") == 0)
		key = kx_xstrdup("sendemail.from");
	kx_error_clear();
	if (from) {
		struct kx_strlist one = KX_STRLIST_INIT;

		/* git send-email would put every one in From: and sign as the first */
		kx_mail_split_list(&one, from);
		if (one.nr > 1)
			error = kx_error_set(KX_EINVALID, "%s holds more than one address: "
					     "a mail has one sender", key);
		kx_strlist_release(&one);
		if (error < 0)
			kx_error_hint("set it to one \"Your Name <you@example.org>\": git config %s '...'",
				      key);
		else if ((error = kx_mailbox_parse(&f->sender, from)) < 0) {
			char *why = kx_xstrdup(kx_error_last());

			error = kx_error_set(KX_EINVALID, "%s: %s", key, why);
			kx_error_hint("set it to \"Your Name <you@example.org>\": git config %s '...'",
				      key);
			free(why);
		}
		f->sender_from = key;
		key = NULL;
		goto done;
	}
	if (git_signature_default(&me, repo) < 0) {
		git_error_clear();
		error = kx_error_set(KX_EINVALID, "no sender: neither sendemail.from nor user.name and user.email is set");
		kx_error_hint("git config user.name 'Your Name'; git config user.email you@example.org");
		goto done;
	}
	from = kx_xasprintf("%s <%s>", me->name, me->email);
	if ((error = kx_mailbox_parse(&f->sender, from)) < 0) {
		char *why = kx_xstrdup(kx_error_last());

		error = kx_error_set(KX_EINVALID, "user.name/user.email: %s", why);
		kx_error_hint("fix them with git config user.name and git config user.email");
		free(why);
	}
	f->sender_from = kx_xstrdup("user.name and user.email");
done:
	git_signature_free(me);
	free(from);
	free(key);
	return error;
}

/* Returns the start of the line "From <id> Mon Sep 17 ..." in text, or NULL. */
static const char *find_mail(const char *text, const char *id)
{
	char *line = kx_xasprintf("From %s Mon Sep 17 00:00:00 2001\n", id);
	const char *s = text;
	size_t n = strlen(line);

	while (s && strncmp(s, line, n)) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	free(line);
	return s && *s ? s : NULL;
}

/*
 * Keeps what git format-patch wrote after the "---" of patch p, the mail
 * between start and end: past the headers, past as many "---" lines as
 * the message's own, then the separator.
 */
static int cut_diff(struct kx_send_patch *p, const char *start, const char *end,
		    bool last)
{
	const char *s = strstr(start, "\n\n");
	size_t cuts = kx_mail_count_cuts(p->body), seen = 0;

	if (!s || s > end)
		goto bad;
	s += 2;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		if (len == 3 && !strncmp(s, "---", 3) && seen++ == cuts) {
			const char *d = nl ? nl + 1 : end;
			size_t n = (size_t)(end - d);

			/* the blank line between mails is not the diff's */
			if (!last && n >= 2 && d[n - 1] == '\n' && d[n - 2] == '\n')
				n--;
			p->diff = kx_xstrndup(d, n);
			return 0;
		}
		s += len + 1;
	}
bad:
	return kx_error_set(KX_ERROR, "cannot find the diff of %.12s in git format-patch's output",
			    p->id);
}

/*
 * Starts the one git format-patch over the series, which runs while
 * kvmx86 reads the commits and parses MAINTAINERS.  0 or KX_ERROR.
 */
static int diffs_start(struct kx_proc *proc, struct kx_resolved *s)
{
	struct kx_strlist argv = KX_STRLIST_INIT;
	const struct kx_prep_range *r = &s->prep.range;
	char *range = kx_xasprintf("%s..%s", r->from, r->end);
	/* headers, numbering, threading, signature: kvmx86's, not git's */
	/*
	 * a/ and b/ whatever diff.noprefix or diff.mnemonicPrefix say (git
	 * 2.39's format-patch honours them, and git am cannot apply it),
	 * and the whole tree whatever diff.relative says
	 */
	const char *args[] = { "--no-pager", "format-patch", "--stdout",
			       "--no-signature", "--no-thread", "--no-numbered",
			       "--no-cover-letter", "--no-to", "--no-cc",
			       "--no-add-header", "--no-base", "--src-prefix=a/",
			       "--dst-prefix=b/", "--no-relative", range, NULL };
	const char **av;
	size_t i;
	int error = 0;

	kx_repo_git_argv(&argv, REPO(s));
	for (i = 0; args[i]; i++)
		kx_strlist_add(&argv, args[i]);
	av = kx_strlist_argv(&argv);
	if (kx_run_start(proc, av, kx_repo_cwd(REPO(s))) < 0)
		error = KX_ERROR;
	free(av);
	free(range);
	kx_strlist_release(&argv);
	return error;
}

/* Waits for it, and keeps each patch's diff.  0 or a negative KX_E*. */
static int diffs_finish(struct kx_send_facts *f, struct kx_proc *proc)
{
	char *out = NULL;
	int status = 0, error;
	size_t i;

	if (kx_run_finish(proc, &out, &status) < 0) {
		error = KX_ERROR;
		goto done;
	}
	if (status) {
		error = kx_error_set(KX_ERROR, "git format-patch failed (exit %d)", status);
		goto done;
	}
	error = 0;
	for (i = 0; i < f->nr && !error; i++) {
		const char *start = find_mail(out, f->patches[i].id);
		const char *end = i + 1 < f->nr ? find_mail(start ? start : out,
							    f->patches[i + 1].id) : NULL;

		if (!start) {
			error = kx_error_set(KX_ERROR, "git format-patch wrote no mail for %.12s (an empty commit, or a merge)",
					     f->patches[i].id);
			kx_error_hint("drop it from the series (git rebase -i): a mail needs a change");
			break;
		}
		error = cut_diff(&f->patches[i], start,
				 end ? end : start + strlen(start), !end);
	}
done:
	free(out);
	return error;
}

static int patch_facts(struct kx_send_patch *p, git_repository *repo,
		       const char *id)
{
	const git_signature *a;
	git_commit *c = NULL;
	git_oid oid;
	int error;

	strcpy(p->id, id);
	git_oid_fromstr(&oid, id);
	if ((error = kx_git(git_commit_lookup(&c, repo, &oid))) < 0)
		return error;
	a = git_commit_author(c);
	kx_mailbox_set(&p->author, a->name, a->email);
	p->author_time = (long long)a->when.time;
	p->author_offset = a->when.offset;
	p->message = kx_xstrdup(git_commit_message(c));
	kx_mail_split_message(&p->subject, &p->body, p->message);
	git_commit_free(c);
	return 0;
}

/* The tip's MAINTAINERS, parsed (NULL: the tree has none). */
struct maint_view {
	struct tree_view v;
	struct kx_maint_tree t;
	struct kx_maintainers *m;
	git_commit *tip;
};

static int maintainers_parse(struct maint_view *mv, struct kx_send_facts *f,
			     struct kx_resolved *s)
{
	git_oid oid;
	char *text = NULL, *mailmap = NULL;
	int error;

	memset(mv, 0, sizeof(*mv));
	mv->v.repo = REPO(s);
	mv->t.is_dir = view_is_dir;
	mv->t.read = view_read;
	mv->t.data = &mv->v;
	git_oid_fromstr(&oid, s->prep.range.end);
	if ((error = kx_git(git_commit_lookup(&mv->tip, REPO(s), &oid))) < 0 ||
	    (error = kx_git(git_commit_tree(&mv->v.tree, mv->tip))) < 0)
		return error;
	if (!(text = view_read(&mv->v, "MAINTAINERS")))
		return 0;
	f->maintainers = true;
	kx_maintainers_parse(&mv->m, text, strlen(text), &mv->t);
	mailmap = view_read(&mv->v, ".mailmap");
	kx_maintainers_set_mailmap(mv->m, mailmap);
	free(text);
	free(mailmap);
	return 0;
}

/* The MAINTAINERS answer of each patch, from the tip's own tree. */
static void maintainers_match(struct maint_view *mv, struct kx_send_facts *f)
{
	const struct kx_strlist *w;
	size_t i;

	if (!mv->m)
		return;
	for (i = 0; i < f->nr; i++) {
		/* get_maintainer.pl reads the mail git format-patch wrote */
		char *mail = kx_xasprintf("Subject: %s\n\n%s---\n%s",
					  f->patches[i].subject, f->patches[i].body,
					  f->patches[i].diff);

		kx_maintainers_for_patch(&f->patches[i].maint, mv->m, mail);
		free(mail);
	}
	w = kx_maintainers_warnings(mv->m);
	for (i = 0; i < w->nr; i++)
		kx_strlist_addf(&f->warnings, "MAINTAINERS: %s", w->items[i]);
}

static void maint_view_release(struct maint_view *mv)
{
	kx_maintainers_free(mv->m);
	git_tree_free(mv->v.tree);
	git_commit_free(mv->tip);
	memset(mv, 0, sizeof(*mv));
}

int kx_send_gather(struct kx_send_facts *f, struct kx_resolved *s,
		   const char *identity_option, unsigned suppress_cc_option,
		   bool preflight)
{
	struct maint_view mv;
	struct kx_proc proc;
	git_config *cfg = NULL;
	char *identity = NULL, *key;
	bool running = false;
	size_t i;
	int error;

	memset(f, 0, sizeof(*f));
	memset(&mv, 0, sizeof(mv));
	if (!s->prep.range.count || !s->prep.range.start[0])
		return kx_error_set(KX_EINVALID, "the series has no commits on its base %.12s",
				    s->prep.range.base);
	/* git's diffs first: what follows runs beside them */
	if ((error = diffs_start(&proc, s)) < 0)
		return error;
	running = true;
	if ((error = kx_git(git_repository_config_snapshot(&cfg, REPO(s)))) < 0)
		goto done;
	kx_sendemail_identity(&identity, kx_config_lookup, cfg, identity_option);
	kx_error_clear();
	if ((error = sender(f, REPO(s), cfg, identity)) < 0 ||
	    (error = suppress_cc(f, cfg, identity, suppress_cc_option)) < 0)
		goto done;
	if ((error = config_list(&f->to, &f->to_why, cfg, "kvmx86.to")) < 0)
		goto done;
	key = sendemail_key(cfg, identity, "to");
	error = config_list(&f->to, &f->to_why, cfg, key);
	free(key);
	if (error < 0 ||
	    (error = config_list(&f->cc, &f->cc_why, cfg, "kvmx86.cc")) < 0)
		goto done;
	key = sendemail_key(cfg, identity, "cc");
	error = config_list(&f->cc, &f->cc_why, cfg, key);
	free(key);
	if (error < 0)
		goto done;
	unrun_commands(f, cfg, identity);
	f->patches = kx_xcalloc(s->series.nr ? s->series.nr : 1, sizeof(*f->patches));
	for (i = 0; i < s->series.nr; i++, f->nr++)
		if ((error = patch_facts(&f->patches[i], REPO(s),
					 s->series.commits[i].id)) < 0)
			goto done;
	kx_trace("send: commits");
	/* .mailmap of the work tree (or HEAD's), mailmap.file, mailmap.blob */
	{
		git_mailmap *mm = NULL;

		if (kx_series_mailmap(&mm, s) < 0)
			kx_error_clear();
		f->mailmap = mm;
	}
	if ((error = maintainers_parse(&mv, f, s)) < 0)
		goto done;
	kx_trace("send: MAINTAINERS parsed");
	/*
	 * check-base's facts and prep --check's diffs while git format-patch
	 * runs, not after it on the way to the mails (a failure is met again
	 * by the pre-flight, which says it)
	 */
	if (preflight) {
		struct kx_checkbase *cb;

		if (kx_series_checkbase(&cb, s) < 0)
			kx_error_clear();
		if (kx_series_diffs_load(s) < 0)
			kx_error_clear();
	}
	kx_trace("send: check-base and diffs");
	running = false;
	if ((error = diffs_finish(f, &proc)) < 0)
		goto done;
	kx_trace("send: git format-patch");
	maintainers_match(&mv, f);
	suppress_hits(f);
	kx_trace("send: MAINTAINERS");
done:
	if (running) {
		/* reaped, whatever it wrote; the error is the first one */
		char *out = NULL;
		int status;

		kx_run_finish(&proc, &out, &status);
		free(out);
	}
	maint_view_release(&mv);
	free(identity);
	git_config_free(cfg);
	return error;
}

void kx_send_facts_release(struct kx_send_facts *f)
{
	size_t i;

	for (i = 0; i < f->nr; i++) {
		struct kx_send_patch *p = &f->patches[i];

		kx_mailbox_release(&p->author);
		free(p->message);
		free(p->subject);
		free(p->body);
		free(p->diff);
		kx_maint_hits_release(&p->maint);
	}
	free(f->patches);
	kx_mailbox_release(&f->sender);
	free(f->sender_from);
	kx_strlist_release(&f->to);
	kx_strlist_release(&f->cc);
	kx_strlist_release(&f->to_why);
	kx_strlist_release(&f->cc_why);
	kx_strlist_release(&f->warnings);
	memset(f, 0, sizeof(*f));
}

bool kx_send_mailmap(void *data, const char *tag, char **name, char **addr)
{
	struct kx_send_facts *f = data;
	const char *n = NULL, *a = NULL;

	if (kx_suppress_trailer(f->suppress_cc, tag,
				kx_rcpt_is_sender(&f->sender, *name, *addr)))
		return false;
	if (!f->mailmap ||
	    git_mailmap_resolve(&n, &a, f->mailmap, *name, *addr) < 0) {
		git_error_clear();
		return true;
	}
	/* resolve answers with the strings given when nothing maps */
	if (n != *name) {
		char *t = kx_xstrdup(n);

		free(*name);
		*name = t;
	}
	if (a != *addr) {
		char *t = kx_xstrdup(a);

		free(*addr);
		*addr = t;
	}
	return true;
}

int kx_worktree_check_parse(enum kx_worktree_check *out, const char *value)
{
	if (!strcmp(value, "all"))
		*out = KX_WORKTREE_CHECK_ALL;
	else if (!strcmp(value, "series"))
		*out = KX_WORKTREE_CHECK_SERIES;
	else
		return kx_error_set(KX_EINVALID, "'%s' is not a work-tree check (all or series)",
				    value);
	return 0;
}

/*
 * The paths the commits of s touch, each side of a rename included: the
 * files of check-base's series (the series model's diffs).  False when
 * check-base has no series (no KVM trees to find the series' commits
 * with): then every file is looked at.  Before check-base's facts are
 * gathered, the paths come from the model's diffs alone, and *unconfirmed
 * is set: kx_send_dirty_finish() then looks at every file if check-base
 * fails after all, so that git status starts without waiting for it.
 */
static bool series_paths(struct kx_strlist *out, bool *unconfirmed,
			 struct kx_resolved *s)
{
	struct kx_checkbase *cb = s->checkbase;
	size_t i, k;

	*unconfirmed = false;
	if (cb) {
		for (i = cb->prerequisites; i < cb->series.nr; i++)
			for (k = 0; k < cb->series.commits[i].files_nr; k++)
				kx_strlist_add(out, cb->series.commits[i].files[k].path);
		return true;
	}
	/* kx_series_checkbase() has no series for these, without a walk */
	if (s->alone || s->source == KX_SOURCE_RANGE)
		return false;
	for (i = 0; i < s->series.nr; i++) {
		struct kx_commit_diff *cd;
		git_commit *c = NULL;
		git_oid oid;
		int error;

		git_oid_fromstr(&oid, s->series.commits[i].id);
		error = kx_git(git_commit_lookup(&c, REPO(s), &oid));
		if (!error)
			error = kx_commit_diff(&cd, kx_series_diffs(s), REPO(s), c);
		git_commit_free(c);
		if (error < 0) {
			/* check-base fails on it too */
			kx_error_clear();
			kx_strlist_release(out);
			return false;
		}
		for (k = 0; k < cd->nr; k++)
			kx_strlist_add(out, cd->files[k].path);
	}
	*unconfirmed = true;
	return true;
}

/* kvmx86.worktreeCheck when which leaves it to the configuration. */
static int worktree_check_config(enum kx_worktree_check *which,
				 struct kx_resolved *s)
{
	git_config *cfg = NULL;
	char *v = NULL;
	int error;

	*which = KX_WORKTREE_CHECK_ALL;
	if ((error = kx_git(git_repository_config_snapshot(&cfg, REPO(s)))) < 0)
		return error;
	error = kx_config_string(&v, cfg, "kvmx86.worktreeCheck");
	if (error == KX_ENOTFOUND)
		error = 0;
	else if (!error && (error = kx_worktree_check_parse(which, v)) < 0)
		kx_error_hint("git config kvmx86.worktreeCheck all");
	free(v);
	git_config_free(cfg);
	return error;
}

/* git's argv holds at most this many paths; a bigger series checks all */
#define SERIES_PATHS_MAX 4096

int kx_send_dirty_start(struct kx_send_dirty *d, struct kx_resolved *s,
			enum kx_worktree_check which)
{
	struct kx_strlist argv = KX_STRLIST_INIT, paths = KX_STRLIST_INIT;
	/*
	 * git status, not git diff HEAD: both lstat every tracked file (in
	 * parallel, through core.fsmonitor when set), but on an index whose
	 * stat data is stale (a copied or re-cloned tree) git diff hashes
	 * each file twice and status once (3.4 s against 9.5 s on the kernel
	 * fixture), and status writes the refreshed index back for the next
	 * run.  -uno: an untracked file is no uncommitted change.
	 */
	const char *args[] = { "--no-pager", "status", "--porcelain",
			       "--untracked-files=no", "--ignore-submodules",
			       "--no-renames", NULL };
	const char **av;
	bool unconfirmed;
	size_t i;
	int error = 0;

	memset(d, 0, sizeof(d[0]));
	if (git_repository_is_bare(REPO(s)))
		return 0;
	if (which == KX_WORKTREE_CHECK_CONFIG &&
	    (error = worktree_check_config(&which, s)) < 0)
		return error;
	/*
	 * series: an lstat of the files the mails carry, not of all 78k of a
	 * kernel tree (70 ms of send -o's 95 on the fixture)
	 */
	if (which == KX_WORKTREE_CHECK_SERIES &&
	    series_paths(&paths, &unconfirmed, s)) {
		d->series_only = paths.nr <= SERIES_PATHS_MAX;
		d->unconfirmed = unconfirmed ? s : NULL;
		/* nothing touched: nothing of the work tree can be missing */
		if (!paths.nr)
			goto done;
	}
	kx_repo_git_argv(&argv, REPO(s));
	/* a path is a path, not a pattern */
	if (d->series_only)
		kx_strlist_add(&argv, "--literal-pathspecs");
	for (i = 0; args[i]; i++)
		kx_strlist_add(&argv, args[i]);
	if (d->series_only) {
		kx_strlist_add(&argv, "--");
		for (i = 0; i < paths.nr; i++)
			kx_strlist_add(&argv, paths.items[i]);
	}
	av = kx_strlist_argv(&argv);
	if (kx_run_start(&d->proc, av, kx_repo_cwd(REPO(s))) < 0)
		error = KX_ERROR;
	else
		d->started = true;
	free(av);
done:
	kx_strlist_release(&paths);
	kx_strlist_release(&argv);
	return error;
}

int kx_send_dirty_finish(struct kx_send_dirty *d, bool *dirty)
{
	char *out = NULL;
	int status = 0;

	*dirty = false;
	if (d->unconfirmed) {
		struct kx_resolved *s = d->unconfirmed;
		struct kx_checkbase *cb;

		d->unconfirmed = NULL;
		if (kx_series_checkbase(&cb, s) < 0) {
			int error;

			/* no series for check-base: every file, as then at the start */
			kx_error_clear();
			if (d->started) {
				d->started = false;
				kx_run_finish(&d->proc, &out, &status);
				free(out);
				out = NULL;
			}
			if ((error = kx_send_dirty_start(d, s, KX_WORKTREE_CHECK_ALL)) < 0)
				return error;
		}
	}
	if (!d->started)
		return 0;
	d->started = false;
	if (kx_run_finish(&d->proc, &out, &status) < 0)
		return KX_ERROR;
	if (status) {
		free(out);
		return kx_error_set(KX_ERROR, "git status failed (exit %d)", status);
	}
	/* a line a path staged or changed in the work tree */
	*dirty = out && *out;
	free(out);
	return 0;
}

/* Whether ref's commit is want or has it in its history. */
static bool reaches(git_repository *repo, git_reference *ref, const git_oid *want)
{
	git_object *o = NULL;
	bool yes = false;

	if (git_reference_peel(&o, ref, GIT_OBJECT_COMMIT) == 0) {
		const git_oid *at = git_object_id(o);

		yes = git_oid_equal(at, want) ||
		      git_graph_descendant_of(repo, at, want) == 1;
	}
	git_error_clear();
	git_object_free(o);
	return yes;
}

int kx_send_base_published(bool *reached, struct kx_resolved *s,
			   const char *base)
{
	const char *tracked = s->base_ref ? s->base_ref : s->prep.state.base_ref;
	git_reference_iterator *it = NULL;
	git_reference *ref;
	git_oid want;
	int error;

	*reached = false;
	if (git_oid_fromstr(&want, base) < 0)
		return kx_error_set(KX_EINVALID, "'%s' is not a commit id", base);
	/* the ref the base tracks holds it, as a rule: one walk, not one a ref */
	if (tracked) {
		char *name = kx_xasprintf("refs/remotes/%s", tracked);

		if (git_reference_lookup(&ref, REPO(s), name) == 0) {
			*reached = reaches(REPO(s), ref, &want);
			git_reference_free(ref);
		}
		git_error_clear();
		free(name);
		if (*reached)
			return 0;
	}
	if ((error = kx_git(git_reference_iterator_glob_new(&it, REPO(s),
							     "refs/remotes/*"))) < 0)
		return error;
	while (!*reached && git_reference_next(&ref, it) == 0) {
		*reached = reaches(REPO(s), ref, &want);
		git_reference_free(ref);
	}
	git_error_clear();
	git_reference_iterator_free(it);
	return 0;
}

/* The blobs the series has changed so far on top of the tip, by path. */
struct overlay {
	struct kx_strlist paths;
	git_oid *ids;			/* zero: deleted */
	size_t alloc;
};

static git_oid *overlay_find(struct overlay *o, const char *path)
{
	size_t i;

	for (i = o->paths.nr; i-- > 0;)
		if (!strcmp(o->paths.items[i], path))
			return &o->ids[i];
	return NULL;
}

static void overlay_set(struct overlay *o, const char *path, const git_oid *id)
{
	git_oid *at = overlay_find(o, path);

	if (!at) {
		if (o->paths.nr == o->alloc) {
			o->alloc = o->alloc ? 2 * o->alloc : 16;
			o->ids = kx_xrealloc(o->ids, o->alloc * sizeof(*o->ids));
		}
		kx_strlist_add(&o->paths, path);
		at = &o->ids[o->paths.nr - 1];
	}
	git_oid_cpy(at, id);
}

/* The blob of path in tree (zero if none). */
static void tree_blob(git_oid *out, git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;

	memset(out, 0, sizeof(*out));
	if (git_tree_entry_bypath(&e, tree, path) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_BLOB)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_error_clear();
	git_tree_entry_free(e);
}

static int blob_input(git_merge_file_input *in, git_blob **b,
		      git_repository *repo, const git_oid *id, const char *path)
{
	git_merge_file_input_init(in, GIT_MERGE_FILE_INPUT_VERSION);
	in->path = path;
	if (git_oid_is_zero(id))
		return 0;
	if (git_blob_lookup(b, repo, id) < 0)
		return kx_git(-1);
	in->ptr = git_blob_rawcontent(*b);
	in->size = (size_t)git_blob_rawsize(*b);
	return 0;
}

/*
 * One file of a commit onto what the tip holds: the three-way merge a
 * cherry-pick makes of it.  Sets *conflict; 0 or a negative KX_E*.
 */
static int apply_file(bool *conflict, struct overlay *o, git_repository *repo,
		      git_tree *tip, const char *path, const git_oid *anc,
		      const git_oid *theirs)
{
	git_oid ours, *at = overlay_find(o, path);
	git_merge_file_input a, b, c;
	git_merge_file_result r;
	git_blob *ab = NULL, *bb = NULL, *cb = NULL;
	int error;

	*conflict = false;
	if (at)
		git_oid_cpy(&ours, at);
	else
		tree_blob(&ours, tip, path);
	if (git_oid_equal(&ours, anc)) {
		overlay_set(o, path, theirs);
		return 0;
	}
	if (git_oid_equal(&ours, theirs))
		return 0;
	/* added or deleted on one side, changed on the other */
	if (git_oid_is_zero(&ours) || git_oid_is_zero(anc) || git_oid_is_zero(theirs)) {
		*conflict = true;
		return 0;
	}
	memset(&r, 0, sizeof(r));
	if ((error = blob_input(&a, &ab, repo, anc, path)) < 0 ||
	    (error = blob_input(&b, &bb, repo, &ours, path)) < 0 ||
	    (error = blob_input(&c, &cb, repo, theirs, path)) < 0 ||
	    (error = kx_git(git_merge_file(&r, &a, &b, &c, NULL))) < 0)
		goto done;
	if (!r.automergeable) {
		*conflict = true;
	} else {
		git_oid id;

		if ((error = kx_git(git_blob_create_from_buffer(&id, repo, r.ptr,
								r.len))) == 0)
			overlay_set(o, path, &id);
	}
done:
	git_merge_file_result_free(&r);
	git_blob_free(ab);
	git_blob_free(bb);
	git_blob_free(cb);
	return error;
}

/* One commit's files onto the tip, through kx_tree_diff()'s callback. */
struct applies {
	struct overlay *o;
	git_repository *repo;
	git_tree *tip;
	bool conflict;
};

static int apply_one(void *data, const char *path, const git_oid *old_id,
		     const git_oid *new_id)
{
	struct applies *a = data;
	git_oid zero = { { 0 } };
	int error;

	error = apply_file(&a->conflict, a->o, a->repo, a->tip, path,
			   old_id ? old_id : &zero, new_id ? new_id : &zero);
	/* the first conflict ends the walk: GIT_EUSER is no error here */
	return error < 0 ? error : a->conflict ? GIT_EUSER : 0;
}

int kx_send_applies(char conflict[41], char tip[41], struct kx_resolved *s,
		    const char *ref)
{
	struct overlay o = { KX_STRLIST_INIT, NULL, 0 };
	struct applies a = { &o, REPO(s), NULL, false };
	git_commit *t = NULL;
	git_oid oid;
	size_t i;
	int error;

	conflict[0] = tip[0] = '\0';
	if ((error = kx_git_resolve_commit(&oid, REPO(s), ref)) < 0)
		return error;
	git_oid_tostr(tip, 41, &oid);
	/* built on that very tip: nothing can have moved under it */
	if (!strcmp(tip, s->prep.range.from))
		return 0;
	if ((error = kx_git(git_commit_lookup(&t, REPO(s), &oid))) < 0 ||
	    (error = kx_git(git_commit_tree(&a.tip, t))) < 0)
		goto done;
	/*
	 * File by file, as a cherry-pick without rename detection merges;
	 * the series model's diffs (kx_tree_diff(), not
	 * git_diff_tree_to_tree(), which reads all 78k entries of a kernel
	 * tree twice for each commit), which check-base has made.
	 */
	for (i = 0; i < s->series.nr && !error && !a.conflict; i++) {
		git_commit *c = NULL, *parent = NULL;
		struct kx_commit_diff *cd;
		size_t k;

		git_oid_fromstr(&oid, s->series.commits[i].id);
		if ((error = kx_git(git_commit_lookup(&c, REPO(s), &oid))) == 0 &&
		    (error = kx_git(git_commit_parent(&parent, c, 0))) == 0 &&
		    (error = kx_commit_diff(&cd, kx_series_diffs(s), REPO(s), c)) == 0) {
			for (k = 0; k < cd->nr && !error; k++)
				error = apply_one(&a, cd->files[k].path,
						  cd->files[k].has_old ? &cd->files[k].old_id : NULL,
						  cd->files[k].has_new ? &cd->files[k].new_id : NULL);
			if (a.conflict) {
				strcpy(conflict, s->series.commits[i].id);
				error = 0;
			}
		}
		git_commit_free(parent);
		git_commit_free(c);
	}
done:
	kx_strlist_release(&o.paths);
	free(o.ids);
	git_tree_free(a.tip);
	git_commit_free(t);
	return error;
}

/* --- delivery's repository side ------------------------------------------ */

int kx_send_smtp_conf(struct kx_smtp_conf *out, struct kx_resolved *s,
		      const char *identity, bool insecure)
{
	git_config *cfg = NULL;
	int error;

	if (git_repository_config_snapshot(&cfg, REPO(s)) < 0) {
		memset(out, 0, sizeof(*out));
		return kx_git(-1);
	}
	error = kx_smtp_conf_resolve(out, kx_config_lookup, cfg, identity,
				     insecure);
	git_config_free(cfg);
	return error;
}

const char *kx_send_git_dir(struct kx_resolved *s)
{
	return git_repository_path(REPO(s));
}

int kx_send_sign_key(struct kx_sign_key **out, struct kx_resolved *s)
{
	git_config *cfg = NULL;
	int error;

	*out = NULL;
	if (git_repository_config_snapshot(&cfg, REPO(s)) < 0)
		return kx_git(-1);
	error = kx_sign_key_load_at(out, kx_config_lookup, cfg,
				    git_repository_workdir(REPO(s)));
	git_config_free(cfg);
	return error;
}

int kx_send_sign(char **out, const char *msg, const struct kx_sign_key *k,
		 const char *identity, long long t)
{
	/* as b4 has patatt sign: patatt.identity, else user.email */
	const char *id = kx_sign_key_identity(k);

	return kx_sign_mail(out, msg, strlen(msg), k, id ? id : identity, t);
}

void kx_send_sign_key_free(struct kx_sign_key *k)
{
	kx_sign_key_free(k);
}

char *kx_send_lore_link(struct kx_resolved *s, const char *msgid)
{
	struct kx_lore_config lc;
	git_config *cfg = NULL;
	char *link, *url;

	memset(&lc, 0, sizeof(lc));
	if (git_repository_config_snapshot(&cfg, REPO(s)) == 0)
		kx_config_lore(&lc, cfg);
	git_error_clear();
	kx_error_clear();
	/* the cover letter's lore_url(): the link and a '/' */
	link = kx_lore_link(lc.link_url ? lc.link_url : KX_LORE_DEFAULT_URL, msgid);
	url = kx_xasprintf("%s/", link);
	free(link);
	kx_lore_config_release(&lc);
	git_config_free(cfg);
	return url;
}

void kx_send_hash(char out[41], const char *text)
{
	git_oid oid;

	git_odb_hash(&oid, text, strlen(text), GIT_OBJECT_BLOB);
	git_oid_tostr(out, 41, &oid);
}

int kx_send_tag(bool *existed, struct kx_resolved *s, const char *name,
		const char *tip, const char *message)
{
	char *ref = kx_xasprintf("refs/tags/%s", name);
	git_buf clean = GIT_BUF_INIT;
	git_object *target = NULL, *old = NULL;
	git_signature *me = NULL;
	git_oid oid;
	int error;

	*existed = false;
	if (git_revparse_single(&old, REPO(s), ref) == 0) {
		*existed = true;
		error = 0;
		goto done;
	}
	git_error_clear();
	if (git_oid_fromstr(&oid, tip) < 0) {
		error = kx_error_set(KX_EINVALID, "'%s' is not a commit id", tip);
		goto done;
	}
	/* git tag -a -F: the default cleanup ("strip") */
	if ((error = kx_git(git_message_prettify(&clean, message, 1, '#'))) < 0 ||
	    (error = kx_git(git_object_lookup(&target, REPO(s), &oid,
					      GIT_OBJECT_COMMIT))) < 0)
		goto done;
	if (git_signature_default(&me, REPO(s)) < 0) {
		git_error_clear();
		error = kx_error_set(KX_EINVALID, "cannot tag %s: no tagger (user.name and user.email)",
				     name);
		kx_error_hint("git config user.name 'Your Name'; git config user.email you@example.org");
		goto done;
	}
	error = kx_git(git_tag_create(&oid, REPO(s), name, target, me, clean.ptr, 0));
done:
	git_signature_free(me);
	git_object_free(target);
	git_object_free(old);
	git_buf_dispose(&clean);
	free(ref);
	return error;
}

int kx_send_read_tag(char **message, char tip[41], struct kx_resolved *s,
		     const char *name)
{
	char *ref = kx_xasprintf("refs/tags/%s", name);
	git_object *obj = NULL, *peeled = NULL;
	int error = 0;

	*message = NULL;
	tip[0] = '\0';
	if (git_revparse_single(&obj, REPO(s), ref) < 0) {
		git_error_clear();
		error = kx_error_set(KX_ENOTFOUND, "there is no tag %s", name);
		goto done;
	}
	if (git_object_type(obj) != GIT_OBJECT_TAG) {
		error = kx_error_set(KX_EINVALID, "%s is not an annotated tag: it holds no cover letter",
				     name);
		goto done;
	}
	if ((error = kx_git(git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT))) < 0)
		goto done;
	git_oid_tostr(tip, 41, git_object_id(peeled));
	*message = kx_xstrdup(git_tag_message((git_tag *)obj) ?
			      git_tag_message((git_tag *)obj) : "");
done:
	git_object_free(peeled);
	git_object_free(obj);
	free(ref);
	return error;
}
