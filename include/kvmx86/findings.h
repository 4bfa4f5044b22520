/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Findings: what the rules report.  Data, not errors: a rule that finds a
 * problem still returns normally.  Severities can be tuned per rule
 * (git config kvmx86.rule.<id>), so a rule only names its default.
 */
#ifndef KVMX86_FINDINGS_H
#define KVMX86_FINDINGS_H

#include <stddef.h>

enum kx_severity {
	KX_SEV_OFF = 0,
	KX_SEV_ADVICE,
	KX_SEV_WARNING,
	KX_SEV_ERROR,
};

/* Returns "off", "advice", "warning" or "error". */
const char *kx_severity_name(enum kx_severity sev);

/* Parses a severity name; 0 or KX_EINVALID. */
int kx_severity_parse(enum kx_severity *out, const char *name);

struct kx_finding {
	char commit[41];		/* "" for a series-wide finding */
	const char *rule;		/* the rule id (static) */
	enum kx_severity severity;
	char *message;
	/* where in the commit's files, for findings about code: or NULL, 0 */
	char *path;
	unsigned line;		/* in path as the commit has it; 0: unknown */
};

/* A per-rule severity set by configuration. */
struct kx_rule_override {
	char *rule;
	enum kx_severity severity;
};

struct kx_findings {
	struct kx_finding *items;
	size_t nr, alloc;
	/* the commit kx_findings_add() attributes to: the rule runner's */
	char commit[41];
	const struct kx_rule_override *overrides;
	size_t overrides_nr;
};
#define KX_FINDINGS_INIT { NULL, 0, 0, { 0 }, NULL, 0 }

/*
 * Adds a finding of rule with its default severity, unless an override
 * turns it off; attributed to f->commit.  Returns 0.
 */
int kx_findings_add(struct kx_findings *f, enum kx_severity sev,
		    const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Adds a finding of rule about commit (40-hex; NULL: the whole series),
 * whatever f->commit says, as kx_findings_add() does otherwise.
 */
int kx_findings_add_at(struct kx_findings *f, const char *commit,
		       enum kx_severity sev, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Adds a finding about line (0: unknown) of path, a file of f->commit, as
 * kx_findings_add() does otherwise.
 */
int kx_findings_add_line(struct kx_findings *f, const char *path,
			 unsigned line, enum kx_severity sev, const char *rule,
			 const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Counts the findings of severity sev. */
size_t kx_findings_count(const struct kx_findings *f, enum kx_severity sev);

/* Returns the number of findings of rule (any severity). */
size_t kx_findings_of(const struct kx_findings *f, const char *rule);

/* Frees every finding; f may be reused. */
void kx_findings_release(struct kx_findings *f);

#endif
