// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/error.h"
#include "kvmx86/safe.h"
#include "kvmx86/state.h"

#define ROOT(m) offsetof(struct kx_state, m)
#define SENT(m) offsetof(struct kx_sent, m)
#define ATT(m) offsetof(struct kx_attempt, m)
#define AMAIL(m) offsetof(struct kx_attempt_mail, m)

static const char *const scopes[] = { "x86", "multi-arch", "current-fix", NULL };
static const char *const importers[] = { "b4", NULL };

static const struct kx_state_field root_fields[] = {
	{ "branch", KX_STATE_STRING, ROOT(branch), KX_CHECK_HEADER, KX_NAME_MAX,
	  0, 0, NULL, true },
	{ "change_id", KX_STATE_STRING, ROOT(change_id), KX_CHECK_HEADER,
	  KX_CHANGE_ID_MAX, 0, 0, NULL, true },
	{ "revision", KX_STATE_UINT, ROOT(revision), 0, KX_REVISION_MAX, 1, 0,
	  NULL, true },
	{ "prefixes", KX_STATE_LIST, ROOT(prefixes), KX_CHECK_HEADER,
	  KX_PREFIX_MAX, 0, KX_PREFIXES_MAX, NULL, false },
	{ "imported_from", KX_STATE_STRING, ROOT(imported_from), KX_CHECK_WORD,
	  0, 0, 0, importers, false },
	{ "b4_cover_commit", KX_STATE_STRING, ROOT(b4_cover_commit),
	  KX_CHECK_OID, 0, 0, 0, NULL, false },
	{ "last_tip", KX_STATE_STRING, ROOT(last_tip), KX_CHECK_OID, 0, 0, 0,
	  NULL, false },
	{ "branch_created", KX_STATE_STRING, ROOT(branch_created),
	  KX_CHECK_HEADER, 64, 0, 0, NULL, false },
};

static const struct kx_state_field cover_fields[] = {
	{ "subject", KX_STATE_STRING, ROOT(cover_subject), KX_CHECK_HEADER,
	  KX_SUBJECT_MAX, 0, 0, NULL, false },
	{ "body", KX_STATE_STRING, ROOT(cover_body), KX_CHECK_TEXT,
	  KX_COVER_BODY_MAX, 0, 0, NULL, false },
};

static const struct kx_state_field base_fields[] = {
	{ "scope", KX_STATE_STRING, ROOT(base_scope), KX_CHECK_WORD, 0, 0, 0,
	  scopes, false },
	{ "commit", KX_STATE_STRING, ROOT(base_commit), KX_CHECK_OID, 0, 0, 0,
	  NULL, false },
	{ "ref", KX_STATE_STRING, ROOT(base_ref), KX_CHECK_HEADER, KX_NAME_MAX,
	  0, 0, NULL, false },
};

static const struct kx_state_field recipients_fields[] = {
	{ "to", KX_STATE_LIST, ROOT(to), KX_CHECK_HEADER, KX_MSGID_MAX, 0,
	  KX_ADDRESSES_MAX, NULL, false },
	{ "cc", KX_STATE_LIST, ROOT(cc), KX_CHECK_HEADER, KX_MSGID_MAX, 0,
	  KX_ADDRESSES_MAX, NULL, false },
	{ "exclude", KX_STATE_LIST, ROOT(exclude), KX_CHECK_HEADER, KX_MSGID_MAX,
	  0, KX_ADDRESSES_MAX, NULL, false },
};

