// SPDX-License-Identifier: GPL-2.0-only
/*
 * git's hooks, where kvmx86 does what a git command would have done: its
 * send runs sendemail-validate on each mail, as git send-email does
 * (with GIT_DIR set to the repository, as git sets it for a hook).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "io.h"
#include "kvmx86/config.h"
#include "kvmx86/error.h"
#include "kvmx86/hook.h"
#include "kvmx86/run.h"
#include "kvmx86/smtp.h"
#include "kvmx86/util.h"

int kx_hook_find(char **path, git_repository *repo, const char *name)
{
	struct kx_strlist argv = KX_STRLIST_INIT;
	const char **av;
	char *out = NULL, *full;
	struct stat st;
	int status = 0, error;

	*path = NULL;
	kx_repo_git_argv(&argv, repo);
	kx_strlist_add(&argv, "rev-parse");
	kx_strlist_add(&argv, "--git-path");
	kx_strlist_addf(&argv, "hooks/%s", name);
	av = kx_strlist_argv(&argv);
	error = kx_run(av, kx_repo_cwd(repo), &out, &status);
	free(av);
	kx_strlist_release(&argv);
	if (error < 0 || status) {
		free(out);
		return kx_error_set(KX_ERROR, "cannot find git's %s hook: git rev-parse --git-path failed",
				    name);
	}
	out[strcspn(out, "\n")] = '\0';
	full = *out == '/' ? kx_xstrdup(out) :
	       kx_xasprintf("%s/%s", kx_repo_cwd(repo), out);
	free(out);
	if (stat(full, &st) == 0 && S_ISREG(st.st_mode) && access(full, X_OK) == 0)
		*path = full;
	else
		free(full);
	return 0;
}

int kx_hook_run(int *status, git_repository *repo, const char *hook,
		const char *arg)
{
	const char *argv[] = { hook, arg, NULL };
	struct kx_strlist env = KX_STRLIST_INIT;
	const char **envp;
	char **base = kx_run_env();
	pid_t pid;
	size_t i;
	int ws, rc;

	for (i = 0; base[i]; i++)
		kx_strlist_add(&env, base[i]);
	free(base);
	/* git's own hooks get GIT_DIR (the caller's is never passed on) */
	kx_strlist_addf(&env, "GIT_DIR=%s", git_repository_path(repo));
	envp = kx_strlist_argv(&env);
	rc = kx_run_spawn(&pid, argv, kx_repo_cwd(repo), envp, STDERR_FILENO);
	free(envp);
	kx_strlist_release(&env);
	if (rc)
		return kx_error_set(KX_ERROR, "cannot run %s: %s", hook, strerror(rc));
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return kx_error_set(KX_ERROR, "cannot wait for %s: %s", hook,
					    strerror(errno));
	*status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	return 0;
}

int kx_send_validate_wanted(bool *on, git_repository *repo, int option,
			    const char *identity)
{
	git_config *cfg = NULL;
	char *id = NULL, *key = NULL, *v = NULL;
	int error = 0;

	*on = true;
	if (option >= 0) {
		*on = option;
		return 0;
	}
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return kx_git(-1);
	kx_sendemail_identity(&id, kx_config_lookup, cfg, identity);
	if (id) {
		key = kx_xasprintf("sendemail.%s.validate", id);
		if (kx_config_lookup(cfg, key, &v) < 0) {
			free(key);
			key = NULL;
		}
	}
	if (!key) {
		key = kx_xstrdup("sendemail.validate");
		if (kx_config_lookup(cfg, key, &v) < 0)
			v = NULL;
	}
	kx_error_clear();
	if (v)
		error = kx_config_parse_bool(on, key, v);
	free(v);
	free(key);
	free(id);
	git_config_free(cfg);
	return error;
}
