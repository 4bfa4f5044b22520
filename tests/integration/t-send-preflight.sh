#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# send's pre-flight: each reason refuses -o and --mbox (exit 1, nothing
# written, the reason and its fix named) unless --force; --dry-run reports
# it and goes on.  prep --check errors; check-base wrong; a base-commit on
# no remote-tracking ref; a series that no longer applies to its ref's
# tip; template text in the cover; a cover asking to go as a reply; a
# recorded test failure; a dirty work tree.  No recorded tests at all is a
# warning only.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git config user.name "Sam Sender"
git config user.email "sam@example.com"
next=$(sha refs/remotes/kvm-x86/next)

# good_series NAME: a clean two-patch series on kvm-x86/next, enrolled.
good_series() {
	git checkout -q -b "$1" "$next"
	echo "/* a */" >>arch/x86/kvm/vmx/vmx.c
	git commit -q -am "KVM: VMX: Change a thing" -m "Change a thing for the test." \
		-m "Signed-off-by: Tess Ting <tess@example.com>"
	echo "/* b */" >>arch/x86/kvm/vmx/vmx.c
	git commit -q -am "KVM: VMX: Change another thing" -m "And another one." \
		-m "Signed-off-by: Tess Ting <tess@example.com>"
	git config "branch.$1.description" "$(printf 'KVM: VMX: Two changes\n\nTwo changes for the test.')"
	run_kvmx86 prep --enroll --base "$next"
	expect_exit 0 "enrolling $1"
}

# refused WHAT PATTERN: -o and --mbox refuse with PATTERN and a hint,
# write nothing; --force writes; --dry-run says "would refuse" and prints
# the mails.
refused_nr=0
refused() {
	local d="$T/out-$((refused_nr += 1))"
	run_kvmx86 send -o "$d"
	expect_exit 1 "$1: send -o"
	expect_stderr_matches "^error: .*$2"
	expect_stderr_contains "hint: "
	[ ! -e "$d" ] || fail "$1: send -o wrote $d despite refusing"
	run_kvmx86 send --mbox "$d.mbox"
	expect_exit 1 "$1: send --mbox"
	[ ! -e "$d.mbox" ] || fail "$1: send --mbox wrote despite refusing"
	run_kvmx86 send --dry-run
	expect_exit 1 "$1: send --dry-run"
	expect_stderr_matches "^would refuse: .*$2"
	expect_stdout_contains "Message-ID: <"
	run_kvmx86 send -o "$d" --force
	expect_exit 0 "$1: send -o --force"
	[ -n "$(ls "$d")" ] || fail "$1: --force wrote nothing"
}

note "a clean series passes, with a warning for the missing test records"
good_series x86/vmx/clean
run_kvmx86 send -o "$T/clean"
expect_exit 0
expect_stderr_contains "warning: kvmx86 test recorded no build or test of these commits"
expect_stderr_lacks "error:"
grep -q "^Not tested with kvmx86 test" "$T/clean/0000-cover-letter.patch" ||
	fail "the cover letter does not say what was not tested"

note "a dirty work tree"
echo "/* dirty */" >>arch/x86/kvm/x86.c
refused "dirty" "the work tree has uncommitted changes"
git checkout -q -- arch/x86/kvm/x86.c

note "a change staged and undone in the work tree is still uncommitted"
echo "/* staged */" >>arch/x86/kvm/x86.c
git add arch/x86/kvm/x86.c
git show HEAD:arch/x86/kvm/x86.c >arch/x86/kvm/x86.c
refused "staged" "the work tree has uncommitted changes"
git reset -q
git checkout -q -- arch/x86/kvm/x86.c

