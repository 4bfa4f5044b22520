#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# send --json: one object with the same keys in every mode (dry run, -o,
# --mbox, a refusal, a real send), a key that does not apply being null,
# so that a script reads .attempt or .mails[].status the same way in each.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

cd "$(sample_repo)"
send_identity
five_series x86/vmx/json
cat >"$T/sendmail" <<EOS
#!/bin/sh
cat >>'$T/sent.mbox'
EOS
chmod +x "$T/sendmail"
git config sendemail.sendmailCmd "$T/sendmail"

top='["attempt","from","mails","refusals","warnings"]'
mail='["cc","file","index","message_id","status","subject","to"]'

# expect_shape WHAT: one document, the keys above, the mails' too.
expect_shape() {
	[ "$(jq -s length <"$OUT")" = 1 ] || fail "$1: not exactly one JSON document"
	expect_json_true "(keys == $top) and all(.mails[]; keys == $mail)" \
		"$1: the keys of every mode"
}

note "a dry run"
run_kvmx86 send --dry-run --json
expect_exit 0
expect_shape dry-run
expect_json .attempt null
expect_json_true '[.mails[].status] | all(. == null)' "status null: nothing went"

note "-o and --mbox"
run_kvmx86 send --json -o "$T/out"
expect_exit 0
expect_shape -o
run_kvmx86 send --json --mbox "$T/series.mbox"
expect_exit 0
expect_shape --mbox

note "a refusal"
echo dirty >>arch/x86/kvm/vmx/vmx.c
run_kvmx86 send --dry-run --json
expect_exit 1
expect_shape refusal
expect_json_true '.refusals | length > 0' "the refusal is listed"
git checkout -q -- arch/x86/kvm/vmx/vmx.c

note "a real send"
run_kvmx86 send --json
expect_exit 0
expect_shape send
expect_json '[.mails[].status] | unique | join(",")' accepted
expect_json .attempt null

note "sent: lines reach a file as each mail goes, not at the end"
five_series x86/vmx/flush
cat >"$T/sendmail" <<EOS
#!/bin/sh
cat >/dev/null
n=\$(cat '$T/count' 2>/dev/null || echo 0)
echo \$((n + 1)) >'$T/count'
[ "\$n" = 2 ] && cp '$OUT' '$T/stdout-at-mail-3'
exit 0
EOS
run_kvmx86 send
expect_exit 0
grep -q '^sent: \[PATCH 1/5\]' "$T/stdout-at-mail-3" ||
	fail "at the third mail, stdout had no line for the second: $(cat "$T/stdout-at-mail-3")"

note "every refusal and stop prints the object: exit 1 or 2, never an empty stdout"
five_series x86/vmx/stops
git config sendemail.sendmailCmd "$T/sendmail"
run_kvmx86 send --json --mark-arrived
expect_exit 1
expect_shape "--mark-arrived with none possibly sent"
expect_json_true '.refusals | any(.reason | contains("--mark-arrived"))' "the refusal"

git config --unset sendemail.sendmailCmd
git config sendemail.smtpServer 192.0.2.1
git config sendemail.smtpEncryption none
run_kvmx86 send --json
expect_exit 1
expect_shape "plain text to a server off loopback"
expect_json_true '.refusals | length == 1' "the refusal"
git config --unset sendemail.smtpServer
git config --unset sendemail.smtpEncryption

# the third mail's program is killed: mails 1-2 sent, 3 possibly sent
rm -f "$T/count"
cat >"$T/sendmail" <<EOS
#!/bin/sh
cat >/dev/null
n=\$(cat '$T/count' 2>/dev/null || echo 0)
echo \$((n + 1)) >'$T/count'
[ "\$n" = 2 ] && kill -9 \$\$
exit 0
EOS
git config sendemail.sendmailCmd "$T/sendmail"
run_kvmx86 send --json
expect_exit 2
expect_shape "a stopped send"
expect_json '[.mails[].status] | join(",")' "accepted,accepted,unknown,pending,pending,pending"
run_kvmx86 send --json
expect_exit 2
expect_shape "a resume that leaves the possibly-sent mail"
expect_json '[.mails[].status] | join(",")' "accepted,accepted,unknown,accepted,accepted,accepted"
run_kvmx86 send --json
expect_exit 2
expect_shape "only a possibly-sent mail left"
expect_json '[.mails[].status] | join(",")' "accepted,accepted,unknown,accepted,accepted,accepted"

git commit -q --amend -m "KVM: VMX: Change thing 5, reworded" \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
run_kvmx86 send --json
expect_exit 1
expect_shape "the series changed since the attempt"
expect_json_true '.refusals | any(.reason | contains("not finished"))' "the refusal"
expect_json_true '.refusals | any(.fix | contains("--new-attempt"))' "the way on"

note "a reader of stdout gone (SIGPIPE) stops the run between two mails, each recorded"
five_series x86/vmx/pipe
rm -f "$T/count"
cat >"$T/sendmail" <<EOS
#!/bin/sh
cat >/dev/null
n=\$(cat '$T/count' 2>/dev/null || echo 0)
echo \$((n + 1)) >'$T/count'
sleep 0.2
exit 0
EOS
git config sendemail.sendmailCmd "$T/sendmail"
LAST_CMD="kvmx86 send | head -1"
"$KVMX86" send 2>"$ERR" </dev/null | head -1 >"$OUT" || true
expect_stdout_contains "sent: [PATCH 0/5]"
run_kvmx86 send
expect_exit 0 "the resume (no mail possibly sent)"
[ "$(cat "$T/count")" = 6 ] || fail "$(cat "$T/count") mails went, not 6"
