/* SPDX-License-Identifier: GPL-2.0-only */
/* SDM/APM section numbers in text (internal to the rules). */
#ifndef KVMX86_RULES_SDM_H
#define KVMX86_RULES_SDM_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/findings.h"

/*
 * Adds a no-sdm-section-numbers finding of severity sev for each numbered
 * SDM/APM reference in lines[0..nr) (each line with its neighbours as
 * context), saying it is in where ("the changelog", "the cover letter").
 * With path, each finding is about path's line at[i] (at NULL: unknown).
 */
void kx_sdm__scan(struct kx_findings *out, const char *const *lines,
		  size_t nr, enum kx_severity sev, const char *where,
		  const char *path, const unsigned *at);

/*
 * Whether lines[0..nr) hold a numbered SDM/APM reference, one that
 * kx_sdm__scan() reports (no-sdm-copy-in-comments leaves such a comment
 * to no-sdm-section-numbers).
 */
bool kx_sdm__numbered(const char *const *lines, size_t nr);

#endif
