/* sim/actor.h: actors run their scripts in simulated time.
 *
 * An actor is one copy of a scenario actor: a principal, a script and a
 * position in it.  Each step runs when the engine reaches its time: a call
 * goes through model/api, a wait consumes a happening from the actor's
 * mailbox (or polls an API), and expectations on the step are checked as it
 * completes.  Happenings addressed to the actor's account are queued from the
 * start, so a wait never misses one that came early. */
#ifndef CROSSIM_ACTOR_H
#define CROSSIM_ACTOR_H

#include <cjson/cJSON.h>
#include <glib.h>

#include "model/world.h"
#include "sim/engine.h"
#include "sim/scenario.h"

/* One checked expectation: a step's or a scenario's. */
typedef struct check_result {
    char      *where;        /* "actors[1].script[3]" or "expect[0]" */
    char      *who;          /* actor copy name, or the account */
    int        line, col;
    GPtrArray *spec;         /* borrowed from the scenario */
    bool       ok;
    char      *message;      /* what was expected and what happened */
    int64_t    at_us;
} check_result;
void check_result_free(check_result *r);

/* What every actor shares with the run. */
typedef struct actor_env {
    world      *w;
    engine     *e;
    scenario   *s;
    GHashTable *saved;       /* name -> cJSON* (owned): the scenario's saved values */
    GPtrArray  *results;     /* check_result*, appended in completion order */
    GHashTable *principals;  /* "arn|session" -> principal* (owned) */
    uint64_t    steps_run;
    uint64_t    calls;
} actor_env;

typedef struct actor actor;

actor      *actor_new(actor_env *env, const scen_actor *def, int copy);
void        actor_free(actor *a);
/* Schedules the first step. */
void        actor_start(actor *a);
/* Queues a happening for the actor (payload copied) and wakes a matching wait. */
void        actor_deliver(actor *a, const char *kind, const cJSON *payload);
/* The same for a happening many actors share: one copy of the payload, each
 * actor holding a reference. */
typedef struct happening happening;
happening  *happening_new(const char *kind, const cJSON *payload);
void        happening_unref(happening *h);
void        actor_deliver_shared(actor *a, happening *h);
const char *actor_account(const actor *a);
const char *actor_name(const actor *a);
bool        actor_done(const actor *a);
/* A description of where an unfinished actor stopped, or NULL when done. */
char       *actor_stuck(const actor *a);

/* Resolves a ${...} reference for an actor copy (NULL actor: scenario level). */
const cJSON *actor_lookup(actor_env *env, const actor *a, const char *ref);

#endif
