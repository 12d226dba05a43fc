/* sim/bench.h: benchmark drivers behind `crossim bench` and `make bench`.
 *
 * Every figure is printed beside a baseline measured in the same process
 * (the engine against a bare array binary heap, compiled IAM evaluation
 * against evaluation from the uncompiled document), as a ratio, so figures
 * compare across machines.  Nothing here is a timed test. */
#ifndef CROSSIM_BENCH_H
#define CROSSIM_BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Engine: the hold model and PHOLD at 1e3, 1e5 and 1e6 pending events, each
 * beside a plain binary heap, plus bytes per pending event.  which is "hold",
 * "phold" or "engine" (both).  quick shrinks the sizes for a smoke test.
 * Returns 0, or 2 for an unknown name. */
int  bench_engine(FILE *out, const char *which, int quick);
/* IAM: evaluations per second, compiled vs uncompiled, for a realistic
 * request and a 500-statement policy set (sim/bench_iam.c). */
int  bench_iam(FILE *out, int quick);
/* Pipelines: the stress scenario's step jobs per second of wall time beside
 * the bare engine's events per second, and bytes per pending execution
 * (sim/bench_pipelines.c). */
int  bench_pipelines(FILE *out, int quick);
/* Recorded calls per second for three cheap calls beside the floor of
 * writing and hashing the same records (sim/bench_scale.c). */
int  bench_calls(FILE *out, int quick);
/* The invitation storm at 1k, 10k and 100k accounts: wall time, peak RSS,
 * bytes per account and growth per 10x (sim/bench_scale.c). */
int  bench_scale(FILE *out, int quick);
/* Requests per second crossim serve answers, signed and recorded, beside a
 * fixed-answer evhttp handler, both under wrk (sim/bench_serve.c). */
int  bench_serve(FILE *out, int quick);
/* Runs per second through `crossim sweep local -j 2` against the same runs
 * one after another in one process (sim/bench_sweep.c). */
int  bench_sweep(FILE *out, int quick);
/* The storm scenario as JSON text (n partners, `reads` reads each). */
char *bench_storm_scenario(unsigned n, unsigned reads);
/* The engine's events per second on the hold model at n pending, best of 3. */
double bench_hold_rate(size_t n, uint64_t ops);

#endif