static const struct kx_state_field sent_fields[] = {
	{ "revision", KX_STATE_UINT, SENT(revision), 0, KX_REVISION_MAX, 1, 0,
	  NULL, true },
	{ "date", KX_STATE_STRING, SENT(date), KX_CHECK_HEADER, 64, 0, 0, NULL,
	  false },
	{ "cover_msgid", KX_STATE_STRING, SENT(cover_msgid), KX_CHECK_HEADER,
	  KX_MSGID_MAX, 0, 0, NULL, false },
	{ "link", KX_STATE_STRING, SENT(link), KX_CHECK_HEADER, KX_MSGID_MAX * 2,
	  0, 0, NULL, false },
	{ "msgids", KX_STATE_LIST, SENT(msgids), KX_CHECK_HEADER, KX_MSGID_MAX,
	  0, KX_ADDRESSES_MAX, NULL, false },
	{ "to", KX_STATE_LIST, SENT(to), KX_CHECK_HEADER, KX_MSGID_MAX, 0,
	  KX_ADDRESSES_MAX, NULL, false },
	{ "cc", KX_STATE_LIST, SENT(cc), KX_CHECK_HEADER, KX_MSGID_MAX, 0,
	  KX_ADDRESSES_MAX, NULL, false },
	{ "send_nonce", KX_STATE_STRING, SENT(send_nonce), KX_CHECK_HEADER, 256,
	  0, 0, NULL, false },
	{ "base", KX_STATE_STRING, SENT(base), KX_CHECK_OID, 0, 0, 0, NULL,
	  false },
	{ "tip", KX_STATE_STRING, SENT(tip), KX_CHECK_OID, 0, 0, 0, NULL, false },
	{ "tag", KX_STATE_STRING, SENT(tag), KX_CHECK_HEADER, KX_NAME_MAX, 0, 0,
	  NULL, false },
};

static const char *const attempt_kinds[] = { "send", "resend", NULL };
static const char *const mail_states[] = { "pending", "accepted", "unknown", NULL };

static const struct kx_state_field attempt_fields[] = {
	{ "kind", KX_STATE_STRING, ATT(kind), KX_CHECK_WORD, 0, 0, 0,
	  attempt_kinds, true },
	{ "revision", KX_STATE_UINT, ATT(revision), 0, KX_REVISION_MAX, 1, 0,
	  NULL, true },
	{ "nonce", KX_STATE_STRING, ATT(nonce), KX_CHECK_HEADER, 256, 0, 0,
	  NULL, true },
	{ "fingerprint", KX_STATE_STRING, ATT(fingerprint), KX_CHECK_OID, 0, 0,
	  0, NULL, true },
	{ "from", KX_STATE_STRING, ATT(from), KX_CHECK_HEADER, KX_MSGID_MAX, 0,
	  0, NULL, true },
	{ "date", KX_STATE_STRING, ATT(date), KX_CHECK_HEADER, 64, 0, 0, NULL,
	  false },
	{ "base", KX_STATE_STRING, ATT(base), KX_CHECK_OID, 0, 0, 0, NULL,
	  false },
	{ "tip", KX_STATE_STRING, ATT(tip), KX_CHECK_OID, 0, 0, 0, NULL, false },
};

static const struct kx_state_field attempt_mail_fields[] = {
	{ "msgid", KX_STATE_STRING, AMAIL(msgid), KX_CHECK_HEADER, KX_MSGID_MAX,
	  0, 0, NULL, true },
	{ "status", KX_STATE_STRING, AMAIL(status), KX_CHECK_WORD, 0, 0, 0,
	  mail_states, true },
	{ "rcpts", KX_STATE_LIST, AMAIL(rcpts), KX_CHECK_HEADER, KX_MSGID_MAX,
	  0, KX_ADDRESSES_MAX, NULL, false },
	{ "text", KX_STATE_STRING, AMAIL(text), KX_CHECK_TEXT, KX_MAIL_MAX, 0,
	  0, NULL, true },
};

const struct kx_state_object kx_state_root = {
	NULL, root_fields, ARRAY_SIZE(root_fields)
};
const struct kx_state_object kx_state_cover = {
	"cover", cover_fields, ARRAY_SIZE(cover_fields)
};
const struct kx_state_object kx_state_base = {
	"base", base_fields, ARRAY_SIZE(base_fields)
};
const struct kx_state_object kx_state_recipients = {
	"recipients", recipients_fields, ARRAY_SIZE(recipients_fields)
};
const struct kx_state_object kx_state_sent = {
	"sent", sent_fields, ARRAY_SIZE(sent_fields)
};
const struct kx_state_object kx_state_attempt = {
	"attempt", attempt_fields, ARRAY_SIZE(attempt_fields)
};
const struct kx_state_object kx_state_attempt_mail = {
	"mails", attempt_mail_fields, ARRAY_SIZE(attempt_mail_fields)
};

