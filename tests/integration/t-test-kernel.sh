#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test --kernel on a small kernel-shaped tree whose build system is
# a stand-in for kbuild (x86_64_defconfig, scripts/config, olddefconfig
# dropping the options its Kconfig does not know): the preset is applied
# and checked in .config at each commit; a commit whose Kconfig lacks
# KVM_WERROR is an error naming the option; the default command compiles
# arch/x86/kvm/, and the summary says "compiled, not linked".
. "$(dirname "$0")/lib.sh"

command -v cc >/dev/null || skip "no C compiler"
command -v make >/dev/null || skip "no make"
repo="$T/linux"
git init -q -b master "$repo"
cd "$repo"
mkdir -p arch/x86/kvm scripts
printf 'int kvm_x86(void) { return 0; }\n' >arch/x86/kvm/x86.c
# the options this tree's Kconfig has
printf '%s\n' X86_64 KVM KVM_INTEL KVM_AMD EXPERT KVM_WERROR KASAN >Kconfig.known
cat >Makefile <<'EOM'
# A stand-in for kbuild, enough for the preset: olddefconfig keeps only the
# options Kconfig.known lists, as Kconfig drops what it does not know.
x86_64_defconfig:
	@printf 'CONFIG_X86_64=y\nCONFIG_KASAN=y\n' >.config
olddefconfig:
	@grep -E "^(# )?CONFIG_($$(paste -sd'|' Kconfig.known))[= ]" .config >.config.new || true
	@mv .config.new .config
arch/x86/kvm/:
	@cc -fsyntax-only arch/x86/kvm/x86.c
.PHONY: x86_64_defconfig olddefconfig arch/x86/kvm/
EOM
cat >scripts/config <<'EOS'
#!/bin/sh
# scripts/config --file F (--enable|--module|--disable) OPT ...
file=.config
while [ $# -gt 0 ]; do
	case $1 in
	--file) file=$2; shift 2; continue ;;
	--enable) v="CONFIG_$2=y" ;;
	--module) v="CONFIG_$2=m" ;;
	--disable) v="# CONFIG_$2 is not set" ;;
	esac
	grep -v -E "^(# )?CONFIG_$2[= ]" "$file" >"$file.new" || true
	printf '%s\n' "$v" >>"$file.new"
	mv "$file.new" "$file"
	shift 2
done
EOS
chmod +x scripts/config
git add -A
git commit -q -m "Start"
git checkout -q -b x86/misc/kernel
printf 'int kvm_one(void) { return 1; }\n' >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add one"
sed -i '/KVM_WERROR/d' Kconfig.known
git commit -q -am "KVM: Drop KVM_WERROR from Kconfig"
lacking=$(git rev-parse HEAD)
printf 'KVM_WERROR\n' >>Kconfig.known
printf 'int kvm_two(void) { return 2 }\n' >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add two, badly"
bad=$(git rev-parse HEAD)
run_kvmx86 prep --enroll --base master
expect_exit 0

note "the preset at every commit, checked in .config; the default build"
run_kvmx86 test --kernel --json
expect_exit 1
expect_json '[.results[].status] | join(" ")' "pass error fail"
expect_json '.build' "compiled, not linked"
expect_json ".results[1].commit" "$lacking"
expect_json '.results[1].error | contains("CONFIG_KVM_WERROR is not set (want y)")' true
expect_json ".first_failure" "$bad"
wt=$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/worktrees/x86%2Fmisc%2Fkernel/0
for o in CONFIG_KVM=m CONFIG_KVM_INTEL=m CONFIG_KVM_AMD=m CONFIG_EXPERT=y CONFIG_KVM_WERROR=y \
	 '# CONFIG_KASAN is not set'; do
	grep -qx "$o" "$wt/.config" || fail "$o is not in the worktree's .config"
done
log=$(jq -r '.results[1].log' "$OUT")
grep -q 'the preset did not stick' "$log" || fail "the log does not say what did not stick"

note "text output"
run_kvmx86 test --kernel --rerun
expect_exit 1
expect_stdout_contains "note: each commit was configured and arch/x86/kvm/ compiled, not linked"
expect_stdout_contains "kernel preset did not stick (CONFIG_KVM_WERROR is not set (want y))"

note "--kernel with a command of one's own"
run_kvmx86 test --kernel --rerun --json -- true
expect_exit 1
expect_json '[.results[].status] | join(" ")' "pass error pass"
expect_json '.build' "command"
