// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trailer rules: Fixes:, Cc: stable, Link:, Signed-off-by: and
 * Co-developed-by:.  They read the raw lines of the body up to a "---"
 * line, so a tag misplaced in the prose is checked as well as one in the
 * trailer block.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/rules.h"
#include "text.h"

#define FIXES_FORMAT "'Fixes: <12+ hex digits> (\"<subject>\")'"
#define STABLE_ADDR "stable@vger.kernel.org"

/* Splits body into lines, stopping at a "---" separator line. */
static void body_lines(struct kx_strlist *out, const char *body)
{
	const char *p = body ? body : "";

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = kx_xstrndup(p, len);

		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (!strcmp(line, "---") || kx_starts_with(line, "--- ")) {
			free(line);
			break;
		}
		kx_grow((void **)&out->items, &out->alloc, out->nr,
			sizeof(*out->items));
		out->items[out->nr++] = line;
		if (!nl)
			break;
		p = nl + 1;
	}
}

/*
 * If line is "<key>:" (key compared case-insensitively, leading space
 * allowed), returns the value after the colon with its spaces skipped.
 */
static const char *tag_value(const char *line, const char *key)
{
	size_t n = strlen(key);

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncasecmp(line, key, n) || line[n] != ':')
		return NULL;
	line += n + 1;
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

/* Length of s without its trailing whitespace. */
static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

static size_t hex_run(const char *s)
{
	size_t n = 0;

	while (isxdigit((unsigned char)s[n]))
		n++;
	return n;
}

/*
 * Is line i in a paragraph of trailers only: "Token: value" lines, their
 * indented continuations and maintainers' "[name: note]" lines?
 */
static bool in_trailer_paragraph(const struct kx_strlist *l, size_t i)
{
	size_t start = i, end = i;

	while (start && !kx_text_is_blank(l->items[start - 1]))
		start--;
	while (end < l->nr && !kx_text_is_blank(l->items[end]))
		end++;
	for (i = start; i < end; i++) {
		const char *s = l->items[i];

		if (!kx_text_token_len(s) && *s != ' ' && *s != '\t' && *s != '[')
			return false;
	}
	return true;
}

/* --- fixes-tag-format --- */

/* Why the Fixes: line is malformed, or NULL if it is well formed. */
static const char *fixes_problem(const char *line, char *buf, size_t bufsz,
				 const char **subj, size_t *subjlen)
{
	const char *p = line, *q;
	size_t hex, end;

	if (strncmp(p, "Fixes:", 6)) {
		snprintf(buf, bufsz, "has the tag spelt '%.*s'",
			 (int)kx_text_token_len(p) + 1, p);
		return buf;
	}
	p += 6;
	if (*p != ' ' || p[1] == ' ' || p[1] == '\t')
		return "needs exactly one space after 'Fixes:'";
	p++;
	hex = hex_run(p);
	if (hex < 4 || (p[hex] && !isspace((unsigned char)p[hex]) &&
			p[hex] != '('))
		return "does not start with a commit id";
	for (q = p; q < p + hex; q++)
		if (isupper((unsigned char)*q))
			return "has an uppercase commit id";
	if (hex < 12) {
		snprintf(buf, bufsz, "has a commit id of only %zu digits",
			 hex);
		return buf;
	}
	if (hex > 40)
		return "has a commit id longer than 40 digits";
	p += hex;
	if (strncmp(p, " (\"", 3)) {
		/* the subject is there, the spacing before it is not */
		for (q = p; *q == ' ' || *q == '\t'; q++)
			;
		if (!strncmp(q, "(\"", 2))
			return "needs exactly one space between the commit id "
			       "and '(\"'";
		return "lacks the quoted subject in parentheses";
	}
	p += 3;
	end = trimmed_len(p);
	if (end < 2 || strncmp(p + end - 2, "\")", 2))
		return "does not end with '\")' (keep the tag on one line)";
	if (end == 2)
		return "has an empty subject";
	*subj = p;
	*subjlen = end - 2;
	return NULL;
}

