#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Mistyped commands, options, topics and --show-info keys: bad usage (129)
# that names what was likely meant, as git does; a branch that does not
# exist is named as such; a configured remote that does not exist too.
# Nothing changes.
. "$(dirname "$0")/lib.sh"

enrolled_series
snapshot "$T/before"

note "a command"
run_kvmx86 chek-base
expect_exit 129
expect_message "'chek-base' is not a kvmx86 command; did you mean 'check-base'?"
run_kvmx86 help perp
expect_exit 129
expect_message "did you mean 'prep'?"
run_kvmx86 frobnicate
expect_exit 129
expect_stderr_lacks "did you mean"

note "an option"
run_kvmx86 prep --chek
expect_exit 129
expect_message "unknown option '--chek'; did you mean '--check'?"
run_kvmx86 check-base --print-bsae
expect_exit 129
expect_message "did you mean '--print-base'?"
run_kvmx86 test --kernle -- true
expect_exit 129
expect_message "did you mean '--kernel'?"

note "a prefix of several long options: each named, not 'unknown'"
run_kvmx86 send --re
expect_exit 129
expect_message "ambiguous option '--re': --reflect, --resend, --resend-unknown"
run_kvmx86 test --forg=x
expect_exit 129
expect_message "ambiguous option '--forg': --forget, --forget-all"
# a unique prefix is the option, as getopt_long and git take it
run_kvmx86 check-base --print-b
expect_exit 0

note "an option's value missing or given where none is taken: named as typed"
run_kvmx86 test --kut
expect_exit 129
expect_message "option '--kut' needs a value"
run_kvmx86 test --json=1
expect_exit 129
expect_message "option '--json' takes no value"
run_kvmx86 check-base --help=1
expect_exit 129
expect_message "option '--help' takes no value"
run_kvmx86 send --mbox
expect_exit 129
expect_message "option '--mbox' needs a value"
run_kvmx86 test -j
expect_exit 129
expect_message "option '-j' needs a value"
run_kvmx86 test -Z
expect_exit 129
expect_message "unknown option '-Z'"
# inside a group after a long option: the short one, not the word before
run_kvmx86 prep --check -zq
expect_exit 129
expect_message "unknown option '-z'"

note "a --show-info key, and a branch that is not there"
run_kvmx86 prep --show-info revison
expect_exit 129
expect_message "no key or branch 'revison'; did you mean 'revision'?"
run_kvmx86 prep --show-info base
expect_exit 129
expect_message "no key or branch 'base'; did you mean 'base-branch', 'base-scope' or 'base-commit'?"
run_kvmx86 prep --show-info x86/nosuch
expect_exit 128
expect_message "'x86/nosuch' is not a local branch"
expect_stderr_lacks "enroll it"

note "a topic"
run_kvmx86 prep -n foo --topic vxm
expect_exit 128
expect_stderr_contains "did you mean --topic vmx?"
expect_unchanged "$T/before" "typos"

note "a configured remote that does not exist"
git config kvmx86.x86Remote nosuch
run_kvmx86 check-base
expect_exit 128
expect_message "there is no remote 'nosuch' (kvmx86.x86Remote names it)"
expect_stderr_lacks "git fetch nosuch"
git config --unset kvmx86.x86Remote
