#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A login configured that cannot happen stops before any mail goes, as in
# git send-email (smtp_auth_maybe or die): a server that offers no AUTH
# (libcurl would send without one), and sendemail.smtpAuth naming no
# mechanism the server offers (said as such, not as a refused password,
# and the credential helper is not told to forget it).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-smtp.sh"

need_aiosmtpd
export KX_TEST_PW='pw-Lg7-only-in-env'
smtp_mail 1 >"$T/m1"

cred_helper "$T/helper"

note "no AUTH offered, sendemail.smtpUser set: no mail, and said why"
smtp_start --no-auth
smtp_repo
git -C "$T/repo" config credential.helper "$T/helper"
git -C "$T/repo" config sendemail.smtpUser tess
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stdout_contains "$T/m1 failed"
expect_stderr_contains "offers no login (AUTH), and sendemail.smtpUser is set"
[ "$(smtp_count)" = 0 ] || fail "a mail went without the login configured"
! grep -q '^mail' "$SMTP_DIR/log" || fail "the server took a mail: $(cat "$SMTP_DIR/log")"
# no password was tried: the helper is neither told to keep nor to forget it
! grep -Eqx 'call (store|erase)' "$T/cred.log" ||
	fail "the helper was told about an untried password: $(cat "$T/cred.log")"

note "the same server without the login: the mail goes"
git -C "$T/repo" config sendemail.smtpAuth none
run_probe --to list@example.org "$T/m1"
expect_exit 0
smtp_received 1 "$T/m1"
stop_background

note "sendemail.smtpAuth names no mechanism the server offers"
rm -rf "$SMTP_DIR"
smtp_start --user tess --password "$KX_TEST_PW" --auth-required
smtp_repo
git -C "$T/repo" config credential.helper "$T/helper"
git -C "$T/repo" config sendemail.smtpUser tess
git -C "$T/repo" config sendemail.smtpAuth CRAM-MD5
: >"$T/cred.log"
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stderr_contains "the SMTP server '127.0.0.1' offers AUTH LOGIN PLAIN, and sendemail.smtpAuth (CRAM-MD5) names none of them"
expect_stderr_lacks "refused the login"
expect_stderr_lacks "forget"
! grep -qx 'call erase' "$T/cred.log" ||
	fail "the helper was told to forget an untried password: $(cat "$T/cred.log")"
! grep -q '^auth' "$SMTP_DIR/log" || fail "a login was tried: $(cat "$SMTP_DIR/log")"
[ "$(smtp_count)" = 0 ] || fail "a mail went without a login"

note "an identity's smtpAuth is named by its key"
git -C "$T/repo" config --unset sendemail.smtpAuth
git -C "$T/repo" config kvmx86.smtpAuth 'CRAM-MD5 DIGEST-MD5'
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stderr_contains "kvmx86.smtpAuth (CRAM-MD5 DIGEST-MD5) names none of them"

note "a mechanism offered: the login and the mail go"
git -C "$T/repo" config kvmx86.smtpAuth 'CRAM-MD5 LOGIN'
: >"$T/cred.log"
run_probe --to list@example.org "$T/m1"
expect_exit 0
grep -qx 'call store' "$T/cred.log" || fail "no approve: $(cat "$T/cred.log")"
smtp_received 1 "$T/m1"

if grep -rlF -e "$KX_TEST_PW" "$T" >"$T/leaks" 2>/dev/null; then
	cat "$T/leaks" >&2
	fail "the password leaked into a file"
fi