/* Looks the Fixes: target up; the format check has already run. */
static void fixes_lookup(struct kx_findings *out,
			 const struct kx_rule_env *env, const char *value,
			 const char *subj, size_t subjlen)
{
	size_t hex = hex_run(value);
	char *id, *actual = NULL;
	int r;

	if (hex < 4 || hex > 40)
		return;
	id = kx_xstrndup(value, hex);
	r = env->lookup_commit(env->data, id, &actual);
	if (r == 0) {
		kx_findings_add(out, KX_SEV_ERROR, "fixes-tag-format",
				"Fixes: target '%s' is not in the repository: "
				"check the id (rebased or not fetched?)", id);
	} else if (r < 0 && hex >= 12) {
		kx_findings_add(out, KX_SEV_WARNING, "fixes-tag-format",
				"Fixes: target '%s' is ambiguous: "
				"use more hex digits", id);
	} else if (r > 0 && subj && actual &&
		   (strlen(actual) != subjlen ||
		    strncmp(actual, subj, subjlen))) {
		kx_findings_add(out, KX_SEV_WARNING, "fixes-tag-format",
				"Fixes: subject \"%.*s\" does not match commit "
				"%s \"%s\": copy the commit's subject",
				(int)subjlen, subj, id, actual);
	}
	free(actual);
	free(id);
}

void kx_rule_fixes_tag_format(struct kx_findings *out,
			      const struct kx_patch *p,
			      const struct kx_rule_env *env)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	size_t i;

	body_lines(&l, p->body);
	for (i = 0; i < l.nr; i++) {
		const char *line = l.items[i], *value, *why, *subj = NULL;
		size_t subjlen = 0;
		char buf[64];

		/* the tag starts the line; leading space is itself a fault */
		if (!(value = tag_value(line, "Fixes")))
			continue;
		if (*line == ' ' || *line == '\t')
			why = "is indented";
		else
			why = fixes_problem(line, buf, sizeof(buf), &subj,
					    &subjlen);
		if (why)
			kx_findings_add(out, KX_SEV_ERROR, "fixes-tag-format",
					"Fixes: tag '%.*s' %s: write it as "
					FIXES_FORMAT, (int)trimmed_len(line),
					line, why);
		if (env && env->lookup_commit)
			fixes_lookup(out, env, value, subj, subjlen);
	}
	kx_strlist_release(&l);
}

/* --- cc-stable --- */

/*
 * Does a Cc: value name the stable list in any spelling: an address
 * "stable@..." or the bare word "stable" (with a comment at most)?
 */
static bool mentions_stable(const char *v)
{
	const char *s, *q;

	for (s = v; *s; s++) {
		if (strncasecmp(s, "stable@", 7))
			continue;
		if (s == v || s[-1] == ' ' || s[-1] == '<' || s[-1] == ',' ||
		    s[-1] == '\t' || s[-1] == '"')
			return true;
	}
	if (strncasecmp(v, "stable", 6))
		return false;
	for (q = v + 6; *q == ' ' || *q == '\t'; q++)
		;
	return !*q || *q == '#' || *q == '[' || (q == v + 6 && *q == ',');
}

/* Is v exactly "stable@vger.kernel.org", optionally with "# <comment>"? */
static bool stable_value_ok(const char *v)
{
	const char *p;

	if (strncmp(v, STABLE_ADDR, strlen(STABLE_ADDR)))
		return false;
	p = v + strlen(STABLE_ADDR);
	if (!*p || kx_text_is_blank(p))
		return true;
	if (*p != ' ' && *p != '\t')
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '#';
}

void kx_rule_cc_stable(struct kx_findings *out, const struct kx_patch *p,
		       const struct kx_rule_env *env)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	size_t i;

	(void)env;
	body_lines(&l, p->body);
	for (i = 0; i < l.nr; i++) {
		const char *line = l.items[i], *v = tag_value(line, "Cc");
		int n = (int)trimmed_len(line);

		if (!v || !mentions_stable(v))
			continue;
		if (!in_trailer_paragraph(&l, i)) {
			kx_findings_add(out, KX_SEV_WARNING, "cc-stable",
					"'%.*s' is in the changelog prose: "
					"move it to the trailers as 'Cc: "
					STABLE_ADDR "'", n, line);
		} else if (strncmp(line, "Cc: ", 4) || v != line + 4 ||
			   !stable_value_ok(v)) {
			kx_findings_add(out, KX_SEV_WARNING, "cc-stable",
					"malformed stable tag '%.*s': write "
					"'Cc: " STABLE_ADDR "', optionally "
					"followed by ' # <version>'", n, line);
		}
	}
	kx_strlist_release(&l);
}

