#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --json: one object with every key of the contract, with the right types;
# per-commit id/subject/area.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"

check_shape() {
	local what=$1 key
	[ "$(jq -s length <"$OUT")" = 1 ] || fail "$what: not exactly one JSON document"
	expect_json_true 'type == "object"' "$what: an object"
	for key in scope detected_scope recommended_base actual_base \
		   recommended_commit base_commit verdict behind_by remedy \
		   target_topic branch x86_remote kvm_remote cycle_rc \
		   superficial commits reasons warnings; do
		expect_json_true "has(\"$key\")" "$what: key $key"
	done
	expect_json_true '.scope | IN("x86", "multi-arch", "current-fix")' "$what: scope"
	expect_json_true '.detected_scope | IN("x86", "multi-arch", "current-fix")' "$what: detected_scope"
	expect_json_true '.verdict | IN("ok", "behind", "stale", "wrong")' "$what: verdict"
	expect_json_true '.recommended_commit | test("^[0-9a-f]{40}$")' "$what: recommended_commit"
	expect_json_true '.base_commit | test("^[0-9a-f]{40}$")' "$what: base_commit"
	expect_json_true '.recommended_base | type == "string"' "$what: recommended_base"
	expect_json_true '.actual_base | type == "string"' "$what: actual_base"
	expect_json_true '.behind_by | type == "number" or type == "null"' "$what: behind_by"
	expect_json_true '.remedy | type == "string" or type == "null"' "$what: remedy"
	expect_json_true '.target_topic | type == "string" or type == "null"' "$what: target_topic"
	expect_json_true '.branch | type == "string" or type == "null"' "$what: branch"
	expect_json_true '.x86_remote | type == "string"' "$what: x86_remote"
	expect_json_true '.kvm_remote | type == "string" or type == "null"' "$what: kvm_remote"
	expect_json_true '.cycle_rc | type == "string" or type == "null"' "$what: cycle_rc"
	expect_json_true '.superficial | type == "object"' "$what: superficial"
	expect_json_true '.superficial | (.common_logic|type) == "number" and (.other_logic|type) == "number" and (.limit|type) == "number"' \
		"$what: superficial members"
	expect_json_true '.commits | type == "array" and length > 0' "$what: commits"
	expect_json_true 'all(.commits[]; (.id | test("^[0-9a-f]{40}$")) and (.subject | type == "string") and (.area | IN("x86", "common", "other-arch", "selftests", "non-kvm")))' \
		"$what: commits members"
	expect_json_true '.reasons | type == "array" and all(.[]; type == "string")' "$what: reasons"
	expect_json_true '.warnings | type == "array" and all(.[]; type == "string")' "$what: warnings"
}

# expect_commit ID AREA: the commit is listed, with its subject and AREA.
expect_commit() {
	local id=$1 area=$2
	expect_json_true "any(.commits[]; .id == \"$id\")" "commit $id listed"
	expect_json "[.commits[] | select(.id == \"$id\")][0].area" "$area"
	expect_json "[.commits[] | select(.id == \"$id\")][0].subject" \
		"$(git log -1 --format=%s "$id")"
}

note "ok: x86/vmx/good-series"
run_kvmx86 check-base --json x86/vmx/good-series
expect_exit 0
check_shape good-series
expect_json '.commits | length' 3
expect_commit "$(sha x86/vmx/good-series~2)" x86
expect_commit "$(sha x86/vmx/good-series~1)" x86
expect_commit "$(sha x86/vmx/good-series)" selftests
expect_json .superficial.common_logic 0
expect_json .superficial.other_logic 0
expect_json ".warnings | length" 0

note "wrong: x86/mmu/multiarch"
run_kvmx86 check-base --json x86/mmu/multiarch
expect_exit 1
check_shape multiarch
expect_json '.commits | length' 3
expect_commit "$(sha x86/mmu/multiarch~2)" common
expect_commit "$(sha x86/mmu/multiarch~1)" other-arch
expect_commit "$(sha x86/mmu/multiarch)" x86
expect_json_true '.remedy | type == "string"' remedy
expect_json .behind_by null

note "current-fix: fixes/current"
run_kvmx86 check-base --json fixes/current
expect_exit 0
check_shape fixes/current
expect_commit "$(sha fixes/current)" x86

note "--json --scope: scope is the override, detected_scope the detection"
run_kvmx86 check-base --json --scope=x86 x86/mmu/multiarch
expect_exit 0
check_shape scope-override
expect_json .scope x86
expect_json .detected_scope multi-arch
