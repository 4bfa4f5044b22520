#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Mails reach a loopback SMTP server byte for byte (dots, blanks, tabs),
# over one connection, with the envelope the caller gave; plain text is
# allowed because the server is on loopback.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-smtp.sh"

need_aiosmtpd
smtp_start
smtp_repo
for i in 1 2 3; do smtp_mail $i >"$T/m$i"; done
# a mail without a final newline, and one with CRLF already
printf 'Subject: no newline\n\nlast line' >"$T/m4"
printf 'Subject: crlf\r\n\r\nbody\r\n.\r\n' >"$T/m5"

run_probe --from tess@example.com --to list@example.org \
	--to 'Other.Person+kvm@example.net' "$T/m1" "$T/m2" "$T/m3" "$T/m4" \
	"$T/m5"
expect_exit 0
[ "$(grep -c ' accepted' "$OUT")" = 5 ] || fail "not every mail accepted"
smtp_received 1 "$T/m1"
smtp_received 2 "$T/m2"
smtp_received 3 "$T/m3"
printf 'Subject: no newline\n\nlast line\n' >"$T/m4.want"
smtp_received 4 "$T/m4.want"
printf 'Subject: crlf\n\nbody\n.\n' >"$T/m5.want"
smtp_received 5 "$T/m5.want"
printf 'from tess@example.com\nrcpt list@example.org\nrcpt Other.Person+kvm@example.net\n' \
	>"$T/env.want"
cmp -s "$SMTP_DIR/mail-001.env" "$T/env.want" || fail "wrong envelope"
# one connection for the five mails
[ "$(grep -c '^ehlo ' "$SMTP_DIR/log")" = 1 ] ||
	fail "expected one EHLO, got: $(cat "$SMTP_DIR/log")"

# sendemail.envelopeSender names the envelope sender (no --from)
git -C "$T/repo" config sendemail.envelopeSender bounce@example.com
run_probe --to list@example.org "$T/m1"
expect_exit 0
grep -qx 'from bounce@example.com' "$SMTP_DIR/mail-006.env" ||
	fail "envelopeSender not used"

# sendemail.smtpDomain is the EHLO name
git -C "$T/repo" config sendemail.smtpDomain client.example.org
run_probe --to list@example.org "$T/m1"
expect_exit 0
grep -qx 'ehlo client.example.org' "$SMTP_DIR/log" || fail "smtpDomain not used"

# an address that would split a command is refused before anything goes
run_probe --to $'a@example.org\r\nRCPT TO:<b@example.org>' "$T/m1"
expect_exit 1
expect_stdout_contains "failed"
expect_stderr_contains "is not an address"
run_probe --to '-oQ/tmp/x' "$T/m1"
expect_exit 1
[ "$(smtp_count)" = 7 ] || fail "a refused address still sent a mail"
