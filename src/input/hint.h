/* hint.h: "did you mean" for misspelt names (internal to src/input): the
 * nearest candidate by edit distance, deterministically. */
#ifndef CKP_INPUT_HINT_H
#define CKP_INPUT_HINT_H

#include <stddef.h>

/* Most edits a hint may be away: 1 for words up to 4 characters, 2 up
 * to 8, else 3 (docs/diagnostics.md, "Hints"). */
int ckp_hint_max_distance(size_t len);

/* Levenshtein distance between a and b (bytes), or limit + 1 when it is
 * more than limit (or a word is longer than 128 bytes); at most
 * len(a) * len(b) steps. */
int ckp_hint_distance(const char *a, const char *b, int limit);

/* Hint search: offer candidates one by one; best keeps the nearest so
 * far (the first offered wins ties), NULL when none is near enough.
 * Equal to word never counts. */
typedef struct ckp_hint {
    const char *word;
    int limit;        /* ckp_hint_max_distance(strlen(word)) */
    const char *best; /* borrowed */
    int best_d;
} ckp_hint;

void ckp_hint_init(ckp_hint *h, const char *word);
void ckp_hint_offer(ckp_hint *h, const char *candidate);

/* The nearest of the names  name="X"  declared after `tag` (e.g.
 * "<xs:attribute ") in the schema text xsd, copied into out (size n);
 * 0 when none is near enough. */
int ckp_hint_schema_name(const char *xsd, const char *tag, const char *word,
                         char *out, size_t n);

#endif
