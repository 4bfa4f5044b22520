#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Text that is not UTF-8: a Latin-1 branch description or edited cover
# letter is read as Latin-1 (Windows-1252), said so, and stored; a prefix
# that is not UTF-8 is refused naming it.  Nothing is dropped.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/vmx/good-series
git checkout -q "$b"

note "a Latin-1 branch description becomes the cover letter, in UTF-8"
git config "branch.$b.description" "$(printf 'KVM: VMX: Caf\xe9 handling\n\nBlurb \x93quoted\x94 \xe9t\xe9.')"
run_kvmx86 prep --enroll
expect_exit 0
expect_stdout_contains "the branch description is not UTF-8: it was read as Latin-1 (Windows-1252)"
read_state "$b"
expect_json .cover.subject "$(printf 'KVM: VMX: Caf\xc3\xa9 handling')"
expect_json .cover.body "$(printf 'Blurb \xe2\x80\x9cquoted\xe2\x80\x9d \xc3\xa9t\xc3\xa9.')"

note "an edited cover letter in Latin-1"
printf 'KVM: VMX: \xc9dit\xe9\n\nNew blurb \xe0 la carte.\n' >"$T/cover.txt"
make_editor "$T/editor" "$T/cover.txt"
run_env GIT_EDITOR="$T/editor" -- prep --edit-cover
expect_exit 0
expect_stdout_contains "cover letter updated"
expect_stderr_contains "warning: the cover letter is not UTF-8: it was read as Latin-1"
read_state "$b"
expect_json .cover.subject "$(printf 'KVM: VMX: \xc3\x89dit\xc3\xa9')"
expect_json .cover.body "$(printf 'New blurb \xc3\xa0 la carte.')"

note "--set-prefixes with a byte that is not UTF-8: refused, named"
snapshot "$T/before"
run_kvmx86 prep --set-prefixes "$(printf 'RFC,R\xe9SEND')"
expect_usage_error
expect_message "--set-prefixes: prefix 'R<E9>SEND' is not valid UTF-8"
expect_unchanged "$T/before" "--set-prefixes not UTF-8"
read_state "$b"
expect_json '.prefixes | length' 0