note "kvmx86.worktreeCheck=series: only the series' files count"
echo "/* elsewhere */" >>arch/x86/kvm/x86.c
git config kvmx86.worktreeCheck series
run_kvmx86 send -o "$T/scoped"
expect_exit 0 "send -o with a change outside the series' files, worktreeCheck=series"
expect_stderr_lacks "uncommitted"
note "... and --worktree-check all over the configuration"
run_kvmx86 send -o "$T/scoped-all" --worktree-check all
expect_exit 1 "send -o --worktree-check all with a change outside the series"
expect_stderr_contains "the work tree has uncommitted changes"
git checkout -q -- arch/x86/kvm/x86.c
note "... a change to a file of the series is still refused, staged or not"
echo "/* in the series */" >>arch/x86/kvm/vmx/vmx.c
run_kvmx86 send -o "$T/scoped-vmx"
expect_exit 1 "send -o with a change to a file of the series, worktreeCheck=series"
expect_stderr_contains "files of the series have uncommitted changes"
git add arch/x86/kvm/vmx/vmx.c
run_kvmx86 send -o "$T/scoped-vmx2"
expect_exit 1 "send -o with a staged change to a file of the series"
expect_stderr_contains "files of the series have uncommitted changes"
git reset -q
git checkout -q -- arch/x86/kvm/vmx/vmx.c
note "... every file when check-base finds no series (a remote that is not there)"
# git status starts on the series' files before check-base has run
echo "/* elsewhere */" >>arch/x86/kvm/x86.c
git config kvmx86.x86Remote nosuch
run_kvmx86 send --dry-run --worktree-check series
expect_stderr_contains "there is no remote 'nosuch'"
expect_stderr_contains "would refuse: the work tree has uncommitted changes"
git config --unset kvmx86.x86Remote
git checkout -q -- arch/x86/kvm/x86.c
git config kvmx86.worktreeCheck sometimes
run_kvmx86 send -o "$T/scoped-bad"
expect_exit 128 "a kvmx86.worktreeCheck that is neither all nor series"
expect_stderr_contains "'sometimes' is not a work-tree check (all or series)"
git config --unset kvmx86.worktreeCheck
run_kvmx86 send -o "$T/scoped-bad2" --worktree-check=some
expect_exit 129 "--worktree-check=some"

note "a same-size change in the same second as the index (racy git)"
cp arch/x86/kvm/x86.c "$T/x86.c"
git update-index --refresh >/dev/null
sed -i '1s/./X/' arch/x86/kvm/x86.c
cmp -s arch/x86/kvm/x86.c "$T/x86.c" && fail "the racy change changed nothing"
refused "racy" "the work tree has uncommitted changes"
git checkout -q -- arch/x86/kvm/x86.c

note "stale stat data (a copied tree), an untracked file: not dirty"
touch -d "2001-01-01" arch/x86/kvm/x86.c arch/x86/kvm/vmx/vmx.c
echo "scratch" >"untracked-notes.txt"
run_kvmx86 send -o "$T/stale"
expect_exit 0 "send -o with stale stat data and an untracked file"
expect_stderr_lacks "uncommitted"
rm -f untracked-notes.txt

note "template text in the cover letter"
sf=$(state_file x86/vmx/clean)
cp "$sf" "$T/clean.json"
jq '.cover.body = "EDITME: say what this does"' "$T/clean.json" >"$sf"
refused "EDITME" "template text 'EDITME' is left in the cover letter"

note "a cover letter that asks to go as a reply to v1"
jq '.cover.body = "Please apply.\n\nIn-Reply-To: <v1@example.com>"' "$T/clean.json" >"$sf"
refused "reply" "asks for the mails to go as a reply"
cp "$T/clean.json" "$sf"

note "a recorded test failure at the current commits"
run_kvmx86 test -- sh -c 'grep -q "b \*/" arch/x86/kvm/vmx/vmx.c && exit 1; exit 0'
refused "test failure" "kvmx86 test recorded a failure at $(short "$(sha HEAD)")"
# a wrong command recorded is forgotten, not fixed in the commit
expect_stderr_contains "kvmx86 test --forget"
cp "$T/clean.json" "$sf"

