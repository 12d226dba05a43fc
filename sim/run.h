/* sim/run.h: one replay of a scenario, from a loaded file to its outputs.
 *
 * run_scenario wires the engine, the world (through its host), the recorder
 * and the actors; runs simulated time to the end (or paced against the wall
 * clock with libevent when speed > 0); checks every expectation; writes
 * summary.json; and fills a result for the terminal summary. */
#ifndef CROSSIM_RUN_H
#define CROSSIM_RUN_H

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "sim/scenario.h"

/* Where a run has got to, for a progress line. */
typedef struct run_progress {
    int64_t now_us;           /* simulated time reached */
    guint64 events, calls, records;
    bool    done;             /* the last call: the run has ended */
} run_progress;
typedef void (*run_tick_fn)(void *user, const run_progress *p);

typedef struct run_opts {
    const char *out_dir;      /* NULL: nothing written (tests) */
    bool        s3_layout;
    double      speed;        /* simulated seconds per wall second; 0 = flat out */
    FILE       *live;         /* print records as they are delivered, or NULL */
    run_tick_fn tick;         /* called every RUN_TICK_EVENTS events and at the end, or NULL */
    void       *tick_user;
    const char *sqlite;       /* also write every record into this SQLite file (replaced), or NULL */
    bool        exiting;      /* the process ends after this run: see run_keep_heap() */
} run_opts;

#define RUN_TICK_EVENTS 1024

typedef struct run_result {
    char      *digest;        /* SHA-256 over all logs */
    guint      passed, failed;
    GPtrArray *results;       /* check_result*, steps then scenario expectations */
    GPtrArray *stuck;         /* char*: actors that did not finish */
    cJSON     *summary;       /* what summary.json holds */
    GPtrArray *accounts;      /* char*: accounts with logs, ascending */
    int64_t    end_us;        /* simulated time at the end */
    guint64    events;        /* engine events fired */
} run_result;

void run_result_clear(run_result *r);

/* True when a process about to exit may leave its heap to the kernel
 * instead of freeing it piece by piece (at 100,000 accounts, freeing the
 * world and the recorder took a tenth of the run).  Never under a
 * sanitizer, so that leak checks still see every allocation, nor with
 * CROSSIM_FREE_AT_EXIT set (for valgrind). */
bool run_keep_heap(void);

/* The same run in steps, for a live front (sim/serve.c): open wires it and
 * starts the actors; advance fires every event up to until_us and moves the
 * clock there; flush writes what has been delivered; close finishes as
 * run_scenario does (expectations, summary.json, timeline) and frees the
 * session.  NULL with *error when the output folders cannot be made. */
typedef struct run_session run_session;
run_session *run_open(scenario *s, const run_opts *o, GError **error);
void         run_advance(run_session *r, int64_t until_us);
int64_t      run_now(const run_session *r);
bool         run_flush(run_session *r, GError **error);
void         run_counts(const run_session *r, run_progress *p);
bool         run_close(run_session *r, run_result *res, GError **error);

/* Runs s (which it uses up: the world is changed).  false with *error only on
 * an I/O failure; expectation failures are in r. */
bool run_scenario(scenario *s, const run_opts *o, run_result *r, GError **error);

#endif
