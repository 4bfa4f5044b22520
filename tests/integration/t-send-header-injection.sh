#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# No text becomes a mail header unless it is one line of valid UTF-8
# without control characters: a commit subject, an author name, a trailer,
# --to/--cc, kvmx86.cc/sendemail.to, sendemail.from, the cover subject,
# the prefixes and the change-id each try to smuggle a header (CR, LF,
# ESC, invalid UTF-8); send refuses with an error naming the text, or (a
# trailer) skips it with a warning.  No "Bcc:" header is ever written.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git config user.name "Sam Sender"
git config user.email "sam@example.com"
next=$(sha refs/remotes/kvm-x86/next)

git checkout -q -b x86/vmx/inject "$next"
echo "/* a */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Fine" -m "Fine." -m "Signed-off-by: Tess Ting <tess@example.com>"
echo "/* b */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Fine too" -m "Fine." -m "Signed-off-by: Tess Ting <tess@example.com>"
git config branch.x86/vmx/inject.description "$(printf 'KVM: VMX: Inject\n\nNothing gets in.')"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
sf=$(state_file x86/vmx/inject)
cp "$sf" "$T/good.json"

# no_bcc: no output of the last run holds a Bcc: header line
no_bcc() {
	! grep -qi '^bcc:' "$OUT" "$T"/out*/* 2>/dev/null ||
		fail "$1: a Bcc: header was written"
}

# refused WHAT PATTERN ARGS...: send -o refuses (128 or 129), naming PATTERN
refused() {
	local what=$1 pat=$2
	shift 2
	rm -rf "$T/out"
	run_kvmx86 send -o "$T/out" --force "$@"
	[ "$RC" = 128 ] || [ "$RC" = 129 ] || fail "$what: exit $RC, wanted a refusal"
	expect_stderr_matches "$pat"
	no_bcc "$what"
	expect_no_esc
}

note "a commit subject with a CR and an escape"
echo "/* $RANDOM */" >>arch/x86/kvm/x86.c
git commit -q -a -m "$(printf 'KVM: VMX: Evil\rBcc: x@evil.example \033]0;t\007')" \
	-m "Body." -m "Signed-off-by: Tess Ting <tess@example.com>"
refused "subject" "subject"
git reset -q --hard HEAD~1

note "an author name with an escape"
echo "/* $RANDOM */" >>arch/x86/kvm/x86.c
GIT_AUTHOR_NAME="$(printf 'Eve \033[2J Evil')" GIT_AUTHOR_EMAIL=eve@example.com \
	git commit -q -a -m "KVM: VMX: By Eve" -m "Body." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
refused "author" "author's name"
git reset -q --hard HEAD~1

note "a trailer with a CR: skipped, with a warning"
echo "/* $RANDOM */" >>arch/x86/kvm/x86.c
git commit -q -a -m "KVM: VMX: Trailer" -m "Body." \
	-m "$(printf 'Cc: Eve <eve@example.com>\rBcc: x@evil.example\nSigned-off-by: Tess Ting <tess@example.com>')"
rm -rf "$T/out"
run_kvmx86 send -o "$T/out" --force
expect_exit 0
expect_stderr_contains "trailer skipped"
no_bcc "trailer"
git reset -q --hard HEAD~1

note "--to and --cc"
run_kvmx86 send -o "$T/out" --to "$(printf 'a@example.com\nBcc: x@evil.example')"
expect_usage_error
run_kvmx86 send -o "$T/out" --cc "$(printf 'Eve \033[31m <eve@example.com>')"
expect_usage_error
no_bcc "--to"

note "the configuration"
git config kvmx86.cc "$(printf 'eve@example.com\nBcc: x@evil.example')"
rm -rf "$T/out"
run_kvmx86 send -o "$T/out" --force
no_bcc "kvmx86.cc"
expect_stderr_contains "kvmx86.cc"
git config --unset kvmx86.cc
git config sendemail.from "$(printf 'Sam \033]0;x\007 <sam@example.com>')"
refused "sendemail.from" "sendemail.from"
git config sendemail.from "$(printf 'Sam \377\376 <sam@example.com>')"
refused "sendemail.from (invalid UTF-8)" "sendemail.from"
git config --unset sendemail.from

note "the state: cover subject, prefixes, change-id"
jq '.cover.subject = "KVM: x\rBcc: x@evil.example"' "$T/good.json" >"$sf"
refused "cover subject" "subject"
jq '.prefixes = ["RFC\nBcc: x@evil.example"]' "$T/good.json" >"$sf"
refused "prefixes" "prefix"
jq '."change-id" = "x\nBcc: x@evil.example"' "$T/good.json" >"$sf"
jq '.change_id = "x\nBcc: x@evil.example"' "$T/good.json" >"$sf"
refused "change-id" "change"
cp "$T/good.json" "$sf"
run_kvmx86 send -o "$T/out" --force
expect_exit 0 "the good state again"