/* --- lore-link-format and no-prev-version-link-in-changelog --- */

static const char *const old_archives[] = {
	"marc.info", "lkml.org", "spinics.net", "mail-archive.com",
	"lists.linuxfoundation.org", "lkml.iu.edu", "uwsg.indiana.edu",
	"gmane.org", "lists.infradead.org", "lore.kernel.org/patchwork",
};

/* The URL in a Link: value (skipping a "<" and a "v1:"-like label). */
static const char *link_url(const char *v, size_t *len)
{
	const char *u = strstr(v, "://"), *e;

	if (!u)
		return NULL;
	while (u > v && isalpha((unsigned char)u[-1]))
		u--;
	for (e = u; *e && !isspace((unsigned char)*e) && *e != '>'; e++)
		;
	*len = (size_t)(e - u);
	return u;
}

static bool host_is(const char *host, size_t hlen, const char *name)
{
	size_t n = strlen(name);

	if (hlen == n && !strncasecmp(host, name, n))
		return true;
	/* subdomains: "www." + name, "patchwork." + name... */
	return hlen > n && host[hlen - n - 1] == '.' &&
	       !strncasecmp(host + hlen - n, name, n);
}

static bool is_old_archive(const char *host, size_t hlen, const char *path)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(old_archives); i++) {
		const char *a = old_archives[i], *slash = strchr(a, '/');

		if (slash) {
			if ((size_t)(slash - a) == hlen &&
			    !strncasecmp(host, a, hlen) &&
			    kx_starts_with(path, slash))
				return true;
		} else if (host_is(host, hlen, a)) {
			return true;
		}
	}
	return hlen > 10 && !strncasecmp(host, "patchwork.", 10);
}

/*
 * Copies the message-id out of a lore or patch.msgid.link URL (the path
 * component after the list name), decoding %XX; NULL if there is none.
 */
