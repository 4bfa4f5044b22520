#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A send that stops with mails left (the server gone after a 250, the
# connection dropped between the final dot and the reply, a recipient
# refused, SIGINT between two mails) exits 2 with the command that
# resumes; the resume sends the recorded bytes of the mails not yet
# accepted and never a mail twice; a possibly-sent mail goes again only
# with --resend-unknown, with its Message-ID; a series changed meanwhile
# is refused with the way to start a new attempt; an attempt whose mails
# all went but whose version was not recorded is finished by the next run
# without a mail; a mail that is not UTF-8 is refused before any goes.
# Counted at the server (or the sendmail-like program).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
cd "$(sample_repo)"
send_identity

# four_series NAME: a 4-patch series: 5 mails with its cover letter.
four_series() {
	local i
	git checkout -q -b "$1" "$(sha refs/remotes/kvm-x86/next)"
	for i in 1 2 3 4; do
		echo "/* $1 $i */" >>arch/x86/kvm/vmx/vmx.c
		git commit -q -am "KVM: VMX: Step $i" -m "Step $i for the test." \
			-m "Signed-off-by: Tess Ting <tess@example.com>"
	done
	git config "branch.$1.description" \
		"$(printf 'KVM: VMX: Four steps\n\nFour steps for the test.')"
	run_kvmx86 prep --enroll --base "$(sha refs/remotes/kvm-x86/next)"
	expect_exit 0 "enrolling $1"
}

# expect_resume_hint CMD: stderr gives CMD as the command that resumes.
expect_resume_hint() {
	grep -qxF "  $1" "$ERR" || {
		cat "$ERR" >&2
		fail "stderr does not give '$1' to resume"
	}
}

note "the server goes away after 2 of 5 mails: exit 2, the resume sends 3 more"
b=x86/vmx/drop
four_series "$b"
smtp_start --drop-after 2
send_config
run_kvmx86 send --json
expect_exit 2 "send, server gone"
# --json: the object on stdout says what went, the progress is on stderr
expect_json '.mails | map(.status) | join(",")' "accepted,accepted,pending,pending,pending"
expect_stderr_contains "sent: [PATCH 1/4] KVM: VMX: Step 1"
expect_stderr_contains "error: not sent: [PATCH 2/4] KVM: VMX: Step 2"
expect_stderr_contains "2 of 5 mails accepted, 3 not sent"
expect_resume_hint "kvmx86 send --json"
no_duplicates 2
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,accepted,pending,pending,pending"
expect_json '.sent | length' 0
expect_json .revision 1
jq -j '.attempt.mails[2].text' "$OUT" >"$T/first"
run_kvmx86 send --dry-run
expect_exit 0 "a dry run beside the attempt"
expect_stderr_contains "note: an attempt to send v1 began"
expect_stderr_contains "2 of 5 mails accepted, 0 possibly sent"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,accepted,pending,pending,pending"
smtp_wait_exit
restart
run_kvmx86 send --json
expect_exit 0 "the resume"
expect_stderr_contains "resuming the attempt"
expect_stderr_contains "v1 of $b is sent: 5 mails"
no_duplicates 5
# the Message-IDs of the mails that went, the attempt's, not fresh ones
expect_json '.mails | map(.status) | join(",")' "accepted,accepted,accepted,accepted,accepted"
expect_json '"<" + .mails[0].message_id + ">"' "$(mail_header 1 Message-ID)"
expect_json '"<" + .mails[4].message_id + ">"' "$(mail_header 5 Message-ID)"
# the very bytes recorded before the first mail went
sed 's/\r$//' "$SMTP_DIR/mail-003.eml" >"$T/m3"
cmp -s "$T/first" "$T/m3" || {
	diff "$T/first" "$T/m3" >&2 || true
	fail "the resumed mail is not the one recorded"
}
cover=$(mail_header 1 Message-ID)
for i in 2 3 4 5; do
	[ "$(mail_header $i In-Reply-To)" = "$cover" ] ||
		fail "mail $i of the resumed series does not answer the cover letter"
done
read_state "$b"
expect_json .attempt null
expect_json .revision 2
git rev-parse -q --verify "refs/tags/sent/$b-v1" >/dev/null || fail "no tag after the resume"

