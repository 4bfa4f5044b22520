// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/branch.h"
#include "kvmx86/error.h"
#include "kvmx86/util.h"

int kx_branch_topic(char *out, size_t n, const char *branch)
{
	const char *topic, *slash;
	size_t len;

	if (kx_starts_with(branch, "refs/heads/"))
		branch += strlen("refs/heads/");
	if (!kx_starts_with(branch, "x86/"))
		return KX_ENOTFOUND;
	topic = branch + 4;
	slash = strchr(topic, '/');
	/* x86/<topic>/<name>: both parts non-empty */
	if (!slash || slash == topic || !slash[1])
		return KX_ENOTFOUND;
	len = (size_t)(slash - topic);
	if (len + 1 > n)
		return KX_EINVALID;
	memcpy(out, topic, len);
	out[len] = '\0';
	return 0;
}

bool kx_branch_name_is_safe(const char *name)
{
	const char *p;

	if (!*name || *name == '-')
		return false;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._/+@%-", *p))
			return false;
	return true;
}

/* Returns true if rest is "", "/", ".git" or ".git/". */
static bool repo_suffix_ok(const char *rest)
{
	return !strcmp(rest, "") || !strcmp(rest, "/") ||
	       !strcmp(rest, ".git") || !strcmp(rest, ".git/");
}

/* Finds host in url (case-insensitively) and returns what follows it. */
static const char *after_host(const char *url, const char *host)
{
	size_t n = strlen(host);
	const char *p;

	for (p = url; *p; p++) {
		if (strncasecmp(p, host, n))
			continue;
		/* the host must be a whole name: "//host", "@host" or "host" */
		if (p != url && p[-1] != '/' && p[-1] != '@')
			continue;
		p += n;
		if (*p == ':' && isdigit((unsigned char)p[1])) {
			/* a port */
			while (*++p && isdigit((unsigned char)*p))
				;
		}
		if (*p != ':' && *p != '/')
			return NULL;
		while (*p == ':' || *p == '/')
			p++;
		return p;
	}
	return NULL;
}

bool kx_url_is_kvm_x86(const char *url)
{
	const char *path = after_host(url, "github.com");

	return path && !strncasecmp(path, "kvm-x86/linux", 13) &&
	       repo_suffix_ok(path + 13);
}

bool kx_url_is_kvm(const char *url)
{
	const char *path = after_host(url, "git.kernel.org");

	if (!path)
		return false;
	if (kx_starts_with(path, "pub/scm/"))
		path += strlen("pub/scm/");
	return kx_starts_with(path, "virt/kvm/kvm") &&
	       repo_suffix_ok(path + strlen("virt/kvm/kvm"));
}

bool kx_url_is_mainline(const char *url)
{
	const char *path = after_host(url, "git.kernel.org");

	if (path) {
		if (kx_starts_with(path, "pub/scm/"))
			path += strlen("pub/scm/");
		return kx_starts_with(path, "linux/kernel/git/torvalds/linux") &&
		       repo_suffix_ok(path + strlen("linux/kernel/git/torvalds/linux"));
	}
	path = after_host(url, "github.com");
	return path && !strncasecmp(path, "torvalds/linux", 14) &&
	       repo_suffix_ok(path + 14);
}
