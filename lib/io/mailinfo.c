// SPDX-License-Identifier: GPL-2.0-only
/*
 * git mailinfo, run as git am and patatt run it: a temporary directory for
 * its input and its two output files, its stderr kept for the error.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/mailinfo.h"
#include "kvmx86/run.h"
#include "kvmx86/util.h"

static int write_all(const char *path, const char *s, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int error = 0;

	if (fd < 0)
		return kx_error_set(KX_ERROR, "cannot write '%s': %s", path,
				    strerror(errno));
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			error = kx_error_set(KX_ERROR, "cannot write '%s': %s",
					     path, strerror(errno));
			break;
		}
		s += w;
		n -= (size_t)w;
	}
	close(fd);
	return error;
}

/*
 * Runs git mailinfo in cwd with the mail on its stdin (a file: nothing to
 * deadlock on), its message and patch in dir; its stdout (the author,
 * email and subject it found) in *info.
 */
static int mailinfo(char **info, const char *dir, const char *in,
		    const char *cwd, const char *what, bool am)
{
	char *msg = kx_xasprintf("%s/m", dir), *patch = kx_xasprintf("%s/p", dir);
	char *err = kx_xasprintf("%s/err", dir);
	const char *patatt[] = { "git", "mailinfo", "--encoding=utf-8",
				 "--no-scissors", msg, patch, NULL };
	const char *git_am[] = { "git", "mailinfo", "-u", msg, patch, NULL };
	const char **argv = am ? git_am : patatt;
	posix_spawn_file_actions_t fa;
	struct kx_buf out = KX_BUF_INIT;
	int pipefd[2], wstatus, error = 0, rc;
	char **env;
	pid_t pid;

	*info = NULL;
	if (pipe(pipefd) < 0) {
		error = kx_error_set(KX_ERROR, "cannot create a pipe: %s",
				     strerror(errno));
		goto done;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, in, O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	/* its complaints go into the error, not onto the terminal */
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err,
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	env = kx_run_env();
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, env);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc) {
		close(pipefd[0]);
		error = kx_error_set(KX_ERROR, "cannot run git mailinfo: %s",
				     strerror(rc));
		goto done;
	}
	for (;;) {
		char buf[4096];
		ssize_t n = read(pipefd[0], buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		kx_buf_add(&out, buf, (size_t)n);
	}
	close(pipefd[0]);
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR) {
			error = kx_error_set(KX_ERROR,
					     "cannot wait for git mailinfo: %s",
					     strerror(errno));
			goto done;
		}
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus)) {
		char *text = NULL;

		kx_file_read(&text, NULL, err, 4096);
		if (text)
			text[strcspn(text, "\n")] = '\0';
		error = kx_error_set(KX_ERROR,
				     "%s: git mailinfo failed on the mail%s%s",
				     what, text && *text ? ": " : "", text ? text : "");
		free(text);
		goto done;
	}
	if (!out.len)
		kx_buf_adds(&out, "");
	*info = kx_buf_detach(&out);
done:
	kx_buf_release(&out);
	free(err);
	free(msg);
	free(patch);
	return error;
}

/* Reads dir/name, "" when git wrote no such file. */
static int read_part(char **out, size_t *len, const char *dir, const char *name)
{
	char *path = kx_xasprintf("%s/%s", dir, name);
	int error = kx_file_read(out, len, path, KX_FILE_MAX);

	if (error == KX_ENOTFOUND) {
		/* git writes no patch file for none */
		error = 0;
		*out = kx_xstrdup("");
		*len = 0;
	}
	free(path);
	return error;
}

static void remove_dir(const char *dir)
{
	static const char *const names[] = { "in", "m", "p", "err" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char *path = kx_xasprintf("%s/%s", dir, names[i]);

		unlink(path);
		free(path);
	}
	rmdir(dir);
}


static int run_mailinfo(struct kx_mailinfo *out, const char *mail, size_t len,
			const char *cwd, const char *what, bool am)
{
	char *dir = NULL, *in = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = kx_temp_dir(&dir, "mailinfo")) < 0)
		return error;
	in = kx_xasprintf("%s/in", dir);
	if ((error = write_all(in, mail, len)) < 0 ||
	    (error = mailinfo(&out->info, dir, in, cwd, what, am)) < 0 ||
	    (error = read_part(&out->msg, &out->msg_len, dir, "m")) < 0 ||
	    (error = read_part(&out->patch, &out->patch_len, dir, "p")) < 0)
		goto done;
done:
	remove_dir(dir);
	free(in);
	free(dir);
	return error;
}

int kx_git_mailinfo(struct kx_mailinfo *out, const char *mail, size_t len,
		    const char *cwd, const char *what)
{
	return run_mailinfo(out, mail, len, cwd, what, false);
}

int kx_git_mailinfo_am(struct kx_mailinfo *out, const char *mail, size_t len,
		       const char *cwd, const char *what)
{
	return run_mailinfo(out, mail, len, cwd, what, true);
}

char *kx_mailinfo_get(const struct kx_mailinfo *mi, const char *key)
{
	const char *s = mi->info;
	size_t klen = strlen(key), n;

	for (; s && *s; s += n + (s[n] == '\n')) {
		n = strcspn(s, "\n");
		if (n > klen + 1 && !strncmp(s, key, klen) && s[klen] == ':' &&
		    s[klen + 1] == ' ')
			return kx_xstrndup(s + klen + 2, n - klen - 2);
	}
	return NULL;
}

void kx_mailinfo_release(struct kx_mailinfo *mi)
{
	free(mi->info);
	free(mi->msg);
	free(mi->patch);
	memset(mi, 0, sizeof(*mi));
}