note "the connection drops between the dot and the reply: possibly sent"
rm -rf "$SMTP_DIR"
b=x86/vmx/unknown
four_series "$b"
restart --drop-before-reply 3
run_kvmx86 send
expect_exit 2 "send, dropped before the reply"
expect_stderr_contains "error: possibly sent: [PATCH 2/4] KVM: VMX: Step 2"
expect_stderr_contains "1 possibly sent"
expect_resume_hint "kvmx86 send --resend-unknown"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,accepted,unknown,pending,pending"
unknown_id=$(jq -r '.attempt.mails[2].msgid' "$OUT")
restart
run_kvmx86 send
expect_exit 2 "the resume without --resend-unknown"
no_duplicates 5
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,accepted,unknown,accepted,accepted"
run_kvmx86 send
expect_exit 2 "again without --resend-unknown: nothing goes"
[ "$(smtp_count)" = 5 ] || fail "a possibly-sent mail went again without --resend-unknown"
expect_resume_hint "kvmx86 send --resend-unknown"
run_kvmx86 send --resend-unknown
expect_exit 0 "--resend-unknown"
[ "$(smtp_count)" = 6 ] || fail "--resend-unknown did not send the possibly-sent mail once"
[ "$(msgids | sort -u | wc -l)" = 5 ] || fail "--resend-unknown changed a Message-ID"
[ "$(msgids | grep -cxF "<$unknown_id>")" = 2 ] ||
	fail "the possibly-sent mail did not go again with its own Message-ID"
read_state "$b"
expect_json .attempt null
expect_json '.sent[0].revision' 1

note "a refused recipient fails that mail, names the address, and nothing after it goes"
rm -rf "$SMTP_DIR"
b=x86/vmx/refused
four_series "$b"
restart --refuse nobody@example.org
run_kvmx86 send --cc nobody@example.org
expect_exit 2 "a refused recipient"
expect_stderr_contains "nobody@example.org"
expect_stderr_contains "error: not sent: [PATCH 0/4] KVM: VMX: Four steps"
expect_resume_hint "kvmx86 send --cc nobody@example.org"
expect_resume_hint "kvmx86 send --cc nobody@example.org --exclude nobody@example.org --new-attempt"
[ "$(smtp_count)" = 0 ] || fail "mails went after the refusal"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "pending,pending,pending,pending,pending"

note "the series changed since the attempt: refused, with the way to a new one"
echo "/* changed */" >>arch/x86/kvm/vmx/vmx.c
git commit -q --amend -a --no-edit
restart
run_kvmx86 send --cc nobody@example.org
expect_exit 1 "a changed series"
expect_stderr_contains "the series changed since"
expect_resume_hint "kvmx86 send --cc nobody@example.org --new-attempt"
[ "$(smtp_count)" = 0 ] || fail "a changed series sent mail"
# a version changed is named as such, with the way back
run_kvmx86 prep --force-revision 3
run_kvmx86 send
expect_exit 1 "a version changed"
expect_stderr_contains "the series is v3 now"
expect_stderr_contains "kvmx86 prep --force-revision 1"
run_kvmx86 prep --force-revision 1
expect_exit 0
read_state "$b"
old_nonce=$(jq -r .attempt.nonce "$OUT")
[ -n "$old_nonce" ] && [ "$old_nonce" != null ] || fail "no attempt nonce recorded"
run_kvmx86 send --new-attempt
expect_exit 0 "--new-attempt"
expect_stderr_contains "is dropped (0 of its 5 mails were accepted)"
no_duplicates 5
read_state "$b"
[ "$(jq -r '.sent[0].send_nonce' "$OUT")" != "$old_nonce" ] ||
	fail "the new attempt kept the old nonce"

note "SIGINT between two mails (a sendmail-like program): the mail on its way is recorded"
b=x86/vmx/sigint
four_series "$b"
mkdir -p "$T/prog"
cat >"$T/sendmail" <<PROG
#!/bin/bash
# a sendmail-like program: stores the mail; on the 2nd, interrupts kvmx86
n=\$(( \$(ls "$T/prog" | grep -c "^mail-") + 1 ))
cat >"$T/prog/mail-\$n"
printf '%s\n' "\$@" >"$T/prog/args-\$n"
[ "\$n" != 2 ] || kill -INT "\$PPID"
exit 0
PROG
chmod +x "$T/sendmail"
git config sendemail.smtpServer "$T/sendmail"
git config --unset sendemail.smtpServerPort
run_kvmx86 send
expect_exit 2 "SIGINT"
expect_stderr_contains "stopped by signal"
[ "$(ls "$T/prog" | grep -c '^mail-')" = 2 ] || fail "mails went after SIGINT: $(ls "$T/prog")"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,accepted,pending,pending,pending"
[ ! -e "$(state_file "$b").lock" ] || fail "SIGINT left the series locked"
run_kvmx86 send
expect_exit 0 "the resume after SIGINT"
[ "$(ls "$T/prog" | grep -c '^mail-')" = 5 ] || fail "the resume after SIGINT: $(ls "$T/prog")"
grep -qx -- 'kvm@vger.kernel.org' "$T/prog/args-1" ||
	fail "the program did not get each recipient as an argument: $(cat "$T/prog/args-1")"

