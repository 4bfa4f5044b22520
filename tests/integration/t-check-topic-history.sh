#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The topic from history (issue 5): for a commit whose files leave the
# topic ambiguous (here the eVMCS file, which only hints at nVMX), the
# majority 'KVM: <topic>:' prefix of the latest commits touching them.
# prep --check and --suggest-topic use it; a file with no history gives
# none; the walk stops after 5,000 commits.
. "$(dirname "$0")/lib.sh"

evmcs=arch/x86/kvm/vmx/evmcs.c
git init -q "$T/repo"
cd "$T/repo"

# Commits get increasing dates, the order the walk reads them in.
when=1600000000
tick() {
	when=$((when + 60))
	export GIT_AUTHOR_DATE="@$when +0000" GIT_COMMITTER_DATE="@$when +0000"
}
# change FILE SUBJECT: appends a line to FILE and commits it with a body.
change() {
	tick
	echo "int line_$when;" | add_lines "$1"
	commit_all "$2" "Change the file for the test."
}

change Makefile "Initial tree"
change "$evmcs" "KVM: nVMX: Add the eVMCS field table"
change arch/x86/kvm/x86.c "KVM: x86: Unrelated change"
change "$evmcs" "KVM: VMX: Rename an eVMCS helper"
change "$evmcs" "KVM: nVMX: Check eVMCS controls"
change arch/x86/kvm/x86.c "KVM: x86: Another unrelated change"
change "$evmcs" "KVM: nVMX: Sync eVMCS fields"
change "$evmcs" "KVM: nVMX: Drop an unused eVMCS field"
git branch base

reason="from history: 4 of the last 5 commits touching $evmcs used 'KVM: nVMX:'"

note "a commit touching only the eVMCS file, with another topic: the history topic"
change "$evmcs" "KVM: SVM: Fix the eVMCS field table"
svm=$(sha HEAD)
run_kvmx86 prep --check --json base..HEAD
expect_exit 0
expect_json_true "[.findings[] | select(.rule == \"topic-from-files\")] | length == 1" \
	"one topic-from-files finding"
expect_json '.findings[] | select(.rule == "topic-from-files") | .severity' warning
expect_json '.findings[] | select(.rule == "topic-from-files") | .message' \
	"topic 'SVM' does not match the files ($reason): use 'KVM: nVMX:'"
run_kvmx86 prep --suggest-topic --json "$svm"
expect_exit 0
expect_json_true '(keys | sort) == ["commit", "prefix", "reason", "topic"]' \
	"--suggest-topic --json keeps its keys"
expect_json .commit "$svm"
expect_json .prefix "KVM: nVMX:"
expect_json .topic nVMX
expect_json_true ".reason | startswith(\"$reason\")" "the reason gives the vote"
run_kvmx86 prep --suggest-topic "$svm"
expect_exit 0
expect_stdout_matches "^$(short "$svm") KVM: nVMX:\$"
expect_stdout_contains "$reason"

note "a broader topic is advice, the history's own topic clean"
git checkout -q -b broader base
change "$evmcs" "KVM: VMX: Tidy the eVMCS field table"
run_kvmx86 prep --check --json base..HEAD
expect_exit 0
expect_json '.findings[] | select(.rule == "topic-from-files") | .severity' advice
expect_json_true '.findings[] | select(.rule == "topic-from-files") | .message | contains("from history: 4 of the last 5")' \
	"the advice gives the vote"
git checkout -q -b same base
change "$evmcs" "KVM: nVMX: Tidy the eVMCS field table"
run_kvmx86 prep --check --json base..HEAD
expect_exit 0
expect_json_true '[.findings[] | select(.rule == "topic-from-files")] | length == 0' \
	"no finding for the history's topic"

note "a series: its own commits do not vote, and one walk serves them all"
git checkout -q -b series base
change "$evmcs" "KVM: SVM: First eVMCS change"
change "$evmcs" "KVM: SVM: Second eVMCS change"
change "$evmcs" "KVM: SVM: Third eVMCS change"
run_kvmx86 prep --check --json base..HEAD
expect_exit 0
expect_json_true '[.findings[] | select(.rule == "topic-from-files" and .severity == "warning")] | length == 3' \
	"each of the three patches gets the history topic"