static char *url_msgid(const char *url, size_t len)
{
	const char *path = NULL, *end = url + len, *s, *e;
	char *out, *o;

	if (len > 8 && !strncasecmp(url, "https://", 8))
		path = url + 8;
	else if (len > 7 && !strncasecmp(url, "http://", 7))
		path = url + 7;
	if (!path)
		return NULL;
	if (!strncasecmp(path, "lore.kernel.org/", 16)) {
		s = memchr(path + 16, '/', (size_t)(end - path - 16));
		if (!s)
			return NULL;
		s++;
	} else if (!strncasecmp(path, "patch.msgid.link/", 17)) {
		s = path + 17;
	} else {
		return NULL;
	}
	e = memchr(s, '/', (size_t)(end - s));
	if (!e)
		e = end;
	if (e == s)
		return NULL;
	out = o = kx_xmalloc((size_t)(e - s) + 1);
	for (; s < e; s++) {
		if (*s == '%' && s + 2 < e && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			char hex[3] = { s[1], s[2], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

/*
 * Checks one Link: or Closes: URL; adds at most one finding.  A list's own
 * lore path (lore.kernel.org/lkml/<id>/) is as good as /r/: the catalog
 * accepts it, and the advice to prefer /r/ was a false alarm on every real
 * patch it met (docs/rules.md, "False positives").
 */
static void check_link(struct kx_findings *out, const char *line,
		       const char *url, size_t len)
{
	const char *host, *hend, *path, *lend, *id, *iend;
	size_t hlen;
	int n = (int)trimmed_len(line);

	if (len > 8 && !strncasecmp(url, "https://", 8)) {
		host = url + 8;
	} else if (len > 7 && !strncasecmp(url, "http://", 7)) {
		host = url + 7;
	} else {
		kx_findings_add(out, KX_SEV_WARNING, "lore-link-format",
				"'%.*s' is not an http(s) link: link to the "
				"lore archive, https://lore.kernel.org/r/"
				"<message-id>", n, line);
		return;
	}
	hend = memchr(host, '/', len - (size_t)(host - url));
	if (!hend)
		hend = url + len;
	hlen = (size_t)(hend - host);
	path = hend;
	if (is_old_archive(host, hlen, path)) {
		kx_findings_add(out, KX_SEV_WARNING, "lore-link-format",
				"'%.*s' links to another archive: use lore, "
				"https://lore.kernel.org/r/<message-id>",
				n, line);
		return;
	}
	if (!host_is(host, hlen, "lore.kernel.org") &&
	    !host_is(host, hlen, "patch.msgid.link"))
		return;		/* bug trackers and the like are fine */
	if (host == url + 7) {
		kx_findings_add(out, KX_SEV_WARNING, "lore-link-format",
				"'%.*s' uses http: write https://", n, line);
		return;
	}
	if (host_is(host, hlen, "patch.msgid.link")) {
		lend = path;
	} else {
		lend = path + (*path == '/');	/* past the list's name */
		while (lend < url + len && *lend != '/')
			lend++;
	}
	id = lend + (lend < url + len && *lend == '/');
	iend = id;
	while (iend < url + len && *iend != '/')
		iend++;
	if (iend == id || !memchr(id, '@', (size_t)(iend - id)) ||
	    memchr(id, '<', (size_t)(iend - id)) ||
	    strstr(line, "%3C") || strstr(line, "%3c") ||
	    strchr(line, '<') || strchr(line, '>')) {
		kx_findings_add(out, KX_SEV_WARNING, "lore-link-format",
				"'%.*s' is not a message link: write "
				"https://lore.kernel.org/r/<message-id> "
				"without angle brackets", n, line);
	}
}

void kx_rule_lore_link_format(struct kx_findings *out,
			      const struct kx_patch *p,
			      const struct kx_rule_env *env)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	size_t i;

	(void)env;
	body_lines(&l, p->body);
	for (i = 0; i < l.nr; i++) {
		const char *line = l.items[i], *v, *url;
		size_t len = 0;

		if (!(v = tag_value(line, "Link")) &&
		    !(v = tag_value(line, "Closes")))
			continue;
		url = link_url(v, &len);
		check_link(out, line, url ? url : v,
			   url ? len : trimmed_len(v));
	}
	kx_strlist_release(&l);
}

/* Is "<id>" or "id" in the list of sent message-ids? */
static bool msgid_sent(const struct kx_strlist *sent, const char *id)
{
	size_t i, n = strlen(id);

	for (i = 0; sent && i < sent->nr; i++) {
		const char *s = sent->items[i];
		size_t m = strlen(s);

		if (*s == '<' && m >= 2 && s[m - 1] == '>') {
			s++;
			m -= 2;
		}
		if (m == n && !strncmp(s, id, n))
			return true;
	}
	return false;
}

/* Does s (outside [url, url + len)) have a "v<N>" word? */
static bool has_version_word(const char *s, const char *url, size_t len)
{
	const char *p;

	for (p = s; *p; p++) {
		if (url && p == url) {
			p += len - 1;
			continue;
		}
		if ((*p != 'v' && *p != 'V') ||
		    (p > s && isalnum((unsigned char)p[-1])) ||
		    !isdigit((unsigned char)p[1]))
			continue;
		for (p++; isdigit((unsigned char)*p); p++)
			;
		/* "v2" labels a version, "v6.1" names a kernel */
		if (!isalnum((unsigned char)*p) &&
		    !(*p == '.' && isdigit((unsigned char)p[1])))
			return true;
		p--;
	}
	return false;
}

/* "Link to v1", "link to the previous version"... in the prose. */
static bool prose_version_link(const char *line)
{
	static const char *const words[] = {
		"v", "the v", "previous version", "the previous version",
		"earlier version", "the earlier version", "last version",
		"the last version",
	};
	const char *p;
	size_t i;

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncasecmp(line, "link to ", 8) &&
	    strncasecmp(line, "links to ", 9))
		return false;
	p = line + (tolower((unsigned char)line[4]) == 's' ? 9 : 8);
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		size_t n = strlen(words[i]);

		if (strncasecmp(p, words[i], n))
			continue;
		if (words[i][n - 1] != 'v' || isdigit((unsigned char)p[n]))
			return true;
	}
	return false;
}

void kx_rule_no_prev_version_link(struct kx_findings *out,
				  const struct kx_patch *p,
				  const struct kx_rule_env *env)
{
	const char *rule = "no-prev-version-link-in-changelog";
	struct kx_strlist l = KX_STRLIST_INIT;
	size_t i;

	body_lines(&l, p->body);
	for (i = 0; i < l.nr; i++) {
		const char *line = l.items[i], *v, *url;
		int n = (int)trimmed_len(line);
		size_t len = 0;
		char *id = NULL;

		if (prose_version_link(line)) {
			kx_findings_add(out, KX_SEV_WARNING, rule,
					"'%.*s' links an earlier version: "
					"move it below '---' or into the "
					"cover letter", n, line);
			continue;
		}
		if (!(v = tag_value(line, "Link")))
			continue;
		url = link_url(v, &len);
		if (url)
			id = url_msgid(url, len);
		if (id && env && env->sent_msgids &&
		    msgid_sent(env->sent_msgids, id))
			kx_findings_add(out, KX_SEV_WARNING, rule,
					"'%.*s' links an earlier version of "
					"this series: move it below '---' or "
					"into the cover letter", n, line);
		else if (has_version_word(v, url, len))
			kx_findings_add(out, KX_SEV_WARNING, rule,
					"'%.*s' looks like a link to an "
					"earlier version: move it below '---' "
					"or into the cover letter", n, line);
		free(id);
	}
	kx_strlist_release(&l);
}

/* --- signoff --- */

/* Splits "Name <email>" into its parts (either may be empty). */
static void split_ident(const char *v, char **name, char **email)
{
	const char *lt = strchr(v, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	size_t n;

	if (lt) {
		/* "Name <email" without its '>' is still that person */
		if (!gt)
			gt = lt + 1 + trimmed_len(lt + 1);
		n = (size_t)(lt - v);
		while (n && isspace((unsigned char)v[n - 1]))
			n--;
		*name = kx_xstrndup(v, n);
		*email = kx_xstrndup(lt + 1, (size_t)(gt - lt - 1));
	} else if (strchr(v, '@') && !strchr(v, ' ')) {
		*name = kx_xstrdup("");
		*email = kx_xstrndup(v, trimmed_len(v));
	} else {
		*name = kx_xstrndup(v, trimmed_len(v));
		*email = kx_xstrdup("");
	}
}

static bool same(const char *a, const char *b)
{
	return a && b && *a && *b && !strcasecmp(a, b);
}

/* Does v carry an address in angle brackets, "<local@domain>"? */
static bool has_bracketed_email(const char *v)
{
	const char *lt = strchr(v, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	const char *at;

	if (!gt)
		return false;
	at = memchr(lt, '@', (size_t)(gt - lt));
	return at && at > lt + 1 && at + 1 < gt;
}

/* Are the identities a and b ("Name <email>") the same person? */
static bool same_ident(const char *a, const char *b)
{
	char *an, *ae, *bn, *be;
	bool r;

	split_ident(a, &an, &ae);
	split_ident(b, &bn, &be);
	r = same(ae, be) || same(an, bn);
	free(an);
	free(ae);
	free(bn);
	free(be);
	return r;
}

/*
 * submitting-patches: "every Co-developed-by: must be immediately followed
 * by a Signed-off-by: of the associated co-author".  Checks the line after
 * the Co-developed-by: at line i.
 */
static void check_codev(struct kx_findings *out, const struct kx_strlist *l,
			size_t i, const char *codev)
{
	const char *next = i + 1 < l->nr ?
			   tag_value(l->items[i + 1], "Signed-off-by") : NULL;
	int n = (int)trimmed_len(l->items[i]), cn = (int)trimmed_len(codev);

	if (!next)
		kx_findings_add(out, KX_SEV_ERROR, "signoff",
				"'%.*s' is not followed by the co-author's "
				"Signed-off-by: put 'Signed-off-by: %.*s' on "
				"the line right after it", n, l->items[i],
				cn, codev);
	else if (!same_ident(codev, next))
		kx_findings_add(out, KX_SEV_ERROR, "signoff",
				"'%.*s' is followed by the Signed-off-by: of "
				"'%.*s', not of the co-author: put "
				"'Signed-off-by: %.*s' right after it", n,
				l->items[i], (int)trimmed_len(next), next,
				cn, codev);
}

void kx_rule_signoff(struct kx_findings *out, const struct kx_patch *p,
		     const struct kx_rule_env *env)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	size_t i, nr = 0;
	bool author = false;
	bool known = (p->author_name && *p->author_name) ||
		     (p->author_email && *p->author_email);

	(void)env;
	body_lines(&l, p->body);
	for (i = 0; i < l.nr; i++) {
		const char *v = tag_value(l.items[i], "Signed-off-by");
		const char *codev = tag_value(l.items[i], "Co-developed-by");
		/* an indented tag is quoted text: its form is not the patch's */
		bool quoted = *l.items[i] == ' ' || *l.items[i] == '\t';
		char *name, *email;

		if (codev && !quoted)
			check_codev(out, &l, i, codev);
		if (!v)
			continue;
		nr++;
		if (!quoted && !has_bracketed_email(v))
			kx_findings_add(out, KX_SEV_ERROR, "signoff",
					"'%.*s' has no e-mail address in angle "
					"brackets: write 'Signed-off-by: Full "
					"Name <address>'",
					(int)trimmed_len(l.items[i]),
					l.items[i]);
		split_ident(v, &name, &email);
		if (same(email, p->author_email) ||
		    same(name, p->author_name))
			author = true;
		free(name);
		free(email);
	}
	if (!nr)
		kx_findings_add(out, KX_SEV_ERROR, "signoff",
				"no Signed-off-by: trailer: certify the "
				"patch with 'git commit --amend -s'");
	else if (known && !author)
		kx_findings_add(out, KX_SEV_ERROR, "signoff",
				"no Signed-off-by: from the author '%s%s<%s>': "
				"the author must sign off",
				p->author_name ? p->author_name : "",
				p->author_name && *p->author_name ? " " : "",
				p->author_email ? p->author_email : "");
	kx_strlist_release(&l);
}

/* --- link-for-bug-report --- */

/* Is line a "Reported-by:" (or "Reported-and-tested-by:") trailer? */
static const char *reported_by(const char *line)
{
	const char *v;

	if (*line == ' ' || *line == '\t')
		return NULL;
	if ((v = tag_value(line, "Reported-by")) ||
	    (v = tag_value(line, "Reported-and-tested-by")))
		return v;
	return NULL;
}

/* Is line "Closes: <url>" or "Link: <url>"? */
static bool links_report(const char *line)
{
	const char *v;
	size_t len;

	if (!(v = tag_value(line, "Closes")) && !(v = tag_value(line, "Link")))
		return false;
	return link_url(v, &len) != NULL;
}

/*
 * The handbook: "Do provide a formal Link: for bug reports"; submitting-
 * patches: Reported-by: "should be followed by a Closes: tag pointing to
 * the report".  As checkpatch (BAD_REPORTED_BY_LINK) has it, the link is
 * next to the report's tag, not anywhere: the trailers of an applied patch
 * carry a Link: to the patch itself, which is no report.  A run of
 * Reported-by: lines (one report, several reporters) shares one link, and
 * a link right above the run counts too: older patches put it there, and
 * the handbook asks for the link, not for its place.
 */
void kx_rule_link_for_bug_report(struct kx_findings *out,
				 const struct kx_patch *p,
				 const struct kx_rule_env *env)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	size_t i, j, taken = SIZE_MAX;	/* the link of the previous run */

	(void)env;
	body_lines(&l, p->body);
	for (i = 0; i < l.nr; i = j) {
		j = i + 1;
		if (!reported_by(l.items[i]))
			continue;
		while (j < l.nr && reported_by(l.items[j]))
			j++;
		if (j < l.nr && links_report(l.items[j])) {
			taken = j;
			continue;
		}
		if (i > 0 && i - 1 != taken && links_report(l.items[i - 1]))
			continue;
		kx_findings_add(out, KX_SEV_ADVICE, "link-for-bug-report",
				"'%.*s' is not followed by a link to the "
				"report: add 'Closes: <url>' right after it "
				"(https://lore.kernel.org/r/<message-id> for a "
				"report on a list)",
				(int)trimmed_len(l.items[j - 1]),
				l.items[j - 1]);
	}
	kx_strlist_release(&l);
}

/* --- fixes-tag-exists --- */

/*
 * Where s has word w standing alone: not inside a longer word or
 * identifier.  Any case, but a w without lower case (WARN, BUG, UAF) only
 * as written: "speculation bug" is a name, not a BUG.  Returns its start,
 * or NULL.
 */
static const char *find_word(const char *s, const char *w)
{
	size_t n = strlen(w);
	const char *p;
	bool exact = true;

	for (p = w; *p; p++)
		if (islower((unsigned char)*p))
			exact = false;
	for (p = s; *p; p++) {
		if (exact ? strncmp(p, w, n) : strncasecmp(p, w, n))
			continue;
		if (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
			      p[-1] == '-'))
			continue;
		if (isalnum((unsigned char)p[n]) || p[n] == '_' ||
		    (p[n] == '-' && isalpha((unsigned char)p[n + 1])))
			continue;
		return p;
	}
	return NULL;
}

