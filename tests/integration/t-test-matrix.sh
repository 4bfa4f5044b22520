#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# kvmx86 test --kernel --matrix on the stand-in kbuild (kbuild-lib.sh):
# after the preset, KVM_SMM=n, KVM_XEN=y, PROVE_LOCKING=y and ARCH=i386
# at each commit, each configured, checked and built in its own make O=
# directory (the base built once in each); a configuration whose option
# does not stick at a commit (its Kconfig lacks KVM_XEN) is an error
# naming the option and the configuration; a commit that only the 32-bit
# build breaks fails naming it; --json carries each step's configuration.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/kbuild-lib.sh"

command -v cc >/dev/null || skip "no C compiler"
command -v make >/dev/null || skip "no make"
make_kernel_tree "$T/linux"
base=$(git rev-parse HEAD)
git checkout -q -b x86/xen/matrix
printf 'int kvm_one(void) { return 1; }\n' >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add one"
one=$(git rev-parse HEAD)
sed -i '/KVM_XEN/d' arch/x86/kvm/Kconfig.known
git commit -q -am "KVM: x86: Drop KVM_XEN from Kconfig"
no_xen=$(git rev-parse HEAD)
printf 'KVM_XEN\n' >>arch/x86/kvm/Kconfig.known
git commit -q -am "KVM: x86: Bring KVM_XEN back"
back=$(git rev-parse HEAD)
printf '#ifdef ARCH_i386\n#error 64-bit only\n#endif\n' >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add a 64-bit only thing"
only64=$(git rev-parse HEAD)
run_kvmx86 prep --enroll --base master
expect_exit 0
wt=$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/worktrees/x86-xen-matrix-$(printf %s x86/xen/matrix | git hash-object --stdin | cut -c1-10)/0
configs="x86_64 no-smm xen prove-locking i386"
ko="virt/lib/irqbypass.ko arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-intel.ko arch/x86/kvm/kvm-amd.ko"

note "each configuration at each commit, in its own build directory"
run_kvmx86 test --kernel --matrix --json
expect_exit 1
expect_json '.configs | join(" ")' "$configs"
expect_json '[.results[].status] | join(" ")' "pass error pass fail"
expect_json '[.results[0].steps[] | .config + "=" + .status] | join(" ")' \
	"x86_64=pass no-smm=pass xen=pass prove-locking=pass i386=pass"
expect_json '[.results[0].steps[].build] | unique | join(" ")' "linked"
expect_json '[.results[1].steps[] | .config + "=" + .status] | join(" ")' \
	"x86_64=pass no-smm=pass xen=error prove-locking=skipped i386=skipped"
expect_json ".results[1].commit" "$no_xen"
expect_json '.results[1].config' "xen"
expect_json '.results[1].error | contains("the configuration '"'xen'"' (KVM_XEN=y) did not stick (CONFIG_KVM_XEN is not set (want y))")' true
expect_json '[.results[3].steps[] | .config + "=" + .status] | join(" ")' \
	"x86_64=pass no-smm=pass xen=pass prove-locking=pass i386=fail"
expect_json '.results[3].config' "i386"
expect_json ".first_failure" "$only64"
# each directory: its own .config with its own knob, the base built once
want() { grep -qx -- "$2" "$wt/.kvmx86-$1/.config" || fail "$1: no '$2' in its .config"; }
for c in $configs; do
	want "$c" CONFIG_KVM_WERROR=y
	want "$c" CONFIG_KVM_AMD=m
	[ "$(make_log "$wt" "$c" | grep -c ' vmlinux modules$')" = 1 ] ||
		fail "$c: not one full build: $(make_log "$wt" "$c")"
	make_log "$wt" "$c" | grep -q "^$base .* vmlinux modules$" || fail "$c: the base was not built"
	make_log "$wt" "$c" | grep -q "^$one .* $ko$" || fail "$c: the modules were not linked at $one"
	# the last commit fails only in i386, whose modules are gone
	for m in kvm kvm-intel kvm-amd; do
		[ "$c" = i386 ] && [ -f "$wt/.kvmx86-$c/arch/x86/kvm/$m.ko" ] &&
			fail "$c: $m.ko outlived the failed build"
		[ "$c" = i386 ] || [ -f "$wt/.kvmx86-$c/arch/x86/kvm/$m.ko" ] ||
			fail "$c: no $m.ko"
	done
