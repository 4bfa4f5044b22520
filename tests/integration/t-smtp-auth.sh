#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# AUTH with the password of git's credential helpers: `git credential
# fill` with git send-email's protocol, host and username; `approve` once
# the server took it, `reject` after a 535.  sendemail.smtpPass asks no
# helper.  The password reaches no output and no file.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-smtp.sh"

need_aiosmtpd
# the helper's store is this variable: no file of the test holds it
export KX_TEST_PW='pw-Zq8-only-in-env'
smtp_start --user tess --password "$KX_TEST_PW" --auth-required
smtp_repo
smtp_mail 1 >"$T/m1"
smtp_mail 2 >"$T/m2"

cred_helper "$T/helper"
git -C "$T/repo" config credential.helper "$T/helper"
git -C "$T/repo" config sendemail.smtpUser tess

run_probe --to list@example.org "$T/m1" "$T/m2"
expect_exit 0
smtp_received 1 "$T/m1"
smtp_received 2 "$T/m2"
# git send-email's smtp_host_string: host:port when the port is set
cat >"$T/cred.want" <<WANT
call get
protocol=smtp
host=127.0.0.1:$SMTP_PORT
username=tess
call store
protocol=smtp
host=127.0.0.1:$SMTP_PORT
username=tess
password=(given)
WANT
diff "$T/cred.want" "$T/cred.log" >&2 || fail "not git send-email's credential calls"
[ "$(grep -c '^auth .* tess ok' "$SMTP_DIR/log")" = 1 ] ||
	fail "expected one login: $(cat "$SMTP_DIR/log")"
cp "$OUT" "$T/out.1"; cp "$ERR" "$T/err.1"

# sendemail.smtpAuth picks the SASL mechanism
git -C "$T/repo" config sendemail.smtpAuth LOGIN
: >"$T/cred.log"
run_probe --to list@example.org "$T/m1"
expect_exit 0
grep -q '^auth LOGIN tess ok' "$SMTP_DIR/log" ||
	fail "smtpAuth=LOGIN not used: $(cat "$SMTP_DIR/log")"
git -C "$T/repo" config sendemail.smtpAuth 'CRAM-MD5 PLAIN'
run_probe --to list@example.org "$T/m1"
expect_exit 0
[ "$(grep -c '^auth PLAIN tess ok' "$SMTP_DIR/log")" = 2 ] ||
	fail "smtpAuth='CRAM-MD5 PLAIN' did not fall to PLAIN: $(cat "$SMTP_DIR/log")"
git -C "$T/repo" config --unset sendemail.smtpAuth
[ "$(smtp_count)" = 4 ] || fail "expected 4 mails, got $(smtp_count)"

# a wrong password: no mail, the helper told to forget it
: >"$T/cred.log"
touch "$T/wrong"
run_probe --keep-going --to list@example.org "$T/m1" "$T/m2"
expect_exit 1
expect_stdout_contains "$T/m1 failed reply=535"
expect_stdout_contains "$T/m2 failed"
expect_stderr_contains "refused the login"
# the session does not try the refused password again
[ "$(grep -c '^auth .* failed' "$SMTP_DIR/log")" = 1 ] ||
	fail "expected one failed login: $(cat "$SMTP_DIR/log")"
grep -qx 'call erase' "$T/cred.log" || fail "no reject after a 535: $(cat "$T/cred.log")"
! grep -qx 'call store' "$T/cred.log" || fail "a refused password approved"
[ "$(smtp_count)" = 4 ] || fail "a mail went without a login"
cp "$OUT" "$T/out.2"; cp "$ERR" "$T/err.2"
rm "$T/wrong"

# no helper answers: a clear error, nothing sent
git -C "$T/repo" config credential.helper ''
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stderr_contains "git credential fill"
[ "$(smtp_count)" = 4 ] || fail "a mail went without a password"
cp "$OUT" "$T/out.3"; cp "$ERR" "$T/err.3"

# the password is in no output and no file the test can see
if grep -rlF -e "$KX_TEST_PW" "$T" >"$T/leaks" 2>/dev/null; then
	cat "$T/leaks" >&2
	fail "the password leaked into a file"
fi

# sendemail.smtpPass: no helper asked, and the server takes it
git -C "$T/repo" config credential.helper "$T/helper"
git -C "$T/repo" config sendemail.smtpPass "$KX_TEST_PW"
: >"$T/cred.log"
run_probe --to list@example.org "$T/m1"
expect_exit 0
[ ! -s "$T/cred.log" ] || fail "smtpPass set, yet the helper was asked"
smtp_received 5 "$T/m1"