note "killed while a mail is on its way: possibly sent, never sent again without asking"
b=x86/vmx/killed
four_series "$b"
rm -rf "$T/prog"
mkdir -p "$T/prog"
cat >"$T/sendmail-kill" <<PROG
#!/bin/bash
# a sendmail-like program: queues the mail; on the 2nd, kvmx86 is killed
# before the program's answer (a second Ctrl-C, the OOM killer)
n=\$(( \$(ls "$T/prog" | grep -c "^mail-") + 1 ))
cat >"$T/prog/mail-\$n"
[ "\$n" != 2 ] || kill -KILL "\$PPID"
exit 0
PROG
chmod +x "$T/sendmail-kill"
git config sendemail.smtpServer "$T/sendmail-kill"
run_kvmx86 send
[ "$(ls "$T/prog" | grep -c '^mail-')" = 2 ] || fail "mails went after the kill: $(ls "$T/prog")"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,unknown,pending,pending,pending"
rm -f "$(state_file "$b").lock"
run_kvmx86 send
expect_exit 2 "the resume after a kill"
expect_stderr_contains "--resend-unknown"
[ "$(ls "$T/prog" | grep -c '^mail-')" = 5 ] || fail "the resume after a kill: $(ls "$T/prog")"
sed -n 's/^Message-ID: //Ip' "$T"/prog/mail-* | sort | uniq -d >"$T/twice"
[ ! -s "$T/twice" ] || fail "a mail went twice: $(cat "$T/twice")"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,unknown,accepted,accepted,accepted"
git config sendemail.smtpServer "$T/sendmail"

note "Ctrl-C at the terminal (the whole process group) while the program delivers: it finishes"
b=x86/vmx/ctrlc
four_series "$b"
rm -rf "$T/prog"
mkdir -p "$T/prog"
cat >"$T/sendmail-ctrlc" <<PROG
#!/bin/bash
# a sendmail-like program: on the 2nd mail, the terminal's Ctrl-C goes to
# kvmx86's process group; the program goes on delivering
n=\$(( \$(ls "$T/prog" | grep -c "^mail-") + 1 ))
if [ "\$n" = 2 ]; then
	kill -INT -- -\$(ps -o pgid= -p "\$PPID" | tr -d ' ')
	sleep 0.3
fi
cat >"$T/prog/mail-\$n"
exit 0
PROG
chmod +x "$T/sendmail-ctrlc"
git config sendemail.smtpServer "$T/sendmail-ctrlc"
LAST_CMD="setsid -w kvmx86 send"
RC=0
setsid -w "$KVMX86" send >"$OUT" 2>"$ERR" </dev/null || RC=$?
expect_exit 2 "Ctrl-C to the process group"
[ "$(ls "$T/prog" | grep -c '^mail-')" = 2 ] || fail "after Ctrl-C: $(ls "$T/prog")"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,accepted,pending,pending,pending"

note "on a terminal the program stays in its foreground group: it can ask there"
if command -v script >/dev/null 2>&1; then
	b=x86/vmx/tty
	four_series "$b"
	cat >"$T/sendmail-tty" <<PROG
#!/bin/bash
# a sendmail-like program that would prompt on the terminal (msmtp's
# password): only the foreground process group may read it
cat >/dev/null
pgid=\$(ps -o pgid= -p \$\$ | tr -d ' ')
tpgid=\$(ps -o tpgid= -p \$\$ | tr -d ' ')
[ "\$pgid" = "\$tpgid" ] && echo fg >>"$T/tty.log" || echo bg >>"$T/tty.log"
PROG
	chmod +x "$T/sendmail-tty"
	git config sendemail.smtpServer "$T/sendmail-tty"
	RC=0
	timeout 60 script -qec "$(printf '%q ' "$KVMX86" send)" /dev/null >"$OUT" 2>"$ERR" </dev/null || RC=$?
	expect_exit 0 "send on a terminal"
	[ "$(sort -u "$T/tty.log")" = fg ] || fail "the program ran outside the terminal's foreground group: $(cat "$T/tty.log")"
	git config sendemail.smtpServer "$T/sendmail"
fi

note "a program that exits 255 (a failure, not a signal): not sent, and sent on the resume"
b=x86/vmx/prog255
four_series "$b"
rm -rf "$T/prog"
mkdir -p "$T/prog"
cat >"$T/sendmail-255" <<PROG
#!/bin/bash
# a sendmail-like program that cannot deliver: reads the mail, exits 255
cat >/dev/null
exit 255
PROG
chmod +x "$T/sendmail-255"
git config sendemail.smtpServer "$T/sendmail-255"
run_kvmx86 send
expect_exit 2 "a program that exits 255"
expect_stderr_contains "exited with status 255"
expect_stderr_lacks "possibly sent"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "pending,pending,pending,pending,pending"
printf '#!/bin/sh\ncat >/dev/null\n' >"$T/sendmail-ok"
chmod +x "$T/sendmail-ok"
git config sendemail.smtpServer "$T/sendmail-ok"
run_kvmx86 send
expect_exit 0 "the resume after the failure"
git config sendemail.smtpServer "$T/sendmail"