expect_json_true "[.findings[] | select(.rule == \"topic-from-files\") | .message | contains(\"$reason\")] | all" \
	"the vote is the base's, whatever the patch"

note "files that decide by themselves: no history"
git checkout -q -b decided base
echo "int nested;" | add_lines arch/x86/kvm/vmx/nested.c
echo "int evmcs_too;" | add_lines "$evmcs"
tick
commit_all "KVM: SVM: Change nested and eVMCS" "Both files."
run_kvmx86 prep --check --json base..HEAD
expect_exit 0
expect_json_true '[.findings[] | select(.rule == "topic-from-files") | .message | contains("from history")] | any | not' \
	"nested.c decides, history is not consulted"
expect_json_true '[.findings[] | select(.rule == "topic-from-files")] | length == 1' \
	"the files' own finding"

note "a file with no history: the file's hint, advice only, no failure"
git checkout -q -b fresh base
change arch/x86/include/asm/vmx.h "KVM: SVM: Add a VMCS field define"
fresh=$(sha HEAD)
run_kvmx86 prep --check --json base..HEAD
expect_exit 0
expect_json '[.findings[] | select(.rule == "topic-from-files") | .severity] | join(",")' advice
expect_json_true '.findings[] | select(.rule == "topic-from-files") | .message | contains("arch/x86/include/asm/vmx.h hints at VMX")' \
	"no topic from history: the hint, as advice"
run_kvmx86 prep --suggest-topic --json "$fresh"
expect_exit 0
expect_json .commit "$fresh"
expect_json .prefix "KVM: VMX:"
expect_json_true '.reason | contains("from history: ") | not' "no vote in the reason"

note "a root commit touching the file: no history, no failure"
git checkout -q --orphan lonely
git rm -rq --cached . && git clean -fdq
change "$evmcs" "KVM: SVM: A root commit"
run_kvmx86 prep --suggest-topic --json
expect_exit 0
expect_json_true '.reason | contains("from history: ") | not' "no vote for a root commit"
run_kvmx86 prep --check --json HEAD
expect_exit 0

# fillers BRANCH N: N commits on BRANCH (from base), touching another file.
fillers() {
	local i
	{
		for ((i = 1; i <= $2; i++)); do
			when=$((when + 60))
			printf 'commit refs/heads/%s\n' "$1"
			printf 'committer Tess Ting <tess@example.com> %d +0000\n' "$when"
			printf 'data 17\nFiller commit %02d\n' $((i % 100))
			[ "$i" = 1 ] && printf 'from %s\n' "$(sha base)"
			printf 'M 100644 inline filler.c\ndata %d\n%s\n\n' \
				$((${#i} + 1)) "$i"
		done
	} | GLIBC_TUNABLES=glibc.malloc.top_pad=67108864 git fast-import --quiet
	# (the padding: fast-import grows its heap in small steps, which
	# some virtual machines make very slow)
}

note "5,000 commits at most: the eVMCS commits behind 4,990 others count, behind 5,100 not"
fillers near 4990
git checkout -q -f near
change "$evmcs" "KVM: SVM: Change eVMCS after a long history"
run_kvmx86 prep --check --json HEAD~..HEAD
expect_exit 0
expect_json_true "[.findings[] | select(.rule == \"topic-from-files\") | .message | contains(\"$reason\")] | any" \
	"the history within 5,000 commits is found"
fillers far 5100
git checkout -q -f far
change "$evmcs" "KVM: SVM: Change eVMCS after a longer history"
run_kvmx86 prep --check --json HEAD~..HEAD
expect_exit 0
expect_json_true '[.findings[] | select(.rule == "topic-from-files") | .message | contains("from history")] | any | not' \
	"the history beyond 5,000 commits is not read"
run_kvmx86 prep --suggest-topic --json
expect_exit 0
expect_json_true '.reason | contains("from history: ") | not' "no history topic beyond the cap"
expect_json .prefix "KVM: nVMX:"