static bool is_oid(const char *s)
{
	size_t i;

	for (i = 0; i < 40; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return !s[40];
}

/* Checks one string of field f; name says which in a message. */
static int check_string(const struct kx_state_field *f, const char *v,
			const char *name)
{
	const char *const *w;
	char *shown = NULL;
	int error = 0;

	switch (f->check) {
	case KX_CHECK_HEADER:
		return kx_header_text_check(name, v, f->max);
	case KX_CHECK_TEXT:
		if (strlen(v) > f->max)
			return kx_error_set(KX_EINVALID, "%s is too long: %zu bytes, at most %zu",
					    name, strlen(v), f->max);
		if (!kx_utf8_valid(v, strlen(v)))
			return kx_error_set(KX_EINVALID, "%s is not valid UTF-8", name);
		return 0;
	case KX_CHECK_OID:
		if (is_oid(v))
			return 0;
		shown = kx_escape(strlen(v) > 60 ? "(too long)" : v, 0);
		error = kx_error_set(KX_EINVALID, "%s '%s' is not a commit id (40 hexadecimal digits)",
				     name, shown);
		break;
	case KX_CHECK_WORD:
		for (w = f->values; *w; w++)
			if (!strcmp(*w, v))
				return 0;
		shown = kx_escape(strlen(v) > 60 ? "(too long)" : v, 0);
		error = kx_error_set(KX_EINVALID, "%s '%s' is none of the values kvmx86 knows",
				     name, shown);
		break;
	}
	free(shown);
	return error;
}

int kx_state_field_check(const struct kx_state_field *f, const void *obj,
			 const char *name)
{
	const char *at = (const char *)obj + f->offset;
	const struct kx_strlist *l;
	char item[96];
	size_t i;
	int error;

	switch (f->type) {
	case KX_STATE_STRING:
		if (!*(char *const *)at)
			return f->required ?
				kx_error_set(KX_EINVALID, "%s is missing", name) : 0;
		if (f->required && !**(char *const *)at)
			return kx_error_set(KX_EINVALID, "%s is empty", name);
		return check_string(f, *(char *const *)at, name);
	case KX_STATE_UINT:
		if (*(const unsigned *)at < f->min || *(const unsigned *)at > f->max)
			return kx_error_set(KX_EINVALID, "%s %u is out of range (%zu to %zu)",
					    name, *(const unsigned *)at, f->min, f->max);
		return 0;
	case KX_STATE_LIST:
		l = (const struct kx_strlist *)at;
		if (l->nr > f->max_items)
			return kx_error_set(KX_EINVALID, "%s has %zu items, at most %zu",
					    name, l->nr, f->max_items);
		for (i = 0; i < l->nr; i++) {
			snprintf(item, sizeof(item), "%s[%zu]", name, i);
			if (!*l->items[i])
				return kx_error_set(KX_EINVALID, "%s is empty", item);
			if ((error = check_string(f, l->items[i], item)) < 0)
				return error;
		}
		return 0;
	}
	return 0;
}

/* Checks the fields of table o in obj; prefix leads their names. */
static int check_object(const struct kx_state_object *o, const void *obj,
			const char *prefix)
{
	char name[96];
	size_t i;
	int error;

	for (i = 0; i < o->nr; i++) {
		snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "." : "",
			 o->fields[i].key);
		if ((error = kx_state_field_check(&o->fields[i], obj, name)) < 0)
			return error;
	}
	return 0;
}

/*
 * The bytes text takes in the file: JSON writes a quote, a backslash, a
 * line end or a tab as two, another control character as six.
 */
static size_t json_size(const char *text)
{
	const unsigned char *p;
	size_t n = 0;

	for (p = (const unsigned char *)text; *p; p++)
		n += *p == '"' || *p == '\\' || *p == '\n' || *p == '\t' ? 2 :
		     *p < 0x20 || *p == 0x7f ? 6 : 1;
	return n;
}

