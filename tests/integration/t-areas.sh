#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Per-commit areas (contract step 3): one single-file commit per path.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
new_branch x86/misc/areas refs/remotes/kvm-x86/next

declare -A area_of
n=0
touch_path() {
	n=$((n + 1))
	add_lines "$1" <<EOT
/* area probe $n */
EOT
	commit_all "probe $n: $1"
	area_of[$(sha HEAD)]=$2
}

touch_path arch/x86/kvm/x86.c				x86
touch_path arch/x86/kvm/mmu/mmu.c			x86
touch_path arch/x86/include/asm/kvm_host.h		x86
touch_path arch/x86/include/asm/kvm_para.h		x86
touch_path arch/x86/include/uapi/asm/kvm.h		x86
touch_path Documentation/virt/kvm/x86/mmu.rst		x86
touch_path virt/kvm/kvm_main.c				common
touch_path include/linux/kvm_host.h			common
touch_path include/linux/kvm_types.h			common
touch_path include/kvm/iodev.h				common
touch_path include/uapi/linux/kvm.h			common
touch_path include/trace/events/kvm.h			common
touch_path Documentation/virt/kvm/api.rst		common
touch_path arch/arm64/kvm/mmu.c				other-arch
touch_path arch/riscv/kvm/mmu.c				other-arch
touch_path arch/arm64/include/asm/kvm_host.h		other-arch
touch_path arch/s390/include/uapi/asm/kvm.h		other-arch
# arm's own: its headers, and its code in trees before 5.7
touch_path include/kvm/arm_pmu.h			other-arch
touch_path virt/kvm/arm/arm.c				other-arch
touch_path tools/testing/selftests/kvm/aarch64/arch_timer.c	other-arch
touch_path tools/testing/selftests/kvm/s390x/memop.c	other-arch
touch_path tools/testing/selftests/kvm/riscv/sbi_pmu_test.c	other-arch
touch_path tools/testing/selftests/kvm/lib/aarch64/processor.c	other-arch
touch_path tools/testing/selftests/kvm/include/aarch64/processor.h	other-arch
touch_path tools/testing/selftests/kvm/x86_64/foo_test.c	selftests
touch_path tools/testing/selftests/kvm/lib/kvm_util.c	selftests
touch_path tools/testing/selftests/kvm/include/x86_64/processor.h	selftests
touch_path tools/testing/selftests/kvm/Makefile		selftests
touch_path drivers/net/dummy.c				non-kvm
touch_path arch/x86/kernel/kvm.c			non-kvm
touch_path arch/x86/include/asm/processor.h		non-kvm
touch_path Makefile					non-kvm
touch_path Documentation/admin-guide/kernel-parameters.txt	non-kvm

# Comments only: the scope does not matter here, the areas do.
run_kvmx86 check-base --json --scope=x86
expect_exit 0
expect_json '.commits | length' "$n"
declare -A got_area
while read -r id area; do
	got_area[$id]=$area
done < <(json '.commits[] | "\(.id) \(.area)"')
bad=0
for id in "${!area_of[@]}"; do
	got=${got_area[$id]:-missing}
	if [ "$got" != "${area_of[$id]}" ]; then
		echo "area of '$(git log -1 --format=%s "$id")': want ${area_of[$id]}, got $got" >&2
		bad=$((bad + 1))
	fi
done
[ "$bad" = 0 ] || fail "$bad commit(s) with the wrong area"