done
want no-smm '# CONFIG_KVM_SMM is not set'
want x86_64 CONFIG_KVM_SMM=y
want xen CONFIG_KVM_XEN=y
want prove-locking CONFIG_PROVE_LOCKING=y
want i386 '# CONFIG_64BIT is not set'
grep -q CONFIG_X86_64 "$wt/.kvmx86-i386/.config" && fail "the 32-bit .config has X86_64"
make_log "$wt" i386 | grep -q "^$base ARCH=i386 i386_defconfig$" || fail "i386: not i386_defconfig with ARCH=i386"
make_log "$wt" i386 | grep -q "ARCH= " && fail "i386: a make without ARCH=i386"
make_log "$wt" xen | grep -q "^$no_xen .* $ko$" && fail "xen: built although the configuration did not stick"
[ ! -e "$wt/.config" ] || fail "the source tree was configured in place"
expect_json '(.testing_statement | gsub("\\n"; " ")) | contains("Also built and linked them with KVM_SMM=n at every commit.")' true
expect_json '(.testing_statement | gsub("\\n"; " ")) | contains("Building and linking the modules for 32-bit x86 (ARCH=i386, i386_defconfig, the same KVM options) fails at patch 4 of 4.")' true

note "the records keep each configuration apart"
records=$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/test-records.json
[ "$(jq -r "[.records[] | select(.commit == \"$one\") | .config] | join(\" \")" "$records")" = "$configs" ] ||
	fail "not one record per configuration: $(jq -c . "$records")"
[ "$(jq -r ".records[] | select(.commit == \"$only64\" and .config == \"i386\") | .status" "$records")" = fail ] ||
	fail "the 32-bit failure is not recorded"
[ "$(jq -r "[.records[] | select(.commit == \"$one\") | .config_hash] | unique | length" "$records")" = 5 ] ||
	fail "the configurations' hashes are not their own"

note "text output names the configuration"
run_kvmx86 test --kernel --matrix
expect_exit 1
expect_stdout_contains "the configuration 'xen' (KVM_XEN=y) did not stick (CONFIG_KVM_XEN is not set (want y))"
expect_stdout_contains "KVM: x86: Add a 64-bit only thing (ARCH=i386: exit 2, log "
expect_stdout_contains "built and linked (x86_64, no-smm, xen, prove-locking, i386)"
expect_stdout_contains "[recorded]"

note "with a command of one's own: once per configuration, KBUILD_OUTPUT and ARCH set"
run_kvmx86 test --kernel --matrix --rerun --json "$base..$one" -- \
	sh -c 'echo "$ARCH" >"$KBUILD_OUTPUT/arch-seen"'
expect_exit 0
expect_json '[.results[0].steps[] | .config + "=" + .build] | join(" ")' \
	"x86_64=command no-smm=command xen=command prove-locking=command i386=command"
rwt=$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/worktrees/range/0
[ "$(cat "$rwt/.kvmx86-i386/arch-seen")" = i386 ] || fail "ARCH=i386 did not reach the command"
[ "$(cat "$rwt/.kvmx86-xen/arch-seen")" = "" ] || fail "ARCH was set for a 64-bit configuration"

note "a base that does not build in a configuration: its commits are errors there, not failures"
git checkout -q -b x86/misc/broken-base master
printf '#ifdef ARCH_i386\n#error no 32-bit core\n#endif\n' >>arch/x86/kernel/core.c
git commit -q -am "x86: Break the 32-bit core kernel"
broken=$(git rev-parse HEAD)
printf 'int kvm_two(void) { return 2; }\n' >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add two"
rm -rf "$rwt"
git worktree prune
run_kvmx86 test --kernel --matrix --json "$broken..HEAD"
expect_exit 1
expect_json '[.results[0].steps[] | .config + "=" + .status] | join(" ")' \
	"x86_64=pass no-smm=pass xen=pass prove-locking=pass i386=error"
expect_json '.results[0].error | startswith("the base '"${broken:0:12}"' does not build in the configuration '"'i386'"' (make vmlinux modules: exit 2, in ")' true
expect_json '.first_failure' null

note "a tree without KVM_SMM: the statement never says KVM_SMM=n"
git checkout -q -b x86/smm/none master
sed -i '/KVM_SMM/d' arch/x86/kvm/Kconfig.known
git commit -q -am "KVM: x86: A tree from before KVM_SMM"
nosmm_base=$(git rev-parse HEAD)
printf 'int kvm_three(void) { return 3; }\n' >>arch/x86/kvm/x86.c
git commit -q -am "KVM: x86: Add three"
run_kvmx86 test --kernel --matrix --json "$nosmm_base..HEAD"
expect_exit 0
expect_json '[.results[0].steps[] | .config + "=" + .status] | join(" ")' \
	"x86_64=pass no-smm=pass xen=pass prove-locking=pass i386=pass"
expect_json '.testing_statement | gsub("\n"; " ") | test("KVM_SMM=n|KVM_SMM off")' false
expect_json '.testing_statement | gsub("\n"; " ") | contains("this tree has no KVM_SMM option")' true
