/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The series range of an enrolled branch, cached so that reading it
 * (prep --show-info) needs no object database: valid only for the branch
 * tip, recorded base and b4 cover commit it was computed from, which fix
 * the range since commits never change.
 */
#ifndef KVMX86_RANGECACHE_H
#define KVMX86_RANGECACHE_H

#include <stdbool.h>
#include <stddef.h>

/* The key and the computed range; hex ids, "" where there is none. */
struct kx_range_cache {
	char tip[41], base[41], cover[41];	/* the key */
	char start[41], from[41];		/* start: "" for an empty series */
	size_t count;
};

/* Returns the cache file's text for c (malloc'd). */
char *kx_range_cache_format(const struct kx_range_cache *c);

/*
 * Parses text into out; returns 0, or -1 if the text is not a cache of
 * this format (a miss, never an error: the caller recomputes).
 */
int kx_range_cache_parse(struct kx_range_cache *out, const char *text);

/* Returns true if c was computed for this tip, base and cover ("" none). */
bool kx_range_cache_matches(const struct kx_range_cache *c, const char *tip,
			   const char *base, const char *cover);

/* Returns <commondir>kvmx86/cache/<escaped branch>.range (malloc'd). */
char *kx_range_cache_path(const char *commondir, const char *branch);

#endif
