// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvmx86/error.h"
#include "kvmx86/run.h"
#include "kvmx86/util.h"

extern char **environ;

/*
 * What git sets for a hook or an alias names the caller's repository: a
 * git started in a kvmx86 worktree, or the user's command, must find its
 * own (kvmx86 passes --git-dir where git needs one).  Git's own list of
 * them (local_repo_env), and the quarantine and namespace a receive hook
 * runs in; the configuration (GIT_CONFIG_PARAMETERS, ...) passes.
 */
static const char *const repo_vars[] = {
	"GIT_DIR=", "GIT_INDEX_FILE=", "GIT_WORK_TREE=", "GIT_COMMON_DIR=",
	"GIT_PREFIX=", "GIT_CEILING_DIRECTORIES=", "GIT_OBJECT_DIRECTORY=",
	"GIT_ALTERNATE_OBJECT_DIRECTORIES=", "GIT_IMPLICIT_WORK_TREE=",
	"GIT_GRAFT_FILE=", "GIT_SHALLOW_FILE=", "GIT_NO_REPLACE_OBJECTS=",
	"GIT_REPLACE_REF_BASE=", "GIT_NAMESPACE=", "GIT_QUARANTINE_PATH=",
};

bool kx_run_env_keeps(const char *entry)
{
	size_t i;

	if (strncmp(entry, "GIT_", 4))
		return true;
	for (i = 0; i < ARRAY_SIZE(repo_vars); i++)
		if (kx_starts_with(entry, repo_vars[i]))
			return false;
	return true;
}

char **kx_run_env(void)
{
	size_t i, n = 0;
	char **env;

	for (i = 0; environ[i]; i++)
		;
	env = kx_xcalloc(i + 1, sizeof(*env));
	for (i = 0; environ[i]; i++)
		if (kx_run_env_keeps(environ[i]))
			env[n++] = environ[i];
	return env;
}

/*
 * Waits for pid (name: for the message) and stores its exit status, 128 +
 * the signal for one that killed it.  0 or KX_ERROR.
 */
static int wait_signalled(pid_t pid, const char *name, int *status,
			  bool *signalled)
{
	int wstatus;

	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR)
			return kx_error_set(KX_ERROR, "cannot wait for %s: %s",
					    name, strerror(errno));
	*status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
		  128 + WTERMSIG(wstatus);
	if (signalled)
		*signalled = WIFSIGNALED(wstatus);
	return 0;
}

static int wait_for(pid_t pid, const char *name, int *status)
{
	return wait_signalled(pid, name, status, NULL);
}

int kx_run(const char *const argv[], const char *cwd, char **out,
	   int *status)
{
	posix_spawn_file_actions_t fa;
	char **env;
	int pipefd[2] = { -1, -1 }, error = 0;
	char *buf = NULL;
	size_t len = 0, alloc = 0;
	pid_t pid;

	if (out && pipe(pipefd) < 0)
		return kx_error_set(KX_ERROR, "cannot create a pipe: %s",
				    strerror(errno));
	posix_spawn_file_actions_init(&fa);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	if (out) {
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
		posix_spawn_file_actions_addclose(&fa, pipefd[0]);
		posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	}
	env = kx_run_env();
	error = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, env);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	if (out)
		close(pipefd[1]);
	if (error) {
		if (out)
			close(pipefd[0]);
		return kx_error_set(KX_ERROR, "cannot run %s: %s", argv[0],
				    strerror(error));
	}
	if (out) {
		for (;;) {
			ssize_t n;

			kx_grow((void **)&buf, &alloc, len + 4096, 1);
			n = read(pipefd[0], buf + len, alloc - len - 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			len += (size_t)n;
		}
		close(pipefd[0]);
		buf[len] = '\0';
		*out = buf;
	}
	return wait_for(pid, argv[0], status);
}

int kx_run_spawn(pid_t *pid, const char *const argv[], const char *cwd,
		 const char *const *envp, int fd)
{
	posix_spawn_file_actions_t fa;
	char **own = NULL;
	int error;

	posix_spawn_file_actions_init(&fa);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (fd >= 0) {
		posix_spawn_file_actions_adddup2(&fa, fd, STDOUT_FILENO);
		posix_spawn_file_actions_adddup2(&fa, fd, STDERR_FILENO);
	}
	if (!envp)
		own = kx_run_env();
	error = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)argv,
			     envp ? (char *const *)envp : own);
	free(own);
	posix_spawn_file_actions_destroy(&fa);
	if (error)
		*pid = 0;
	return error;
}

int kx_run_fd(const char *const argv[], const char *cwd, int fd, int *status)
{
	pid_t pid;
	int error = kx_run_spawn(&pid, argv, cwd, NULL, fd);

	if (error)
		return kx_error_set(KX_ERROR, "cannot run %s: %s", argv[0],
				    strerror(error));
	return wait_for(pid, argv[0], status);
}

int kx_run_start(struct kx_proc *p, const char *const argv[], const char *cwd)
{
	posix_spawn_file_actions_t fa;
	char **env;
	int pipefd[2], error;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->name = argv[0];
	if (pipe(pipefd) < 0)
		return kx_error_set(KX_ERROR, "cannot create a pipe: %s",
				    strerror(errno));
	posix_spawn_file_actions_init(&fa);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	env = kx_run_env();
	error = posix_spawnp(&p->pid, argv[0], &fa, NULL, (char *const *)argv,
			     env);
	free(env);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (error) {
		close(pipefd[0]);
		return kx_error_set(KX_ERROR, "cannot run %s: %s", argv[0],
				    strerror(error));
	}
	/* the read end must not leak into the next child */
	fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
	p->fd = pipefd[0];
	return 0;
}

