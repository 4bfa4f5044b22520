/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The decisions of a send attempt (struct kx_attempt, state.h): whether a
 * run starts a new one, resumes the one recorded or refuses; which mails
 * go next; what is recorded once a version went out.  Pure: cmd/cmd_send.c
 * delivers and lib/io/state.c records.
 */
#ifndef KVMX86_SENDATTEMPT_H
#define KVMX86_SENDATTEMPT_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/state.h"
#include "kvmx86/util.h"

/* What a run asks for. */
struct kx_attempt_ask {
	const char *kind;		/* "send" or "resend" */
	unsigned revision;		/* the version the mails are of */
	const char *fingerprint;	/* of what they are made of now */
	bool resend_unknown;		/* --resend-unknown */
	bool new_attempt;		/* --new-attempt: drop the recorded one */
};

enum kx_attempt_decision {
	KX_ATTEMPT_NEW,		/* none recorded (or dropped): make one */
	KX_ATTEMPT_RESUME,	/* send the recorded mails still due */
	KX_ATTEMPT_FINISH,	/* all accepted: only what follows remains */
	KX_ATTEMPT_CHANGED,	/* made of something else: refuse */
	KX_ATTEMPT_UNKNOWN,	/* only possibly-sent mails left: refuse
				   without --resend-unknown */
};

/*
 * Decides what a run does with the attempt recorded (NULL: none): a new
 * one with --new-attempt or none recorded; else a resume when it is of
 * the same kind, version and fingerprint, FINISH when each of its mails
 * was accepted, UNKNOWN when only possibly-sent mails are left and
 * --resend-unknown was not given; CHANGED otherwise.
 */
enum kx_attempt_decision kx_attempt_decide(const struct kx_attempt *a,
					   const struct kx_attempt_ask *q);

/* Whether mail m goes in this run (pending; unknown with resend_unknown). */
bool kx_attempt_mail_due(const struct kx_attempt_mail *m, bool resend_unknown);

/* Counts the mails of a whose status is status ("accepted", ...). */
size_t kx_attempt_count(const struct kx_attempt *a, const char *status);

/* What the fingerprint of an attempt is made of. */
struct kx_attempt_source {
	const char *kind;
	unsigned revision;
	const char *base, *tip;		/* 40-hex */
	const char *const *commits;	/* 40-hex, oldest first */
	size_t commits_nr;
	const char *from;		/* the sender's address */
	const char *cover_subject;	/* as the mail has it */
	const char *cover_body;
	const struct kx_strlist *rcpts;	/* each mail's envelope, in order */
	size_t mails_nr;
};

/*
 * Returns the text hashed into an attempt's fingerprint (caller frees):
 * each part on its own lines, lengths first, so that no two sources give
 * the same text.  Dates and Message-IDs are not in it: they differ in
 * every run.
 */
char *kx_attempt_fingerprint_text(const struct kx_attempt_source *src);

/*
 * Returns the message of the sent/<name>-vN tag as b4 writes it (caller
 * frees): the cover's subject line, a blank line, the cover's body
 * without its signature (from the last "\n-- \n" on), ending with one
 * line end.
 */
char *kx_sent_tag_message(const char *subject_line, const char *body);

/*
 * Returns body with the notes of the next version begun (caller frees):
 * "vN:" and an EDITME line above the other version sections (newest
 * first), or at the end without any, as kx_cover_text_parse() reads
 * them, unless body has notes of revision already.
 */
char *kx_cover_next_version(const char *body, unsigned revision);

/*
 * Returns the command that resumes: "kvmx86 send" and the words of argv
 * (this run's, after "send"), each quoted for a POSIX shell when it needs
 * to be, without drop's (an option, or NULL), with add (an option, or
 * NULL) appended unless argv has it (caller frees).
 */
char *kx_attempt_resume_command(const char *const *argv, size_t argc,
				const char *drop, const char *add);

#endif
