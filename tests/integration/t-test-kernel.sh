#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test --kernel on a small kernel-shaped tree whose build system is
# a stand-in for kbuild (kbuild-lib.sh): the preset is applied and checked
# in a build directory of its own (make O=) at each commit; vmlinux and the
# modules are built once at the base, then kvm.ko, kvm-intel.ko and
# kvm-amd.ko are linked at each commit (vmlinux again once the series
# changes its code); a commit whose Kconfig lacks KVM_WERROR is an error
# naming the option; a commit whose build leaves a module out fails naming
# it; the results carry the build level, in the state and in the testing
# statement; --no-link compiles arch/x86/kvm/ only, "compiled, not
# linked"; a command of one's own gets the build directory in KBUILD_OUTPUT.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kbuild-lib.sh"

command -v cc >/dev/null || skip "no C compiler"
command -v make >/dev/null || skip "no make"
make_kernel_tree "$T/linux"
base=$(git rev-parse HEAD)
git checkout -q -b x86/misc/kernel
printf 'int kvm_one(void) { return 1; }\n' >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add one"
one=$(git rev-parse HEAD)
sed -i '/KVM_WERROR/d' arch/x86/kvm/Kconfig.known
git commit -q -am "KVM: Drop KVM_WERROR from Kconfig"
lacking=$(git rev-parse HEAD)
printf 'KVM_WERROR\n' >>arch/x86/kvm/Kconfig.known
printf 'int kvm_two(void) { return 2 }\n' >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add two, badly"
bad=$(git rev-parse HEAD)
sed -i 's/return 2 }/return 2; }/' arch/x86/kvm/x86.c
sed -i '/kvm-amd/d' arch/x86/kvm/modules
git commit -q -am "KVM: SVM: Stop building kvm-amd.ko by mistake"
no_amd=$(git rev-parse HEAD)
printf 'kvm-amd\n' >>arch/x86/kvm/modules
printf 'int core_one(void) { return 1; }\n' >>arch/x86/kernel/core.c
git commit -q -am "x86/kvm: Export a helper from the core kernel"
core=$(git rev-parse HEAD)
run_kvmx86 prep --enroll --base master
expect_exit 0
wt=$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/worktrees/x86-misc-kernel-$(printf %s x86/misc/kernel | git hash-object --stdin | cut -c1-10)/0
builds() { make_log "$wt" x86_64 | grep -E ' (vmlinux|arch/)' | cut -d' ' -f1,3-; }

note "the preset in its own build directory, the base built once, the modules linked at each commit"
run_kvmx86 test --kernel --json
expect_exit 1
expect_json '[.results[].status] | join(" ")' "pass error fail fail pass"
expect_json '.build' "linked"
expect_json '.configs | join(" ")' "x86_64"
expect_json '[.results[0].steps[] | .config + "=" + .build] | join(" ")' "x86_64=linked"
expect_json ".results[1].commit" "$lacking"
expect_json '.results[1].error | contains("CONFIG_KVM_WERROR is not set (want y)")' true
expect_json ".results[3].commit" "$no_amd"
expect_json '.results[3].error' "kvm-amd.ko not linked in the configuration 'x86_64'"
expect_json '.results[3].config' "x86_64"
expect_json ".first_failure" "$bad"
for o in CONFIG_KVM=m CONFIG_KVM_INTEL=m CONFIG_KVM_AMD=m CONFIG_EXPERT=y CONFIG_KVM_WERROR=y \
	 '# CONFIG_KASAN is not set'; do
	grep -qx "$o" "$wt/.kvmx86-x86_64/.config" || fail "$o is not in the build directory's .config"
done
[ ! -e "$wt/.config" ] || fail "the source tree was configured in place"
ko="arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-intel.ko arch/x86/kvm/kvm-amd.ko"
# kvm.ko needs irqbypass.ko (IRQ_BYPASS_MANAGER=m): modpost sees them together
goals="virt/lib/irqbypass.ko $ko"
# the base once (vmlinux and all modules), then only the modules; vmlinux
# again from the commit that changed the core kernel on
printf '%s\n' "$base vmlinux modules" "$one $goals" "$bad $goals" \
	"$no_amd $goals" "$core vmlinux modules" >"$T/builds.want"
builds >"$T/builds.got"
expect_same_file "$T/builds.want" "$T/builds.got"
log=$(jq -r '.results[1].log' "$OUT")
grep -q 'did not stick' "$log" || fail "the log does not say what did not stick"
log=$(jq -r '.results[0].log' "$OUT")
grep -q "the full build at the base $base" "$log" || fail "the first log does not show the base's build"
grep -q "make exited 0, but kvm-amd.ko not linked" "$(jq -r '.results[3].log' "$OUT")" ||
	fail "the log does not say which module is missing"
