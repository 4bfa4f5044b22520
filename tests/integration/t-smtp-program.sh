#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# sendmail-like programs, as git send-email runs them: smtpServer as an
# absolute path gets an argv ("-i" and the addresses, "-f SENDER" first
# with envelopeSender); sendmailCmd runs through sh -c with every address
# an argument of its own, never part of the shell text.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-smtp.sh"

git init -q "$T/repo"
smtp_mail 1 >"$T/m1"
smtp_mail 2 >"$T/m2"

# stores its argv (one per line) and its stdin, per call
cat >"$T/fake-sendmail" <<EOF2
#!/bin/sh
n=\$(ls "$T/calls" | wc -l)
mkdir -p "$T/calls/\$n"
for a in "\$@"; do printf '%s\n' "\$a"; done >"$T/calls/\$n/argv"
cat >"$T/calls/\$n/stdin"
exit \$(cat "$T/exit" 2>/dev/null || echo 0)
EOF2
chmod +x "$T/fake-sendmail"
mkdir "$T/calls"

git -C "$T/repo" config sendemail.smtpServer "$T/fake-sendmail"
run_probe --from tess@example.com --to list@example.org \
	--to 'kvm@vger.example.org' "$T/m1" "$T/m2"
expect_exit 0
expect_stdout_contains "$T/m1 accepted"
expect_stdout_contains "$T/m2 accepted"
printf '%s\n' -i list@example.org kvm@vger.example.org >"$T/argv.want"
cmp -s "$T/calls/0/argv" "$T/argv.want" || fail "argv: $(cat "$T/calls/0/argv")"
cmp -s "$T/calls/0/stdin" "$T/m1" || fail "mail 1 changed on its way"
cmp -s "$T/calls/1/stdin" "$T/m2" || fail "mail 2 changed on its way"

git -C "$T/repo" config sendemail.envelopeSender bounce@example.com
run_probe --to list@example.org "$T/m1"
expect_exit 0
printf '%s\n' -f bounce@example.com -i list@example.org >"$T/argv.want"
cmp -s "$T/calls/2/argv" "$T/argv.want" || fail "argv: $(cat "$T/calls/2/argv")"
git -C "$T/repo" config --unset sendemail.envelopeSender

# a program that fails: the mail failed, the session stops
echo 75 >"$T/exit"
run_probe --to list@example.org "$T/m1" "$T/m2"
expect_exit 1
expect_stdout_contains "$T/m1 failed"
expect_stdout_lacks "$T/m2"
expect_stderr_contains "exited with status 75"
rm "$T/exit"

# sendmailCmd: the user's shell text, the addresses as arguments only
rm -rf "$T/calls"; mkdir "$T/calls"
git -C "$T/repo" config sendemail.sendmailCmd "\"$T/fake-sendmail\" --account 'work mail'"
evil='x$(touch${IFS}'"$T"'/pwned)`touch${IFS}'"$T"'/pwned2`;touch${IFS}'"$T"'/pwned3@example.org'
run_probe --to "$evil" --to "o'brien@example.org" --to 'a|b@example.org' "$T/m1"
expect_exit 0
expect_stdout_contains "$T/m1 accepted"
printf '%s\n' --account 'work mail' -i "$evil" "o'brien@example.org" \
	'a|b@example.org' >"$T/argv.want"
cmp -s "$T/calls/0/argv" "$T/argv.want" ||
	{ diff "$T/argv.want" "$T/calls/0/argv" >&2; fail "sendmailCmd argv"; }
[ ! -e "$T/pwned" ] && [ ! -e "$T/pwned2" ] && [ ! -e "$T/pwned3" ] ||
	fail "an address reached the shell"
cmp -s "$T/calls/0/stdin" "$T/m1" || fail "mail changed on its way"

# a missing program: failed, with the reason
git -C "$T/repo" config --unset sendemail.sendmailCmd
git -C "$T/repo" config sendemail.smtpServer "$T/no-such-sendmail"
run_probe --to list@example.org "$T/m1"
expect_exit 1
expect_stdout_contains "$T/m1 failed"