/*
 * What in the changelog marks a fix, as checkpatch's $needs_fixes_tag
 * reads it: a sanitizer's report, a backtrace, a backport request or a
 * fuzzer's report.  Returns the evidence (static) or NULL.
 */
static const char *log_evidence(const char *line, char *buf, size_t bufsz)
{
	static const char *const marks[] = {
		"UBSAN:", "Call Trace:", "stable@vger.kernel.org",
	};
	const char *s;
	size_t i;

	/* "BUG: KASAN:", "BUG: KCSAN:", "BUG: KMSAN:" */
	for (s = strstr(line, "BUG: K"); s; s = strstr(s + 1, "BUG: K"))
		if (s[6] && !strncmp(s + 7, "SAN:", 4)) {
			snprintf(buf, bufsz, "%.11s", s);
			return buf;
		}
	for (i = 0; i < ARRAY_SIZE(marks); i++)
		if (strstr(line, marks[i]))
			return marks[i];
	if (find_word(line, "syzkaller") || find_word(line, "syzbot"))
		return "syzkaller";
	if (strstr(line, "syzbot+") || strstr(line, "@syzkaller"))
		return "syzkaller";
	return NULL;
}

/*
 * A shortlog that says it fixes a named kind of bug: a verb of fixing
 * ("Fix", "Avoid", "Prevent", "Plug", "work around") and, after it, the
 * bug ("use-after-free", "NULL pointer dereference", "leak"...).  A bare
 * "Fix" is not enough: "Fix a comment", "Fix typos" need no Fixes:.
 * Returns the bug word (static) or NULL.
 */
