#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 send over STARTTLS (the certificate checked against
# sendemail.smtpSSLCertPath) with AUTH and the password of git's
# credential helper: a wrong password stops the run before any mail is
# accepted (exit 2, the command that resumes), the right one resumes and
# sends every mail once.  The password reaches no output, no file of the
# repository and not the series' state.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
# the helper's store is this variable: no file of the test holds it
export KX_TEST_PW='pw-Kv8-only-in-env'
smtp_certs
cd "$(sample_repo)"
send_identity
b=x86/vmx/auth
five_series "$b"
smtp_start --starttls --user sam --password "$KX_TEST_PW" --auth-required
send_config
git config sendemail.smtpEncryption tls
git config sendemail.smtpSSLCertPath "$TLS/ca.pem"
git config sendemail.smtpUser sam
cat >"$T/helper" <<HELPER
#!/bin/sh
while IFS= read -r line && [ -n "\$line" ]; do :; done
if [ "\$1" = get ]; then
	if [ -e "$T/wrong" ]; then
		echo "password=not-\$KX_TEST_PW"
	else
		echo "password=\$KX_TEST_PW"
	fi
fi
HELPER
chmod +x "$T/helper"
git config credential.helper "$T/helper"

# no_password WHAT: the password is in no output, nor any file of the
# repository (the state, the tags, the config) nor the server's log.
no_password() {
	! grep -q -- "$KX_TEST_PW" "$OUT" "$ERR" || fail "$1: the password is in the output"
	! grep -rqa -- "$KX_TEST_PW" .git || fail "$1: the password is in a file of the repository"
}

note "a wrong password: nothing accepted, exit 2, the way to resume"
touch "$T/wrong"
run_kvmx86 send
expect_exit 2 "a wrong password"
expect_stderr_contains "error: not sent: [PATCH 0/5] KVM: VMX: Five changes"
expect_stderr_contains "0 of 6 mails accepted, 6 not sent"
[ "$(smtp_count)" = 0 ] || fail "a mail went with a wrong password"
no_password "a wrong password"

note "the right password: the resume sends every mail once, over STARTTLS"
rm "$T/wrong"
run_kvmx86 send
expect_exit 0 "the resume with the right password"
expect_stderr_contains "resuming the attempt"
[ "$(smtp_count)" = 6 ] || fail "the server has $(smtp_count) mails, not 6"
[ "$(msgids | sort -u | wc -l)" = 6 ] || fail "a Message-ID arrived twice"
no_password "the right password"
read_state "$b"
expect_json .revision 2
expect_json .attempt null
