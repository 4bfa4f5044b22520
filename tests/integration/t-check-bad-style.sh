#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check on x86/misc/bad-style: every finding the sample manifest
# expects (branch.<b>.expect=<patch>:<rule>) is reported on its patch with
# the rule's severity, no other error or warning is, and the exit status
# is 1; the text and --json outputs agree.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/misc/bad-style
next=$(sha refs/remotes/kvm-x86/next)
[ "$(mf branch.$b.fork)" = "$next" ] || fail "bad sample repo: $b is not on kvm-x86/next"
[ "$(mf branch.$b.tip)" = "$(sha $b)" ] || fail "bad sample repo: $b's tip"
mapfile -t ids < <(git rev-list --reverse "$next..$b")
[ "${#ids[@]}" = 5 ] || fail "bad sample repo: $b has ${#ids[@]} commits, not 5"

# The severities of the expected findings: the catalog's defaults (a
# section number is an error in a comment, a warning in the changelog).
declare -A want_sev=(
	[1:shortlog-case]=error
	[1:shortlog-capitalize]=warning
	[1:shortlog-punctuation]=error
	[2:no-x86-kvm-prefix]=error
	[3:no-file-path-prefix]=error
	[4:shortlog-length-80]=error
	[4:no-sdm-section-numbers]="error warning"
	[5:function-parens]=warning
	[5:fixes-tag-format]=error
	[5:signoff]=error
)
grep "^branch\.$b\.expect=" .git/sample-manifest.txt | sed 's/^[^=]*=//' |
	LC_ALL=C sort >"$T/expect"
[ -s "$T/expect" ] || fail "the manifest has no branch.$b.expect lines"
printf '%s\n' "${!want_sev[@]}" | LC_ALL=C sort | diff -u - "$T/expect" >&2 ||
	fail "the manifest's expected findings are not this test's (diff above)"

refs_snapshot "$T/refs.before"
git checkout -q master

note "--json: every expected finding, with its severity; exit 1"
run_kvmx86 prep --check --json "$b"
expect_exit 1 "--check --json $b"
cp "$OUT" "$T/check.json"
# one line a finding: <patch number or "series"> <TAB> severity <TAB> rule
# <TAB> message
jq -r '(.commits | map(.id)) as $ids | .findings[] |
	"\(if .commit == null then "series" else (.commit as $c | ($ids | index($c)) // -1) + 1 end)\t\(.severity)\t\(.rule)\t\(.message)"' \
	"$T/check.json" >"$T/f.tsv"
jq -r '.commits[] | "\(.id) \(.subject)"' "$T/check.json" >"$T/commits"
for i in 0 1 2 3 4; do
	echo "${ids[i]} $(git log -1 --format=%s "${ids[i]}")"
done | diff -u - "$T/commits" >&2 || fail "--json commits are not the 5 patches (diff above)"
! grep -q '^0	' "$T/f.tsv" || fail "a finding names a commit outside the series"
has() {	# has PATCH SEVERITY RULE [MESSAGE-SUBSTRING]
	awk -F '\t' -v n="$1" -v s="$2" -v r="$3" -v m="${4:-}" '
		$1 == n && $2 == s && $3 == r && index($4, m) { found = 1 }
		END { exit !found }' "$T/f.tsv"
}
while IFS= read -r e; do
	n=${e%%:*} rule=${e#*:}
	for sev in ${want_sev[$e]}; do
		has "$n" "$sev" "$rule" ||
			fail "patch $n ($(short "${ids[n - 1]}")): no $sev $rule finding; it has: $(awk -F '\t' -v n="$n" '$1 == n { printf "%s %s; ", $2, $3 }' "$T/f.tsv")"
	done
	# and in no other severity than those
	while IFS= read -r sev; do
		case " ${want_sev[$e]} " in
		*" $sev "*) ;;
		*) fail "patch $n: $rule also reported as $sev" ;;
		esac
	done < <(awk -F '\t' -v n="$n" -v r="$rule" '$1 == n && $3 == r { print $2 }' "$T/f.tsv")
done <"$T/expect"

note "no error or warning on a patch that the manifest does not expect"
while IFS=$'\t' read -r n sev rule m; do
	[ -n "${want_sev[$n:$rule]:-}" ] ||
		fail "patch $n ($(short "${ids[n - 1]}")): unexpected $sev $rule: $m"
done < <(awk -F '\t' '$1 != "series" && ($2 == "error" || $2 == "warning")' "$T/f.tsv")

note "the messages name what is wrong"
has 1 error shortlog-case "'kvm: x86:'" || fail "shortlog-case does not quote 'kvm: x86:'"
has 1 error shortlog-case "'KVM: x86:'" || fail "shortlog-case does not say 'KVM: x86:'"
has 1 warning shortlog-capitalize "'fix'" || fail "shortlog-capitalize does not name 'fix'"
has 2 error no-x86-kvm-prefix "x86/kvm" || fail "no-x86-kvm-prefix does not name x86/kvm"
has 3 error no-file-path-prefix "arch/x86/kvm/x86.c" ||
	fail "no-file-path-prefix does not name the path"
has 4 error shortlog-length-80 "85" || fail "shortlog-length-80 does not say 85 columns"
has 4 error no-sdm-section-numbers "SDM 25.1.3" ||
	fail "no error for 'SDM 25.1.3' in the added comment"
