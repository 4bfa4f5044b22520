/* SPDX-License-Identifier: GPL-2.0-only */
/* Branch names: the handbook's x86/<topic>/<name> convention.  Pure code. */
#ifndef KVMX86_BRANCH_H
#define KVMX86_BRANCH_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copies the topic of an "x86/<topic>/<name>" branch (refs/heads/ may lead)
 * into out and returns 0; returns KX_ENOTFOUND if the name does not follow
 * the convention, KX_EINVALID if out (of size n) is too small.
 */
int kx_branch_topic(char *out, size_t n, const char *branch);

/*
 * Returns true if name can be pasted into a shell command as one word
 * unquoted: [A-Za-z0-9._/+@%-] only, and not starting with '-'.
 */
bool kx_branch_name_is_safe(const char *name);

/* Returns true if url names the KVM x86 tree (github.com/kvm-x86/linux). */
bool kx_url_is_kvm_x86(const char *url);

/* Returns true if url names the main KVM tree (virt/kvm/kvm.git). */
bool kx_url_is_kvm(const char *url);

/*
 * Returns true if url names Linus Torvalds' tree (git.kernel.org's
 * torvalds/linux.git, or its GitHub mirror): mainline, which no series is
 * part of.
 */
bool kx_url_is_mainline(const char *url);

#endif
