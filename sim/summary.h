/* sim/summary.h: what a run tells about itself: summary.json's tree (the
 * scenario, its times and digest, every expectation's result, the
 * recorder's per-account and per-operation counts, aliases, unfinished
 * actors, warnings, the services' own stats, who saw what) and the summary
 * printed on the terminal from that tree. */
#ifndef CROSSIM_SUMMARY_H
#define CROSSIM_SUMMARY_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "sim/recorder.h"
#include "sim/run.h"
#include "sim/scenario.h"

/* summary.json of a finished run (a new tree). */
cJSON *summary_build(const scenario *s, const run_result *res, recorder *rec);
/* The terminal summary of r, as `crossim run` prints it. */
void   summary_print(FILE *out, const scenario *s, const run_opts *o, const run_result *r);

#endif
