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
 *     {"Records":[...]}, one per account per trail per region per 5-minute
 *     delivery window (a trail of many accounts: AWSLogs/<folder>/<account>/...,
 *     see rec_set_trails), written to a temporary name and renamed, so only
 *     whole files ever appear;
 *   - memory, without out_dir only (tests): rec_records.
 * Records are written as JSON text when submitted and stream to the sinks
 * as they are delivered: nothing else of them stays in memory (S2).  The
 * digest, the summary counters and who-saw-what are computed as they pass.
 * Every id (eventID, sharedEventID, file suffix) and every delay is drawn from
 * the recorder's own seeded streams. */
#ifndef CROSSIM_RECORDER_H
#define CROSSIM_RECORDER_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stdio.h>

#include "model/trail.h"
#include "sim/engine.h"

typedef enum rec_delay_kind { REC_DELAY_LOGNORMAL, REC_DELAY_FIXED, REC_DELAY_UNIFORM } rec_delay_kind;

typedef struct rec_delay {
    rec_delay_kind kind;
    int64_t median_us, p99_us;   /* lognormal */
    int64_t min_us, max_us;      /* uniform; max also caps lognormal draws */
    int64_t fixed_us;
} rec_delay;

/* AWS's documented behaviour: "within an average of about 5 minutes", no
 * guarantee; modelled as log-normal, median 4m20s, p99 14 min (mean about
 * 4.9 min), capped at 15 min (SPEC L7). */
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

/* What the review outputs need of one delivered record, all borrowed: the
 * strings account, op, event_source, event_name, arn, caller, identity_type,
 * error_code, error_message and decision are the recorder's own and stay
 * valid until rec_free; event_time, shared_id and text only during the
 * callback. */
typedef struct rec_row {
    const char *account;        /* the log it reached */
    guint       index;          /* its position in that log */
    int64_t     delivered_us;
    const char *event_time;     /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *op;             /* "ram:CreateResourceShare" */
    const char *event_source, *event_name;
    const char *arn;            /* userIdentity.arn, or NULL */
    const char *caller;         /* userIdentity arn, else accountId, else invokedBy; or NULL */
    const char *identity_type;  /* userIdentity.type, or NULL */
    const char *error_code;     /* NULL when the call succeeded */
    const char *error_message;  /* errorMessage, or NULL */
    const char *decision;       /* a denial's deciding layer and statement (beside the
                                   record, never in it: trail_event's decision), or NULL */
    const char *shared_id;      /* sharedEventID, or NULL */
    bool        service_event;
    const char *text;           /* the record's JSON text (without crossimDeliveryTime) */
} rec_row;

/* Creates the output folders (out_dir/trail, and AWSLogs with s3_layout).
 * Returns NULL with *error set when they cannot be made. */
recorder *rec_new(const rec_config *cfg, engine *e, GError **error);
void      rec_free(recorder *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(recorder, rec_free)

/* Takes ev; schedules one delivery per recipient. */
void      rec_submit(recorder *r, trail_event *ev);

/* Writes every delivered line still waiting in memory to its JSON Lines log
 * now (a live front flushes after each request, so that a killed server has
 * lost nothing it delivered).  false with *error on an I/O failure. */
bool      rec_flush(recorder *r, GError **error);

/* Delivers nothing more; flushes and closes every sink (the last S3 files
 * are written here).  false with *error on an I/O failure. */
bool      rec_finish(recorder *r, GError **error);

/* The accounts that received or made anything, ascending. Borrowed. */
GPtrArray *rec_accounts(recorder *r);
/* Without out_dir: the records delivered to account, in delivery order
 * (cJSON*, borrowed); NULL when none, and always NULL with out_dir. */
GPtrArray *rec_records(recorder *r, const char *account);
/* Without out_dir: delivery time (us since start) of account's i-th record. */
int64_t    rec_delivered_at(recorder *r, const char *account, guint i);
/* Calls fn on every record delivered to account, in delivery order, as
 * its own cJSON tree (the record alone, borrowed for the call): from memory
 * without out_dir, else read back from its JSON Lines log after rec_finish.
 * When reading back, want (if not NULL) first sees each line's text (the
 * record and its crossimDeliveryTime member, no newline) and returns false
 * for a line fn can do without: it is then never parsed.  false when a log
 * line cannot be read (*error set). */
typedef void (*rec_record_fn)(void *user, const cJSON *record, int64_t delivered_us);
typedef bool (*rec_want_fn)(void *user, const char *text, gsize len);
bool       rec_each_record(recorder *r, const char *account, rec_want_fn want,
                           rec_record_fn fn, void *user, GError **error);

/* Whether a record pattern's field path ("eventName", "resources[0].ARN",
 * "requestParameters.name") can name a field of a record this recorder
 * writes; if not, *suggest is the closest one that can (owned) or NULL. */
bool       rec_field_known(const char *path, char **suggest);

/* API calls submitted and records delivered so far, over all accounts. */
guint64    rec_calls(recorder *r);
guint64    rec_delivered(recorder *r);

/* SHA-256 (hex) over every delivered record in delivery order, each as the
 * account id, a newline and the exact line written to the JSON Lines sink.
 * Owned by the caller. */
char      *rec_digest(recorder *r);

/* Counters per account: calls made (API calls whose caller is the account),
 * records received, denied calls (AccessDenied*), errors by code, throttled
 * calls; and calls per operation.  A new object for summary.json. */
cJSON     *rec_summary(recorder *r);
/* {"svc:EventName": {"<account>": records received}}, both levels sorted.
 * A new object. */
cJSON     *rec_who_saw_what(recorder *r);

/* Registers the callback run for each record as it is delivered (after the
 * sinks have it): the timeline and live printing use it. */
typedef void (*rec_deliver_fn)(void *user, const rec_row *row);
void       rec_on_deliver(recorder *r, rec_deliver_fn fn, void *user);

/* One trail an account's records reach in the S3 layout.  folder: NULL for
 * the account's own trail (AWSLogs/<account>/...), else the folder a trail
 * of many accounts files them under (AWSLogs/<folder>/<account>/...; letters,
 * digits and dashes only, copied); data_types: the data events it takes, by
 * their trail_event data_type (char*, borrowed for the recorder's life, or
 * NULL: none), unless all_data: all of them. */
typedef struct rec_trail {
    const char      *folder;
    const GPtrArray *data_types;
    bool             all_data;
} rec_trail;
/* Appends to out (of rec_trail) the trails account's records reach. */
typedef void (*rec_trails_fn)(void *user, const char *account, GArray *out);
/* Registers the callback asked, once an account, which trails its records
 * reach; without it every account has one trail of its own, taking data
 * events (the model decides which data events an account logs at all). */
void       rec_set_trails(recorder *r, rec_trails_fn fn, void *user);

#endif