/* The attempt's fields, each mail's, and the bytes of them all. */
static int check_attempt(const struct kx_attempt *a)
{
	char prefix[48];
	size_t i, k, bytes = 0;
	int error;

	if ((error = check_object(&kx_state_attempt, a, "attempt")) < 0)
		return error;
	if (!a->nr)
		return kx_error_set(KX_EINVALID, "attempt has no mails");
	if (a->nr > KX_ATTEMPT_MAILS_MAX)
		return kx_error_set(KX_EINVALID, "attempt has %zu mails, at most %d",
				    a->nr, KX_ATTEMPT_MAILS_MAX);
	for (i = 0; i < a->nr; i++) {
		snprintf(prefix, sizeof(prefix), "attempt.mails[%zu]", i);
		if ((error = check_object(&kx_state_attempt_mail, &a->mails[i],
					  prefix)) < 0)
			return error;
		if (!a->mails[i].rcpts.nr)
			return kx_error_set(KX_EINVALID, "%s has no recipients", prefix);
		for (k = 0; k < i; k++)
			if (!strcmp(a->mails[k].msgid, a->mails[i].msgid))
				return kx_error_set(KX_EINVALID,
						    "attempt.mails[%zu] and [%zu] have the same Message-ID",
						    k, i);
		bytes += json_size(a->mails[i].text);
	}
	/* the file must stay readable: under KX_FILE_MAX with the rest */
	if (bytes > KX_ATTEMPT_BYTES_MAX)
		return kx_error_set(KX_EINVALID, "attempt's mails are too long: %zu bytes as JSON, at most %zu",
				    bytes, KX_ATTEMPT_BYTES_MAX);
	return 0;
}

int kx_state_check(const struct kx_state *s)
{
	char prefix[32];
	size_t i, k;
	int error;

	if ((error = check_object(&kx_state_root, s, "")) < 0 ||
	    (error = check_object(&kx_state_cover, s, "cover")) < 0 ||
	    (error = check_object(&kx_state_base, s, "base")) < 0 ||
	    (error = check_object(&kx_state_recipients, s, "recipients")) < 0)
		return error;
	if (s->sent_nr > KX_SENT_MAX)
		return kx_error_set(KX_EINVALID, "sent has %zu versions, at most %d",
				    s->sent_nr, KX_SENT_MAX);
	for (i = 0; i < s->sent_nr; i++) {
		snprintf(prefix, sizeof(prefix), "sent[%zu]", i);
		if ((error = check_object(&kx_state_sent, &s->sent[i], prefix)) < 0)
			return error;
		for (k = 0; k < i; k++)
			if (s->sent[k].revision == s->sent[i].revision)
				return kx_error_set(KX_EINVALID,
						    "sent[%zu] and sent[%zu] are both v%u",
						    k, i, s->sent[i].revision);
	}
	return s->attempt ? check_attempt(s->attempt) : 0;
}

void kx_state_init(struct kx_state *s)
{
	memset(s, 0, sizeof(*s));
	s->schema_version = KX_STATE_SCHEMA;
	s->revision = 1;
}

static void sent_release(struct kx_sent *e)
{
	free(e->date);
	free(e->cover_msgid);
	free(e->link);
	kx_strlist_release(&e->msgids);
	kx_strlist_release(&e->to);
	kx_strlist_release(&e->cc);
	free(e->send_nonce);
	free(e->base);
	free(e->tip);
	free(e->tag);
}

void kx_state_release(struct kx_state *s)
{
	size_t i;

	free(s->branch);
	free(s->change_id);
	kx_strlist_release(&s->prefixes);
	free(s->cover_subject);
	free(s->cover_body);
	kx_strlist_release(&s->to);
	kx_strlist_release(&s->cc);
	kx_strlist_release(&s->exclude);
	free(s->base_scope);
	free(s->base_commit);
	free(s->base_ref);
	for (i = 0; i < s->sent_nr; i++)
		sent_release(&s->sent[i]);
	free(s->sent);
	free(s->imported_from);
	free(s->b4_cover_commit);
	free(s->last_tip);
	free(s->branch_created);
	kx_attempt_free(s->attempt);
	memset(s, 0, sizeof(*s));
}

