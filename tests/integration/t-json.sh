#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --json: one object with every key of the contract, with the right types;
# per-commit id/subject/area.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"

# check_shape WHAT: the object has every key of the contract, with the right
# types (one jq run that lists what is wrong).
check_shape() {
	local what=$1 bad
	[ "$(jq -s length <"$OUT")" = 1 ] || fail "$what: not exactly one JSON document"
	bad=$(jq -r '
	def str: type == "string";
	def strnull: type == "string" or type == "null";
	def hex40: type == "string" and test("^[0-9a-f]{40}$");
	def scope: IN("x86", "multi-arch", "current-fix");
	if type != "object" then "not an object" else
	. as $o |
	( (["scope", "detected_scope", "recommended_base", "actual_base",
	    "recommended_commit", "base_commit", "verdict", "behind_by", "remedy",
	    "target_topic", "branch", "x86_remote", "kvm_remote", "cycle_rc",
	    "superficial", "commits", "reasons", "warnings"][]
	   | select(. as $k | $o | has($k) | not) | "missing key \(.)"),
	  (select(.scope | scope | not) | "scope"),
	  (select(.detected_scope | scope | not) | "detected_scope"),
	  (select(.verdict | IN("ok", "behind", "stale", "wrong") | not) | "verdict"),
	  (select(.recommended_commit | hex40 | not) | "recommended_commit"),
	  (select(.base_commit | hex40 | not) | "base_commit"),
	  (select(.recommended_base | str | not) | "recommended_base"),
	  (select(.actual_base | str | not) | "actual_base"),
	  (select(.behind_by | type == "number" or type == "null" | not) | "behind_by"),
	  (select(.remedy | strnull | not) | "remedy"),
	  (select(.target_topic | strnull | not) | "target_topic"),
	  (select(.branch | strnull | not) | "branch"),
	  (select(.x86_remote | str | not) | "x86_remote"),
	  (select(.kvm_remote | strnull | not) | "kvm_remote"),
	  (select(.cycle_rc | strnull | not) | "cycle_rc"),
	  (select(.superficial | type == "object" and
		  (.common_logic | type == "number") and
		  (.other_logic | type == "number") and
		  (.limit | type == "number") | not) | "superficial"),
	  (select(.commits | type == "array" and length > 0 | not) | "commits"),
	  (select(all(.commits[]?; (.id | hex40) and (.subject | str) and
		      (.area | IN("x86", "common", "other-arch", "selftests", "non-kvm")))
		  | not) | "commits members"),
	  (select(.reasons | type == "array" and all(.[]; str) | not) | "reasons"),
	  (select(.warnings | type == "array" and all(.[]; str) | not) | "warnings"),
	  (select((.verdict == "ok") != (.remedy == null)) | "remedy null iff ok")
	) end' <"$OUT")
	[ -z "$bad" ] || fail "$what: bad JSON shape: ${bad//$'\n'/; }"
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
