#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check checks the cover letter of an enrolled branch (its state's
# subject and body): a cover that asks for In-Reply-To threading to v1 (the
# kernel fixture's bad-style series does so in its branch description) is
# an error; template text too; SDM numbers a warning.  Findings about the
# cover are the series'; a clean cover adds none.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/vmx/good-series
git checkout -q "$b"
git config "branch.$b.description" "$(printf '%s\n' \
	'KVM: x86: misc fixes' '' \
	'In-Reply-To: <20230301120000.1234-1-casey.contributor@example.com>' '' \
	'v2: resend as a reply to v1 (In-Reply-To) with fixes from review.')"
run_kvmx86 prep --enroll
expect_exit 0

# cover_findings: the findings about the cover letter, as "severity rule".
cover_findings() {
	jq -r '.findings[] | select(.commit == null and (.message | startswith("cover letter") or contains("in the cover letter:"))) | "\(.severity) \(.rule)"' <"$OUT"
}

note "In-Reply-To to v1 in the cover letter: an error, and exit 1"
run_kvmx86 prep --check --json
expect_exit 1 "a cover letter asking for In-Reply-To"
[ "$(cover_findings)" = "error link-not-in-reply-to" ] ||
	fail "cover findings: '$(cover_findings)'"
expect_json_true '.findings[] | select(.rule == "link-not-in-reply-to") | .message | contains("In-Reply-To: <20230301120000.1234-1-casey.contributor@example.com>")' \
	"the message quotes the header"
run_kvmx86 prep --check
expect_exit 1
expect_stdout_matches '^series error link-not-in-reply-to: cover letter asks for '

note "configuration tunes it like any rule"
git config kvmx86.rule.link-not-in-reply-to warning
run_kvmx86 prep --check --json
expect_json '[.findings[] | select(.rule == "link-not-in-reply-to") | .severity] | join(",")' warning
expect_json_true '[.findings[] | select(.rule == "config")] | length == 0' \
	"link-not-in-reply-to is a known rule"
git config --unset kvmx86.rule.link-not-in-reply-to

note "template text and SDM numbers"
printf '%s\n' "EDITME: cover title for $b" "" "See SDM 26.3.1.1 for the order." \
	>"$T/cover.txt"
make_editor "$T/editor" "$T/cover.txt"
run_env GIT_EDITOR="$T/editor" -- prep --edit-cover
expect_exit 0
run_kvmx86 prep --check --json
expect_exit 1
[ "$(cover_findings | sort | tr '\n' ' ')" = "error cover-template-text warning no-sdm-section-numbers " ] ||
	fail "cover findings: '$(cover_findings)'"

note "a clean cover letter: no cover finding"
printf '%s\n' "KVM: VMX: Fix two bugs" "" \
	"We found two bugs; this series fixes them." "" \
	"v1: https://lore.kernel.org/r/20230301120000.1234-1-casey.contributor@example.com" \
	>"$T/clean.txt"
make_editor "$T/editor-clean" "$T/clean.txt"
run_env GIT_EDITOR="$T/editor-clean" -- prep --edit-cover
expect_exit 0
run_kvmx86 prep --check --json
[ -z "$(cover_findings)" ] || fail "cover findings on a clean cover: '$(cover_findings)'"

note "an enrolled series whose cover letter was never written: an error"
new_branch x86/vmx/no-cover refs/remotes/kvm-x86/next
x86_commit 1
x86_commit 2
run_kvmx86 prep --enroll
expect_exit 0
run_kvmx86 prep --check
expect_exit 1 "a cover letter never written"
expect_stdout_matches "^series error cover-template-text: the cover letter has no subject yet: git format-patch would send '\*\*\* SUBJECT HERE \*\*\*'"

note "a single patch needs no cover letter"
new_branch x86/vmx/one-patch refs/remotes/kvm-x86/next
x86_commit 1
run_kvmx86 prep --enroll
expect_exit 0
run_kvmx86 prep --check --json
expect_json_true '[.findings[] | select(.rule == "cover-template-text")] | length == 0' \
	"no cover finding for a single patch"
