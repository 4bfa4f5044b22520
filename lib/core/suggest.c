// SPDX-License-Identifier: GPL-2.0-only
/* The closest of a few words to a mistyped one (git's "did you mean"). */
#include <stdlib.h>
#include <string.h>

#include "kvmx86/suggest.h"
#include "kvmx86/util.h"

/* Optimal string alignment distance: insert, delete, replace, swap. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d;
	size_t *row = kx_xcalloc((la + 1) * (lb + 1), sizeof(*row));

#define D(x, y) row[(x) * (lb + 1) + (y)]
	for (i = 0; i <= la; i++)
		D(i, 0) = i;
	for (j = 0; j <= lb; j++)
		D(0, j) = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];

			d = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < d)
				d = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < d)
				d = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < d)
				d = D(i - 2, j - 2) + 1;
			D(i, j) = d;
		}
	d = D(la, lb);
#undef D
	free(row);
	return d;
}

const char *kx_suggest(const char *word, const char *const *choices, size_t nr)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, i;

	for (i = 0; i < nr; i++) {
		size_t d, longer;

		if (!choices[i] || !strcmp(choices[i], word))
			continue;
		d = distance(word, choices[i]);
		longer = strlen(word) > strlen(choices[i]) ?
			 strlen(word) : strlen(choices[i]);
		if (d <= 3 && d * 3 <= longer && d < best_d) {
			best = choices[i];
			best_d = d;
		}
	}
	return best;
}
