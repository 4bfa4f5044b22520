#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --cover against a real public-inbox (and --link's check of earlier
# versions): a v3 cover letter links v1 and v2 found by change-id; a v2
# cover letter links v1 found by subject and author, while another
# author's series with the same subject is not linked; --offline asks
# nothing.  Against the misbehaving server: a failing lore is a warning,
# the letter is printed with the links marked EDITME, nothing hangs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-lore.sh"

need_public_inbox
lore_init
TESS="Tess Ting <tess@example.com>"
OSCAR="Oscar Other <oscar@example.org>"
CID=20230101-frob-0123456789ab
lore_post_series frob "$TESS" 1 2 "KVM: x86: Frob the widget" "$CID"
lore_post_series frob "$TESS" 2 2 "KVM: x86: Frob the widget better" "$CID"
lore_post_series zap "$TESS" 1 2 "KVM: x86: Zap the cache"
lore_post_series ozap "$OSCAR" 1 2 "KVM: x86: Zap the cache"
lore_post_series ozap "$OSCAR" 2 2 "KVM: x86: Zap the cache"
lore_start

cd "$(sample_repo)"
git config user.name "Tess Ting"
git config user.email tess@example.com
git config kvmx86.loreUrl "$LORE_URL"
git config kvmx86.loreLinkUrl https://lore.kernel.org/all
next=$(sha refs/remotes/kvm-x86/next)

# series NAME SUBJECT REVISION [CHANGE-ID]: a 2-patch branch x86/vmx/NAME,
# enrolled, preparing REVISION, nothing recorded as sent.
series() {
	git checkout -q -b "x86/vmx/$1" "$next"
	echo "/* $1 one */" >>arch/x86/kvm/vmx/vmx.c
	git commit -q -am "KVM: VMX: $1 one"
	echo "/* $1 two */" >>arch/x86/kvm/vmx/vmx.c
	git commit -q -am "KVM: VMX: $1 two"
	run_kvmx86 prep --enroll --base "$next"
	expect_exit 0
	sf=$(state_file "x86/vmx/$1")
	jq --arg s "$2" --argjson r "$3" --arg c "${4:-}" \
	   '.revision = $r | .cover.subject = $s | .cover.body = "The blurb." |
	    (if $c != "" then .change_id = $c else . end)' "$sf" >"$sf.new"
	mv "$sf.new" "$sf"
}

note "v3 by change-id: v1 and v2 (v2 was reworded) are linked"
series frob "KVM: x86: Frob the widget even better" 3 "$CID"
run_kvmx86 prep --cover
expect_exit 0
expect_stdout_contains "Subject: [PATCH v3 0/2] KVM: x86: Frob the widget even better"
expect_stdout_contains "v2: https://lore.kernel.org/all/$(lore_msgid frob 2 0 example.com)/"
expect_stdout_contains "v1: https://lore.kernel.org/all/$(lore_msgid frob 1 0 example.com)/"
expect_stdout_lacks "EDITME: link"
expect_stderr_lacks "not linked"

note "--offline asks nothing"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_matches '^v2: EDITME: '
expect_stderr_contains "--offline does not ask lore"

note "v2 by subject and author: Tess's v1, not Oscar's series of the same subject"
series zap "KVM: x86: Zap the cache" 2 20991231-zap-000000000000
run_kvmx86 prep --cover
expect_exit 0
expect_stdout_contains "v1: https://lore.kernel.org/all/$(lore_msgid zap 1 0 example.com)/"
expect_stdout_lacks "example.org"

note "--link refuses an earlier version that only lore knows"
git checkout -q x86/vmx/frob
refs_snapshot "$T/refs.before"
run_kvmx86 prep --link "$LORE_URL/$(lore_msgid frob 1 0 example.com)/"
expect_exit 1
expect_stderr_contains "is v1 of x86/vmx/frob (found on lore"
expect_refs_unchanged "$T/refs.before" "a refused link"
# a commit of another author: lore is asked for the sender's mails
GIT_AUTHOR_NAME="Ann Other" GIT_AUTHOR_EMAIL=ann@example.net \
	git commit -q --amend --no-edit --reset-author
run_kvmx86 prep --link "$(lore_msgid frob 1 0 example.com)"
expect_exit 1 "an earlier version, the tip by another author"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --link "$(lore_msgid frob 1 2 example.com)"
expect_exit 1 "a patch of an earlier version that only lore knows"
expect_stderr_contains "is v1 of x86/vmx/frob (found on lore"
expect_refs_unchanged "$T/refs.before" "a refused link to a patch"
run_kvmx86 prep --link "$(lore_msgid zap 1 0 example.com)"
expect_exit 0

note "a failing lore: warnings, EDITME marks, a letter all the same, bounded time"
fake_lore_start
git checkout -q x86/vmx/frob
git config kvmx86.httpTimeout 2
git config kvmx86.httpRetries 1
for mode in always503 stall-20 truncated badxml; do
	git config kvmx86.loreUrl "$FAKE_URL/$mode/all"
	start=$(date +%s)
	run_kvmx86 prep --cover
	took=$(( $(date +%s) - start ))
	expect_exit 0 "$mode"
	expect_stdout_contains "Subject: [PATCH v3 0/2]"
	expect_stdout_matches '^v1: EDITME: link to v1 \(lore could not be asked\)'
	expect_stderr_contains "the lore look-up failed"
	expect_stderr_contains "$FAKE_URL/$mode/all"
	[ "$took" -lt 30 ] || fail "$mode: prep --cover took $took s"
done
[ "$(cat "$FAKE_DIR/count.always503")" -ge 2 ] || fail "no retry on 503"