int kx_run_finish(struct kx_proc *p, char **out, int *status)
{
	char *buf = NULL;
	size_t len = 0, alloc = 0;

	for (;;) {
		ssize_t n;

		kx_grow((void **)&buf, &alloc, len + 4096, 1);
		n = read(p->fd, buf + len, alloc - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(p->fd);
	p->fd = -1;
	buf[len] = '\0';
	if (wait_for(p->pid, p->name, status) < 0) {
		free(buf);
		return KX_ERROR;
	}
	*out = buf;
	return 0;
}

/* Grows b to hold n bytes, wiping what the old block held. */
static void grow_wiped(char **b, size_t *alloc, size_t n)
{
	size_t want = *alloc ? *alloc : 4096;
	char *p;

	while (want < n)
		want *= 2;
	if (want == *alloc)
		return;
	p = kx_xmalloc(want);
	if (*b) {
		memcpy(p, *b, *alloc);
		explicit_bzero(*b, *alloc);
		free(*b);
	}
	*b = p;
	*alloc = want;
}

int kx_run_input(const char *const argv[], const char *cwd, const char *input,
		 size_t len, char **out, int *status, bool *signalled,
		 unsigned flags)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old, old_int, old_quit;
	sigset_t hold, mask;
	int in[2] = { -1, -1 }, outp[2] = { -1, -1 }, error;
	char *buf = NULL;
	size_t done = 0, got = 0, alloc = 0;
	char **env;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0 || (out && pipe2(outp, O_CLOEXEC) < 0)) {
		error = errno;
		if (in[0] >= 0) {
			close(in[0]);
			close(in[1]);
		}
		return kx_error_set(KX_ERROR, "cannot create a pipe: %s",
				    strerror(error));
	}
	posix_spawn_file_actions_init(&fa);
	if (cwd)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	if (out)
		posix_spawn_file_actions_adddup2(&fa, outp[1], STDOUT_FILENO);
	posix_spawnattr_init(&attr);
	if (flags & KX_RUN_NO_SIGINT) {
		/*
		 * An ignored signal stays ignored across exec: ignored here for
		 * the spawn, blocked meanwhile so that a Ctrl-C then is only
		 * delayed (a blocked signal is kept, not ignored), and the
		 * program starts with kvmx86's mask as it was.
		 */
		sigemptyset(&hold);
		sigaddset(&hold, SIGINT);
		sigaddset(&hold, SIGQUIT);
		sigprocmask(SIG_BLOCK, &hold, &mask);
		sigaction(SIGINT, &ign, &old_int);
		sigaction(SIGQUIT, &ign, &old_quit);
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
		posix_spawnattr_setsigmask(&attr, &mask);
	}
	env = kx_run_env();
	error = posix_spawnp(&pid, argv[0], &fa, &attr, (char *const *)argv, env);
	if (flags & KX_RUN_NO_SIGINT) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		sigprocmask(SIG_SETMASK, &mask, NULL);
	}
	free(env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	if (out)
		close(outp[1]);
	if (error) {
		close(in[1]);
		if (out)
			close(outp[0]);
		return kx_error_set(KX_ERROR, "cannot run %s: %s", argv[0],
				    strerror(error));
	}
	/* a program that exits unread must not kill kvmx86 with SIGPIPE */
	sigaction(SIGPIPE, &ign, &old);
	if (!len) {
		close(in[1]);
		in[1] = -1;
	}
	while (in[1] >= 0 || (out && outp[0] >= 0)) {
		struct pollfd pfd[2];
		nfds_t n = 0;
		ssize_t r;

		if (in[1] >= 0)
			pfd[n++] = (struct pollfd){ in[1], POLLOUT, 0 };
		if (out && outp[0] >= 0)
			pfd[n++] = (struct pollfd){ outp[0], POLLIN, 0 };
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (nfds_t i = 0; i < n; i++) {
			if (!pfd[i].revents)
				continue;
			if (pfd[i].fd == in[1]) {
				r = write(in[1], input + done, len - done);
				if (r < 0 && (errno == EINTR || errno == EAGAIN))
					continue;
				if (r < 0 || (done += (size_t)r) == len) {
					close(in[1]);
					in[1] = -1;
				}
			} else {
				grow_wiped(&buf, &alloc, got + 4096);
				r = read(outp[0], buf + got, alloc - got - 1);
				if (r < 0 && errno == EINTR)
					continue;
				if (r <= 0) {
					close(outp[0]);
					outp[0] = -1;
				} else {
					got += (size_t)r;
				}
			}
		}
	}
	if (in[1] >= 0)
		close(in[1]);
	if (out && outp[0] >= 0)
		close(outp[0]);
	sigaction(SIGPIPE, &old, NULL);
	if (out) {
		grow_wiped(&buf, &alloc, got + 1);
		buf[got] = '\0';
		*out = buf;
	}
	return wait_signalled(pid, argv[0], status, signalled);
}
