#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# TLS: STARTTLS and implicit TLS with a private CA named by
# sendemail.smtpSSLCertPath (a file or a directory); a certificate no CA
# vouches for is refused, whatever the configuration; smtpEncryption=tls
# against a server without STARTTLS sends nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-smtp.sh"

need_aiosmtpd
smtp_certs
export KX_TEST_PW='pw-tls-Kk3-only-in-env'
smtp_mail 1 >"$T/m1"

# STARTTLS, the CA as a file; AUTH over it
smtp_start --starttls --user tess --password "$KX_TEST_PW" --auth-required
smtp_repo tls
git -C "$T/repo" config sendemail.smtpSSLCertPath "$TLS/ca.pem"
git -C "$T/repo" config sendemail.smtpUser tess
git -C "$T/repo" config credential.helper \
	'!f() { test "$1" = get && echo "password=$KX_TEST_PW"; }; f'
run_probe --to list@example.org "$T/m1"
expect_exit 0
expect_stdout_contains "$T/m1 accepted"
smtp_received 1 "$T/m1"

# the CA in a directory (OpenSSL's hashed names)
mkdir "$T/cadir"
cp "$TLS/ca.pem" "$T/cadir/"
openssl rehash "$T/cadir" 2>/dev/null || c_rehash "$T/cadir" >/dev/null
git -C "$T/repo" config sendemail.smtpSSLCertPath "$T/cadir"
run_probe --to list@example.org "$T/m1"
expect_exit 0
smtp_received 2 "$T/m1"

# another CA: refused, nothing sent, no password sent
git -C "$T/repo" config sendemail.smtpSSLCertPath "$TLS/other-ca.pem"
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stdout_contains "$T/m1 failed"
expect_stderr_contains "TLS failed"
# the system's CAs do not know the test CA either
git -C "$T/repo" config --unset sendemail.smtpSSLCertPath
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stderr_contains "TLS failed"
[ "$(smtp_count)" = 2 ] || fail "a mail went over an unverified TLS"
[ "$(grep -c '^auth ' "$SMTP_DIR/log")" = 2 ] ||
	fail "a password went to an unverified server: $(cat "$SMTP_DIR/log")"

# a CA path that does not exist
git -C "$T/repo" config sendemail.smtpSSLCertPath "$T/nothing.pem"
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stderr_contains "nothing.pem"
kill "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true

# implicit TLS (smtpEncryption=ssl)
rm -rf "$SMTP_DIR"
smtp_start --implicit
smtp_repo ssl
git -C "$T/repo" config sendemail.smtpSSLCertPath "$TLS/ca.pem"
run_probe --to list@example.org "$T/m1"
expect_exit 0
smtp_received 1 "$T/m1"
git -C "$T/repo" config sendemail.smtpSSLCertPath "$TLS/other-ca.pem"
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stderr_contains "TLS failed"
kill "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true

# smtpEncryption=tls, and the server offers no STARTTLS: nothing goes
rm -rf "$SMTP_DIR"
smtp_start
smtp_repo tls
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stderr_contains "offers no STARTTLS"
[ "$(smtp_count)" = 0 ] || fail "a mail went in plain text"

if grep -rlF -e "$KX_TEST_PW" "$T" >"$T/leaks" 2>/dev/null; then
	cat "$T/leaks" >&2
	fail "the password leaked into a file"
fi