note "prep --check errors"
git checkout -q -b x86/vmx/bad "$next"
echo "/* c */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Only trailers" -m "Signed-off-by: Tess Ting <tess@example.com>"
echo "/* d */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Fine" -m "A fine change." -m "Signed-off-by: Tess Ting <tess@example.com>"
echo "/* See SDM 25.1.3. */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Cite the manual" -m "Cite it." -m "Signed-off-by: Tess Ting <tess@example.com>"
sdm_line=$(wc -l <arch/x86/kvm/vmx/vmx.c)
git config branch.x86/vmx/bad.description "$(printf 'KVM: VMX: Bad\n\nA series with an error.')"
run_kvmx86 prep --enroll --base "$next"
refused "prep --check" "prep --check: .*changelog-nonempty"
# an error about added code says where, as prep --check does
expect_stderr_matches "prep --check: $(short "$(sha HEAD)"): arch/x86/kvm/vmx/vmx\.c:$sdm_line: section number 'SDM 25\.1\.3' .*\[no-sdm-section-numbers\]"

note "a series-wide prep --check error (base-trailer made one) refuses too"
git checkout -q -b x86/misc/prereq "$next"
echo "/* p */" >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add a prerequisite" -m "Needed below." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
git checkout -q -b x86/vmx/stacked
echo "/* s */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Build on the prerequisite" -m "Stacked on it." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
run_kvmx86 prep --enroll --base HEAD~1
git config kvmx86.rule.base-trailer error
run_kvmx86 prep --check
expect_exit 1
expect_stdout_contains "series error base-trailer:"
refused "base-trailer as an error" "prep --check: the series builds on 1 commit .*\\[base-trailer\\]"
git config --unset kvmx86.rule.base-trailer
run_kvmx86 send -o "$T/stacked-ok"
expect_exit 0 "base-trailer a warning again"

note "check-base: wrong"
git checkout -q x86/mmu/multiarch
git config branch.x86/mmu/multiarch.description "$(printf 'KVM: MMU: Multi\n\nA multi-arch series.')"
run_kvmx86 prep --enroll
refused "check-base wrong" "check-base: the base is wrong"

note "a base-commit that no remote-tracking ref has"
git checkout -q -b local-base "$next"
echo "/* local */" >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: A local base" -m "Not published." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
git checkout -q -b x86/vmx/onlocal
echo "/* e */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: On a local base" -m "On top of it." \
	-m "Signed-off-by: Tess Ting <tess@example.com>"
git config branch.x86/vmx/onlocal.description "$(printf 'KVM: VMX: Local\n\nOn a local base.')"
run_kvmx86 prep --enroll --base local-base
# published fork point as base-commit, the local commit as a prerequisite
run_kvmx86 send --dry-run
expect_stdout_matches "^base-commit: $next\$"
expect_stdout_matches "^prerequisite-patch-id: [0-9a-f]{40}\$"
[ "$(grep -c '^base-commit: ' "$OUT")" = 1 ] || fail "base-commit: more than once"
# with no remote-tracking ref at all, the recorded base is the base-commit
git for-each-ref --format='%(refname) %(objectname)' refs/remotes >"$T/remotes"
while read -r r _; do git update-ref -d "$r"; done <"$T/remotes"
refused "unpublished base" "base-commit [0-9a-f]{12} is on no remote-tracking ref"
while read -r r o; do git update-ref "$r" "$o"; done <"$T/remotes"

note "a series that no longer applies to kvm-x86/next's tip"
git checkout -q x86/vmx/clean
git checkout -q --detach "$next"
echo "/* conflicting */" >>arch/x86/kvm/vmx/vmx.c
git commit -q -am "KVM: VMX: Upstream moved"
git update-ref refs/remotes/kvm-x86/next HEAD
git checkout -q x86/vmx/clean
refused "no longer applies" "the series no longer applies to kvm-x86/next"

note "kvm-x86/next moved elsewhere in the file and in another: it still applies"
git checkout -q --detach "$next"
sed -i '1i /* upstream, far from the series */' arch/x86/kvm/vmx/vmx.c
echo "/* upstream */" >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Upstream moved elsewhere"
git update-ref refs/remotes/kvm-x86/next HEAD
git checkout -q x86/vmx/clean
run_kvmx86 send --dry-run
expect_stderr_lacks "no longer applies"
git update-ref refs/remotes/kvm-x86/next "$next"