static const char *subject_evidence(const char *subject)
{
	static const char *const verbs[] = {
		"fix", "fixes", "avoid", "prevent", "plug", "work around",
	};
	static const char *const bugs[] = {
		"use-after-free", "use after free", "UAF", "double free",
		"double-free", "NULL pointer", "NULL-ptr", "null-ptr-deref",
		"NULL deref", "NULL dereference", "out-of-bounds", "OOB",
		"overflow", "underflow", "leak", "leaks", "memory leak",
		"deadlock", "livelock", "crash", "panic", "hang", "race",
		"corruption", "splat", "oops", "WARN", "WARN_ON",
		"WARN_ON_ONCE", "BUG", "BUG_ON", "regression",
	};
	const char *after = NULL, *v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verbs); i++)
		if ((v = find_word(subject, verbs[i])) && (!after || v < after))
			after = v;
	if (!after)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(bugs); i++)
		if (find_word(after, bugs[i]))
			return bugs[i];
	return NULL;
}

/* Are all of p's files another architecture's (the handbook's not)? */
static bool other_arch_only(const struct kx_patch *p)
{
	size_t i;

	for (i = 0; i < p->files_nr; i++)
		if (p->files[i].area != KX_AREA_OTHER_ARCH)
			return false;
	return p->files_nr > 0;
}

