#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-rules-doc.sh SOURCE-DIR: docs/rules.md's summary table lists every
# rule id kvmx86 reports, with the default severity of lib/core/rules.c's
# table, and no id that the code does not know: the ids of kx_rules[], and
# the second ids kx_rule_suggest() lists (shortlog-length-80, the testing
# reminders), which the table's first column names too.
set -u
src=${1:?usage: check-rules-doc.sh SOURCE-DIR}
code=$(mktemp)
doc=$(mktemp)
trap 'rm -f "$code" "$doc"' EXIT

# { "id", KX_SEV_X, in the table; the more[] ids, with their own default
sed -n 's/^[[:space:]]*{ "\([a-z0-9-]*\)", KX_SEV_\([A-Z]*\),.*/\1 \2/p' \
	"$src/lib/core/rules.c" | tr 'A-Z' 'a-z' >"$code"
more=$(sed -n '/static const char \*const more\[\]/,/};/p' "$src/lib/core/rules.c" |
	grep -o '"[a-z0-9-]*"' | tr -d '"')
[ -s "$code" ] && [ -n "$more" ] || { echo "cannot read the rule table of lib/core/rules.c"; exit 1; }
# | [id](#anchor) | default ... |
sed -n 's/^| \[\([a-z0-9-]*\)\]([^)]*)[^|]*| \([a-z]*\).*/\1 \2/p' \
	"$src/docs/rules.md" >"$doc"

bad=0
while read -r id sev; do
	got=$(awk -v id="$id" '$1 == id { print $2 }' "$doc")
	if [ -z "$got" ]; then
		echo "docs/rules.md: no row for rule '$id'"
		bad=1
	elif [ "$got" != "$sev" ]; then
		echo "docs/rules.md: '$id' defaults to $got, lib/core/rules.c to $sev"
		bad=1
	fi
done <"$code"
for id in $more; do
	grep -q "^$id " "$doc" || { echo "docs/rules.md: no row for rule '$id'"; bad=1; }
done
while read -r id sev; do
	[ "$id" = config ] && continue		# the finding about kvmx86.rule.* itself
	grep -q "^$id " "$code" && continue
	case " $(echo $more) " in *" $id "*) continue ;; esac
	echo "docs/rules.md: a row for '$id', which lib/core/rules.c does not know"
	bad=1
done <"$doc"
exit $bad
