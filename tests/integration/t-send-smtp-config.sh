#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 send takes the SMTP configuration git send-email takes, and
# refuses, before any attempt is recorded (exit 128, naming the key), what
# it cannot honour: an envelopeSender written "Name <addr>" and a
# smtpServer written host:port go; a From of two addresses, an
# envelopeSender that is no address and a port that is no port stop.  A
# login configured that the server does not offer stops before any mail
# (exit 2), none of them counted as sent or possibly sent.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
cd "$(sample_repo)"
send_identity
b=x86/vmx/smtpconf
five_series "$b"
smtp_start
send_config

# no_attempt WHAT: nothing went and nothing was recorded.
no_attempt() {
	[ "$(smtp_count)" = 0 ] || fail "$1: the server has $(smtp_count) mails"
	read_state "$b"
	expect_json .attempt null
	expect_json .revision 1
}

note "sendemail.from with two addresses: a configuration error"
git config sendemail.from 'Evil <a@b.example>, Other <d@e.example>'
run_kvmx86 send
expect_exit 128 "a From of two addresses"
expect_stderr_contains "sendemail.from"
expect_stderr_contains "more than one address"
no_attempt "a From of two addresses"
git config --unset sendemail.from

note "an envelopeSender that is no address: refused before the attempt"
git config sendemail.envelopeSender 'Dev Eloper'
run_kvmx86 send
expect_exit 128 "a bad envelopeSender"
expect_stderr_contains "'sendemail.envelopeSender'"
no_attempt "a bad envelopeSender"

note "a port that is no port, in smtpServer or smtpServerPort"
git config --unset sendemail.envelopeSender
git config sendemail.smtpServer 127.0.0.1:no-such-service
run_kvmx86 send
expect_exit 128 "a bad port in smtpServer"
expect_stderr_contains "'sendemail.smtpServer'"
no_attempt "a bad port in smtpServer"
git config sendemail.smtpServer 127.0.0.1
git config sendemail.smtpServerPort no-such-service
run_kvmx86 send
expect_exit 128 "a bad smtpServerPort"
expect_stderr_contains "'sendemail.smtpServerPort'"
no_attempt "a bad smtpServerPort"
send_config

note "envelopeSender \"Name <addr>\" and smtpServer host:port: the series goes"
git config sendemail.envelopeSender 'Dev Eloper <dev@devel.example.org>'
git config --unset sendemail.smtpServerPort
git config sendemail.smtpServer "127.0.0.1:$SMTP_PORT"
run_kvmx86 send
expect_exit 0 "envelopeSender and smtpServer as git send-email takes them"
[ "$(smtp_count)" = 6 ] || fail "the server has $(smtp_count) mails, not 6"
grep -qx 'from dev@devel.example.org' "$SMTP_DIR/mail-001.env" ||
	fail "the envelope sender: $(cat "$SMTP_DIR/mail-001.env")"
read_state "$b"
expect_json .attempt null
expect_json .revision 2

note "sendemail.smtpUser, and the server offers no AUTH: no mail goes"
fresh_server --no-auth
git config sendemail.smtpUser sam
git config sendemail.smtpPass 'pw-Nq2-not-used'
# v2's cover letter is still a template: --force past the check
run_kvmx86 send --force
expect_exit 2 "no AUTH offered"
expect_stderr_contains "offers no login (AUTH), and sendemail.smtpUser is set"
expect_stderr_contains "0 of 6 mails accepted, 6 not sent"
expect_stderr_lacks "pw-Nq2-not-used"
[ "$(smtp_count)" = 0 ] || fail "a mail went without the login configured"
read_state "$b"
expect_json '[.attempt.mails[].status] | unique | join(",")' pending
! grep -rqa -- 'pw-Nq2-not-used' "$(state_dir)" ||
	fail "the password is in the state"
read_state "$b"
expect_json .revision 2