/*
 * The handbook: "If a change fixes a KVM/kernel bug, add a Fixes: tag
 * even if the change doesn't need to be backported".  Whether a change
 * fixes a bug is a judgement; the catalog's broad reading (any "fix",
 * "bug", "leak"... or a Reported-by:) fired on 9 of the handbook author's
 * 21 patches of the corpus, checkpatch's narrower one on 5.  So the
 * evidence is checkpatch's (a sanitizer, a backtrace, Cc: stable, a
 * fuzzer) or a shortlog that names the bug it fixes, and the finding is
 * advice: every such finding on the corpus is a fix, but there the
 * handbook's authors did not add Fixes:, and a warning there would break
 * the budget of bench/precision.
 */
void kx_rule_fixes_tag_exists(struct kx_findings *out,
			      const struct kx_patch *p,
			      const struct kx_rule_env *env)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	const char *why = NULL, *bug = NULL;
	char buf[16];
	size_t i;

	(void)env;
	if (other_arch_only(p))
		return;
	body_lines(&l, p->body);
	for (i = 0; i < l.nr; i++) {
		if (tag_value(l.items[i], "Fixes"))
			goto done;
		if (!why)
			why = log_evidence(l.items[i], buf, sizeof(buf));
	}
	if (!why && p->subject && (bug = subject_evidence(p->subject)))
		why = bug;
	if (!why)
		goto done;
	kx_findings_add(out, KX_SEV_ADVICE, "fixes-tag-exists",
			"%s%s%s but there is no Fixes: tag: name the commit "
			"that brought the bug, 'Fixes: <12+ hex> "
			"(\"<subject>\")', even if no backport is needed",
			bug ? "the shortlog fixes a '" : "the changelog has '",
			why, "'");
