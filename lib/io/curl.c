// SPDX-License-Identifier: GPL-2.0-only
/*
 * libcurl is loaded on the first request, not with the module: with its
 * TLS, IDN, LDAP, SSH and Kerberos libraries it is some 30 shared objects,
 * and loading them cost every command 6-17 ms (measured with a dlopen()
 * of libgit2 alone against libgit2 and libcurl), while only the lore
 * look-ups and the mails that go by SMTP use it.  The soname has been
 * libcurl.so.4 since 2006.
 */
#include <stdbool.h>
#include <string.h>

#include <dlfcn.h>

#include "kvmx86/error.h"
#include "curl.h"

#define KX_LIBCURL "libcurl.so.4"

struct kx_curl_lib kx_curl;

int kx_curl_load(void)
{
	static bool done;
	void *h;

	if (done)
		return 0;
	h = dlopen(KX_LIBCURL, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return kx_error_set(KX_ENET, "cannot load %s: %s", KX_LIBCURL,
				    dlerror());
	*(void **)&kx_curl.global_init = dlsym(h, "curl_global_init");
	*(void **)&kx_curl.easy_init = dlsym(h, "curl_easy_init");
	*(void **)&kx_curl.easy_setopt = dlsym(h, "curl_easy_setopt");
	*(void **)&kx_curl.easy_perform = dlsym(h, "curl_easy_perform");
	*(void **)&kx_curl.easy_getinfo = dlsym(h, "curl_easy_getinfo");
	*(void **)&kx_curl.easy_cleanup = dlsym(h, "curl_easy_cleanup");
	*(void **)&kx_curl.easy_strerror = dlsym(h, "curl_easy_strerror");
	*(void **)&kx_curl.slist_append = dlsym(h, "curl_slist_append");
	*(void **)&kx_curl.slist_free_all = dlsym(h, "curl_slist_free_all");
	if (!kx_curl.global_init || !kx_curl.easy_init ||
	    !kx_curl.easy_setopt || !kx_curl.easy_perform ||
	    !kx_curl.easy_getinfo || !kx_curl.easy_cleanup ||
	    !kx_curl.easy_strerror || !kx_curl.slist_append ||
	    !kx_curl.slist_free_all) {
		memset(&kx_curl, 0, sizeof(kx_curl));
		dlclose(h);
		return kx_error_set(KX_ENET, "%s lacks a function kvmx86 needs",
				    KX_LIBCURL);
	}
	/* kvmx86 is single-threaded; libcurl wants this before any handle */
	kx_curl.global_init(CURL_GLOBAL_DEFAULT);
	done = true;
	return 0;
}
