#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# send runs git's sendemail-validate hook on each mail, as git send-email
# does: in the work tree's top, GIT_DIR naming the repository (not the
# caller's git variables), core.hooksPath honoured, its output on stderr.
# A mail it rejects is a refusal of the pre-flight that --force does not
# override (as git send-email stops); --no-validate and sendemail.validate=false skip it,
# --validate wins over the key; writing out (-o) runs no hook, as git
# format-patch; a hook that is not executable is no hook, as in git.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

cd "$(sample_repo)"
send_identity
sendmail_sink
five_series x86/vmx/checked
top=$(pwd -P)

# the hook: logs what it was given, rejects a mail naming REJECT_WORD
hook=$(git rev-parse --git-path hooks)/sendemail-validate
mkdir -p "$(dirname "$hook")"
cat >"$hook" <<EOF
#!/bin/sh
printf '%s|%s|%s|%s\n' "\$1" "\$(pwd -P)" "\${GIT_DIR:-}" "\${GIT_INDEX_FILE:-unset}" >>'$T/hook.log'
head -1 "\$1" | grep -q '^From [0-9a-f]\{40\} Mon Sep 17 00:00:00 2001\$' ||
	echo "not a git format-patch file: \$1" >&2
if [ -n "\$(cat '$T/reject' 2>/dev/null)" ] && grep -q "\$(cat '$T/reject')" "\$1"; then
	echo "hook: this mail names \$(cat '$T/reject')" >&2
	echo "noise on stdout"
	exit 3
fi
exit 0
EOF
chmod +x "$hook"
calls() { wc -l <"$T/hook.log" 2>/dev/null || echo 0; }

note "the hook passes each mail, in the work tree's top, with GIT_DIR"
run_env GIT_INDEX_FILE=/nonexistent -- send --dry-run
expect_exit 0
[ "$(calls)" = 6 ] || fail "the hook ran $(calls) times, not 6 (cover letter and 5 patches)"
IFS='|' read -r file dir gitdir index <"$T/hook.log"
[ "$dir" = "$top" ] || fail "the hook ran in $dir, not $top"
[ "$gitdir" = "$top/.git/" ] || [ "$gitdir" = "$top/.git" ] || fail "the hook's GIT_DIR: $gitdir"
[ "$index" = unset ] || fail "the hook got the caller's GIT_INDEX_FILE"
[ ! -e "$file" ] || fail "the mail's file was left behind: $file"
# what git send-email hands it: a file as git format-patch writes it
expect_stderr_lacks "not a git format-patch file"

note "a mail it rejects: refused, nothing sent, the hook's words on stderr"
echo "thing 3 for the test" >"$T/reject"
: >"$T/hook.log"
run_kvmx86 send
expect_exit 1
expect_stderr_contains "the sendemail-validate hook rejected a patch (exit 3): [PATCH 3/5] KVM: VMX: Change thing 3"
expect_stderr_contains "hook: this mail names thing 3 for the test"
expect_stderr_contains "nothing was sent"
[ "$(sent)" = 0 ] || fail "$(sent) mails went"
[ "$(calls)" = 4 ] || fail "the hook ran $(calls) times: not stopped at the first rejection"

note "--json: stdout is the JSON alone, the hook's output on stderr"
run_kvmx86 send --json --dry-run
expect_exit 1
expect_json_true '[.refusals[] | select(.reason | test("^the sendemail-validate hook rejected a patch"))] | length == 1' \
	"the refusal in --json"
expect_stderr_contains "noise on stdout"

note "--no-validate and sendemail.validate=false skip it; --validate wins over the key"
: >"$T/hook.log"
run_kvmx86 send --dry-run --no-validate
expect_exit 0
git config sendemail.validate false
run_kvmx86 send --dry-run
expect_exit 0
[ "$(calls)" = 0 ] || fail "the hook ran with validation off"
run_kvmx86 send --dry-run --validate
expect_exit 1
git config sendemail.validate maybe
run_kvmx86 send --dry-run
expect_exit 128
expect_stderr_contains "sendemail.validate"
git config --unset sendemail.validate

note "writing out runs no hook, as git format-patch"
: >"$T/hook.log"
run_kvmx86 send -o "$T/mails"
expect_exit 0
[ "$(calls)" = 0 ] || fail "-o ran the hook"

note "core.hooksPath is where git looks"
mkdir -p "$T/hooks"
mv "$hook" "$T/hooks/"
run_kvmx86 send --dry-run
expect_exit 0
git config core.hooksPath "$T/hooks"
run_kvmx86 send --dry-run
expect_exit 1
expect_stderr_contains "the sendemail-validate hook rejected a patch"

note "a hook that is not executable is no hook"
chmod -x "$T/hooks/sendemail-validate"
run_kvmx86 send --dry-run
expect_exit 0
chmod +x "$T/hooks/sendemail-validate"

note "--force does not send what the hook rejects, as git send-email; --no-validate does"
run_kvmx86 send --force
expect_exit 1
expect_stderr_contains "(--force does not override it)"
expect_stderr_lacks "or give --force"
[ "$(sent)" = 0 ] || fail "$(sent) mails went despite the hook"
run_kvmx86 send --reflect --force
expect_exit 1
expect_stderr_contains "nothing was sent: the sendemail-validate hook rejected a mail"
[ "$(sent)" = 0 ] || fail "--reflect sent despite the hook"
run_kvmx86 send --force --no-validate
expect_exit 0
[ "$(sent)" = 6 ] || fail "$(sent) mails went, not 6"