struct kx_attempt *kx_attempt_new(void)
{
	return kx_xcalloc(1, sizeof(struct kx_attempt));
}

struct kx_attempt_mail *kx_attempt_add_mail(struct kx_attempt *a)
{
	struct kx_attempt_mail *m;

	kx_grow((void **)&a->mails, &a->alloc, a->nr, sizeof(*a->mails));
	m = &a->mails[a->nr++];
	memset(m, 0, sizeof(*m));
	return m;
}

void kx_attempt_free(struct kx_attempt *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nr; i++) {
		free(a->mails[i].msgid);
		free(a->mails[i].status);
		kx_strlist_release(&a->mails[i].rcpts);
		free(a->mails[i].text);
	}
	free(a->mails);
	free(a->kind);
	free(a->nonce);
	free(a->fingerprint);
	free(a->from);
	free(a->date);
	free(a->base);
	free(a->tip);
	free(a);
}

struct kx_sent *kx_state_add_sent(struct kx_state *s, unsigned revision)
{
	struct kx_sent *e;

	kx_grow((void **)&s->sent, &s->sent_alloc, s->sent_nr, sizeof(*s->sent));
	e = &s->sent[s->sent_nr++];
	memset(e, 0, sizeof(*e));
	e->revision = revision;
	return e;
}

const struct kx_sent *kx_state_find_sent(const struct kx_state *s,
					 unsigned revision)
{
	size_t i;

	for (i = 0; i < s->sent_nr; i++)
		if (s->sent[i].revision == revision)
			return &s->sent[i];
	return NULL;
}

/*
 * A file name holds at most NAME_MAX (255) bytes, and a branch name's
 * last component alone may use them: an escaped name longer than this
 * is cut and given a hash of the whole name, leaving room for what goes
 * beside the state file (".lock", ".<name>.tmpXXXXXX", ".broken",
 * ".range").  The state itself says which branch it is.
 */
#define STATE_NAME_MAX 239

char *kx_state_file_name(const char *branch)
{
	return kx_state_file_name_max(branch, STATE_NAME_MAX);
}

char *kx_state_file_name_max(const char *branch, size_t max)
{
	char *out = kx_xmalloc(strlen(branch) * 3 + sizeof(".json"));
	const char *b = branch;
	char *p = out, *cut = NULL;
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a, 64 bits */

	for (; *b; b++) {
		if (!cut && (size_t)(p - out) + 3 > max - 17)
			cut = p;	/* never inside an escape */
		h = (h ^ (unsigned char)*b) * 0x100000001b3ull;
		if (*b == '/' || *b == '%') {
			memcpy(p, *b == '/' ? "%2F" : "%25", 3);
			p += 3;
		} else {
			*p++ = *b;
		}
	}
	if ((size_t)(p - out) > max && cut)
		p = cut + sprintf(cut, "~%016llx", (unsigned long long)h);
	strcpy(p, ".json");
	return out;
}

char *kx_change_id(const char *name, const char *date, const char *random12)
{
	char *slug = kx_xmalloc(strlen(name) + 1), *out;
	size_t n = 0;
	bool dash = false;

	/* b4's slugs are short; a long branch must still give a header-safe id */
	for (; *name && n < 64; name++) {
		if (isalnum((unsigned char)*name)) {
			if (dash && n && n + 1 >= 64)
				break;
			if (dash && n)
				slug[n++] = '-';
			dash = false;
			slug[n++] = (char)tolower((unsigned char)*name);
		} else {
			dash = true;
		}
	}
	slug[n] = '\0';
	out = kx_xasprintf("%s-%s-%.12s", date, n ? slug : "series", random12);
	free(slug);
	return out;
}

