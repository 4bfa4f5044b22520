#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 delivers as git send-email does, held against git send-email
# itself with the same configuration: the same request to the credential
# helper (so stored credentials are shared) and the same calls to it
# afterwards, the same envelope at the server, the same argv for a
# sendmail-like program and for sendmailCmd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-smtp.sh"

need_aiosmtpd
[ -x "$(git --exec-path)/git-send-email" ] ||
	skip "git send-email is not installed (Debian: git-email)"
perl -MAuthen::SASL -e 1 2>/dev/null ||
	skip "git send-email has no Authen::SASL (Debian: libauthen-sasl-perl)"

export KX_TEST_PW='pw-compat-R2d-only-in-env'
smtp_start --user tess --password "$KX_TEST_PW" --auth-required
smtp_repo
smtp_mail 1 >"$T/m1"

cred_helper "$T/helper"
git -C "$T/repo" config credential.helper "$T/helper"
git -C "$T/repo" config sendemail.smtpUser tess
git -C "$T/repo" config sendemail.envelopeSender bounce@example.com

# git_send FILE: git send-email of FILE with the repository's configuration
git_send() {
	(cd "$T/repo" && git send-email --confirm=never --quiet --no-validate \
		--suppress-cc=all --from 'Tess Ting <tess@example.com>' \
		--to list@example.org "$@") >"$T/gse.out" 2>"$T/gse.err" ||
		{ cat "$T/gse.out" "$T/gse.err" >&2; fail "git send-email failed"; }
}

export KX_CRED_LOG=$T/cred.git
git_send "$T/m1"
export KX_CRED_LOG=$T/cred.kvmx86
run_probe --from tess@example.com --to list@example.org "$T/m1"
expect_exit 0
diff "$T/cred.git" "$T/cred.kvmx86" >&2 ||
	fail "the credential helper saw other requests than git send-email's"
grep -qx 'call store' "$T/cred.kvmx86" || fail "no approve"
cmp -s "$SMTP_DIR/mail-001.env" "$SMTP_DIR/mail-002.env" ||
	fail "another envelope: $(cat "$SMTP_DIR"/mail-00[12].env)"

# the port unset: git send-email's smtp_host_string has the port it
# defaults to (25; 465 for ssl) before it asks (git-send-email.perl sets
# $smtp_server_port ||= 25 before smtp_auth_maybe()); nothing listens on
# port 25 here, so kvmx86's request, made before connecting, is checked
# against that code
git -C "$T/repo" config --unset sendemail.smtpServerPort
export KX_CRED_LOG=$T/cred2.kvmx86
run_probe --from tess@example.com --to list@example.org "$T/m1"
printf 'call get\nprotocol=smtp\nhost=127.0.0.1:25\nusername=tess\n' >"$T/cred2.want"
head -4 "$T/cred2.kvmx86" | diff "$T/cred2.want" - >&2 ||
	fail "another host than git's without a port"
! grep -q '^call' <(tail -n +2 "$T/cred2.kvmx86") ||
	fail "approved or rejected without a login: $(cat "$T/cred2.kvmx86")"

# a sendmail-like program, then sendmailCmd: the same argv and stdin
cat >"$T/fake-sendmail" <<EOF2
#!/bin/sh
for a in "\$@"; do printf '%s\n' "\$a"; done >"\$KX_ARGV"
cat >/dev/null
EOF2
chmod +x "$T/fake-sendmail"
git -C "$T/repo" config sendemail.smtpServer "$T/fake-sendmail"
KX_ARGV=$T/argv.git git_send --to 'other@example.org' "$T/m1"
KX_ARGV=$T/argv.kvmx86 run_probe --from 'tess@example.com' \
	--to list@example.org --to other@example.org "$T/m1"
expect_exit 0
diff "$T/argv.git" "$T/argv.kvmx86" >&2 || fail "another argv than git's"

git -C "$T/repo" config sendemail.sendmailCmd "\"$T/fake-sendmail\" -oi"
KX_ARGV=$T/argv2.git git_send "$T/m1"
KX_ARGV=$T/argv2.kvmx86 run_probe --from 'tess@example.com' \
	--to list@example.org "$T/m1"
expect_exit 0
diff "$T/argv2.git" "$T/argv2.kvmx86" >&2 || fail "another argv than git's"

if grep -rlF -e "$KX_TEST_PW" "$T" >"$T/leaks" 2>/dev/null; then
	cat "$T/leaks" >&2
	fail "the password leaked into a file"
fi
