/* tests/unit/host.h: a world host for unit tests.
 *
 * Keeps the world's pending happenings in a list and runs them in (time,
 * scheduling order) when a test advances the clock; collects the trail
 * events the world emits and the notifications it sends, for the test to
 * inspect.  Small on purpose: the real engine and recorder are tested on
 * their own; here a test wants to see exactly what a service did. */
#ifndef CROSSIM_TEST_HOST_H
#define CROSSIM_TEST_HOST_H

#include <glib.h>
#include <stdarg.h>

#include "model/api.h"

typedef struct test_host {
    world     *w;
    int64_t    now;        /* microseconds of simulated time */
    uint64_t   seq;
    GPtrArray *queue;      /* pending happenings, in scheduling order */
    GPtrArray *events;     /* trail_event*, as emitted */
    GPtrArray *notes;      /* cJSON* {"account", "kind", "payload"} */
} test_host;

/* Makes h the host of w (w is not owned). */
void test_host_init(test_host *h, world *w);
/* Frees the pending happenings, events and notes. */
void test_host_clear(test_host *h);
/* Runs every happening due up to `until` (microseconds), then sets the clock there. */
void test_host_run_until(test_host *h, int64_t until);
/* The same, `seconds` from now. */
void test_host_advance(test_host *h, int64_t seconds);

/* A string member of ev's userIdentity, read from its JSON text (a new
 * string; NULL when absent or ev is NULL). */
char *test_identity_member(const trail_event *ev, const char *member);

/* Runs action as p with input through api_invoke, keeping the output in
 * *out and the error in *err (both cleared first); returns the error code,
 * NULL on success.  Every test's call goes through here: an error is written
 * to the test log, and each call to the file CROSSIM_TEST_OPLOG names. */
const char *test_call(world *w, const principal *p, const char *action, const cJSON *in,
                      cJSON **out, api_error *err);
/* Runs action as p through api_invoke with the JSON input made from fmt
 * (printf style), keeping the output in *out and the error in *err (both
 * cleared first).  Returns the error code, NULL on success; an error is also
 * written to the test log. */
const char *test_host_vcall(test_host *h, const principal *p, const char *action, cJSON **out,
                            api_error *err, const char *fmt, va_list ap) G_GNUC_PRINTF(6, 0);

/* test_host_vcall with its arguments inline. */
const char *test_host_call(test_host *h, const principal *p, const char *action, cJSON **out,
                           api_error *err, const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* The member of v at path: names separated by dots, a number indexing an
 * array ("resourceShares.0.name"); NULL when absent. */
const cJSON *test_path(const cJSON *v, const char *path);
/* The string at path, or NULL. */
const char  *test_str(const cJSON *v, const char *path);

#endif
