/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libcurl, loaded on first use (lib/io/curl.c) and shared by HTTP and
 * SMTP.  Include this after <curl/curl.h>: calls to curl_* then go
 * through the loaded table.
 */
#ifndef KX_IO_CURL_H
#define KX_IO_CURL_H

#include <curl/curl.h>

struct kx_curl_lib {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *h);
	const char *(*easy_strerror)(CURLcode rc);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
};

extern struct kx_curl_lib kx_curl;

/* Loads libcurl and initialises it once; 0 or KX_ENET with a message. */
int kx_curl_load(void);

/* curl.h makes these two type-checking macros: calls go through kx_curl */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#define curl_global_init kx_curl.global_init
#define curl_easy_init kx_curl.easy_init
#define curl_easy_setopt kx_curl.easy_setopt
#define curl_easy_perform kx_curl.easy_perform
#define curl_easy_getinfo kx_curl.easy_getinfo
#define curl_easy_cleanup kx_curl.easy_cleanup
#define curl_easy_strerror kx_curl.easy_strerror
#define curl_slist_append kx_curl.slist_append
#define curl_slist_free_all kx_curl.slist_free_all

#endif
