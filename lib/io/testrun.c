// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmx86 test, the repository side.  Each job owns a worktree under
 * <common-dir>/kvmx86/worktrees/<label>/<job>, moved from commit to commit
 * with git checkout (which rewrites only the files that differ and leaves
 * build products alone, so builds stay incremental; libgit2 1.5's checkout
 * compares all 78k files of a kernel tree and is slower).  Logs go to
 * <common-dir>/kvmx86/logs/<label>/<commit>.log.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <jansson.h>

#include "io.h"
#include "kvmx86/checkbase.h"
#include "kvmx86/error.h"
#include "kvmx86/resolve.h"
#include "kvmx86/run.h"
#include "kvmx86/file.h"
#include "kvmx86/state.h"
#include "kvmx86/testrecords.h"
#include "kvmx86/check.h"
#include "kvmx86/testrun.h"
#include "kvmx86/util.h"

#define PREP(r) (&(r)->series->prep)
#define REPO(r) ((git_repository *)PREP(r)->repo)

extern char **environ;

const char *kx_test_status_name(enum kx_test_status s)
{
	switch (s) {
	case KX_TEST_PASS:
		return "pass";
	case KX_TEST_FAIL:
		return "fail";
	case KX_TEST_ERROR:
		return "error";
	case KX_TEST_SKIPPED:
		break;
	}
	return "skipped";
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

char *kx_test_label(const char *branch)
{
	git_oid id;

	/* the name's own hash: "x86/a-b" and "x86-a/b" have two labels */
	if (git_odb_hash(&id, branch, strlen(branch), GIT_OBJECT_BLOB) < 0)
		memset(&id, 0, sizeof(id));
	return kx_test_label_of(branch, git_oid_tostr_s(&id));
}

/* Reads the pid a lock file names, or 0. */
static long lock_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}


