/* sim/engine.h: the simulated clock and the pending-event set.
 *
 * Time is an integer count of microseconds since the scenario's start.
 * Events fire in a total order: by time, then by the sequence number the
 * engine hands out when an event is scheduled (equal times pop FIFO).
 * The engine knows nothing about AWS; it calls back plain functions. */
#ifndef CROSSIM_ENGINE_H
#define CROSSIM_ENGINE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

typedef struct engine engine;
typedef void (*engine_fire_fn)(engine *e, void *data);

/* A new engine with the clock at 0 and nothing pending. Never NULL. */
engine  *engine_new(void);
/* Frees the engine and, for every event still pending, its data through the
 * free_data given at scheduling. NULL-safe. */
void     engine_free(engine *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(engine, engine_free)

/* Schedules fn(e, data) at absolute time at_us (clamped to now if earlier).
 * The engine owns data until the event fires or is cancelled: after fn
 * returns (or on cancel / engine_free) it calls free_data(data) if non-NULL.
 * Returns an id (never 0) usable with engine_cancel.  May be called from a
 * callback; the new event fires in this or a later pass per the order. */
uint64_t engine_schedule(engine *e, int64_t at_us, engine_fire_fn fn,
                         void *data, GDestroyNotify free_data);
/* Cancels a pending event. Returns false when the id is unknown, already
 * fired or already cancelled. Safe from inside callbacks. */
bool     engine_cancel(engine *e, uint64_t id);

int64_t  engine_now(const engine *e);
/* Number of events pending (cancelled ones excluded). */
size_t   engine_pending(const engine *e);
/* Time of the next pending event, or INT64_MAX when none. */
int64_t  engine_next_time(engine *e);
/* Pops and fires the next event; false when nothing is pending. */
bool     engine_step(engine *e);
/* Fires events while the next one is at or before until_us (INT64_MAX: all).
 * Returns the number fired. The clock ends at the last fired event's time. */
uint64_t engine_run(engine *e, int64_t until_us);
/* engine_run, then the clock moves on to until_us if it is not there yet
 * (a live front's clock, which moves without events).  Returns the events fired. */
uint64_t engine_advance_to(engine *e, int64_t until_us);
/* Bytes the engine holds per pending event (heap slot + event record), for
 * the memory figure in `crossim bench`. */
size_t   engine_bytes_per_event(void);

#endif
