#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --cover: the cover letter of the next version.  Its shortlog and
# diffstat blocks are byte for byte those of git format-patch
# --cover-letter for the same range (several authors, a rename, a path
# long enough to be shortened, a binary file, a mode change); subject with
# prefixes and version; the version changelog with links to the sent
# versions newest first; base-commit and prerequisite-patch-id lines like
# format-patch --base for a series stacked on unpublished commits;
# change-id; the template from kvmx86.coverTemplate; --range-diff; a
# single patch prints what goes below its "---".
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git config user.name "Sam Sender"
git config user.email "sam@example.com"
next=$(sha refs/remotes/kvm-x86/next)

# git_blocks FILE, our_blocks FILE: the shortlog and diffstat of git's
# cover letter (after its blurb), of kvmx86's (after its "---" line),
# trailing blank lines dropped.
git_blocks() {
	awk '/^\*\*\* BLURB HERE \*\*\*$/ { on = 1; getline; next }
	     /^base-commit: / { exit } on' "$1" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}
our_blocks() {
	awk '/^---$/ { on = 1; next } /^base-commit: / { exit } on' "$1" |
		sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}
# mailmapped_blocks_like_git N WHAT: the blocks of the letter in $OUT are
# those of git format-patch's, which applied the mailmap to Zed.
mailmapped_blocks_like_git() {
	git format-patch -q --stdout --cover-letter --base="$next" "$next..HEAD" >"$T/fp$1"
	git_blocks "$T/fp$1" >"$T/want$1"
	our_blocks "$OUT" >"$T/got$1"
	grep -q '^Zed Real (1):$' "$T/want$1" || fail "test setup: git did not apply the mailmap"
	cmp -s "$T/want$1" "$T/got$1" || {
		diff -u "$T/want$1" "$T/got$1" >&2 || true
		fail "$2, the blocks differ from git's (diff above)"
	}
}

note "a series with several authors, a rename, a long path, a binary file"
git checkout -q -b x86/vmx/cover "$next"
long=tools/testing/selftests/kvm/x86_64/a/rather/deep/directory/for/the/test/nested_vmx_pending_dbg_test.c
mkdir -p "$(dirname "$long")"
printf 'int main(void)\n{\n\treturn 0;\n}\n' >"$long"
git add -A
GIT_AUTHOR_NAME="Zed Zebra" GIT_AUTHOR_EMAIL=zed@example.com \
	git commit -q -m "KVM: selftests: Add a test whose subject is long enough that the shortlog of the cover letter wraps it"
echo "/* more */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Touch vmx.c"
git mv arch/x86/kvm/vmx/nested.c arch/x86/kvm/vmx/nested_renamed.c
GIT_AUTHOR_NAME="Ánne Ümlaut" GIT_AUTHOR_EMAIL=anne@example.com \
	git commit -q -m "KVM: nVMX: Rename nested.c"
printf '\000\001\002' >arch/x86/kvm/blob.bin
chmod +x arch/x86/kvm/x86.c
git add -A
git commit -q -m "KVM: x86: Add a blob, make x86.c executable"
run_kvmx86 prep --enroll --base "$next"
expect_exit 0

note "the blocks are git format-patch's, byte for byte"
run_kvmx86 prep --cover --offline
expect_exit 0
cp "$OUT" "$T/cover"
git format-patch -q --stdout --cover-letter --base="$next" "$next..HEAD" >"$T/fp"
git_blocks "$T/fp" >"$T/want"
our_blocks "$T/cover" >"$T/got"
[ -s "$T/want" ] || fail "no blocks in git's cover letter"
cmp -s "$T/want" "$T/got" || {
	diff -u "$T/want" "$T/got" >&2 || true
	fail "the shortlog and diffstat differ from git format-patch --cover-letter (diff above)"
}
grep -q '^ \.\.\./' "$T/got" || fail "the long path was not shortened (test setup)"
grep -qF '{nested.c => nested_renamed.c}' "$T/got" || fail "no rename in the diffstat (test setup)"
grep -q '^Zed Zebra (1):$' "$T/got" || fail "no author line (test setup)"
[ "$(sed -n 1p "$T/cover")" = "From: Sam Sender <sam@example.com>" ] || fail "From: is not the sender"
[ "$(sed -n 2p "$T/cover")" = "Subject: [PATCH 0/4] *** SUBJECT HERE ***" ] ||
	fail "subject of an unnamed v1: $(sed -n 2p "$T/cover")"
grep -qx "base-commit: $next" "$T/cover" || fail "no base-commit line"
grep -q '^prerequisite-patch-id' "$T/cover" && fail "prerequisites for a series on next"
change_id=$(git -C . config --get-regexp . >/dev/null; "$KVMX86" prep --show-info change-id | sed 's/^change-id: //')
grep -qx "change-id: $change_id" "$T/cover" || fail "no change-id line"
[ "$(tail -n 2 "$T/cover")" = "$(printf -- '-- \nkvmx86 %s' "${KVMX86_VERSION:-$("$KVMX86" --version | awk 'NR == 1 {print $NF}')}")" ] ||
	fail "the signature is not '-- ' and kvmx86's version"

note "a mailmap: applied as git applies it"
printf 'Zed Real <zed@example.com> Zed Zebra <zed@example.com>\n' >.mailmap
run_kvmx86 prep --cover --offline
expect_exit 0
mailmapped_blocks_like_git 1 "with a mailmap"

note "a subject only git can measure: still git's blocks"
git checkout -q -b x86/vmx/mailmap
echo "/* caf\xc3\xa9 */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "$(printf 'KVM: VMX: Name the caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 after a long run of words that wrap')"
run_kvmx86 prep --enroll --base "$next"
run_kvmx86 prep --cover --offline
expect_exit 0
mailmapped_blocks_like_git 2 "with a mailmap and a non-ASCII subject"
rm .mailmap
git checkout -q x86/vmx/cover

note "with a current range cache (--show-info's): the same letter"
run_kvmx86 prep --show-info
run_env KVMX86_TRACE_PERFORMANCE=1 -- prep --show-info
expect_stderr_contains "the series range from the range cache"
run_kvmx86 prep --cover --offline
expect_exit 0
cmp -s "$T/cover" "$OUT" || fail "the letter differs from the first one"

note "HEAD names the current branch"
run_kvmx86 prep --cover --offline HEAD
expect_exit 0
cmp -s "$T/cover" "$OUT" || fail "prep --cover HEAD differs"

note "format.signature is the signature, as for git"
git config format.signature "Sam, from the test"
run_kvmx86 prep --cover --offline
[ "$(tail -n 1 "$OUT")" = "Sam, from the test" ] || fail "format.signature is not used"
git config --unset format.signature

note "v3 with notes: changelog newest first, links to the sent versions"
sf=$(state_file x86/vmx/cover)
jq '.revision = 3 | .prefixes = ["RFC"] |
    .cover = {subject: "KVM: VMX: Pending debug exceptions", body: "Fix the pending debug\nexceptions on nested VM-Enter.\n\nv3:\n - Rename nested.c [Sean]\n\nv2:\n - Add the selftest"} |
    .sent = [{revision: 1, cover_msgid: "20260101-v1-0-aaaa@example.com"},
             {revision: 2, cover_msgid: "a/b/v2@example.com"}]' "$sf" >"$sf.new"
mv "$sf.new" "$sf"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_contains "Subject: [PATCH RFC v3 0/4] KVM: VMX: Pending debug exceptions"
awk '/^Subject:/ { on = 1; next } /^---$/ { exit } on' "$OUT" >"$T/top"
cat >"$T/want-top" <<'EOT'

Fix the pending debug
exceptions on nested VM-Enter.

v3:
 - Rename nested.c [Sean]

v2: https://lore.kernel.org/all/a%2Fb%2Fv2@example.com/
 - Add the selftest

v1: https://lore.kernel.org/all/20260101-v1-0-aaaa@example.com/

EDITME: how was this tested? kvmx86 test recorded no build or test of these commits.

EOT
cmp -s "$T/want-top" "$T/top" || {
	diff -u "$T/want-top" "$T/top" >&2 || true
	fail "blurb and changelog (diff above)"
}

note "prep --check's build reminder: answered by a build, never by 'true'"
run_kvmx86 test -- true
expect_exit 0
run_kvmx86 prep --check --json
expect_json '[.findings[] | select(.rule == "build-each-commit" and .severity == "advice")] | length' 1
run_kvmx86 test --build -- true
run_kvmx86 prep --check --json
expect_json '[.findings[] | select(.rule == "build-each-commit")] | length' 0
run_kvmx86 test --forget
expect_exit 0

note "the testing statement comes from what kvmx86 test recorded for these commits"
run_kvmx86 test -- true
expect_exit 0
run_kvmx86 test -- test ! -e arch/x86/kvm/blob.bin
expect_exit 1
run_kvmx86 prep --cover --offline
expect_exit 0
# one paragraph wrapped at 72 columns, commands quoted as they ran
tr '\n' ' ' <"$OUT" >"$T/cover.flat"
grep -qF 'Ran `true` at every commit.' "$T/cover.flat" || fail "no 'Ran \`true\`': $(cat "$OUT")"
grep -Eq "\`test '!' -e arch/x86/kvm/blob.bin\` fails at patch(es)? [^.]*4" "$T/cover.flat" ||
	fail "the failure is not stated: $(cat "$OUT")"
grep -q "No build of the series was recorded." "$T/cover.flat" ||
	fail "'true' was taken for a build: $(cat "$OUT")"
grep -q "Neither the KVM selftests nor kvm-unit-tests were run." "$T/cover.flat" ||
	fail "the tests not run are not said"
[ "$(awk 'length > 72' "$OUT" | grep -c -e 'Ran `true`' -e 'No build of')" = 0 ] ||
	fail "the statement is not wrapped at 72 columns"
expect_stdout_lacks "EDITME: how was this tested"

note "kvmx86.loreLinkUrl changes the links"
git config kvmx86.loreLinkUrl https://lore.example.org/kvm/
run_kvmx86 prep --cover --offline
expect_stdout_contains "v1: https://lore.example.org/kvm/20260101-v1-0-aaaa@example.com/"
git config --unset kvmx86.loreLinkUrl

note "a version without a message-id is marked EDITME and warned about"
jq '.sent = [{revision: 2, cover_msgid: "v2@example.com"}]' "$sf" >"$sf.new"
mv "$sf.new" "$sf"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_matches '^v1: EDITME: '
expect_stderr_contains "warning: v1 is not linked"
expect_stderr_contains "--offline"

note "... but the cover letter's own link for it stands, without a warning"
cp "$sf" "$T/state.keep"
jq '.cover.body += "\n\nv1: https://lore.kernel.org/all/own-v1@example.com/\n- first posting"' "$sf" >"$sf.new"
mv "$sf.new" "$sf"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_contains "v1: https://lore.kernel.org/all/own-v1@example.com/"
expect_stderr_lacks "v1 is not linked"
cp "$T/state.keep" "$sf"

note "kvmx86.coverTemplate"
printf 'Hello.\n${cover}\n\nstat:\n${diffstat}\nid: ${change_id}\n' >"$T/tpl"
git config kvmx86.coverTemplate "$T/tpl"
run_kvmx86 prep --cover --offline
expect_exit 0
awk '/^Subject:/ { on = 1; getline; next } on' "$OUT" | head -n 1 | grep -qx 'Hello.' ||
	fail "the template's first line is not used"
expect_stdout_contains "stat:"
expect_stdout_contains "id: $change_id"
expect_stdout_lacks "base-commit:"
printf '${cover}\n${nope}\n' >"$T/tpl"
run_kvmx86 prep --cover --offline
expect_fatal "\${diffstat}"
expect_stderr_contains "\${nope}"
git config kvmx86.coverTemplate "$T/missing"
run_kvmx86 prep --cover --offline
expect_fatal
expect_stderr_contains "$T/missing"
git config --unset kvmx86.coverTemplate

note "stacked on unpublished commits: prerequisite-patch-id lines as format-patch --base"
git checkout -q -b x86/vmx/stacked
echo "/* stacked 1 */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Stacked one"
echo "/* stacked 2 */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Stacked two"
run_kvmx86 prep --enroll --base HEAD~2
expect_exit 0
run_kvmx86 prep --cover --offline
expect_exit 0
git format-patch -q --stdout --cover-letter --base="$next" HEAD~2..HEAD |
	sed -n '/^base-commit: /,/^-- $/p' | sed '$d' >"$T/want-base"
sed -n '/^base-commit: /,/^change-id: /p' "$OUT" | sed '$d' >"$T/got-base"
[ "$(grep -c '^prerequisite-patch-id: ' "$T/want-base")" = 4 ] ||
	fail "test setup: git lists $(grep -c prerequisite "$T/want-base") prerequisites"
cmp -s "$T/want-base" "$T/got-base" || {
	diff -u "$T/want-base" "$T/got-base" >&2 || true
	fail "base-commit and prerequisite-patch-id lines differ from git format-patch --base (diff above)"
}
expect_stderr_contains "prerequisite-patch-id lines name them"

note "--range-diff: git range-diff against the last version sent"
git checkout -q x86/vmx/cover
v1_tip=$(sha HEAD)
echo "/* after v1 */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: New in v2"
jq --arg base "$next" --arg tip "$v1_tip" \
   '.revision = 2 | .sent = [{revision: 1, cover_msgid: "v1@example.com", base: $base, tip: $tip}]' \
   "$sf" >"$sf.new"
mv "$sf.new" "$sf"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_lacks "Range-diff"
run_kvmx86 prep --cover --offline --range-diff
expect_exit 0
expect_stdout_contains "Range-diff against v1:"
git range-diff --no-color "$next..$v1_tip" "$next..HEAD" >"$T/rd"
grep -qF -- "$(sed -n 5p "$T/rd")" "$OUT" || fail "the range-diff is not git's"
grep -qE -- '^-: +-+ > 5: +[0-9a-f]+ KVM: VMX: New in v2' "$OUT" || fail "the new patch is not in the range-diff"
jq '.sent = [] | .revision = 2' "$sf" >"$sf.new"
mv "$sf.new" "$sf"
run_kvmx86 prep --cover --offline --range-diff
expect_exit 0
expect_stderr_contains "no range-diff: no earlier version was sent"

note "a single patch: the text below its '---', no cover letter"
git checkout -q -b x86/vmx/single "$next"
echo "/* single */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Single"
run_kvmx86 prep --enroll --base "$next"
run_kvmx86 prep --force-revision 2
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_lacks "Subject:"
expect_stdout_lacks "BLURB"
expect_stdout_lacks " file changed"
[ "$(head -n 1 "$OUT")" = "v2:" ] || fail "the single patch's notes do not start with v2:"
expect_stdout_matches '^v1: EDITME: '
expect_stdout_contains "base-commit: $next"

note "usage: --offline and --range-diff go with --cover only; not enrolled"
run_kvmx86 prep --show-info --offline
expect_usage_error
git checkout -q -b unenrolled "$next"
run_kvmx86 prep --cover
expect_fatal "--enroll"