/* The pid of a live kvmx86 test holding a lock of dir, or 0. */
static long busy_in(const char *dir)
{
	struct dirent *e;
	long pid = 0;
	DIR *d;

	if (!(d = opendir(dir)))
		return 0;
	while (!pid && (e = readdir(d))) {
		char *path;
		int fd;

		if (!kx_ends_with(e->d_name, ".lock"))
			continue;
		path = kx_xasprintf("%s/%s", dir, e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		free(path);
		if (fd < 0)
			continue;
		/* held, by a kvmx86 that is still there */
		if (flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK) {
			long holder = lock_pid(fd);

			if (holder > 0 && (kill((pid_t)holder, 0) == 0 || errno == EPERM))
				pid = holder;
		}
		close(fd);
	}
	closedir(d);
	return pid;
}

/* The directory of branch's worktrees under commondir (caller frees). */
static char *worktrees_dir(const char *commondir, const char *branch)
{
	char *label = kx_test_label(branch);
	char *dir = kx_xasprintf("%skvmx86/worktrees/%s", commondir, label);

	free(label);
	return dir;
}

bool kx_test_has_worktrees(const char *commondir, const char *branch)
{
	char *dir = worktrees_dir(commondir, branch);
	bool yes = access(dir, F_OK) == 0;

	free(dir);
	return yes;
}

int kx_test_worktrees_busy(const char *commondir, const char *branch)
{
	char *dir = worktrees_dir(commondir, branch);
	long pid = busy_in(dir);
	int error = 0;

	if (pid) {
		error = kx_error_set(KX_EINVALID,
				     "kvmx86 test (pid %ld) is running on %s in %s",
				     pid, branch, dir);
		kx_error_hint("wait for it to finish, or stop it, then run this again");
	}
	free(dir);
	return error;
}

/* Removes the worktrees under dir, then dir (when empty). */
static void remove_worktrees_in(const char *commondir, const char *dir)
{
	char *gitdir_arg = kx_xasprintf("--git-dir=%s", commondir);
	struct dirent *e;
	DIR *d;

	if ((d = opendir(dir))) {
		while ((e = readdir(d))) {
			char *wt, *out = NULL;
			int status;

			if (e->d_name[0] == '.')
				continue;
			wt = kx_xasprintf("%s/%s", dir, e->d_name);
			if (kx_ends_with(e->d_name, ".lock")) {
				unlink(wt);
			} else {
				const char *argv[] = { "git", gitdir_arg, "worktree",
						       "remove", "--force", "--force",
						       wt, NULL };

				if (kx_run(argv, NULL, &out, &status) < 0)
					kx_error_clear();
			}
			free(out);
			free(wt);
		}
		closedir(d);
		rmdir(dir);
	}
	free(gitdir_arg);
}

void kx_test_remove_worktrees(const char *commondir, const char *branch)
{
	char *old = kx_state_file_name(branch);
	char *dir = worktrees_dir(commondir, branch);

	remove_worktrees_in(commondir, dir);
	free(dir);
	/* an older kvmx86's, named as the state file is */
	old[strlen(old) - strlen(".json")] = '\0';
	dir = kx_xasprintf("%skvmx86/worktrees/%s", commondir, old);
	remove_worktrees_in(commondir, dir);
	free(dir);
	free(old);
}

/* Reads kvmx86.buildCommand, kvmx86.distccHosts and kvmx86.icecc. */
static int read_config(struct kx_test_run *r)
{
	git_config *cfg = NULL;
	char *text = NULL;
	int error;

	if ((error = kx_git(git_repository_config_snapshot(&cfg, REPO(r)))) < 0)
		return error;
	if (kx_config_string(&text, cfg, "kvmx86.buildCommand") == 0) {
		struct kx_strlist words = KX_STRLIST_INIT;

		if (kx_split_words(&words, text) < 0 || !words.nr) {
			error = kx_error_set(KX_EINVALID, "kvmx86.buildCommand is not a command: '%s'",
					     text);
			kx_error_hint("give it as words, with '...' or \"...\" quoting: git config kvmx86.buildCommand 'make -j8'");
			kx_strlist_release(&words);
			goto done;
		}
		r->build_command = (char **)kx_strlist_argv(&words);
		/* the argv owns the words now */
		free(words.items);
	}
	kx_error_clear();
	free(text);
	text = NULL;
	if (kx_config_string(&r->distcc_hosts, cfg, "kvmx86.distccHosts") < 0) {
		kx_error_clear();
		if (getenv("DISTCC_HOSTS") && *getenv("DISTCC_HOSTS"))
			r->distcc_hosts = kx_xstrdup(getenv("DISTCC_HOSTS"));
	}
	if ((error = kx_config_bool(&r->icecc, cfg, "kvmx86.icecc")) < 0) {
		kx_error_hint("set it to true or false: git config kvmx86.icecc true");
		goto done;
	}
	if (r->distcc_hosts && r->icecc) {
		error = kx_error_set(KX_EINVALID, "both kvmx86.distccHosts (or DISTCC_HOSTS) and kvmx86.icecc are set");
		kx_error_hint("spread the builds with one of them: git config --unset kvmx86.icecc, or unset DISTCC_HOSTS");
		goto done;
	}
	if (r->distcc_hosts) {
		int slots = kx_distcc_slots(r->distcc_hosts, &r->hosts);

		if (slots < 0) {
			error = kx_error_set(KX_EINVALID, "kvmx86.distccHosts (or DISTCC_HOSTS) names no host: '%s'",
					     r->distcc_hosts);
			kx_error_hint("list the hosts as distcc takes them, e.g. 'host1/8 host2/8' (not 'localhost' alone)");
			goto done;
		}
		r->slots = (unsigned)slots;
	}
done:
	free(text);
	git_config_free(cfg);
	return error;
}

int kx_test_open(struct kx_test_run *r, struct kx_resolved *s)
{
	size_t i;
	int error;

	memset(r, 0, sizeof(*r));
	r->series = s;
	r->jobs = 1;
	if (!s->series.nr) {
		kx_error_set(KX_EINVALID, "the series is empty: nothing to test");
		kx_error_hint("give a range: kvmx86 test <base>..<tip> -- <command>");
		return KX_EINVALID;
	}
	/*
	 * A branch keeps its worktrees (and their builds), enrolled or not,
	 * so that two branches' runs never share one; a tip that no branch
	 * names (a commit id, a tag) gets "range".
	 */
	r->enrolled = s->prep.has_state && !s->prep.branch_gone;
	r->label = s->prep.branch && !s->prep.branch_gone ?
		   kx_test_label(s->prep.branch) : kx_xstrdup("range");
	r->commits = kx_xcalloc(s->series.nr, sizeof(*r->commits));
	r->nr = s->series.nr;
	for (i = 0; i < s->series.nr; i++) {
		git_commit *c = NULL;
		git_oid id;

		memcpy(r->commits[i].id, s->series.commits[i].id,
		       sizeof(r->commits[i].id));
		r->commits[i].subject = kx_xstrdup(s->series.commits[i].subject);
		if ((error = kx_git(git_oid_fromstr(&id, r->commits[i].id))) < 0 ||
		    (error = kx_git(git_commit_lookup(&c, REPO(r), &id))) < 0)
			return error;
		git_oid_tostr(r->commits[i].tree, sizeof(r->commits[i].tree),
			      git_commit_tree_id(c));
		git_commit_free(c);
	}
	memcpy(r->base, s->prep.range.base, sizeof(r->base));
	if ((error = read_config(r)) < 0)
		return error;
	return kx_test_store_load(&r->store, PREP(r)->commondir, REPO(r));
}

/* --- recorded results (testrecords.h) --- */

static char *command_text(const char *const *argv)
{
	return kx_test_command_text(argv);
}

/* The key of step s at commit t. */
static void key_of(struct kx_test_result *key, const struct kx_test_run *r,
		   const struct kx_test_commit *t,
		   const struct kx_test_stepdef *s)
{
	memset(key, 0, sizeof(*key));
	key->tree = t->tree;
	key->commit = t->id;
	key->kind = s->kind;
	key->command = s->record;
	key->config = s->config ? s->config->name : NULL;
	key->config_hash = s->config_hash;
	key->compiler = r->compiler;
	key->build = s->build;
}

static int record(struct kx_test_run *r, const struct kx_test_commit *t,
		  size_t step)
{
	const struct kx_test_step *st = &t->steps[step];
	struct kx_test_result res;

	/* an error is kvmx86's or the tree's setup, not a result of the test */
	if (st->status != KX_TEST_PASS && st->status != KX_TEST_FAIL)
		return 0;
	if (st->recorded)
		return 0;
	key_of(&res, r, t, &r->steps[step]);
	res.pass = st->status == KX_TEST_PASS;
	res.exit_status = st->exit_status;
	res.seconds = st->seconds;
	res.log = t->log;
	res.options = st->options;
	res.dotconfig = *st->dotconfig ? st->dotconfig : NULL;
	if (r->distcc_hosts || r->icecc) {
		res.via = r->icecc ? "icecc" : "distcc";
		res.jobs = st->jobs;
		res.remote_jobs = st->remote_jobs;
		res.hosts = r->hosts;
	}
	return kx_test_store_put(&r->store, &res);
}

int kx_test_forget(struct kx_test_run *r, bool all, size_t *forgotten)
{
	const char **trees = kx_xcalloc(r->nr + 1, sizeof(*trees));
	size_t i;
	int error;

	for (i = 0; i < r->nr; i++)
		trees[i] = r->commits[i].tree;
	error = kx_test_store_forget(&r->store, all ? NULL : trees, r->nr,
				     forgotten);
	free(trees);
	return error;
}

/* --- worktrees --- */

/* Runs git with its output in the log fd; *why says what failed. */
static int git_logged(const char *const argv[], int fd, const char *what,
		      char **why)
{
	int status, error = kx_run_fd(argv, NULL, fd, &status);

	if (!error && status) {
		*why = kx_xasprintf("%s failed (exit %d)", what, status);
		error = KX_ERROR;
	}
	return error;
}

/* Removes path and all below it, not following links. */
static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/*
 * Whether wt is a worktree of this repository as git knows it: its .git
 * names an administrative directory under commondir that exists.  A
 * repository moved since, or a copy of its .git, leaves worktrees whose
 * git commands fail, and build products naming the old paths.
 */
static bool worktree_ours(const char *wt, const char *commondir)
{
	char *dotgit = kx_xasprintf("%s/.git", wt), *text = kx_read_file(dotgit);
	char *admin = NULL, *common = realpath(commondir, NULL);
	bool ours = false;

	if (text && kx_starts_with(text, "gitdir: ")) {
		char *up;

		text[strcspn(text, "\n")] = '\0';
		/* <common>/worktrees/<id>, as git wrote it: compare real paths */
		up = kx_xasprintf("%s/../..", text + strlen("gitdir: "));
		admin = realpath(up, NULL);
		free(up);
		up = kx_xasprintf("%s/HEAD", text + strlen("gitdir: "));
		ours = admin && common && !strcmp(admin, common) &&
		       access(up, F_OK) == 0;
		free(up);
	}
	free(admin);
	free(common);
	free(text);
	free(dotgit);
	return ours;
}

/* Puts the job's worktree at commit id, creating it the first time. */
static int move_worktree(struct kx_test_run *r, const char *wt, const char *id,
			 int fd, char **why)
{
	char *gitdir_arg = kx_xasprintf("--git-dir=%s", PREP(r)->commondir);
	char *dotgit = kx_xasprintf("%s/.git", wt);
	struct stat st;
	int error;

	if (stat(dotgit, &st) == 0 && !worktree_ours(wt, PREP(r)->commondir)) {
		dprintf(fd, "# kvmx86 test: %s is no worktree of %s any more (the repository moved?): made anew\n",
			wt, PREP(r)->commondir);
		nftw(wt, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	}
	/*
	 * Every file of the commit, whatever the user's sparse checkout (git
	 * copies it into a new worktree), and none of the user's hooks: a
	 * post-checkout hook would run, and could fail, at every commit.
	 */
	if (stat(dotgit, &st) == 0) {
		const char *argv[] = { "git", "-C", wt, "-c", "core.hooksPath=/dev/null",
				       "-c", "core.sparseCheckout=false", "checkout",
				       "--detach", "--force", "--quiet", id, NULL };

		error = git_logged(argv, fd, "git checkout", why);
	} else {
		const char *prune[] = { "git", gitdir_arg, "worktree", "prune", NULL };
		const char *add[] = { "git", gitdir_arg, "-c", "core.hooksPath=/dev/null",
				      "-c", "core.sparseCheckout=false", "worktree",
				      "add", "--detach", "--force", "--quiet", wt, id,
				      NULL };
		char *ignored = NULL;

		/* kvmx86's own directory, whose .git is gone: git would not add there */
		if (stat(wt, &st) == 0) {
			dprintf(fd, "# kvmx86 test: %s has no .git (damaged?): made anew\n", wt);
			nftw(wt, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		}
		/* a worktree deleted behind git's back is still registered */
		git_logged(prune, fd, "git worktree prune", &ignored);
		free(ignored);
		error = git_logged(add, fd, "git worktree add", why);
	}
	free(dotgit);
	free(gitdir_arg);
	return error;
}

/* --- the kernel configurations --- */

/*
 * Configuration c's build directory, relative to the worktree: right below
 * the source tree, where kbuild names the sources "..", never by their
 * absolute path (which holds the branch's %-escaped name, a pattern
 * character to make).  git checkout leaves it alone; git worktree remove
 * removes it with the worktree.
 */
static char *build_dir(const struct kx_kernel_config *c)
{
	return kx_xasprintf(".kvmx86-%s", c->name);
}

/* Terminates l's items with NULL, for an argv. */
static const char *const *argv_of(struct kx_strlist *l)
{
	kx_grow((void **)&l->items, &l->alloc, l->nr, sizeof(*l->items));
	l->items[l->nr] = NULL;
	return (const char *const *)l->items;
}

/* Appends "make <flag> O=<dir> [ARCH=...]" for configuration c. */
static void make_argv(struct kx_strlist *argv, const struct kx_kernel_config *c,
		      const char *flag)
{
	char *dir = build_dir(c);

	kx_strlist_add(argv, "make");
	kx_strlist_add(argv, flag);
	kx_strlist_addf(argv, "O=%s", dir);
	if (c->arch)
		kx_strlist_addf(argv, "ARCH=%s", c->arch);
	free(dir);
}

/* Runs argv in wt, said in the log first; *why says what failed. */
static int run_logged(struct kx_strlist *argv, const char *wt, int fd,
		      char **why)
{
	char *text = command_text(argv_of(argv));
	int status, error;

	dprintf(fd, "# kvmx86 test --kernel: %s\n", text);
	error = kx_run_fd(argv_of(argv), wt, fd, &status);
	if (!error && status) {
		*why = kx_xasprintf("%s failed (exit %d)", text, status);
		error = KX_ERROR;
	}
	free(text);
	kx_strlist_release(argv);
	return error;
}

/*
 * Configures c's build directory as the handbook asks (its defconfig the
 * first time, the options, olddefconfig at every commit since Kconfig
 * changes with the tree) and checks its .config; *why says what went
 * wrong.
 */
static int configure_kernel(const char *wt, const struct kx_kernel_config *c,
			    int fd, char **why, struct kx_test_step *st)
{
	struct kx_strlist argv = KX_STRLIST_INIT;
	char *dir = build_dir(c);
	char *path = kx_xasprintf("%s/%s/.config", wt, dir);
	char *config = NULL, *bad = NULL;
	int error = 0;

	if (access(path, F_OK)) {
		make_argv(&argv, c, "-s");
		kx_strlist_add(&argv, c->defconfig);
		error = run_logged(&argv, wt, fd, why);
	}
	if (!error) {
		kx_strlist_add(&argv, "scripts/config");
		kx_strlist_add(&argv, "--file");
		kx_strlist_addf(&argv, "%s/.config", dir);
		kx_kernel_config_args(&argv, c);
		error = run_logged(&argv, wt, fd, why);
	}
	if (!error) {
		make_argv(&argv, c, "-s");
		kx_strlist_add(&argv, "olddefconfig");
		error = run_logged(&argv, wt, fd, why);
	}
	if (!error) {
		config = kx_read_file(path);
		bad = config ? kx_kernel_config_check(c, config) :
			       kx_xasprintf("there is no %s/.config", dir);
	}
	if (config && st) {
		git_oid id;

		/* what the statement may claim, and which .config it was */
		free(st->options);
		st->options = kx_kernel_config_shown(c, config);
		if (git_odb_hash(&id, config, strlen(config), GIT_OBJECT_BLOB) == 0)
			git_oid_tostr(st->dotconfig, sizeof(st->dotconfig), &id);
	}
	if (bad) {
		dprintf(fd, "# kvmx86 test --kernel: %s did not stick: %s\n",
			c->name, bad);
		if (c == &kx_kernel_configs[0])
			*why = kx_xasprintf("the kernel preset did not stick (%s): the options' dependencies differ in this tree",
					    bad);
		else
			*why = kx_xasprintf("the configuration '%s' (%s) did not stick (%s): the options' dependencies differ in this tree",
					    c->name, c->label, bad);
		error = KX_ERROR;
	}
	if (error && !*why) {
		*why = kx_xstrdup(kx_error_last());
		kx_error_clear();
	}
	free(config);
	free(bad);
	free(path);
	free(dir);
	return error;
}

/*
 * <build dir>/kvmx86-vmlinux names the commit whose code vmlinux.o holds:
 * the base's id after the base's build (and after a commit that changed
 * nothing vmlinux holds), "unknown" after a failed full build.
 */
static char *stamp_path(const char *wt, const struct kx_kernel_config *c)
{
	char *dir = build_dir(c), *path;

	path = kx_xasprintf("%s/%s/kvmx86-vmlinux", wt, dir);
	free(dir);
	return path;
}

/* The stamp's commit, or NULL if the directory has no full build yet. */
static char *read_stamp(const char *wt, const struct kx_kernel_config *c)
{
	char *path = stamp_path(wt, c), *text = kx_read_file(path);

	free(path);
	if (text)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

static void write_stamp(const char *wt, const struct kx_kernel_config *c,
			const char *id)
{
	char *path = stamp_path(wt, c);
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%s\n", id);
		fclose(f);
	}
	free(path);
}

/*
 * kbuild refuses make O= while the source tree holds a build of its own
 * (a .config, include/config/, arch/x86/include/generated/: an older
 * kvmx86's, a --selftests command's make headers).  make mrproper cleans
 * it, and its find of objects empties the build directories below the
 * worktree too: their stamps go with them, so the next build starts over
 * at the base.
 */
static int clean_source_tree(const char *wt, int fd, char **why)
{
	static const char *const marks[] = {
		".config", "include/config", "arch/x86/include/generated",
	};
	struct kx_strlist argv = KX_STRLIST_INIT;
	bool built = false;
	size_t i;
	int error;

	for (i = 0; i < ARRAY_SIZE(marks) && !built; i++) {
		char *path = kx_xasprintf("%s/%s", wt, marks[i]);

		built = !access(path, F_OK);
		free(path);
	}
	if (!built)
		return 0;
	kx_strlist_add(&argv, "make");
	kx_strlist_add(&argv, "-s");
	kx_strlist_add(&argv, "mrproper");
	error = run_logged(&argv, wt, fd, why);
	for (i = 0; i < kx_kernel_configs_nr; i++) {
		char *path = stamp_path(wt, &kx_kernel_configs[i]);

		unlink(path);
		free(path);
	}
	return error;
}

/*
 * Marks the commits by which the series changed code vmlinux holds: KVM's
 * modules linked against the base's vmlinux.o would prove nothing there,
 * so vmlinux is built again at those commits.
 */
static int diff_builtin(void *data, const char *path, const git_oid *old_id,
			const git_oid *new_id)
{
	(void)old_id;
	(void)new_id;
	*(bool *)data |= kx_kernel_path_builtin(path);
	return 0;
}

static int mark_vmlinux(struct kx_test_run *r)
{
	bool builtin = false;
	size_t i;
	int error = 0;

	for (i = 0; i < r->nr && !error; i++) {
		git_commit *c = NULL, *parent = NULL;
		git_tree *tree = NULL, *old = NULL;
		git_oid id;

		git_oid_fromstr(&id, r->commits[i].id);
		if ((error = kx_git(git_commit_lookup(&c, REPO(r), &id))) < 0 ||
		    (error = kx_git(git_commit_tree(&tree, c))) < 0)
			goto next;
		if (git_commit_parentcount(c) &&
		    ((error = kx_git(git_commit_parent(&parent, c, 0))) < 0 ||
		     (error = kx_git(git_commit_tree(&old, parent))) < 0))
			goto next;
		if (!builtin)
			error = kx_tree_diff(REPO(r), old, tree, diff_builtin,
					     &builtin);
		r->commits[i].vmlinux = builtin;
next:
		git_tree_free(old);
		git_tree_free(tree);
		git_commit_free(parent);
		git_commit_free(c);
	}
	return error;
}

/* --- the run --- */

struct job {
	pid_t pid;		/* 0: free */
	size_t index;		/* the commit it tests */
	size_t step;		/* the step running, or the first to run */
	bool priming;		/* what runs: the base's build of step prime */
	size_t prime;
	bool primed;		/* the base's builds were done or tried */
	char *base_error[KX_TEST_STEPS_MAX];	/* why step k's base failed */
	bool full;		/* the step runs make vmlinux modules */
	time_t checkout;	/* when the commit was checked out */
	double start;
	char *worktree;
	int lock;		/* the worktree's lock, held (flock) */
};

/* Sets t's overall result from its steps. */
static void summarize(struct kx_test_run *r, struct kx_test_commit *t)
{
	size_t k;

	t->status = KX_TEST_PASS;
	t->seconds = 0;
	t->recorded = true;
	t->step = -1;
	for (k = 0; k < r->steps_nr; k++) {
		const struct kx_test_step *st = &t->steps[k];

		t->seconds += st->seconds;
		t->recorded &= st->recorded;
		if (st->status != KX_TEST_PASS) {
			t->status = st->status;
			t->exit_status = st->exit_status;
			t->step = (long)k;
			break;
		}
	}
}

/* Fills the steps recorded earlier; returns the first step to run. */
static size_t recorded_steps(struct kx_test_run *r, struct kx_test_commit *t)
{
	size_t k;

	for (k = 0; k < r->steps_nr && !r->rerun; k++) {
		struct kx_test_result key, rec;
		struct kx_test_step *st = &t->steps[k];

		key_of(&key, r, t, &r->steps[k]);
		if (!kx_test_store_find(&r->store, &key, &rec))
			break;
		st->recorded = true;
		st->status = rec.pass ? KX_TEST_PASS : KX_TEST_FAIL;
		st->seconds = rec.seconds;
		st->exit_status = rec.exit_status;
		free(st->options);
		st->options = rec.options ? kx_xstrdup(rec.options) : NULL;
		if (rec.log && !t->log)
			t->log = kx_xstrdup(rec.log);
		if (st->status == KX_TEST_FAIL)
			return r->steps_nr;	/* the commit failed already */
	}
	return k;
}

/* Step k of t could not run: an error, recorded. */
static int step_error(struct kx_test_run *r, struct kx_test_commit *t,
		      size_t k, char *why)
{
	t->steps[k].status = KX_TEST_ERROR;
	free(t->error);
	t->error = why && t->log ? kx_xasprintf("%s; see %s", why, t->log) :
		   why ? kx_xstrdup(why) : kx_xstrdup(kx_error_last());
	free(why);
	kx_error_clear();
	return record(r, t, k);
}

/* The environment of a command of one's own built in configuration c. */
static void command_env(struct kx_strlist *env, const char *wt,
			const struct kx_kernel_config *c)
{
	char *dir = build_dir(c);
	size_t i;

	/* kbuild takes O= and ARCH= from the environment too */
	for (i = 0; environ[i]; i++)
		if (!kx_starts_with(environ[i], "KBUILD_OUTPUT=") &&
		    !kx_starts_with(environ[i], "ARCH=") &&
		    kx_run_env_keeps(environ[i]))
			kx_strlist_add(env, environ[i]);
	kx_strlist_addf(env, "KBUILD_OUTPUT=%s/%s", wt, dir);
	if (c->arch)
		kx_strlist_addf(env, "ARCH=%s", c->arch);
	free(dir);
}

/* Spawns argv in the job's worktree, output to fd; 0 or an errno. */
static int spawn(struct job *j, const char *const *argv,
		 const char *const *envp, int fd)
{
	j->start = now();
	return kx_run_spawn(&j->pid, argv, j->worktree, envp, fd);
}

/* --- builds spread over distcc or icecream --- */

/*
 * The compiler the kernel preset's make gets: the caller's CC (gcc by
 * default) behind distcc or icecc, or as it is when it is ccache, which
 * then hands its misses on (CCACHE_PREFIX, dist_env()).
 */
static char *dist_cc(const struct kx_test_run *r)
{
	const char *cc = getenv("CC");

	if (!cc || !*cc)
		cc = "gcc";
	if (kx_starts_with(cc, "ccache ") || !strcmp(cc, "ccache"))
		return kx_xstrdup(cc);
	return kx_xasprintf("%s %s", r->icecc ? "icecc" : "distcc", cc);
}

/* Where the job's distcc or icecc client says what it did. */
static char *dist_log(const struct kx_test_commit *t)
{
	return kx_xasprintf("%s.dist", t->log);
}

/*
 * The environment of the kernel preset's build over distcc or icecc: the
 * hosts, the client's log (dist_log()) of each compile job, so that the
 * summary says where they ran, and ccache's prefix.
 */
static void dist_env(struct kx_strlist *env, const struct kx_test_run *r,
		     const struct kx_test_commit *t)
{
	const char *cc = getenv("CC");
	char *log = dist_log(t);
	size_t i;

	for (i = 0; environ[i]; i++)
		if (kx_run_env_keeps(environ[i]) &&
		    !kx_starts_with(environ[i], "DISTCC_HOSTS=") &&
		    !kx_starts_with(environ[i], "DISTCC_LOG=") &&
		    !kx_starts_with(environ[i], "DISTCC_VERBOSE=") &&
		    !kx_starts_with(environ[i], "ICECC_LOGFILE=") &&
		    !kx_starts_with(environ[i], "ICECC_DEBUG="))
			kx_strlist_add(env, environ[i]);
	unlink(log);
	if (r->icecc) {
		kx_strlist_addf(env, "ICECC_LOGFILE=%s", log);
		kx_strlist_add(env, "ICECC_DEBUG=debug");
	} else {
		kx_strlist_addf(env, "DISTCC_HOSTS=%s", r->distcc_hosts);
		kx_strlist_addf(env, "DISTCC_LOG=%s", log);
		kx_strlist_add(env, "DISTCC_VERBOSE=1");
	}
	if (cc && kx_starts_with(cc, "ccache"))
		kx_strlist_addf(env, "CCACHE_PREFIX=%s",
				r->icecc ? "icecc" : "distcc");
	free(log);
}

/*
 * Counts the compile jobs the client's log names, and those that ran on
 * another host, then removes the log (a kernel's is megabytes).
 */
static void dist_count(const struct kx_test_run *r,
		       const struct kx_test_commit *t, struct kx_test_step *st)
{
	char *log = dist_log(t), *text = kx_read_file(log);
	unsigned long local = 0;
	const char *p;

	st->jobs = st->remote_jobs = 0;
	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "") {
		size_t len = strcspn(p, "\n");
		char *line = kx_xstrndup(p, len);

		if (r->icecc) {
			/* one "preparing", then "building myself" if it stays */
			if (strstr(line, ": preparing ") &&
			    strstr(line, " to be compiled for "))
				st->jobs++;
			if (strstr(line, ": building myself"))
				local++;
		} else {
			if (strstr(line, "] compile from "))
				st->jobs++;
			if (strstr(line, " compiled on ") &&
			    !strstr(line, " compiled on localhost "))
				st->remote_jobs++;
		}
		free(line);
	}
	if (r->icecc)	/* what did not stay */
		st->remote_jobs = local < st->jobs ? st->jobs - local : 0;
	free(text);
	unlink(log);
	free(log);
}

/* Appends --kernel's own build of step s at commit t to argv. */
static void own_build(struct kx_test_run *r, struct job *j,
		      const struct kx_test_stepdef *s,
		      const struct kx_test_commit *t, struct kx_strlist *argv)
{
	char *jobs = kx_xasprintf("-j%u", r->make_jobs ? r->make_jobs : 1);
	char *stamp = NULL, *dir, *path, *config;

	make_argv(argv, s->config, jobs);
	free(jobs);
	if (r->distcc_hosts || r->icecc) {
		char *cc = dist_cc(r);

		/* make's own variables: kbuild ignores CC from the environment */
		kx_strlist_addf(argv, "CC=%s", cc);
		kx_strlist_add(argv, "HOSTCC=gcc");	/* host tools: here */
		free(cc);
	}
	j->full = false;
	if (s->build == KX_BUILD_COMPILED) {
		kx_strlist_add(argv, "arch/x86/kvm/");
		return;
	}
	/*
	 * vmlinux again where the series changed its code, or where the
	 * directory's vmlinux.o holds something else than the base's
	 */
	stamp = t ? read_stamp(j->worktree, s->config) : NULL;
	j->full = !t || t->vmlinux || !stamp || strcmp(stamp, r->base);
	free(stamp);
	if (j->full) {
		/*
		 * Until make says it built, vmlinux.o holds nobody's code: a
		 * run killed meanwhile must not take it for the base's.
		 */
		write_stamp(j->worktree, s->config, "unknown");
		kx_strlist_add(argv, "vmlinux");
		kx_strlist_add(argv, "modules");
		return;
	}
	dir = build_dir(s->config);
	path = kx_xasprintf("%s/%s/.config", j->worktree, dir);
	config = kx_read_file(path);
	kx_kernel_module_targets(argv, config);
	free(config);
	free(path);
	free(dir);
}

/* Removes the modules so that only this commit's build can leave them. */
static void remove_modules(const char *wt, const struct kx_kernel_config *c)
{
	char *dir = build_dir(c);
	size_t m;

	for (m = 0; m < kx_kvm_modules_nr; m++) {
		char *path = kx_xasprintf("%s/%s/arch/x86/kvm/%s", wt, dir,
					  kx_kvm_modules[m]);

		unlink(path);
		free(path);
	}
	free(dir);
}

/*
 * Starts step k of the job's commit: configures the kernel first if the
 * step builds one.  Returns 0 with j->pid set, or 0 with the step an
 * error (recorded), or a negative KX_E* of kvmx86's own.
 */
static int start_step(struct kx_test_run *r, struct job *j, size_t k)
{
	struct kx_test_commit *t = &r->commits[j->index];
	const struct kx_test_stepdef *s = &r->steps[k];
	struct kx_strlist argv = KX_STRLIST_INIT, env = KX_STRLIST_INIT;
	char *why = NULL, *text;
	int fd, err, error = 0;
	size_t i;

	j->step = k;
	j->pid = 0;
	fd = open(t->log, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (s->config && j->base_error[k]) {
		why = kx_xstrdup(j->base_error[k]);
		goto done;
	}
	if (s->config && configure_kernel(j->worktree, s->config, fd, &why,
					  &t->steps[k]) < 0)
		goto done;
	if (!s->argv) {
		own_build(r, j, s, t, &argv);
		if (s->build == KX_BUILD_LINKED)
			remove_modules(j->worktree, s->config);
		if (r->distcc_hosts || r->icecc)
			dist_env(&env, r, t);
	} else {
		for (i = 0; s->argv[i]; i++)
			kx_strlist_add(&argv, s->argv[i]);
		if (s->config)
			command_env(&env, j->worktree, s->config);
	}
	text = command_text(argv_of(&argv));
	dprintf(fd, "# kvmx86 test: %s%s%s: %s\n", s->kind,
		s->config ? " " : "", s->config ? s->config->name : "", text);
	free(text);
	if ((err = spawn(j, argv_of(&argv), env.nr ? argv_of(&env) : NULL, fd)))
		why = kx_xasprintf("cannot run %s: %s", argv.items[0],
				   strerror(err));
done:
	if (fd >= 0)
		close(fd);
	if (why)
		error = step_error(r, t, k, why);
	kx_strlist_release(&env);
	kx_strlist_release(&argv);
	return error;
}

/*
 * Starts the next build of the base the job still needs: each linked
 * configuration's build directory gets one full build at the base, so
 * that each commit after it only builds the modules again.  Returns true
 * if one runs.
 */
static bool prime_next(struct kx_test_run *r, struct job *j)
{
	struct kx_test_commit *t = &r->commits[j->index];

	for (; j->prime < r->steps_nr; j->prime++) {
		const struct kx_test_stepdef *s = &r->steps[j->prime];
		struct kx_strlist argv = KX_STRLIST_INIT;
		char *stamp, *why = NULL, *text;
		int fd, error;

		if (s->argv || s->build != KX_BUILD_LINKED)
			continue;
		if ((stamp = read_stamp(j->worktree, s->config))) {
			free(stamp);	/* built once: incremental from here */
			continue;
		}
		fd = open(t->log, O_WRONLY | O_APPEND | O_CLOEXEC);
		dprintf(fd, "# kvmx86 test --kernel: configuration %s: the full build at the base %s, once\n",
			s->config->name, r->base);
		if (configure_kernel(j->worktree, s->config, fd, &why, NULL) == 0) {
			struct kx_strlist env = KX_STRLIST_INIT;

			own_build(r, j, s, NULL, &argv);
			if (r->distcc_hosts || r->icecc)
				dist_env(&env, r, t);
			text = command_text(argv_of(&argv));
			dprintf(fd, "# kvmx86 test --kernel: %s\n", text);
			free(text);
			error = spawn(j, argv_of(&argv),
				      env.nr ? argv_of(&env) : NULL, fd);
			kx_strlist_release(&env);
			if (error)
				why = kx_xasprintf("cannot run make: %s",
						   strerror(error));
		}
		kx_strlist_release(&argv);
		if (fd >= 0)
			close(fd);
		if (j->pid) {
			j->priming = true;
			return true;
		}
		j->base_error[j->prime] = kx_xasprintf("at the base %.12s: %s",
						       r->base, why);
		free(why);
	}
	return false;
}

/* The job's base builds are done: on to its commit. */
static int begin_commit(struct kx_test_run *r, struct job *j)
{
	struct kx_test_commit *t = &r->commits[j->index];
	char *why = NULL;
	int fd = open(t->log, O_WRONLY | O_APPEND | O_CLOEXEC), error;

	j->checkout = time(NULL);
	/* interrupted (at the base's checkout, say): the commit is not run */
	error = r->stop && *r->stop ? KX_ERROR :
		move_worktree(r, j->worktree, t->id, fd, &why);
	if (fd >= 0)
		close(fd);
	/* the checkout a Ctrl-C stopped: not run, not an error of the commit */
	if (error < 0 && r->stop && *r->stop) {
		free(why);
		kx_error_clear();
		t->steps[j->step].status = KX_TEST_SKIPPED;
		return 0;
	}
	if (error < 0)
		return step_error(r, t, j->step, why);
	return start_step(r, j, j->step);
}

/*
 * Prepares commit index for the job (its log, the base's builds the first
 * time, the worktree) and starts its first step not recorded yet.  Leaves
 * j->pid 0 when nothing runs: all recorded, or the commit could not be
 * prepared.
 */
static int start_job(struct kx_test_run *r, struct job *j, size_t index,
		     const char *logdir)
{
	struct kx_test_commit *t = &r->commits[index];
	size_t first = recorded_steps(r, t), k;
	char *why = NULL;
	bool unprimed = false;
	int fd;

	j->pid = 0;
	j->index = index;
	j->step = first;
	if (first == r->steps_nr)
		return 0;
	free(t->log);
	t->log = kx_xasprintf("%s/%s.log", logdir, t->id);
	/*
	 * A new file, not the old one emptied: a command that a killed run
	 * left running may still write to that.
	 */
	unlink(t->log);
	fd = open(t->log, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return kx_error_set(KX_ERROR, "cannot write %s: %s", t->log,
				    strerror(errno));
	dprintf(fd, "# kvmx86 test: commit %s %s\n# in %s\n", t->id, t->subject,
		j->worktree);
	if (r->kernel && clean_source_tree(j->worktree, fd, &why) < 0) {
		close(fd);
		return step_error(r, t, first, why);
	}
	/* a build directory without a full build yet needs the base's */
	for (k = 0; k < r->steps_nr && !j->primed; k++) {
		char *stamp;

		if (r->steps[k].argv || r->steps[k].build != KX_BUILD_LINKED)
			continue;
		stamp = read_stamp(j->worktree, r->steps[k].config);
		unprimed |= !stamp;
		free(stamp);
	}
	if (!unprimed || j->primed) {
		close(fd);
		return begin_commit(r, j);
	}
	j->primed = true;
	j->prime = 0;
	if (!*r->base) {
		why = kx_xstrdup("the series starts at a root commit: "
				 "there is no base to build first");
	} else if (move_worktree(r, j->worktree, r->base, fd, &why) == 0) {
		close(fd);
		if (prime_next(r, j))
			return 0;
		return begin_commit(r, j);
	}
	close(fd);
	for (k = 0; k < r->steps_nr; k++)
		j->base_error[k] = kx_xasprintf("at the base: %s", why);
	free(why);
	return begin_commit(r, j);
}

/*
 * The modules step s should have linked that are missing, or older than
 * the commit's checkout (a comma-separated list), or NULL.
 */
static char *missing_modules(struct job *j, const struct kx_test_stepdef *s)
{
	char *dir = build_dir(s->config), *out = NULL;
	size_t m;

	for (m = 0; m < kx_kvm_modules_nr; m++) {
		char *path = kx_xasprintf("%s/%s/arch/x86/kvm/%s", j->worktree,
					  dir, kx_kvm_modules[m]), *next;
		struct stat st;

		/* a second's slack: file times may lag the clock a tick */
		if (stat(path, &st) == 0 && st.st_mtime + 1 >= j->checkout) {
			free(path);
			continue;
		}
		next = kx_xasprintf("%s%s%s", out ? out : "", out ? ", " : "",
				    kx_kvm_modules[m]);
		free(out);
		out = next;
		free(path);
	}
	free(dir);
	return out;
}

/* A base build ended: the next one, or the commit. */
static int prime_done(struct kx_test_run *r, struct job *j, int exit_status)
{
	const struct kx_test_stepdef *s = &r->steps[j->prime];
	const struct kx_test_commit *t = &r->commits[j->index];

	j->priming = false;
	if (r->distcc_hosts || r->icecc) {
		struct kx_test_step ignored = { 0 };

		dist_count(r, t, &ignored);
	}
	/* later commits of the job say so too: name the log that shows it */
	if (exit_status)
		j->base_error[j->prime] =
			kx_xasprintf("the base %.12s does not build in the configuration '%s' (make vmlinux modules: exit %d, in %s)",
				     r->base, s->config->name, exit_status,
				     t->log);
	else
		write_stamp(j->worktree, s->config, r->base);
	j->prime++;
	if (prime_next(r, j))
		return 0;
	return begin_commit(r, j);
}

/* Appends a line to t's log. */
static void log_line(const struct kx_test_commit *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void log_line(const struct kx_test_commit *t, const char *fmt, ...)
{
	int fd = open(t->log, O_WRONLY | O_APPEND | O_CLOEXEC);
	va_list ap;

	if (fd < 0)
		return;
	va_start(ap, fmt);
	vdprintf(fd, fmt, ap);
	va_end(ap);
	close(fd);
}

/* The job's process ended: record it; start the next one or finish. */
static int step_done(struct kx_test_run *r, struct job *j, int wstatus)
{
	struct kx_test_commit *t = &r->commits[j->index];
	struct kx_test_step *st = &t->steps[j->step];
	const struct kx_test_stepdef *s = &r->steps[j->step];
	int exit_status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
			  128 + WTERMSIG(wstatus);
	char *missing;
	int error;

	j->pid = 0;
	if (j->priming)
		return prime_done(r, j, exit_status);
	st->seconds = now() - j->start;
	st->exit_status = exit_status;
	st->status = exit_status ? KX_TEST_FAIL : KX_TEST_PASS;
	if (!s->argv && (r->distcc_hosts || r->icecc))
		dist_count(r, t, st);
	if (!s->argv && s->build == KX_BUILD_LINKED && j->full)
		write_stamp(j->worktree, s->config, exit_status ? "unknown" :
			    t->vmlinux ? t->id : r->base);
	if (!s->argv && s->build == KX_BUILD_LINKED && !exit_status &&
	    (missing = missing_modules(j, s))) {
		/* make was content, but a module is not there: not linked */
		st->status = KX_TEST_FAIL;
		free(t->error);
		t->error = kx_xasprintf("%s not linked in the configuration '%s'",
					missing, s->config->name);
		log_line(t, "# kvmx86 test --kernel: make exited 0, but %s\n",
			 t->error);
		free(missing);
	}
	if ((error = record(r, t, j->step)) < 0)
		return error;
	if (st->status == KX_TEST_PASS && j->step + 1 < r->steps_nr)
		return start_step(r, j, j->step + 1);
	return 0;
}

/* The hash of what configuration c asks for, for the records' key. */
static char *config_hash(const struct kx_kernel_config *c)
{
	struct kx_strlist args = KX_STRLIST_INIT;
	struct kx_buf b = KX_BUF_INIT;
	git_oid id;
	size_t i;

	kx_kernel_config_args(&args, c);
	kx_buf_addf(&b, "%s\nARCH=%s\n", c->defconfig, c->arch ? c->arch : "");
	for (i = 0; i < args.nr; i++)
		kx_buf_addf(&b, "%s\n", args.items[i]);
	git_odb_hash(&id, b.buf, b.len, GIT_OBJECT_BLOB);
	kx_strlist_release(&args);
	kx_buf_release(&b);
	return kx_xstrdup(git_oid_tostr_s(&id));
}

/* The steps: the command (per configuration with --kernel), then tests. */
static void plan_steps(struct kx_test_run *r)
{
	size_t c, nconfigs = !r->kernel ? 0 :
			     r->matrix ? kx_kernel_configs_nr : 1;
	char *own = NULL;

	r->steps_nr = 0;
	if (r->kernel && !r->argv) {
		if (r->no_link) {
			own = kx_xstrdup("make arch/x86/kvm/");
		} else {
			size_t m;

			own = kx_xstrdup("make");
			for (m = 0; m < kx_kvm_modules_nr; m++) {
				char *next = kx_xasprintf("%s arch/x86/kvm/%s", own,
							  kx_kvm_modules[m]);

				free(own);
				own = next;
			}
		}
	}
	for (c = 0; c < (nconfigs ? nconfigs : 1); c++) {
		struct kx_test_stepdef *s = &r->steps[r->steps_nr++];

		s->kind = "command";
		s->argv = r->argv;
		s->config = nconfigs ? &kx_kernel_configs[c] : NULL;
		s->build = own ? (r->no_link ? KX_BUILD_COMPILED : KX_BUILD_LINKED) :
			   r->declared_build ? KX_BUILD_DECLARED : KX_BUILD_COMMAND;
		s->record = own ? kx_xstrdup(own) : command_text(r->argv);
		s->config_hash = s->config ? config_hash(s->config) : NULL;
	}
	free(own);
	if (r->selftests) {
		struct kx_test_stepdef *s = &r->steps[r->steps_nr++];

		s->kind = "selftests";
		s->argv = r->selftests;
		s->record = command_text(r->selftests);
	}
	if (r->kut) {
		struct kx_test_stepdef *s = &r->steps[r->steps_nr++];

		s->kind = "kvm-unit-tests";
		s->argv = r->kut;
		s->record = command_text(r->kut);
	}
}

/*
 * The compiler's identity for the records: the first line of
 * `<cc> --version`, cc being the last word of the caller's CC (behind
 * ccache or distcc) or gcc for the kernel's own build, else cc.
 */
static char *compiler_of(const struct kx_test_run *r)
{
	const char *env = getenv("CC"), *cc, *sp;
	char *name, *out = NULL, *line;
	int status;

	if (env && *env) {
		sp = strrchr(env, ' ');
		cc = sp ? sp + 1 : env;
	} else {
		cc = r->kernel && !r->argv ? "gcc" : "cc";
	}
	name = kx_xstrdup(cc);
	{
		const char *argv[] = { name, "--version", NULL };

		if (kx_run(argv, NULL, &out, &status) < 0 || status) {
			kx_error_clear();
			line = kx_xasprintf("%s (no --version)", name);
			goto done;
		}
	}
	line = kx_xstrndup(out, strcspn(out, "\n"));
	if (!*line || strlen(line) > 200) {
		free(line);
		line = kx_xasprintf("%s (no --version)", name);
	}
done:
	free(out);
	free(name);
	return line;
}

/* --- the worktrees' locks --- */


/*
 * Locks the job's worktree, "<worktree>.lock" with flock(), for the run.
 * The descriptor is inherited by what the run starts, so that a command
 * still running after kvmx86 was killed keeps it locked: then the
 * worktree is set aside (renamed) and the job gets a new one, which
 * nothing else runs in.  A live kvmx86 test holding it is an error.
 */
static int lock_worktree(struct kx_test_run *r, struct job *j)
{
	char *path = kx_xasprintf("%s.lock", j->worktree), *aside = NULL;
	int fd, error = 0, tries = 0;
	long pid;

	for (;;) {
		/* no O_CLOEXEC: the commands hold it too */
		fd = open(path, O_RDWR | O_CREAT, 0666);
		if (fd < 0) {
			error = kx_error_set(KX_ERROR, "cannot create %s: %s",
					     path, strerror(errno));
			goto done;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		pid = lock_pid(fd);
		close(fd);
		/*
		 * No pid: a kvmx86 between its lock and its pid, or prep
		 * --cleanup looking (a shared lock, for a moment): wait, not
		 * take it for a killed run
		 */
		if (pid <= 0 && tries++ < 40) {
			struct timespec ts = { 0, 50 * 1000000L };

			nanosleep(&ts, NULL);
			continue;
		}
		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM)) {
			error = kx_error_set(KX_ERROR, "another kvmx86 test is using this worktree (pid %ld): %s",
					     pid, j->worktree);
			kx_error_hint("wait for it to finish; a series' runs, one at a time, can use -j <n> instead");
			goto done;
		}
		/* its kvmx86 is gone, its commands are not: not to be trusted */
		free(aside);
		aside = kx_xasprintf("%s.gone-%ld-%ld", j->worktree, pid,
				     (long)time(NULL));
		if (rename(j->worktree, aside) < 0 && errno != ENOENT) {
			error = kx_error_set(KX_ERROR, "cannot move %s aside: %s",
					     j->worktree, strerror(errno));
			goto done;
		}
		/* a new lock file: the old one stays with those commands */
		unlink(path);
		kx_strlist_addf(&r->notes, "commands a killed kvmx86 test (pid %ld) started still run in %s: it was moved to %s, and a new worktree takes its place when a commit needs one",
				pid, j->worktree, aside);
	}
	if (ftruncate(fd, 0) == 0)
		dprintf(fd, "%ld\n", (long)getpid());
	j->lock = fd;
	fd = -1;
done:
	free(aside);
	free(path);
	return error;
}

/*
 * Removes the worktrees set aside earlier once nothing holds their lock
 * any more (the commands left in them ended), and git's records of them.
 */
static void remove_gone(const char *wtdir, const char *commondir)
{
	struct dirent *e;
	DIR *d = opendir(wtdir);
	bool any = false;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char *dir;

		if (!strstr(e->d_name, ".gone-") || kx_ends_with(e->d_name, ".lock"))
			continue;
		dir = kx_xasprintf("%s/%s", wtdir, e->d_name);
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		any = true;
		free(dir);
	}
	closedir(d);
	if (any) {
		char *gitdir_arg = kx_xasprintf("--git-dir=%s", commondir);
		const char *prune[] = { "git", gitdir_arg, "worktree", "prune", NULL };
		char *out = NULL;
		int status;

		if (kx_run(prune, NULL, &out, &status) < 0)
			kx_error_clear();
		free(out);
		free(gitdir_arg);
	}
}

/* Tells the caller that commit index's result is final. */
static void finished(struct kx_test_run *r, size_t index)
{
	if (r->on_commit)
		r->on_commit(r->progress_data, index);
}

/*
 * kbuild cannot build below a path holding what make reads as syntax: the
 * label never does, but the repository's own path might.
 */
static int check_build_path(const char *dir)
{
	const char *p;

	for (p = dir; *p && kx_test_path_char_ok(*p); p++)
		;
	if (!*p)
		return 0;
	kx_error_set(KX_EINVALID, "the repository's path '%s' holds '%c', which kbuild cannot build below",
		     dir, *p);
	kx_error_hint("move or clone the repository to a path of letters, digits, '.', '_', '-' and '/'");
	return KX_EINVALID;
}

/*
 * --kernel on a tree that is no kernel: every commit would fail at its
 * configuration, each looking like a broken commit.  What kvmx86 runs
 * (make's configuration targets, scripts/config, arch/x86/kvm/) must be
 * in the tip's tree.
 */
static int check_kernel_tree(struct kx_test_run *r)
{
	static const char *const need[] = { "Makefile", "scripts/config", "arch/x86/kvm" };
	git_tree *tree = NULL;
	git_oid oid;
	size_t i;
	int error;

	if (!r->nr)
		return 0;
	git_oid_fromstr(&oid, r->commits[r->nr - 1].tree);
	if ((error = kx_git(git_tree_lookup(&tree, REPO(r), &oid))) < 0)
		return error;
	for (i = 0; i < sizeof(need) / sizeof(*need); i++) {
		git_tree_entry *e = NULL;

		if (git_tree_entry_bypath(&e, tree, need[i]) == 0) {
			git_tree_entry_free(e);
			continue;
		}
		git_error_clear();
		error = kx_error_set(KX_EINVALID,
				     "--kernel builds a Linux kernel, and the series' tip %.12s has no %s: this is no kernel tree",
				     r->commits[r->nr - 1].id, need[i]);
		kx_error_hint("to build and test something else, give its command: kvmx86 test -- <command>");
		break;
	}
	git_tree_free(tree);
	return error;
}

int kx_test_execute(struct kx_test_run *r, volatile sig_atomic_t *stop)
{
	char *wtdir = kx_xasprintf("%skvmx86/worktrees/%s", PREP(r)->commondir, r->label);
	char *logdir = kx_xasprintf("%skvmx86/logs/%s", PREP(r)->commondir, r->label);
	struct job *jobs = kx_xcalloc(r->jobs, sizeof(*jobs));
	size_t next = 0, done = 0, running = 0, i, k;
	double t0 = now();
	int error;

	r->stop = stop;
	for (i = 0; i < r->jobs; i++)
		jobs[i].lock = -1;
	if (!r->argv && !r->kernel && r->build_command) {
		/* kvmx86.buildCommand: the build the user declared */
		r->argv = (const char *const *)r->build_command;
		r->declared_build = true;
	}
	plan_steps(r);
	free(r->compiler);
	r->compiler = compiler_of(r);
	if (r->distcc_hosts || r->icecc) {
		/* the jobs share the hosts' slots; icecream's scheduler spreads */
		unsigned slots = r->slots ? r->slots : 4 * (r->make_jobs ?
				 r->make_jobs : 1) * r->jobs;

		r->make_jobs = slots / r->jobs ? slots / r->jobs : 1;
	}
	if (r->kernel && ((error = check_kernel_tree(r)) < 0 ||
			  (error = check_build_path(wtdir)) < 0))
		goto out;
	if ((error = kx_mkdir_p(wtdir)) < 0 || (error = kx_mkdir_p(logdir)) < 0)
		goto out;
	remove_gone(wtdir, PREP(r)->commondir);
	if (r->kernel && !r->argv && !r->no_link && (error = mark_vmlinux(r)) < 0)
		goto out;
	for (i = 0; i < r->jobs; i++) {
		jobs[i].worktree = kx_xasprintf("%s/%zu", wtdir, i);
		if ((error = lock_worktree(r, &jobs[i])) < 0)
			goto out;
	}

	while (!error && (next < r->nr || running)) {
		int wstatus;
		pid_t pid;

		/* fill the free jobs, in series order */
		for (i = 0; i < r->jobs && !error; i++) {
			while (!jobs[i].pid && next < r->nr && !*stop) {
				if ((error = start_job(r, &jobs[i], next, logdir)) < 0)
					break;
				next++;
				if (jobs[i].pid) {
					running++;
					continue;
				}
				/* all recorded, or it could not be prepared */
				summarize(r, &r->commits[jobs[i].index]);
				done++;
				finished(r, jobs[i].index);
			}
		}
		if (r->progress)
			r->progress(r->progress_data, done, r->nr, now() - t0);
		if (*stop || error)
			break;
		if (!running)
			continue;
		pid = waitpid(-1, &wstatus, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			error = kx_error_set(KX_ERROR, "cannot wait for the tests: %s",
					     strerror(errno));
			break;
		}
		for (i = 0; i < r->jobs; i++) {
			if (jobs[i].pid != pid)
				continue;
			error = step_done(r, &jobs[i], wstatus);
			if (!jobs[i].pid) {
				summarize(r, &r->commits[jobs[i].index]);
				running--;
				done++;
				finished(r, jobs[i].index);
			}
			break;
		}
	}
	/* interrupted (or failed): stop what runs; those commits stay skipped */
	for (i = 0; i < r->jobs; i++) {
		struct kx_test_commit *t;
		int wstatus;

		if (!jobs[i].pid)
			continue;
		kill(jobs[i].pid, SIGINT);
		while (waitpid(jobs[i].pid, &wstatus, 0) < 0 && errno == EINTR)
			;
		t = &r->commits[jobs[i].index];
		t->steps[jobs[i].step].status = KX_TEST_SKIPPED;
		summarize(r, t);
		t->status = KX_TEST_SKIPPED;
	}
	if (r->progress)
		r->progress(r->progress_data, done, r->nr, now() - t0);
	/* the base moved or the tip is new: the enrolled branch's state says so */
	if (!error && r->enrolled)
		error = kx_prep_save(PREP(r));
out:
	for (i = 0; i < r->jobs; i++) {
		if (jobs[i].lock >= 0) {
			/* a clean end: no pid left for the next run to wonder about */
			if (ftruncate(jobs[i].lock, 0) < 0)
				(void)0;
			close(jobs[i].lock);
		}
		free(jobs[i].worktree);
		for (k = 0; k < KX_TEST_STEPS_MAX; k++)
			free(jobs[i].base_error[k]);
	}
	free(jobs);
	free(wtdir);
	free(logdir);
	return error;
}

void kx_test_failure_lines(struct kx_strlist *out,
			   const struct kx_test_commit *t, size_t max)
{
	char *log = t->log ? kx_read_file(t->log) : NULL;

	if (log)
		kx_test_log_excerpt(out, log, max);
	free(log);
}

long kx_test_first_failure(const struct kx_test_run *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (r->commits[i].status == KX_TEST_FAIL)
			return (long)i;
	return -1;
}

void kx_test_close(struct kx_test_run *r)
{
	size_t i, k;

	for (i = 0; i < r->nr; i++) {
		free(r->commits[i].subject);
		free(r->commits[i].log);
		free(r->commits[i].error);
	}
	for (i = 0; i < r->nr; i++)
		for (k = 0; k < KX_TEST_STEPS_MAX; k++)
			free(r->commits[i].steps[k].options);
	for (i = 0; i < r->steps_nr; i++) {
		free(r->steps[i].record);
		free(r->steps[i].config_hash);
	}
	for (i = 0; r->build_command && r->build_command[i]; i++)
		free(r->build_command[i]);
	free(r->build_command);
	free(r->distcc_hosts);
	free(r->compiler);
	kx_strlist_release(&r->notes);
	kx_test_store_release(&r->store);
	free(r->commits);
	free(r->label);
	memset(r, 0, sizeof(*r));
}

char *kx_test_run_statement(const struct kx_test_run *r)
{
	struct kx_test_records recs = { NULL, 0, 0 };
	struct kx_testing_input in;
	const char **ids = kx_xcalloc(r->nr + 1, sizeof(*ids));
	char *out = NULL;
	size_t i;

	for (i = 0; i < r->nr; i++)
		ids[i] = r->commits[i].id;
	/* what the cover letter will say: every command's newest result */
	if (kx_test_records_load(&recs, PREP(r)->commondir, REPO(r), ids, r->nr) == 0 &&
	    recs.nr) {
		in.commits = ids;
		in.commits_nr = r->nr;
		in.records = recs.items;
		in.records_nr = recs.nr;
		out = kx_testing_paragraph(&in);
	}
	kx_error_clear();
	kx_test_records_release(&recs);
	free(ids);
	return out;
}
