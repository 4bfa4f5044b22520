// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvmx86's executable: answers what it can without libgit2 (fast.c) and
 * loads the commands, linked with libgit2, only when it must.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kvmx86.h"
#include "kvmx86/util.h"

#define MODULE "libkvmx86-cmd.so"

/*
 * The module sits next to the executable in the build tree, and at
 * KX_MODULE_REL from it once installed (relative, so that an install
 * under DESTDIR works too), else at KX_MODULE_DIR.
 */
static void *load_module(char **tried)
{
	char exe[PATH_MAX], *slash, *path;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	void *handle;

	*tried = NULL;
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		*slash = '\0';
		path = kx_xasprintf("%s/" MODULE, exe);
		if (!access(path, F_OK)) {
			*tried = path;
			return dlopen(path, RTLD_NOW | RTLD_LOCAL);
		}
		free(path);
		path = kx_xasprintf("%s/" KX_MODULE_REL "/" MODULE, exe);
		if (!access(path, F_OK)) {
			*tried = path;
			return dlopen(path, RTLD_NOW | RTLD_LOCAL);
		}
		free(path);
	}
	*tried = kx_xstrdup(KX_MODULE_DIR "/" MODULE);
	handle = dlopen(*tried, RTLD_NOW | RTLD_LOCAL);
	return handle;
}

int main(int argc, char **argv)
{
	int (*full)(int, char **);
	char *tried;
	void *module;
	int ret = kx_fast_main(argc, argv);

	if (ret >= 0) {
		if (fflush(stdout) || ferror(stdout)) {
			kx_out_printf(stderr, "fatal: could not write the output\n");
			return KX_EXIT_FAILURE;
		}
		return ret;
	}
	module = load_module(&tried);
	full = module ? (int (*)(int, char **))dlsym(module, "kx_cmd_main") : NULL;
	if (!full) {
		kx_out_printf(stderr, "fatal: cannot load kvmx86's commands from %s: %s\n"
			"hint: reinstall kvmx86 (its executable and %s belong together)\n",
			tried, dlerror(), MODULE);
		free(tried);
		return KX_EXIT_FAILURE;
	}
	free(tried);
	/* the module stays loaded until exit: its atexit work may need it */
	return full(argc, argv);
}
