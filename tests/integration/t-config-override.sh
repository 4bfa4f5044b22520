#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# git config kvmx86.x86Remote / kvmx86.kvmRemote name the remotes when their
# URLs are not the usual ones (a local mirror).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)

git remote rename kvm-x86 mine
git remote set-url mine /srv/mirrors/kvm-x86-linux.git
git checkout -q x86/vmx/good-series

note "without the override there is no KVM x86 remote"
run_kvmx86 check-base
expect_fatal "git remote add kvm-x86 https://github.com/kvm-x86/linux.git"

note "kvmx86.x86Remote=mine"
git config kvmx86.x86Remote mine
run_kvmx86 check-base --json
expect_exit 0
expect_json .x86_remote mine
expect_json .recommended_base mine/next
expect_json .base_commit "$next"
expect_json .verdict ok

note "kvmx86.x86Remote wins over a remote with the usual URL"
git remote add other https://github.com/kvm-x86/linux.git
git update-ref refs/remotes/other/next v6.3-rc4
run_kvmx86 check-base --json
expect_exit 0
expect_json .x86_remote mine
expect_json .verdict ok
git remote remove other

note "kvmx86.kvmRemote"
git remote rename kvm k
git remote set-url k /srv/mirrors/kvm.git
git config kvmx86.kvmRemote k
git checkout -q fixes/current
run_kvmx86 check-base --json
expect_exit 0
expect_json .kvm_remote k
expect_json .scope current-fix
expect_json .recommended_base k/master
expect_json .verdict ok

note "kvmx86.x86Remote naming a missing remote fails"
git config kvmx86.x86Remote nosuchremote
run_kvmx86 check-base
expect_exit 128
expect_stderr_matches '^fatal: '

note "kvmx86.kvmRemote naming a missing remote fails, not a verdict without kvm/master"
git config kvmx86.x86Remote mine
git config kvmx86.kvmRemote nosuch
run_kvmx86 check-base
expect_fatal "there is no remote 'nosuch' (kvmx86.kvmRemote names it)"
expect_stdout_empty
run_kvmx86 prep --check
expect_exit 128
