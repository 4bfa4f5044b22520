#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 send --reflect sends the whole series, To: and Cc: as they would
# be, to the sender alone (the envelope), with new Message-IDs, and
# records nothing (no attempt, no sent version, no tag, the revision as
# it was).  Mails are signed with the patatt key (patatt validate passes
# at the server's end), not with --no-sign.  --resend v1 sends v1 again
# from its tag as [PATCH RESEND ...] with new Message-IDs, and leaves the
# version being prepared as it is.  --identity reads sendemail.<name>.*;
# plain text to a server off loopback is refused before anything (in a
# network namespace without a route, so that a regression sends nothing).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
cd "$(sample_repo)"
send_identity
b=x86/vmx/reflect
five_series "$b"
smtp_start
send_config
read_state "$b"
cp "$OUT" "$T/state-before"

note "--reflect: every mail to the sender only; nothing recorded"
run_kvmx86 send --reflect --no-sign
expect_exit 0 "--reflect"
expect_stdout_contains "reflected 6 mails to sam@example.com; nothing is recorded as sent"
[ "$(smtp_count)" = 6 ] || fail "the server has $(smtp_count) mails, not 6"
for f in "$SMTP_DIR"/mail-*.env; do
	[ "$(grep -c '^rcpt ' "$f")" = 1 ] && grep -qx 'rcpt sam@example.com' "$f" ||
		fail "a reflected mail went to others: $(cat "$f")"
done
mail_header 1 To | grep -q 'kvm@vger.kernel.org' ||
	fail "the reflected cover letter's To: is not what the list would see"
read_state "$b"
cmp -s "$OUT" "$T/state-before" || {
	diff "$T/state-before" "$OUT" >&2 || true
	fail "--reflect changed the state"
}
[ -z "$(git tag -l 'sent/*')" ] || fail "--reflect tagged"
reflected=$(msgids | sort)
run_kvmx86 send --reflect --no-sign
expect_exit 0 "--reflect again"
[ "$(msgids | sort -u | wc -l)" = 12 ] || fail "a second --reflect reused Message-IDs"
run_kvmx86 send --reflect --no-sign --json
expect_exit 0 "--reflect --json"
expect_json '.mails | length' 6
expect_stderr_contains "reflected 6 mails"

if command -v patatt >/dev/null; then
	note "signed with the patatt key: patatt validate passes on what arrived"
	export XDG_DATA_HOME="$T/data"
	patatt genkey -n kvmtest >"$T/genkey.out" 2>&1 ||
		{ cat "$T/genkey.out" >&2; fail "patatt genkey failed"; }
	git config patatt.signingkey ed25519:kvmtest
	git config patatt.selector kvmtest
	fresh_server
	run_kvmx86 send --reflect
	expect_exit 0 "--reflect, signed"
	for f in "$SMTP_DIR"/mail-*.eml; do
		grep -q '^X-Developer-Signature: v=1; a=ed25519-sha256;' "$f" ||
			fail "$(basename "$f") is not signed"
		rc=0
		sed 's/\r$//' "$f" | patatt validate >"$T/v.out" 2>&1 || rc=$?
		[ $rc = 0 ] && grep -q '^ *PASS |' "$T/v.out" || {
			cat "$T/v.out" >&2
			fail "patatt validate rejects $(basename "$f") as received"
		}
	done
	fresh_server
	run_kvmx86 send --reflect --no-sign
	expect_exit 0 "--reflect --no-sign"
	! grep -q '^X-Developer-Signature:' "$SMTP_DIR"/mail-*.eml ||
		fail "--no-sign signed"
	git config --unset patatt.signingkey
else
	note "patatt is not installed: the signed send is not tested here"
fi

note "--identity: sendemail.<name>.* first"
git config sendemail.smtpServerPort 1
git config sendemail.work.smtpServerPort "$SMTP_PORT"
run_kvmx86 send --reflect --no-sign --identity work
expect_exit 0 "--reflect --identity work"
git config sendemail.smtpServerPort "$SMTP_PORT"

note "plain text to a server that is not on loopback: refused before anything (no network here)"
if unshare -rn true 2>/dev/null; then
	git config sendemail.smtpServer 192.0.2.1
	git config sendemail.smtpEncryption none
	LAST_CMD="unshare -rn kvmx86 send"
	RC=0
	unshare -rn "$KVMX86" send >"$OUT" 2>"$ERR" </dev/null || RC=$?
	expect_exit 1 "plain text to 192.0.2.1"
	expect_stderr_contains "nothing was sent"
	read_state "$b"
	expect_json .attempt null
	git config sendemail.smtpServer 127.0.0.1
	git config --unset sendemail.smtpEncryption
else
	note "unshare -rn is not available: not tested"
fi

note "--resend v1: [PATCH RESEND ...] from the tag, new Message-IDs, the state kept"
fresh_server
run_kvmx86 send
expect_exit 0 "send v1"
v1_ids=$(msgids | sort)
read_state "$b"
cp "$OUT" "$T/state-v1"
# the series moves on; --resend sends what v1 was
echo "/* v2 */" >>arch/x86/kvm/vmx/vmx.c
git commit -q --amend -a --no-edit
fresh_server
run_kvmx86 send --resend v1
expect_exit 0 "--resend v1"
expect_stdout_contains "v1 of $b is sent again: 6 mails"
[ "$(smtp_count)" = 6 ] || fail "--resend v1 sent $(smtp_count) mails"
mail_header 1 Subject | grep -qx '\[PATCH RESEND 0/5\] KVM: VMX: Five changes' ||
	fail "the resent cover: $(mail_header 1 Subject)"
mail_header 3 Subject | grep -qx '\[PATCH RESEND 2/5\] KVM: VMX: Change thing 2' ||
	fail "a resent patch: $(mail_header 3 Subject)"
! grep -q '/\* v2 \*/' "$SMTP_DIR"/mail-*.eml || fail "--resend v1 sent the v2 change"
[ -z "$(comm -12 <(echo "$v1_ids") <(msgids | sort))" ] ||
	fail "--resend v1 reused v1's Message-IDs"
cover=$(mail_header 1 Message-ID)
[ "$(mail_header 2 In-Reply-To)" = "$cover" ] || fail "the resent patches are not threaded"
grep -q "^change-id: " "$(printf '%s/mail-001.eml' "$SMTP_DIR")" ||
	fail "the resent cover letter lost the tag's change-id: line"
read_state "$b"
expect_json .revision 2
expect_json '.sent | length' 1
expect_json .attempt null
