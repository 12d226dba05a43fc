/* sim/diff.h: `crossim diff RUN_A RUN_B`: per account, the records one run's
 * log gained, lost and changed against the other's (RV2). */
#ifndef CROSSIM_DIFF_H
#define CROSSIM_DIFF_H

#include <glib.h>
#include <stdio.h>

/* Compares the trail/ logs of two --out folders and prints to out, per
 * account with a difference (ascending), a summary line and one line per
 * kind of change: lost, gained, flipped (same record, another outcome).
 * Records match by operation, principal (userIdentity's arn, else
 * accountId, else invokedBy), first resource ARN (its UUIDs, random ids,
 * written "*") and their order among those, never by ids.  Returns 0 when nothing differs, 1 when something
 * does, -1 with *error when a log cannot be read. */
int diff_runs(const char *run_a, const char *run_b, FILE *out, GError **error);

/* The command: argv[0] "diff", RUN_A, RUN_B.  Exit status as diff(1):
 * 0 the same, 1 different, 2 trouble. */
int diff_main(int argc, char **argv);

#endif
