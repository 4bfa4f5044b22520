#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Branch names unsafe to paste into a shell command (outside
# [A-Za-z0-9._/+@-], or a leading '-'): fatal.  Safe odd names work.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"

for name in 'x86/vmx/a$b' 'x86/vmx/semi;colon' 'x86/vmx/back`tick`' \
	    "x86/vmx/quote'd" 'x86/vmx/amp&er' 'x86/vmx/paren(s)' \
	    'x86/vmx/under~'; do
	if ! git check-ref-format --branch "$name" >/dev/null 2>&1; then
		continue
	fi
	note "checked out: $name"
	git branch -q --no-track "$name" x86/mmu/multiarch
	git checkout -q "$name"
	run_kvmx86 check-base
	expect_fatal
	expect_stdout_empty
	run_kvmx86 check-base --json
	expect_fatal
	expect_stdout_empty
	note "as REV: $name"
	git checkout -q master
	run_kvmx86 check-base "$name"
	expect_fatal
done

note "an ok series on an unsafe name is fatal too"
git branch -q --no-track 'x86/vmx/good;series' x86/vmx/good-series
git checkout -q 'x86/vmx/good;series'
run_kvmx86 check-base
expect_fatal

note "a leading '-'"
git update-ref refs/heads/-x86-dash x86/mmu/multiarch
git symbolic-ref HEAD refs/heads/-x86-dash
git reset -q --hard
run_kvmx86 check-base
expect_fatal
expect_stdout_empty

note "safe odd characters: + @ . _ -"
git checkout -q --no-track -b 'x86/vmx/v2+fix@home_1.0-rc' x86/mmu/multiarch
run_kvmx86 check-base --json
expect_exit 1
expect_json .verdict wrong
expect_json .branch 'x86/vmx/v2+fix@home_1.0-rc'
expect_json .remedy "git rebase --onto v6.3-rc2 $(short refs/remotes/kvm-x86/next) x86/vmx/v2+fix@home_1.0-rc"

note "hints name an unsafe branch quoted, with --base it needs"
git checkout -q master
git branch -q --no-track 'x86/vmx/c&d' x86/vmx/good-series
run_kvmx86 prep --show-info 'x86/vmx/c&d'
expect_fatal
expect_stderr_contains "hint: enroll it: kvmx86 prep --enroll --base <rev> 'x86/vmx/c&d'"
run_kvmx86 prep --enroll 'x86/vmx/c&d'
expect_fatal
expect_stderr_contains "kvmx86 prep --enroll --base <rev> 'x86/vmx/c&d'"
