#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check: which commits it checks (check-base's series, a range, an
# enrolled branch's recorded base), the base-choice rule (the multi-arch
# branch's base is wrong: an error), and x86/vmx/good-series.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
bad=x86/misc/bad-style
good=x86/vmx/good-series
multi=x86/mmu/multiarch

# ids_of RANGE: the commits of RANGE, oldest first, space-separated.
ids_of() {
	git rev-list --reverse "$1" | paste -sd' '
}
# expect_commits RANGE: --json's commits are those of RANGE.
expect_commits() {
	expect_json '[.commits[].id] | join(" ")' "$(ids_of "$1")"
}

note "x86/vmx/good-series: no error, exit 0"
git checkout -q "$good"
run_kvmx86 prep --check --json
expect_exit 0 "good-series"
expect_commits "$next..$good"
expect_json '.summary.errors' 0
expect_json '[.findings[] | select(.severity == "error")] | length' 0
expect_json '[.findings[] | select(.rule == "base-choice")] | length' 0
expect_json '.notes | length' 0
run_kvmx86 prep --check
expect_exit 0
expect_stdout_matches '^0 errors, [0-9]+ warnings?, [0-9]+ advice$'

note "the same series with an empty changelog in its last patch: that is the only error"
git checkout -q --no-track -b x86/vmx/good-empty "$good"
git commit -q --amend --no-verify -m "KVM: selftests: Verify FOO can be cleared again" \
	-m "$(git log -1 --format=%B | grep '^Signed-off-by: ')"
run_kvmx86 prep --check --json
expect_exit 1 "an empty changelog"
expect_commits "$next..HEAD"
expect_json '[.findings[] | select(.severity == "error") | "\(.commit) \(.rule)"] | join(",")' \
	"$(sha HEAD) changelog-nonempty"
expect_json '.summary.errors' 1
git checkout -q master

note "x86/mmu/multiarch: its base is wrong, an error base-choice finding"
run_kvmx86 prep --check --json "$multi"
expect_exit 1
expect_commits "$next..$multi"
expect_json '[.findings[] | select(.rule == "base-choice")] | length' 1
expect_json '.findings[] | select(.rule == "base-choice") | .severity' error
expect_json '.findings[] | select(.rule == "base-choice") | .commit' null
expect_json_true '.findings[] | select(.rule == "base-choice") | .message | contains("v6.3-rc2")' \
	"base-choice names the right base"
run_kvmx86 prep --check "$multi"
expect_exit 1
expect_stdout_matches '^series error base-choice: '
# a series-wide finding comes after every commit
[ "$(grep -n '^series error base-choice: ' "$OUT" | cut -d: -f1)" -gt \
  "$(grep -n "^$(short "$multi") " "$OUT" | tail -n1 | cut -d: -f1)" ] ||
	fail "the base-choice line is not after the commits"

note "x86/misc/bad-style and fixes/current: right bases, no base-choice finding"
for b in "$bad" fixes/current; do
	run_kvmx86 prep --check --json "$b"
	expect_json '[.findings[] | select(.rule == "base-choice")] | length' 0
done
run_kvmx86 prep --check --json fixes/current
expect_commits "refs/remotes/kvm/master..fixes/current"

note "a range: exactly its commits"
run_kvmx86 prep --check --json "$next..$bad~2"
expect_exit 1
expect_commits "$next..$bad~2"
expect_json '.commits | length' 3
# only those commits have findings
ids="$(ids_of "$next..$bad~2")"
# shellcheck disable=SC2086
expect_json_true "[.findings[] | select(.commit != null) | .commit] - [$(printf '"%s",' $ids | sed 's/,$//')] | length == 0" \
	"findings only on the range's commits"
expect_json_true '[.findings[] | select(.rule == "shortlog-case")] | length == 1' "patch 1 is in the range"
expect_json_true '[.findings[] | select(.rule == "signoff")] | length == 0' "patch 5 is not"
run_kvmx86 prep --check --json "$bad~2..$bad"
expect_exit 1
expect_commits "$bad~2..$bad"
expect_json_true '[.findings[] | select(.rule == "shortlog-case" or .rule == "no-x86-kvm-prefix")] | length == 0' \
	"patches 1 and 2 are not in $bad~2..$bad"
expect_json_true '[.findings[] | select(.rule == "signoff")] | length == 1' "patch 5 is"
# a range whose patches are clean: exit 0
run_kvmx86 prep --check --json "$next..$good~1"
expect_exit 0
expect_commits "$next..$good~1"
expect_json .summary.errors 0
# text: the headers of exactly the range's commits
run_kvmx86 prep --check "$bad~2..$bad"
expect_exit 1
[ "$(grep -cE '^[0-9a-f]{12} ([^ ]+:[0-9]+: )?(error|warning|advice) ' "$OUT")" -ge 5 ] ||
	fail "fewer than 5 findings on patches 4 and 5"
for c in $(ids_of "$bad~2..$bad"); do
	grep -qxF "$(short "$c") $(git log -1 --format=%s "$c")" "$OUT" ||
		fail "no header for $(short "$c")"
done
! grep -q "^$(short "$bad~2") " "$OUT" || fail "the range's bottom is checked"

note "an enrolled branch: its recorded base, not check-base's fork point"
git checkout -q "$bad"
run_kvmx86 prep --enroll --base "$bad~2"
expect_exit 0
run_kvmx86 prep --check --json
expect_exit 1
expect_commits "$bad~2..$bad"
git checkout -q master
run_kvmx86 prep --check --json "$bad"
expect_exit 1
expect_commits "$bad~2..$bad"
run_kvmx86 prep --check "$bad"
expect_exit 1
for c in $(ids_of "$bad~2..$bad"); do
	grep -qxF "$(short "$c") $(git log -1 --format=%s "$c")" "$OUT" ||
		fail "no header for $(short "$c")"
done
! grep -q "^$(short "$bad~2") " "$OUT" || fail "the recorded base is checked"

note "enrolled on kvm-x86/next: the whole branch"
git checkout -q "$good"
run_kvmx86 prep --enroll
expect_exit 0
run_kvmx86 prep --check --json
expect_exit 0
expect_commits "$next..$good"

git checkout -q master
note "a range of KVM commits only: nothing of one's own to check"
run_kvmx86 prep --check v6.3-rc2..refs/remotes/kvm-x86/next
expect_fatal "every commit of v6.3-rc2..refs/remotes/kvm-x86/next is in a KVM branch"
expect_stdout_empty