int kx_parse_revision(unsigned *out, const char *text)
{
	const char *s = text;
	char *end;
	unsigned long v;

	if (*s == 'v' || *s == 'V')
		s++;
	/* the message quotes what was typed, "v" included */
	if (!isdigit((unsigned char)*s))
		return kx_error_set(KX_EINVALID, "bad revision '%s': use N or vN", text);
	v = strtoul(s, &end, 10);
	if (*end || v < 1 || v > KX_REVISION_MAX)
		return kx_error_set(KX_EINVALID, "bad revision '%s': use N or vN, N from 1 to %d",
				    text, KX_REVISION_MAX);
	*out = (unsigned)v;
	return 0;
}

/*
 * Copies text with CRLF line ends as LF (an editor on another system may
 * write them), and without its '#' lines when drop_comments.
 */
static char *clean_lines(const char *text, bool drop_comments)
{
	char *out = kx_xmalloc(strlen(text) + 1), *p = out;

	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text + 1) : strlen(text);

		if (!drop_comments || *text != '#') {
			memcpy(p, text, len);
			p += len;
			if (nl && len >= 2 && p[-2] == '\r') {
				p[-2] = '\n';
				p--;
			}
		}
		text += len;
	}
	*p = '\0';
	return out;
}

void kx_cover_parse(char **subject, char **body, const char *text,
		    bool drop_comments)
{
	char *copy = clean_lines(text, drop_comments);
	const char *p = copy, *nl;

	while (*p && isspace((unsigned char)*p))
		p++;
	nl = strchr(p, '\n');
	*subject = kx_xstrndup_trimmed(p, nl ? (size_t)(nl - p) : strlen(p));
	*body = nl ? kx_xstrndup_trimmed(nl + 1, strlen(nl + 1)) : kx_xstrdup("");
	free(copy);
}

int kx_cover_from_text(char **subject, char **body, const char *text,
		       bool drop_comments, const char *what, bool *converted)
{
	char *utf8 = kx_text_to_utf8(text, converted), *field;
	int error;

	kx_cover_parse(subject, body, utf8, drop_comments);
	free(utf8);
	field = kx_xasprintf("the subject of %s", what);
	error = kx_header_text_check(field, *subject, KX_SUBJECT_MAX);
	free(field);
	if (!error && strlen(*body) > KX_COVER_BODY_MAX)
		error = kx_error_set(KX_EINVALID, "%s is too long: %zu bytes, at most %zu",
				     what, strlen(*body), KX_COVER_BODY_MAX);
	if (error < 0) {
		free(*subject);
		free(*body);
		*subject = *body = NULL;
	}
	return error;
}

int kx_prefixes_parse(struct kx_strlist *out, const char *value)
{
	const char *p = value;
	int error = 0;

	kx_strlist_release(out);
	while (*p && !error) {
		size_t n = strcspn(p, ", \t");

		if (n) {
			char *one = kx_xstrndup(p, n);

			if (out->nr == KX_PREFIXES_MAX)
				error = kx_error_set(KX_EINVALID, "--set-prefixes: more than %d prefixes",
						     KX_PREFIXES_MAX);
			else if ((error = kx_header_text_check("--set-prefixes: prefix", one,
								KX_PREFIX_MAX)) < 0)
				;
			/* [PATCH RFC v2 0/3]: PATCH and vN are kvmx86's to write */
			/* "[RFC]" would make "[PATCH [RFC] 0/2]" */
			else if (strpbrk(one, "[]"))
				error = kx_error_set(KX_EINVALID, "--set-prefixes: '%s' has a bracket: give the word alone (RFC); kvmx86 writes the brackets",
						     one);
			else if (!strcasecmp(one, "PATCH"))
				error = kx_error_set(KX_EINVALID, "--set-prefixes: PATCH is always in the subject; give the words that follow it (RFC, RESEND, ...)");
			else if ((one[0] == 'v' || one[0] == 'V') && one[1] &&
				 strspn(one + 1, "0123456789") == strlen(one + 1))
				error = kx_error_set(KX_EINVALID, "--set-prefixes: '%s' is a version: kvmx86 prep --force-revision %s sets it",
						     one, one + 1);
			else
				kx_strlist_add(out, one);
			free(one);
		}
		p += n;
		p += strspn(p, ", \t");
	}
	if (error < 0)
		kx_strlist_release(out);
	return error;
}