note "a program killed by a signal once it has the mail: possibly sent, not sent again unasked"
b=x86/vmx/progkilled
four_series "$b"
rm -rf "$T/prog"
mkdir -p "$T/prog"
cat >"$T/sendmail-dies" <<PROG
#!/bin/bash
# a sendmail-like program that queues the 2nd mail and dies of a signal
n=\$(( \$(ls "$T/prog" | grep -c "^mail-") + 1 ))
cat >"$T/prog/mail-\$n"
[ "\$n" != 2 ] || kill -TERM \$\$
exit 0
PROG
chmod +x "$T/sendmail-dies"
git config sendemail.smtpServer "$T/sendmail-dies"
run_kvmx86 send
expect_exit 2 "a program killed by a signal"
expect_stderr_contains "possibly sent: "
expect_stderr_contains "was killed by signal 15"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,unknown,pending,pending,pending"
git config sendemail.smtpServer "$T/sendmail"
run_kvmx86 send
expect_exit 2 "the resume after the program's death"
expect_stderr_contains "--resend-unknown"
expect_stderr_contains "kvmx86 send --mark-arrived"
[ "$(ls "$T/prog" | grep -c '^mail-')" = 5 ] || fail "the resume: $(ls "$T/prog")"
sed -n 's/^Message-ID: //Ip' "$T"/prog/mail-* | sort | uniq -d >"$T/twice"
[ ! -s "$T/twice" ] || fail "a mail went twice: $(cat "$T/twice")"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,unknown,accepted,accepted,accepted"

note "--mark-arrived: the possibly-sent mail found in the archive counts as sent; nothing goes"
run_kvmx86 send --mark-arrived
expect_exit 0 "--mark-arrived"
expect_stderr_contains "counts as sent (--mark-arrived)"
[ "$(ls "$T/prog" | grep -c '^mail-')" = 5 ] || fail "--mark-arrived sent a mail: $(ls "$T/prog")"
read_state "$b"
expect_json .attempt null
expect_json '.sent | length' 1
git rev-parse -q --verify "refs/tags/sent/$b-v1" >/dev/null || fail "no tag after --mark-arrived"
run_kvmx86 send --mark-arrived --dry-run
expect_usage_error
git config sendemail.smtpServer "$T/sendmail"

note "a mail that is not UTF-8 cannot be recorded: refused before anything goes"
b=x86/vmx/latin1
git checkout -q -b "$b" "$(sha refs/remotes/kvm-x86/next)"
printf '/* caf\351 */\n' >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: A Latin-1 comment" -m "A byte that is not UTF-8." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
run_kvmx86 prep --enroll --base "$(sha refs/remotes/kvm-x86/next)"
expect_exit 0 "enrolling $b"
before=$(ls "$T/prog" | grep -c '^mail-')
run_kvmx86 send --force
expect_exit 128 "a mail that is not UTF-8"
expect_stderr_contains "is not UTF-8: kvmx86 cannot record it to resume with"
[ "$(ls "$T/prog" | grep -c '^mail-')" = "$before" ] || fail "a mail went"
read_state "$b"
expect_json .attempt null

note "every mail went but the tag could not be made: the next run finishes, sending nothing"
b=x86/vmx/finish
four_series "$b"
# a ref in the tag's way (a directory of that name): git cannot make it
git update-ref "refs/tags/sent/$b-v1/blocker" HEAD
before=$(ls "$T/prog" | grep -c '^mail-')
run_kvmx86 send
expect_exit 128 "the tag in the way"
expect_stderr_contains "every mail went; run this again to finish (nothing is sent twice)"
[ "$(ls "$T/prog" | grep -c '^mail-')" = $((before + 5)) ] || fail "not every mail went"
read_state "$b"
expect_json '.attempt.mails | map(.status) | join(",")' "accepted,accepted,accepted,accepted,accepted"
expect_json .revision 1
git update-ref -d "refs/tags/sent/$b-v1/blocker"
run_kvmx86 send
expect_exit 0 "finishing"
expect_stderr_contains "every mail of v1 was sent already: finishing"
[ "$(ls "$T/prog" | grep -c '^mail-')" = $((before + 5)) ] || fail "finishing sent mail"
read_state "$b"
expect_json .attempt null
expect_json .revision 2
expect_json '.sent[0].tag' "sent/$b-v1"
git rev-parse -q --verify "refs/tags/sent/$b-v1" >/dev/null || fail "no tag after finishing"
