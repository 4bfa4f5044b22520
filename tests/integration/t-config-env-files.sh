#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# GIT_CONFIG_GLOBAL, GIT_CONFIG_SYSTEM and GIT_CONFIG_NOSYSTEM choose the
# files kvmx86 reads, as they choose git's (libgit2 reads fixed names).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git checkout -q x86/vmx/good-series
printf '[kvmx86]\n\tx86Remote = fromglobal\n' >"$T/global.cfg"
printf '[kvmx86]\n\tx86Remote = fromsystem\n' >"$T/system.cfg"
: >"$T/empty.cfg"

note "GIT_CONFIG_GLOBAL names the global file"
run_env GIT_CONFIG_GLOBAL="$T/global.cfg" -- check-base
expect_fatal "there is no remote 'fromglobal'"
test "$(GIT_CONFIG_GLOBAL="$T/global.cfg" git config kvmx86.x86Remote)" = fromglobal

note "... and then neither ~/.gitconfig nor \$XDG_CONFIG_HOME/git/config is read"
printf '[kvmx86]\n\tx86Remote = fromhome\n' >"$HOME/.gitconfig"
printf '[kvmx86]\n\tx86Remote = fromxdg\n' >"$XDG_CONFIG_HOME/git/config"
for g in "$T/empty.cfg" /dev/null ""; do
	run_env GIT_CONFIG_GLOBAL="$g" -- check-base --json
	expect_exit 0
	expect_json .x86_remote kvm-x86
done
run_env GIT_CONFIG_GLOBAL="$T/missing.cfg" -- check-base --json
expect_exit 0
expect_json .x86_remote kvm-x86

note "without it, ~/.gitconfig wins over the XDG file, as in git"
unset GIT_CONFIG_GLOBAL
run_kvmx86 check-base
expect_fatal "there is no remote 'fromhome'"
test "$(git config kvmx86.x86Remote)" = fromhome
: >"$HOME/.gitconfig"
run_kvmx86 check-base
expect_fatal "there is no remote 'fromxdg'"
: >"$XDG_CONFIG_HOME/git/config"
export GIT_CONFIG_GLOBAL="$HOME/.gitconfig"

note "GIT_CONFIG_SYSTEM names the system file; GIT_CONFIG_NOSYSTEM skips it"
run_env GIT_CONFIG_NOSYSTEM= GIT_CONFIG_SYSTEM="$T/system.cfg" -- check-base
expect_fatal "there is no remote 'fromsystem'"
run_env GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_SYSTEM="$T/system.cfg" -- check-base --json
expect_exit 0
expect_json .x86_remote kvm-x86
run_env GIT_CONFIG_NOSYSTEM=false GIT_CONFIG_SYSTEM="$T/system.cfg" -- check-base
expect_fatal "there is no remote 'fromsystem'"

note "the repository's file and git -c stay above them"
run_env GIT_CONFIG_GLOBAL="$T/global.cfg" \
	GIT_CONFIG_PARAMETERS="'kvmx86.x86remote'='kvm-x86'" -- check-base --json
expect_exit 0
expect_json .x86_remote kvm-x86
git config kvmx86.x86Remote kvm-x86
run_env GIT_CONFIG_GLOBAL="$T/global.cfg" -- check-base --json
expect_exit 0
git config --unset kvmx86.x86Remote

note "a GIT_CONFIG_NOSYSTEM that is no boolean is an error, as in git"
run_env GIT_CONFIG_NOSYSTEM=maybe -- check-base
expect_fatal "bad boolean value 'maybe' for GIT_CONFIG_NOSYSTEM"
expect_stdout_empty
