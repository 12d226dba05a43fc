/* sim/recorder.h: CloudTrail-like records, their recipients and delivery.
 *
 * The model hands the recorder trail_events (model/api.h).  For each
 * recipient account the recorder builds one CloudTrail record (the caller's
 * copy with the full userIdentity; another account's copy with an AWSAccount
 * identity; one sharedEventID across copies when there is more than one),
 * draws a delivery delay, and delivers it at event time + delay through the
 * engine.  Delivered records go to the sinks in delivery order:
 *   - DIR/trail/<account>.jsonl: one record a line, each line written whole;
 *   - with s3_layout, DIR/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
 *     <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<16 chars>.json.gz files of
 *     {"Records":[...]}, one per account per 5-minute delivery window, written
 *     to a temporary name and renamed, so only whole files ever appear;
 *   - memory (always), for expectations and tests.
 * Every id (eventID, sharedEventID, file suffix) and every delay is drawn from
 * the recorder's own seeded streams. */
#ifndef CROSSIM_RECORDER_H
#define CROSSIM_RECORDER_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "model/api.h"
#include "sim/engine.h"

typedef enum rec_delay_kind { REC_DELAY_LOGNORMAL, REC_DELAY_FIXED, REC_DELAY_UNIFORM } rec_delay_kind;

typedef struct rec_delay {
    rec_delay_kind kind;
    int64_t median_us, p99_us;   /* lognormal */
    int64_t min_us, max_us;      /* uniform; max also caps lognormal draws */
    int64_t fixed_us;
} rec_delay;

/* AWS's documented behaviour: typically about 5 minutes, no guarantee;
 * modelled as log-normal, median 2.5 min, p99 12 min, capped at 15 min. */
rec_delay rec_delay_default(void);

typedef struct rec_config {
    const char *out_dir;         /* NULL: memory only (tests) */
    bool        s3_layout;
    const char *region;
    int64_t     start_epoch_s;   /* Unix time of simulated time 0 */
    uint64_t    seed;
    rec_delay   delay;
    FILE       *live;            /* non-NULL: print a line per delivered record */
} rec_config;

typedef struct recorder recorder;

/* Creates the output folders (out_dir/trail, and AWSLogs with s3_layout).
 * Returns NULL with *error set when they cannot be made. */
recorder *rec_new(const rec_config *cfg, engine *e, GError **error);
void      rec_free(recorder *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(recorder, rec_free)

/* Takes ev; schedules one delivery per recipient. */
void      rec_submit(recorder *r, trail_event *ev);

/* Delivers nothing more; flushes and closes every sink (the last S3 files
 * are written here).  false with *error on an I/O failure. */
bool      rec_finish(recorder *r, GError **error);

/* The accounts that received or made anything, ascending. Borrowed. */
GPtrArray *rec_accounts(recorder *r);
/* The records delivered to account, in delivery order (cJSON*, borrowed);
 * NULL when none. */
GPtrArray *rec_records(recorder *r, const char *account);
/* Delivery time (us since start) of the i-th record of account. */
int64_t    rec_delivered_at(recorder *r, const char *account, guint i);

/* SHA-256 (hex) over every account's records in account order, each as the
 * exact line written to the JSON Lines sink. Owned by the caller. */
char      *rec_digest(recorder *r);

/* Counters per account: calls made (API calls whose caller is the account),
 * records received, denied calls (AccessDenied*), errors by code, throttled
 * calls; and calls per operation.  A new object for summary.json. */
cJSON     *rec_summary(recorder *r);

/* Registers the callback run for each record as it is delivered (after the
 * sinks have it): tests and live printing use it. */
typedef void (*rec_deliver_fn)(void *user, const char *account, const cJSON *record);
void       rec_on_deliver(recorder *r, rec_deliver_fn fn, void *user);

#endif
