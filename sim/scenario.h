/* sim/scenario.h: scenario files, validated whole before anything runs.
 *
 * scen_load reads a scenario file, checks every key and value (unknown keys
 * are errors, with a did-you-mean), compiles every policy document, builds
 * the world it describes and the actors' scripts.  Every error names the
 * file, line, column and JSON path:
 *   scenarios/x.json:14:22: actors[1].script[3].after: "10x" is not a
 *   duration (use 90s, 10m, 2h, 1d)
 * The format is documented in README.md ("Scenario format"). */
#ifndef CROSSIM_SCENARIO_H
#define CROSSIM_SCENARIO_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "model/world.h"
#include "sim/recorder.h"

typedef enum scen_step_kind {
    STEP_CALL,        /* call an API */
    STEP_WAIT_EVENT,  /* wait for a happening delivered to the actor's account */
    STEP_WAIT_POLL    /* call an API every interval until the response matches */
} scen_step_kind;

typedef struct scen_step {
    scen_step_kind kind;
    char       *path;            /* "actors[1].script[3]", for messages */
    int         line, col;
    bool        has_at;          /* at: absolute offset from start */
    int64_t     at_us;
    int64_t     after_us;        /* delay after the previous step (default 0) */
    char       *call;            /* "ram:CreateResourceShare" */
    cJSON      *input;           /* template, ${...} resolved at run time */
    char       *as;              /* principal override (template), or NULL */
    char       *save;            /* name for the response / happening (template) */
    char      **expect;          /* the outcomes that pass: "ok", error codes, "error"
                                    (any error), "timeout"; NULL-terminated, or NULL */
    char       *expect_text;     /* the same for messages: "A or B" */
    cJSON      *expect_output;   /* {"path": value}, checked on the response */
    GPtrArray  *spec;            /* char* SPEC ids the step's expectations pin */
    char       *wait;            /* happening kind, e.g. "ram:invitation" */
    cJSON      *match;           /* {"path": value} the happening must match */
    cJSON      *until;           /* poll: {"path": value} */
    int64_t     every_us;        /* poll or repeat interval */
    int64_t     timeout_us;
    int         repeat;          /* run the step this many times (>= 1) */
} scen_step;

typedef struct scen_actor {
    char      *name;             /* copies of a counted actor: "name-<i>" */
    char      *as;               /* principal ARN (template with ${i}) */
    int        count;
    GPtrArray *steps;            /* scen_step*, owned */
    char      *source_ip, *source_vpc, *source_vpce, *user_agent;
    char      *path;
} scen_actor;

/* Whether got ("ok", an error code or "timeout") is an outcome st expects;
 * false when it expects none. */
bool scen_expects(const scen_step *st, const char *got);

typedef enum scen_expect_kind { EXPECT_SEES, EXPECT_LACKS, EXPECT_COUNT } scen_expect_kind;

typedef struct scen_expect {
    scen_expect_kind kind;
    char      *path;             /* "expect[2]" */
    int        line, col;
    char      *account;          /* id (resolved from alias at load) */
    cJSON     *match;            /* {"dotted.path": value} over a record */
    int64_t    min, max;         /* EXPECT_COUNT; max < 0: unbounded */
    /* Across records, with "sees" only: */
    char      *same_event_in;    /* an account whose matching record shares sharedEventID */
    char      *before_account;   /* an account whose first match is delivered later... */
    cJSON     *before_match;     /* ...matching this */
    int64_t    lag_max_us, lag_min_us;   /* every match delivered within; max < 0: unbounded */
    GPtrArray *spec;
    char      *note;
} scen_expect;

typedef struct scenario {
    char      *file;
    char      *name, *description;
    char      *variant;          /* a sweep variant's label, or NULL */
    uint64_t   seed;             /* the file's seed or --seed: what the summary shows */
    uint64_t   streams;          /* every random stream's seed: from (seed, name, variant) */
    char      *region;
    int64_t    start_epoch_s;
    int64_t    until_us;         /* stop the clock here (default 30 days) */
    rec_delay  delay;
    world     *world;            /* built from the file; owned */
    GPtrArray *actors;           /* scen_actor*, owned */
    GPtrArray *expects;          /* scen_expect*, owned */
    GPtrArray *warnings;         /* char*, e.g. operations crossim does not simulate */
} scenario;

/* Loads and validates path.  seed_override, when non-NULL, replaces the
 * file's seed.  NULL with *error (one or more lines "file:line:col: path:
 * message") on any problem. */
scenario *scen_load(const char *path, const uint64_t *seed_override, GError **error);
/* The same from text in memory (path names it in messages): the fuzzers'
 * way in. */
scenario *scen_parse(const char *path, const char *text, gsize len, GError **error);
void      scen_free(scenario *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(scenario, scen_free)

/* Does a record match {"dotted.path": value, ...}?  A null value means the
 * field is absent or null; a string value containing '*' is a glob. */
bool      scen_match(const cJSON *record, const cJSON *match);

#endif