done:
	kx_strlist_release(&l);
}

/* --- no-combined-tags --- */

/* Where "-and-" (any case) is in the n bytes at s, or NULL. */
static const char *find_and(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 5 <= n; i++)
		if (!strncasecmp(s + i, "-and-", 5))
			return s + i;
	return NULL;
}

/*
 * tip: "Please do not use combined tags, e.g. Reported-and-tested-by".
 * A tag line flush left whose token joins tags with "-and-"; the tags
 * it stands for are each part, ending in "-by" as the last one does
 * ("Reported" and "tested-by": "Reported-by:" and "Tested-by:").
 */
void kx_rule_no_combined_tags(struct kx_findings *out, const struct kx_patch *p,
			      const struct kx_rule_env *env)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	size_t i;

	(void)env;
	body_lines(&l, p->body);
	for (i = 0; i < l.nr; i++) {
		const char *s = l.items[i], *part, *and;
		size_t tok = kx_text_token_len(s), n;
		struct kx_buf split = KX_BUF_INIT;
		char *tags;

		/* the token, then its colon; "-and-" between two words of it */
		if (!tok || !isalpha((unsigned char)*s))
			continue;
		n = tok;
		if (n < 3 || strncasecmp(s + n - 3, "-by", 3))
			continue;
		and = find_and(s, n);
		if (!and || and == s)
			continue;
		for (part = s; part < s + n;) {
			const char *end = find_and(part, (size_t)(s + n - part));
			size_t len = end ? (size_t)(end - part) : (size_t)(s + n - part);

			if (!len)
				break;
			kx_buf_addf(&split, "%s'%c%.*s%s:'", split.len ? " and " : "",
				      toupper((unsigned char)*part), (int)len - 1, part + 1,
				      len > 3 && !strncasecmp(part + len - 3, "-by", 3) ? "" : "-by");
			part = end ? end + 5 : s + n;
		}
		tags = kx_buf_detach(&split);
		kx_findings_add(out, KX_SEV_ADVICE, "no-combined-tags",
				"'%.*s' combines tags: write %s, each on a line of its own",
				(int)trimmed_len(s), s, tags);
		free(tags);
	}
	kx_strlist_release(&l);
}