has 4 warning no-sdm-section-numbers "26.6.5" ||
	fail "no warning for section 26.6.5 in the changelog"
has 5 warning function-parens "kvm_set_apic_base" ||
	fail "function-parens does not name kvm_set_apic_base"
has 5 error fixes-tag-format "1234abc" || fail "fixes-tag-format does not quote the id"

note "a finding about added code names its file and line, as the commit has them"
sdm=$(jq -r --arg c "${ids[3]}" '.findings[] | select(.commit == $c and
	.rule == "no-sdm-section-numbers" and .severity == "error") |
	"\(.path):\(.line)"' "$T/check.json" | head -n1)
want=$(git show "${ids[3]}:arch/x86/kvm/x86.c" | grep -n 'SDM 25\.1\.3' | head -n1 | cut -d: -f1)
[ -n "$want" ] || fail "bad sample repo: patch 4 adds no 'SDM 25.1.3' to arch/x86/kvm/x86.c"
[ "$sdm" = "arch/x86/kvm/x86.c:$want" ] ||
	fail "patch 4's comment finding is at '$sdm', not arch/x86/kvm/x86.c:$want"
jq -e '[.findings[] | select(.rule == "no-sdm-section-numbers" and .severity == "warning")] |
	all(.path == null and .line == null)' "$T/check.json" >/dev/null ||
	fail "a changelog finding names a file or line"

note "the summary counts the findings"
e=$(awk -F '\t' '$2 == "error"' "$T/f.tsv" | wc -l)
w=$(awk -F '\t' '$2 == "warning"' "$T/f.tsv" | wc -l)
a=$(awk -F '\t' '$2 == "advice"' "$T/f.tsv" | wc -l)
[ "$(wc -l <"$T/f.tsv")" = $((e + w + a)) ] || fail "a finding has another severity"
expect_json '"\(.summary.errors) \(.summary.warnings) \(.summary.advice)"' "$e $w $a"
nerr=$(printf '%s\n' "${want_sev[@]}" | grep -ow error | wc -l)
[ "$e" -ge "$nerr" ] || fail "$e errors, fewer than the $nerr expected"
! awk -F '\t' '$3 == "base-choice"' "$T/f.tsv" | grep -q . ||
	fail "a base-choice finding: the base is right"

note "the text output: the same findings, commit by commit, and exit 1"
run_kvmx86 prep --check "$b"
expect_exit 1 "--check $b"
cp "$OUT" "$T/check.txt"
# each finding line as --json renders it
jq -r '.findings[] | "\(if .commit == null then "series" else .commit[0:12] end) \(if .path and .line then "\(.path):\(.line): " elif .path then "\(.path): " else "" end)\(.severity) \(.rule): \(.message)"' \
	"$T/check.json" | LC_ALL=C sort >"$T/from-json"
grep -E '^([0-9a-f]{12}|series) ([^ ]+: )?(error|warning|advice) [a-z0-9/-]+: ' "$T/check.txt" |
	LC_ALL=C sort >"$T/from-text"
diff -u "$T/from-json" "$T/from-text" >&2 ||
	fail "the text findings differ from --json's (diff above)"
grep -qE "^$(short "${ids[3]}") arch/x86/kvm/x86\.c:$want: error no-sdm-section-numbers: " "$T/check.txt" ||
	fail "the text does not put patch 4's comment finding at arch/x86/kvm/x86.c:$want"
for i in 0 1 2 3 4; do
	grep -qxF "$(short "${ids[i]}") $(git log -1 --format=%s "${ids[i]}")" "$T/check.txt" ||
		fail "no header line for patch $((i + 1))"
done
# a commit's findings follow its header, before the next one
for i in 0 1 2 3 4; do
	awk -v c="$(short "${ids[i]}")" -v s="$(git log -1 --format=%s "${ids[i]}")" '
		$0 == c " " s { inside = 1; next }
		inside && /^[0-9a-f]{12} ([^ ]+: )?(error|warning|advice) / {
			if (substr($0, 1, 12) != c) bad = 1
			next
		}
		inside { inside = 0 }
		END { exit bad }' "$T/check.txt" ||
		fail "patch $((i + 1))'s findings are not under its header"
	[ "$(grep -cE "^$(short "${ids[i]}") ([^ ]+: )?(error|warning|advice) " "$T/check.txt")" = \
	  "$(awk -F '\t' -v n=$((i + 1)) '$1 == n' "$T/f.tsv" | wc -l)" ] ||
		fail "patch $((i + 1)): text and --json count different findings"
done
want="$e error$([ "$e" = 1 ] || echo s), $w warning$([ "$w" = 1 ] || echo s), $a advice"
[ "$(tail -n1 "$T/check.txt")" = "$want" ] ||
	fail "last line is '$(tail -n1 "$T/check.txt")', not '$want'"

note "checked out, with no argument: the same series"
git checkout -q "$b"
run_kvmx86 prep --check --json
expect_exit 1
expect_json '.commits | length' 5
expect_json '[.commits[].id] | join(" ")' "${ids[*]}"
jq -S '.findings' "$T/check.json" >"$T/f1"
jq -S '.findings' "$OUT" >"$T/f2"
cmp -s "$T/f1" "$T/f2" || fail "checked out: other findings than with the REV argument"

note "--check changes no ref and creates no state"
git checkout -q master
expect_refs_unchanged "$T/refs.before" "prep --check"
expect_no_state "$b"
