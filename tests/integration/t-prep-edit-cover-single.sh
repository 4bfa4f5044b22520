#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A single patch needs no cover subject: prep -n, one commit, v1 sent with
# none.  The send adds "v2:" and its EDITME bullet below no subject, and
# --edit-cover shows the file with its first line empty.  Left as it is,
# nothing changes ("v2:" must not become the subject and its bullet the
# body); written, the notes stay the v2: section, under the patch's ---.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-send.sh"

need_aiosmtpd
cd "$(sample_repo)"
send_identity
b=x86/vmx/lone
run_kvmx86 prep -n lone --topic vmx
expect_exit 0 "prep -n"
echo "/* lone */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Fix the lone thing" -m "Fix the lone thing, as it was wrong." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
smtp_start
send_config
run_kvmx86 send --force
expect_exit 0 "v1 of one patch, without a cover subject"
read_state "$b"
expect_json .revision 2
expect_json .cover.subject null
expect_json .cover.body "$(printf 'v2:\n - EDITME: what changed in v2, in terse bullets')"
sf=$(state_file "$b")
cp "$sf" "$T/state.1"

note "the editor leaves the file as it is: nothing changes"
run_env GIT_EDITOR=true -- prep --edit-cover
expect_exit 0 "an editor that changes nothing"
expect_stdout_contains "cover letter unchanged"
expect_same_file "$sf" "$T/state.1" "an unchanged --edit-cover"

note "the notes written: still the v2: section, no subject"
printf '\n\nv2:\n - Say why in the changelog\n' >"$T/notes.txt"
make_editor "$T/editor" "$T/notes.txt" "$T/seen"
run_env GIT_EDITOR="$T/editor" -- prep --edit-cover
expect_exit 0
expect_stdout_contains "cover letter updated"
[ -z "$(head -n1 "$T/seen")" ] || fail "the editor's first line is not the empty subject"
read_state "$b"
expect_json .cover.subject null
expect_json .cover.body "$(printf 'v2:\n - Say why in the changelog')"
git commit -q --amend -m "KVM: VMX: Fix the lone thing" -m "Fix the lone thing, and say why." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
run_kvmx86 send --dry-run
expect_exit 0 "v2's dry run"
sed -n '/^---$/,/^ arch/p' "$OUT" >"$T/below"
grep -qx ' - Say why in the changelog' "$T/below" || { cat "$T/below" >&2; fail "the v2 notes are not under the ---"; }
grep -qx 'v2:' "$T/below" || fail "no v2: header under the ---"
grep -q 'EDITME' "$T/below" && fail "EDITME left under the ---"
true
