#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check's output formats, on every branch of the sample repository:
# text lines are commit headers, `<12-hex> <severity> <rule>: <message>`
# findings under them, `series <severity> <rule>: ...` findings, then
# `N errors, M warnings, K advice`; --json is {findings, summary} with the
# same findings and counts; no ESC byte off a terminal or with NO_COLOR;
# exit 1 exactly when there is an error.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
branches=(x86/vmx/good-series x86/mmu/multiarch fixes/current x86/misc/bad-style)

# check_text: stdout is a valid text report; prints "E W A" of its summary.
check_text() {
	local line n=0 last="" e=0 w=0 a=0 total started=false
	total=$(wc -l <"$OUT")
	[ "$total" -ge 2 ] || fail "text output has $total lines"
	while IFS= read -r line; do
		n=$((n + 1))
		if [ "$n" = "$total" ]; then
			last=$line
			break
		fi
		case "$line" in
		note:\ *)
			$started && fail "line $n: a note after the commits: $line"
			continue
			;;
		esac
		started=true
		if [[ "$line" =~ ^([0-9a-f]{12}|series)\ ([^ ]+:[0-9]+:\ )?(error|warning|advice)\ [a-z0-9/-]+:\ . ]]; then
			case "${BASH_REMATCH[3]}" in
			error) e=$((e + 1)) ;;
			warning) w=$((w + 1)) ;;
			advice) a=$((a + 1)) ;;
			esac
			[[ "$line" =~ ^series\  ]] || [[ "$line" =~ ^[0-9a-f]{12}\ ([^ ]+:[0-9]+:\ )?(error|warning|advice)\ [a-z0-9-]+:\ . ]] ||
				fail "line $n: a commit's rule id is not [a-z0-9-]+: $line"
		elif [[ "$line" =~ ^([0-9a-f]{12})\ (.*)$ ]]; then
			[ "$(git log -1 --format=%s "${BASH_REMATCH[1]}" 2>/dev/null)" = "${BASH_REMATCH[2]}" ] ||
				fail "line $n is neither a finding nor a commit header: $line"
		else
			fail "line $n is not a header, a finding or a note: $line"
		fi
	done <"$OUT"
	[[ "$last" =~ ^([0-9]+)\ errors?,\ ([0-9]+)\ warnings?,\ ([0-9]+)\ advice$ ]] ||
		fail "last line is not 'N errors, M warnings, K advice': $last"
	[ "${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]}" = "$e $w $a" ] ||
		fail "summary '$last' but the lines count $e errors, $w warnings, $a advice"
	# singular and plural
	[ "$e" = 1 ] && { [[ "$last" =~ ^1\ error, ]] || fail "'1 error' is not singular"; }
	[ "$w" = 1 ] && { [[ "$last" =~ \ 1\ warning, ]] || fail "'1 warning' is not singular"; }
	[ "$e" != 1 ] && { [[ "$last" =~ ^[0-9]+\ errors, ]] || fail "'$e errors' is not plural"; }
	echo "$e $w $a"
}

# check_json: stdout follows the documented schema; prints "E W A".
check_json() {
	expect_json_true 'type == "object" and (.findings | type == "array") and (.summary | type == "object")' \
		"--json is an object with findings and summary"
	expect_json_true 'all(.findings[]; (keys == ["commit", "line", "message", "path", "rule", "severity"])
		and ((.path == null and .line == null) or (.commit != null and (.path | type == "string")
			and (.line == null or (.line | type == "number" and . > 0))))
		and (.commit == null or (.commit | type == "string" and test("^[0-9a-f]{40}$")))
		and (.rule | type == "string" and test("^[a-z0-9][a-z0-9/-]*$"))
		and (.severity | IN("error", "warning", "advice"))
		and (.message | type == "string" and length > 0))' \
		"every finding has commit (40-hex or null), rule, severity, message, path and line"
	expect_json_true '(.summary | keys) == ["advice", "errors", "warnings"] and all(.summary[]; type == "number")' \
		"summary has errors, warnings, advice"
	expect_json_true '.summary.errors == ([.findings[] | select(.severity == "error")] | length)
		and .summary.warnings == ([.findings[] | select(.severity == "warning")] | length)
		and .summary.advice == ([.findings[] | select(.severity == "advice")] | length)' \
		"summary counts the findings"
	expect_json_true '(.commits | map(.id)) as $c | all(.findings[]; .commit == null or (.commit | IN($c[])))' \
		"findings are on the checked commits"
	json '"\(.summary.errors) \(.summary.warnings) \(.summary.advice)"'
}

git checkout -q master
for b in "${branches[@]}"; do
	note "$b: text"
	run_env TERM=xterm-256color -- prep --check "$b"
	expect_no_esc
	rc_text=$RC
	counts_text=$(check_text)
	cp "$OUT" "$T/text"
	note "$b: --json"
	run_env TERM=xterm-256color -- prep --check --json "$b"
	expect_no_esc
	[ "$RC" = "$rc_text" ] || fail "$b: --json exits $RC, text $rc_text"
	counts_json=$(check_json)
	[ "$counts_text" = "$counts_json" ] ||
		fail "$b: text counts '$counts_text', --json '$counts_json'"
	if [ "${counts_json%% *}" = 0 ]; then
		expect_exit 0 "$b: no error"
	else
		expect_exit 1 "$b: ${counts_json%% *} errors"
	fi
	# the headers are --json's commits, in order
	json '.commits[] | "\(.id[0:12]) \(.subject)"' >"$T/want-headers"
	grep -E '^[0-9a-f]{12} ' "$T/text" | grep -vE '^[0-9a-f]{12} ([^ ]+:[0-9]+: )?(error|warning|advice) [a-z0-9-]+: ' \
		>"$T/headers" || true
	diff -u "$T/want-headers" "$T/headers" >&2 ||
		fail "$b: the text headers are not --json's commits (diff above)"
	# the same findings
	json '.findings[] | "\(if .commit == null then "series" else .commit[0:12] end) \(if .path and .line then "\(.path):\(.line): " elif .path then "\(.path): " else "" end)\(.severity) \(.rule): \(.message)"' |
		LC_ALL=C sort >"$T/a"
	grep -E '^([0-9a-f]{12}|series) ([^ ]+: )?(error|warning|advice) [a-z0-9/-]+: ' "$T/text" | LC_ALL=C sort >"$T/b"
	diff -u "$T/a" "$T/b" >&2 || fail "$b: text and --json findings differ (diff above)"
	# the series-wide findings come last
	awk '/^series / { s = 1; next } s && !/^[0-9]+ errors?, / { bad = 1 } END { exit bad }' "$T/text" ||
		fail "$b: a line after the series-wide findings"
done

note "NO_COLOR, TERM=dumb, no TERM: no ESC byte"
for envs in "NO_COLOR=1 TERM=xterm-256color" "TERM=dumb" "TERM=" "NO_COLOR= TERM=xterm-256color"; do
	# shellcheck disable=SC2086
	run_env $envs -- prep --check x86/misc/bad-style
	expect_exit 1
	expect_no_esc
	# shellcheck disable=SC2086
	run_env $envs -- prep --check --json x86/misc/bad-style
	expect_exit 1
	expect_no_esc
done

note "--json prints one JSON document and nothing on stderr"
run_kvmx86 prep --check --json x86/misc/bad-style
[ "$(jq -s length <"$OUT")" = 1 ] || fail "not one JSON document"
[ ! -s "$ERR" ] || fail "stderr is not empty"
run_kvmx86 prep --check x86/misc/bad-style
[ ! -s "$ERR" ] || fail "stderr is not empty (text)"