expect_json '(.testing_statement | gsub("\\n"; " ")) | startswith("Built and linked kvm.ko, kvm-intel.ko and kvm-amd.ko with KVM_WERROR=y (x86_64_defconfig, KVM=m, KVM_INTEL=m, KVM_AMD=m, EXPERT=y, KASAN off) at patches 1 and 5 of 5.")' true
expect_json '(.testing_statement | gsub("\\n"; " ")) | contains("Neither the KVM selftests nor kvm-unit-tests were run.")' true

note "the records keep the configuration, its hash, the .config's and what it showed"
records=$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/test-records.json
rec() { jq -r "[.records[] | select(.commit == \"$one\")][0].$1" "$records"; }
[ "$(rec build)" = linked ] || fail "no build level recorded"
[ "$(rec config)" = x86_64 ] || fail "no configuration recorded"
[ "$(rec command)" = "make $ko" ] || fail "not the recorded command"
[ "$(rec dotconfig)" = "$(git hash-object "$wt/.kvmx86-x86_64/.config")" ] ||
	fail "not the .config's hash"
[ "$(rec config_hash | wc -c)" = 41 ] || fail "no hash of the configuration"
[ "$(rec options)" = "KVM=m KVM_INTEL=m KVM_AMD=m EXPERT=y KVM_WERROR=y KASAN=n" ] ||
	fail "not what the .config showed: $(rec options)"
[ "$(rec compiler)" = "$(gcc --version | head -1)" ] || fail "not gcc's version: $(rec compiler)"

note "a second run reuses the results; with --rerun the base is not built again"
run_kvmx86 test --kernel --json
expect_exit 1
expect_json '[.results[] | .recorded] | join(" ")' "true false true true true"
run_kvmx86 test --kernel --rerun
expect_exit 1
expect_stdout_contains "note: each commit that passes was configured and kvm.ko, kvm-intel.ko and kvm-amd.ko built and linked (x86_64)"
expect_stdout_contains "kernel preset did not stick (CONFIG_KVM_WERROR is not set (want y))"
expect_stdout_contains "KVM: SVM: Stop building kvm-amd.ko by mistake (kvm-amd.ko not linked in the configuration 'x86_64', log "
grep -A1 "^testing statement:$" "$OUT" | grep -q "^Built and linked kvm.ko" ||
	fail "no testing statement"
grep -A5 "KVM: x86: Add two, badly (exit 2" "$OUT" | grep -q "^    arch/x86/kvm/x86.c:.*error: expected" ||
	fail "the compiler's error is not under the failing commit"
[ "$(builds | grep -c "^$base ")" = 1 ] || fail "the base was built again: $(builds)"

note "prep --check names the configuration of a recorded failure"
run_kvmx86 prep --check --json
expect_json '[.findings[] | select(.rule == "build-each-commit") | .message | contains("in the configuration '"'x86_64'"'")] | any' true

note "--no-link: arch/x86/kvm/ compiled, not linked"
run_kvmx86 test --kernel --no-link --json
expect_exit 1
expect_json '[.results[].status] | join(" ")' "pass error fail pass pass"
expect_json '.build' "compiled, not linked"
expect_json '(.testing_statement | gsub("\\n"; " ")) | contains("Compiled arch/x86/kvm/ (not linked) with KVM_WERROR=y")' true
[ "$(builds | tail -1)" = "$core arch/x86/kvm/" ] || fail "--no-link did not compile arch/x86/kvm/: $(builds | tail -1)"
run_kvmx86 test --kernel --no-link --rerun
expect_stdout_contains "note: each commit that passes was configured and arch/x86/kvm/ compiled, not linked"

note "--kernel with a command of one's own: KBUILD_OUTPUT is the build directory"
run_kvmx86 test --kernel --rerun --json -- sh -c 'grep -q KVM_WERROR=y "$KBUILD_OUTPUT/.config"'
expect_exit 1
expect_json '[.results[].status] | join(" ")' "pass error pass pass pass"
expect_json '.build' "command"
expect_json '(.testing_statement | gsub("\\n"; " ")) | contains("Ran `sh -c '"'"'grep -q KVM_WERROR=y \"$KBUILD_OUTPUT/.config\"'"'"'`")' true

note "a worktree configured in place is cleaned first (kbuild refuses O= then), and built again from the base"
touch "$wt/.config"
run_kvmx86 test --kernel --rerun --json
expect_exit 1
expect_json '[.results[].status] | join(" ")' "pass error fail fail pass"
[ ! -e "$wt/.config" ] || fail "the worktree's own .config is still there"
[ "$(builds | grep -c "^$base ")" = 2 ] || fail "the base was not built again after make mrproper: $(builds)"

note "bad usage"
run_kvmx86 test --matrix -- true
expect_usage_error
run_kvmx86 test --kernel --no-link -- true
expect_usage_error
