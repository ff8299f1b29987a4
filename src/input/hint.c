/* hint.c: "did you mean" hints (see hint.h): Levenshtein distance with an
 * early exit, and the nearest candidate, first offered winning ties, so a
 * hint only depends on the plan and the schema. */
#include "input/hint.h"

#include <stdio.h>
#include <string.h>

#define HINT_MAX_LEN 128 /* longer words get no hint */

int ckp_hint_max_distance(size_t len)
{
    return len <= 4 ? 1 : len <= 8 ? 2 : 3;
}

int ckp_hint_distance(const char *a, const char *b, int limit)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > HINT_MAX_LEN || lb > HINT_MAX_LEN) return limit + 1;
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > (size_t)limit) return limit + 1;
    int prev[HINT_MAX_LEN + 1], cur[HINT_MAX_LEN + 1];
    for (size_t j = 0; j <= lb; j++) prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < v) v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            cur[j] = v;
            if (v < row_min) row_min = v;
        }
        if (row_min > limit) return limit + 1; /* rows never decrease */
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb] <= limit ? prev[lb] : limit + 1;
}

void ckp_hint_init(ckp_hint *h, const char *word)
{
    h->word = word;
    h->limit = word ? ckp_hint_max_distance(strlen(word)) : 0;
    h->best = NULL;
    h->best_d = h->limit + 1;
}

void ckp_hint_offer(ckp_hint *h, const char *candidate)
{
    if (!h->word || !candidate || !*candidate || strcmp(h->word, candidate) == 0)
        return;
    int lim = h->best ? h->best_d - 1 : h->limit; /* strictly better only */
    if (lim < 1) return;
    int d = ckp_hint_distance(h->word, candidate, lim);
    if (d <= lim) {
        h->best = candidate;
        h->best_d = d;
    }
}

int ckp_hint_schema_name(const char *xsd, const char *tag, const char *word,
                         char *out, size_t n)
{
    char best[HINT_MAX_LEN + 1] = "";
    int best_d = ckp_hint_max_distance(strlen(word)) + 1;
    size_t lt = strlen(tag);
    for (const char *p = strstr(xsd, tag); p; p = strstr(p + lt, tag)) {
        const char *q = strstr(p, "name=\"");
        const char *gt = strchr(p, '>');
        if (!q || (gt && gt < q)) continue;
        q += 6;
        const char *e = strchr(q, '"');
        if (!e || (size_t)(e - q) > HINT_MAX_LEN) continue;
        char cand[HINT_MAX_LEN + 1];
        memcpy(cand, q, (size_t)(e - q));
        cand[e - q] = '\0';
        if (strcmp(cand, word) == 0) continue;
        int d = ckp_hint_distance(word, cand, best_d - 1);
        if (d < best_d) {
            best_d = d;
            memcpy(best, cand, sizeof cand);
        }
    }
    if (!best[0]) return 0;
    snprintf(out, n, "%s", best);
    return 1;
}
