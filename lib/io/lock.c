// SPDX-License-Identifier: GPL-2.0-only
/* kvmx86's lock files (lock.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/util.h"
#include "lock.h"

/*
 * The locks this process holds, removed when it exits or dies of a signal
 * (git's tempfile.c does the same), so that an interrupted kvmx86 does not
 * leave its series locked.
 */
#define HELD_MAX 4
static char *held[HELD_MAX];

static void remove_held(void)
{
	size_t i;

	for (i = 0; i < HELD_MAX; i++)
		if (held[i])
			unlink(held[i]);
}

static void on_fatal_signal(int sig)
{
	remove_held();
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int fatal_sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE };

/* Installs on_fatal_signal() (once) where no command set a handler. */
static void install_handlers(void)
{
	static const int *sigs = fatal_sigs;
	static bool installed;
	size_t i;

	if (!installed) {
		atexit(remove_held);
		for (i = 0; i < ARRAY_SIZE(fatal_sigs); i++) {
			struct sigaction sa, prev;

			/* a command's own handler (kvmx86 test's) stays */
			if (sigaction(sigs[i], NULL, &prev) < 0 ||
			    prev.sa_handler != SIG_DFL)
				continue;
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_fatal_signal;
			sigemptyset(&sa.sa_mask);
			sigaction(sigs[i], &sa, NULL);
		}
		installed = true;
	}
}

/* Adds (or, with add false, removes) lock; signals wait meanwhile. */
static void track(char *lock, bool add)
{
	sigset_t all, old;
	size_t i;

	install_handlers();
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < HELD_MAX; i++)
		if (add ? !held[i] : held[i] == lock) {
			held[i] = add ? lock : NULL;
			break;
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What a held lock says: its pid (0 if it says none) and host. */
static void lock_owner(const char *lock, long *pid, char *host, size_t n)
{
	char *text = kx_read_file(lock), *end;

	*pid = 0;
	*host = '\0';
	if (!text)
		return;
	*pid = strtol(text, &end, 10);
	if (end == text || *pid <= 0)
		*pid = 0;
	else if (*end == ' ')
		snprintf(host, n, "%.*s", (int)strcspn(end + 1, "\n"), end + 1);
	free(text);
}

/* Creates lock holding "<pid> <host>"; 0, 1 if it exists, or KX_ERROR. */
static int lock_create(const char *lock)
{
	char host[256] = "", line[300];
	int fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	int len;

	if (fd < 0)
		return errno == EEXIST ? 1 : errno == ENOENT ? 2 :
			kx_error_set(KX_ERROR, "cannot create %s: %s", lock,
				     strerror(errno));
	gethostname(host, sizeof(host) - 1);
	len = snprintf(line, sizeof(line), "%ld %s\n", (long)getpid(), host);
	if (write(fd, line, (size_t)len) != len || close(fd) < 0) {
		int error = kx_error_set(KX_ERROR, "cannot write %s: %s", lock,
					 strerror(errno));

		unlink(lock);
		return error;
	}
	return 0;
}

int kx_lock_take(char **out, const char *lock, long wait_ms,
		 const struct kx_lock_words *w)
{
	char host[256], me[256] = "";
	long long deadline = now_ms() + wait_ms;
	long pause_ms = 1, pid;
	sigset_t fatal, old_mask;
	size_t i;
	int error;

	*out = NULL;
	gethostname(me, sizeof(me) - 1);
	/*
	 * a signal between the lock's creation and its tracking would leave
	 * it behind: the signals that remove it wait until it is tracked
	 */
	install_handlers();
	sigemptyset(&fatal);
	for (i = 0; i < ARRAY_SIZE(fatal_sigs); i++)
		sigaddset(&fatal, fatal_sigs[i]);
	for (;;) {
		sigprocmask(SIG_BLOCK, &fatal, &old_mask);
		if ((error = lock_create(lock)) <= 0)
			break;
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		/* none yet, or another's unlock removed the empty directory */
		if (error == 2) {
			char *dir = kx_xstrdup(lock);

			error = kx_mkdir_p(dirname(dir));
			free(dir);
			if (error < 0)
				return error;
			continue;
		}
		lock_owner(lock, &pid, host, sizeof(host));
		if (pid && !strcmp(host, me) && kill((pid_t)pid, 0) < 0 &&
		    errno == ESRCH) {
			error = kx_error_set(KX_ERROR,
					     "a kvmx86 that is gone (pid %ld) left %s locked: %s",
					     pid, w->what, lock);
			kx_error_hint("%s: remove the lock, then run this again:\n"
				      "  rm '%s'", w->gone, lock);
			return error;
		}
		if (now_ms() >= deadline) {
			if (!pid)
				error = kx_error_set(KX_ERROR,
						     "another kvmx86 %s (its lock %s names no process)",
						     w->busy, lock);
			else if (strcmp(host, me))
				error = kx_error_set(KX_ERROR,
						     "another kvmx86 %s (pid %ld on %s)",
						     w->busy, pid, host);
			else
				error = kx_error_set(KX_ERROR,
						     "another kvmx86 %s (pid %ld)",
						     w->busy, pid);
			kx_error_hint("%s, then run this again; if no kvmx86 is running,\n"
				      "the lock is left over: rm '%s'", w->wait, lock);
			return error;
		}
		/* the holders are short: a few ms for most commands */
		{
			struct timespec ts = { 0, pause_ms * 1000000L };

			nanosleep(&ts, NULL);
		}
		pause_ms = pause_ms >= 64 ? 100 : pause_ms * 2;
	}
	if (!error) {
		*out = kx_xstrdup(lock);
		track(*out, true);
	}
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return error;
}

void kx_lock_release(char **lock)
{
	if (!*lock)
		return;
	unlink(*lock);
	track(*lock, false);
	free(*lock);
	*lock = NULL;
}
