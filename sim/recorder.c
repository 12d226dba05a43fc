/* sim/recorder.c: CloudTrail-like records, their copies and their delivery.
 *
 * Owns, per account: the JSON Lines buffer and file, the open S3 window, the
 * counters of the summary, and (memory sink only, without out_dir) the
 * delivered records.  A record is written as JSON text when its event is submitted
 * (json_append prints the model's trees as cJSON would) and delivered later
 * through the engine; every draw (eventID, sharedEventID, delay, file
 * suffix) comes from the recorder's streams, one per recipient account, so an
 * account's draws do not depend on how many other accounts exist.
 *
 * The JSONL line is the record plus one trailing member, crossimDeliveryTime
 * (when it reached the account); memory records and S3 files carry the
 * record alone.  Lines wait in per-account buffers until all of them hold
 * FLUSH_BYTES, then every waiting buffer is appended with write(2) and
 * freed, so memory stays bounded whatever the number of accounts and an
 * interrupted run leaves whole lines; S3 files are written under a
 * temporary name and renamed, so only whole files appear. */
#include "sim/recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "model/base/json.h"
#include "model/base/jload.h"
#include "model/base/rng.h"
#include "model/world.h"
#include "sim/arena.h"
#include "model/base/duration.h"
#include "sim/sha256.h"
#include "sim/wfile.h"

#define FLUSH_BYTES (16 * 1024 * 1024)     /* all accounts' waiting lines together */
#define WINDOW_US   (300LL * 1000000)      /* CloudTrail publishes about every 5 minutes */

/* A line waiting for the next write, cut from recorder.waiting. */
typedef struct span {
    struct span *next;
    gsize        len;
    char         text[];
} span;

/* An account's open S3 delivery window in one region: CloudTrail files a
 * record under the region it names (awsRegion), so IAM's calls in a
 * us-west-2 scenario land in .../CloudTrail/us-east-1/. */
typedef struct s3win {
    guint       trail;        /* index into the account's trails */
    const char *region;       /* interned */
    int64_t     window;       /* current window index, -1 none */
    GString    *text;         /* the window's records, comma-separated, or NULL */
} s3win;

typedef struct racct {
    char      *id;
    guint      idx;           /* creation order: who-saw-what keys */
    GPtrArray *records;       /* memory sink only: cJSON*, delivered order; else NULL */
    GArray    *delivered_at;  /* memory sink only: int64_t */
    span      *pending, *last;   /* lines not yet written (in recorder.waiting), or NULL */
    bool       opened;        /* the file was created (truncated) */
    bool       dirty;         /* in recorder.dirty */
    rng        ids, delays, files;   /* separate streams: S3 names never shift ids */
    GArray    *wins;          /* S3: s3win, one a trail and region its records go to; or NULL */
    GArray    *trails;        /* S3: rec_trail, the trails its records reach; or NULL */
    /* counters */
    gint64     calls, received, denied, throttled;
    GHashTable *errors;       /* code -> gint64*, made on the first error */
} racct;

/* What every copy of one event shares. */
typedef struct opcount { gint64 calls, errors; } opcount;

/* What every copy of one event shares.  Its strings are interned in the
 * recorder's own table (intern): codes, names and principals repeat across
 * millions of records, and an event then costs one allocation.  (GLib's
 * g_intern_string would leak its old quark blocks as the table grows.) */
typedef struct revent {
    gint        refs;
    char        event_time[21];
    guint       op;
    const char *error_code;
    const char *error_message;/* NULL when the call succeeded */
    const char *decision;     /* a denial's deciding layer and statement, or NULL */
    const char *caller;       /* the caller copy's row caller */
    const char *arn;          /* the caller copy's userIdentity.arn */
    const char *owner_caller; /* owner copies' row caller: the caller's account */
    const char *source, *name;
    const char *region;       /* awsRegion: the S3 layout's folder */
    const char *identity_type;
    char        shared[37];   /* "" when one copy */
    bool        service;
    const char *data;         /* a data event's resource type (interned): only trails
                                 that select it get it; NULL: a management event */
} revent;

struct recorder {
    rec_config  cfg;
    char       *out_dir, *region;
    engine     *e;
    GHashTable *accts;        /* id -> racct* */
    GPtrArray  *by_idx;       /* racct*, creation order */
    GHashTable *ops;          /* "prefix:Name" -> op index + 1 */
    GPtrArray  *op_names;     /* char*, by op index */
    GArray     *op_counts;    /* gint64[2] {calls, errors} by op index */
    GHashTable *seen;         /* (op << 32 | account idx) -> records, who-saw-what */
    GPtrArray  *dirty;        /* racct* with pending lines */
    gsize       pending_bytes;
    arena      *waiting;      /* the pending lines of every account, freed at each flush */
    slab       *deliveries;   /* delivery*, released as they are delivered */
    GArray     *iov;          /* struct iovec: one account's pending lines, for writev(2) */
    guint64     n_calls, n_delivered;
    sha256      digest;
    rng         shared;
    rec_deliver_fn on_deliver;
    void       *on_deliver_user;
    rec_trails_fn trails_fn;
    void       *trails_user;
    GError     *io_error;     /* first I/O failure, reported by rec_finish */
    GPtrArray  *sorted;       /* account ids, rebuilt on demand */
    GString    *line;         /* scratch for building records and lines */
    GHashTable *strings;      /* interned strings of events, owned */
};

typedef struct delivery {
    recorder *r;
    racct    *a;
    revent   *ev;
    gsize     len;
    bool      caller_copy;
    char      text[];         /* the record, JSON, NUL-terminated */
} delivery;

rec_delay rec_delay_default(void)
{
    /* AWS: CloudTrail "typically delivers logs within an average of about 5
     * minutes".  Log-normal with median 4m20s and 99th percentile 14m has a
     * mean of about 4.9 minutes, with the long tail capped at 15 minutes. */
    return (rec_delay){ .kind = REC_DELAY_LOGNORMAL, .median_us = 260LL * 1000000,
                        .p99_us = 840LL * 1000000, .max_us = 900LL * 1000000 };
}

static void acct_free(gpointer p)
{
    racct *a = p;
    g_free(a->id);
    if (a->records)
        g_ptr_array_unref(a->records);
    if (a->delivered_at)
        g_array_unref(a->delivered_at);
    for (guint i = 0; a->wins && i < a->wins->len; i++) {
        s3win *w = &g_array_index(a->wins, s3win, i);
        if (w->text)
            g_string_free(w->text, TRUE);
    }
    if (a->wins)
        g_array_unref(a->wins);
    if (a->trails)
        g_array_unref(a->trails);
    if (a->errors)
        g_hash_table_unref(a->errors);
    g_free(a);
}

static racct *get_acct(recorder *r, const char *id)
{
    racct *a = g_hash_table_lookup(r->accts, id);
    if (a)
        return a;
    a = g_new0(racct, 1);
    a->id = g_strdup(id);
    a->idx = r->by_idx->len;
    char stream[64];
    g_snprintf(stream, sizeof stream, "rec/ids/%s", id);
    rng_init(&a->ids, r->cfg.seed, stream);
    g_snprintf(stream, sizeof stream, "rec/delay/%s", id);
    rng_init(&a->delays, r->cfg.seed, stream);
    g_snprintf(stream, sizeof stream, "rec/s3/%s", id);
    rng_init(&a->files, r->cfg.seed, stream);
    if (!r->out_dir) {        /* the memory sink (tests) */
        a->records = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
        a->delivered_at = g_array_new(FALSE, FALSE, sizeof(int64_t));
    }
    g_hash_table_insert(r->accts, a->id, a);
    g_ptr_array_add(r->by_idx, a);
    g_clear_pointer(&r->sorted, g_ptr_array_unref);
    return a;
}

static bool make_dir(const char *path, GError **error)
{
    if (g_mkdir_with_parents(path, 0755) != 0) {
        int err = errno;
        g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err),
                    "cannot create %s: %s", path, g_strerror(err));
        return false;
    }
    return true;
}

recorder *rec_new(const rec_config *cfg, engine *e, GError **error)
{
    if (cfg->out_dir) {
        g_autofree char *trail = g_build_filename(cfg->out_dir, "trail", NULL);
        if (!make_dir(trail, error))
            return NULL;
    }
    recorder *r = g_new0(recorder, 1);
    r->cfg = *cfg;
    r->out_dir = g_strdup(cfg->out_dir);
    r->region = g_strdup(cfg->region ? cfg->region : "us-east-1");
    r->cfg.out_dir = r->out_dir;
    r->cfg.region = r->region;
    r->e = e;
    r->accts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, acct_free);
    r->by_idx = g_ptr_array_new();
    r->ops = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, NULL);
    r->op_names = g_ptr_array_new_with_free_func(g_free);
    r->op_counts = g_array_new(FALSE, TRUE, sizeof(opcount));
    r->seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
    r->dirty = g_ptr_array_new();
    sha256_init(&r->digest);
    r->line = g_string_sized_new(4096);
    r->waiting = arena_new(1 << 20);
    r->deliveries = slab_new(256 << 10);
    r->iov = g_array_new(FALSE, FALSE, sizeof(struct iovec));
    r->strings = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    rng_init(&r->shared, cfg->seed, "rec/shared");
    return r;
}

void rec_free(recorder *r)
{
    if (!r)
        return;
    g_hash_table_unref(r->accts);
    g_ptr_array_unref(r->by_idx);
    g_hash_table_unref(r->ops);
    g_ptr_array_unref(r->op_names);
    g_array_unref(r->op_counts);
    g_hash_table_unref(r->seen);
    g_ptr_array_unref(r->dirty);
    g_string_free(r->line, TRUE);
    g_array_unref(r->iov);
    arena_free(r->waiting);
    slab_free(r->deliveries);
    g_hash_table_unref(r->strings);
    if (r->sorted)
        g_ptr_array_unref(r->sorted);
    g_clear_error(&r->io_error);
    g_free(r->out_dir);
    g_free(r->region);
    g_free(r);
}

void rec_on_deliver(recorder *r, rec_deliver_fn fn, void *user)
{
    r->on_deliver = fn;
    r->on_deliver_user = user;
}

void rec_set_trails(recorder *r, rec_trails_fn fn, void *user)
{
    r->trails_fn = fn;
    r->trails_user = user;
}

/* ---- building records ---------------------------------------------------------- */

static void iso(const recorder *r, int64_t t_us, char out[21])
{
    json_iso_utc(r->cfg.start_epoch_s + t_us / 1000000, out);
}

static void revent_unref(revent *x)
{
    if (!x || --x->refs > 0)
        return;
    g_free(x);
}

/* ,"key": after an object's first member; key is a literal that needs no
 * escaping, so the text is made at compile time. */
#define MEMBER(o, key) JSON_APPEND_LIT((o), ",\"" key "\":")
#define MEMBER_STR(o, key, v) do { MEMBER(o, key); json_append_string((o), (v)); } while (0)
#define MEMBER_JSON(o, key, v) do { MEMBER(o, key); json_append((o), (v)); } while (0)
#define MEMBER_BOOL(o, key, v) do { MEMBER(o, key); \
        if (v) JSON_APPEND_LIT((o), "true"); else JSON_APPEND_LIT((o), "false"); } while (0)

static void owner_identity(GString *o, const trail_event *ev)
{
    g_string_append(o, "{\"type\":\"AWSAccount\",\"principalId\":");
    json_append_string(o, ev->caller_principal_id ? ev->caller_principal_id : "");
    g_string_append(o, ",\"accountId\":");
    json_append_string(o, ev->caller_account ? ev->caller_account : "");
    if (ev->invoked_by) {
        g_string_append(o, ",\"invokedBy\":");
        json_append_string(o, ev->invoked_by);
    }
    g_string_append_c(o, '}');
}

/* Every field path build() and the identity writers can put in a record
 * ("[]" for any list index); members under the four API-shaped objects are
 * the API's own and are not listed.  Keep in step with build(). */
static const char *const record_fields[] = {
    "eventVersion", "userIdentity", "userIdentity.type", "userIdentity.principalId",
    "userIdentity.arn", "userIdentity.accountId", "userIdentity.accessKeyId",
    "userIdentity.userName", "userIdentity.invokedBy", "userIdentity.sessionContext",
    "userIdentity.sessionContext.sessionIssuer", "userIdentity.sessionContext.sessionIssuer.type",
    "userIdentity.sessionContext.sessionIssuer.principalId",
    "userIdentity.sessionContext.sessionIssuer.arn",
    "userIdentity.sessionContext.sessionIssuer.accountId",
    "userIdentity.sessionContext.sessionIssuer.userName",
    "userIdentity.sessionContext.attributes", "userIdentity.sessionContext.attributes.creationDate",
    "userIdentity.sessionContext.attributes.mfaAuthenticated",
    "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent",
    "errorCode", "errorMessage", "requestParameters", "responseElements", "additionalEventData",
    "serviceEventDetails", "requestID", "eventID", "readOnly", "resources", "resources[]",
    "resources[].ARN", "resources[].accountId", "resources[].type", "eventType",
    "managementEvent", "recipientAccountId", "sharedEventID", "vpcEndpointId", "eventCategory",
    "tlsDetails", "tlsDetails.tlsVersion", "tlsDetails.cipherSuite",
    "tlsDetails.clientProvidedHostHeader",
    NULL,
};
static const char *const free_fields[] = { "requestParameters", "responseElements",
                                           "additionalEventData", "serviceEventDetails", NULL };

bool rec_field_known(const char *path, char **suggest)
{
    *suggest = NULL;
    GString *norm = g_string_new(NULL);
    for (const char *p = path; *p; p++) {
        if (*p == '[') {
            const char *q = p + 1;
            while (g_ascii_isdigit(*q))
                q++;
            if (*q == ']' && q > p + 1) {
                g_string_append(norm, "[]");
                p = q;
                continue;
            }
        }
        g_string_append_c(norm, *p);
    }
    bool ok = g_strv_contains(record_fields, norm->str);
    for (gsize i = 0; !ok && free_fields[i]; i++) {
        gsize n = strlen(free_fields[i]);
        ok = strncmp(norm->str, free_fields[i], n) == 0 && (norm->str[n] == '.' || norm->str[n] == '[');
    }
    if (!ok)
        *suggest = jload_suggest(norm->str, record_fields, g_strv_length((char **)record_fields));
    g_string_free(norm, TRUE);
    return ok;
}

/* The record of recipient i, as JSON text into o (emptied first); the
 * member order is CloudTrail's. */
static void build(GString *o, recorder *r, const trail_event *ev, guint i, const char *shared,
                  racct *a, const char *event_time)
{
    const char *recipient = ev->recipients->pdata[i];
    bool caller_copy = ev->kind == TRAIL_SERVICE_EVENT || i == 0;
    char id[37];
    g_string_assign(o, "{\"eventVersion\":\"1.11\",\"userIdentity\":");
    if (caller_copy)
        g_string_append(o, ev->user_identity ? ev->user_identity : "{}");
    else
        owner_identity(o, ev);
    MEMBER_STR(o, "eventTime", event_time);
    MEMBER_STR(o, "eventSource", ev->event_source);
    MEMBER_STR(o, "eventName", ev->event_name);
    MEMBER_STR(o, "awsRegion", ev->region ? ev->region : r->region);
    MEMBER_STR(o, "sourceIPAddress", ev->source_ip ? ev->source_ip : "AWS Internal");
    if (ev->user_agent)
        MEMBER_STR(o, "userAgent", ev->user_agent);
    if (ev->error_code) {
        MEMBER_STR(o, "errorCode", ev->error_code);
        MEMBER_STR(o, "errorMessage", ev->error_message ? ev->error_message : "");
    }
    MEMBER_JSON(o, "requestParameters", ev->request_parameters);
    MEMBER_JSON(o, "responseElements", ev->response_elements);
    if (ev->additional_data)
        MEMBER_JSON(o, "additionalEventData", ev->additional_data);
    if (ev->service_details)
        MEMBER_JSON(o, "serviceEventDetails", ev->service_details);
    if (ev->request_id[0])
        MEMBER_STR(o, "requestID", ev->request_id);
    rng_uuid(&a->ids, id);
    MEMBER_STR(o, "eventID", id);
    MEMBER_BOOL(o, "readOnly", ev->read_only);
    if (ev->resources)
        MEMBER_JSON(o, "resources", ev->resources);
    MEMBER_STR(o, "eventType", ev->kind == TRAIL_SERVICE_EVENT ? "AwsServiceEvent" : "AwsApiCall");
    MEMBER_BOOL(o, "managementEvent", ev->management && !ev->data_type);
    MEMBER_STR(o, "recipientAccountId", recipient);
    if (shared)
        MEMBER_STR(o, "sharedEventID", shared);
    if (ev->vpc_endpoint_id)
        MEMBER_STR(o, "vpcEndpointId", ev->vpc_endpoint_id);
    MEMBER_STR(o, "eventCategory", ev->data_type ? "Data" : "Management");
    if (ev->tls_host) {
        /* TLS 1.3 as the KMS Developer Guide's CloudTrail examples show it. */
        g_string_append(o, ",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\","
                           "\"cipherSuite\":\"TLS_AES_256_GCM_SHA384\",\"clientProvidedHostHeader\":");
        json_append_string(o, ev->tls_host);
        g_string_append_c(o, '}');
    }
    g_string_append_c(o, '}');
}

static int64_t draw_delay(const rec_delay *d, rng *g)
{
    switch (d->kind) {
    case REC_DELAY_FIXED:
        return d->fixed_us;
    case REC_DELAY_UNIFORM:
        return d->min_us + (int64_t)rng_below(g, (uint64_t)(d->max_us - d->min_us) + 1);
    case REC_DELAY_LOGNORMAL: {
        double v = rng_lognormal(g, (double)d->median_us, (double)d->p99_us);
        if (d->max_us > 0 && v > (double)d->max_us)
            v = (double)d->max_us;
        return (int64_t)v;
    }
    }
    return 0;
}

/* ---- sinks --------------------------------------------------------------------- */

static void io_fail(recorder *r, const char *what, const char *path, int err)
{
    if (!r->io_error)
        g_set_error(&r->io_error, G_FILE_ERROR, g_file_error_from_errno(err),
                    "cannot %s %s: %s", what, path, g_strerror(err));
}

/* The sinks' own guard: a log file is named only for a 12-digit account id,
 * whatever the model hands over, so nothing is written outside out_dir. */
static bool safe_name(recorder *r, const racct *a)
{
    if (world_is_account_id(a->id))
        return true;
    if (!r->io_error)
        g_set_error(&r->io_error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "refusing to write a log for \"%s\": not an account id", a->id);
    return false;
}

static void flush_jsonl(recorder *r, racct *a)
{
    a->dirty = false;
    if (!r->out_dir || (a->opened && !a->pending) || !safe_name(r, a)) {
        a->pending = a->last = NULL;       /* the spans go with the next arena_reset */
        return;
    }
    g_autofree char *name = g_strdup_printf("%s.jsonl", a->id);
    g_autofree char *path = g_build_filename(r->out_dir, "trail", name, NULL);
    int fd = open(path, O_WRONLY | O_CREAT | (a->opened ? O_APPEND : O_TRUNC) | O_CLOEXEC, 0644);
    if (fd < 0) {
        io_fail(r, "open", path, errno);
        a->pending = a->last = NULL;
        return;
    }
    a->opened = true;
    g_array_set_size(r->iov, 0);
    for (span *sp = a->pending; sp; sp = sp->next) {
        struct iovec v = { .iov_base = sp->text, .iov_len = sp->len };
        g_array_append_val(r->iov, v);
    }
    GError *e = NULL;
    if (!wfile_append_lines(fd, path, (struct iovec *)r->iov->data, (int)r->iov->len, &e)) {
        if (!r->io_error)
            r->io_error = e;
        else
            g_error_free(e);
    }
    if (close(fd) != 0)
        io_fail(r, "close", path, errno);
    a->pending = a->last = NULL;
}

/* Writes out every waiting line, in account creation order. */
static void flush_all(recorder *r)
{
    for (guint i = 0; i < r->dirty->len; i++)
        flush_jsonl(r, r->dirty->pdata[i]);
    g_ptr_array_set_size(r->dirty, 0);
    r->pending_bytes = 0;
    arena_reset(r->waiting);
}

/* A folder below AWSLogs/ that a trail names: letters, digits and dashes only,
 * so nothing a scenario declares can climb out of out_dir. */
static bool safe_folder(recorder *r, const char *folder)
{
    bool ok = *folder && strlen(folder) <= 64;
    for (const char *c = folder; ok && *c; c++)
        ok = g_ascii_isalnum(*c) || *c == '-';
    if (!ok && !r->io_error)
        g_set_error(&r->io_error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                    "refusing to write logs under \"%s\": not a folder name", folder);
    return ok;
}

static void flush_window(recorder *r, racct *a, s3win *win)
{
    if (win->window < 0 || !win->text || !win->text->len || !safe_name(r, a))
        return;
    const rec_trail *t = &g_array_index(a->trails, rec_trail, win->trail);
    if (t->folder && !safe_folder(r, t->folder))
        return;
    int64_t end_us = (win->window + 1) * WINDOW_US;
    GDateTime *dt = g_date_time_new_from_unix_utc(r->cfg.start_epoch_s + end_us / 1000000);
    g_autofree char *day = g_date_time_format(dt, "%Y/%m/%d");
    g_autofree char *stamp = g_date_time_format(dt, "%Y%m%dT%H%MZ");
    g_date_time_unref(dt);
    char uniq[17];
    rng_chars(&a->files, uniq, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    g_autofree char *dir = g_strdup_printf("%s/AWSLogs/%s%s%s/CloudTrail/%s/%s", r->out_dir,
                                           t->folder ? t->folder : "", t->folder ? "/" : "",
                                           a->id, win->region, day);
    g_autofree char *name = g_strdup_printf("%s_CloudTrail_%s_%s_%s.json.gz", a->id, win->region,
                                            stamp, uniq);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_string_prepend(win->text, "{\"Records\":[");
    g_string_append(win->text, "]}");
    GError *e = NULL;
    if (g_mkdir_with_parents(dir, 0755) != 0)
        io_fail(r, "create", dir, errno);
    else if (!wfile_write_gzip(path, win->text->str, win->text->len, &e)) {
        if (!r->io_error)
            r->io_error = e;
        else
            g_error_free(e);
    }
    g_string_free(win->text, TRUE);
    win->text = NULL;
}

static const char *intern(recorder *r, const char *s);

/* The trails account's records reach, asked of the model once. */
static const GArray *trails_of(recorder *r, racct *a)
{
    if (a->trails)
        return a->trails;
    a->trails = g_array_new(FALSE, FALSE, sizeof(rec_trail));
    if (r->trails_fn)
        r->trails_fn(r->trails_user, a->id, a->trails);
    else
        g_array_append_val(a->trails, ((rec_trail){ NULL, NULL, true }));
    for (guint i = 0; i < a->trails->len; i++) {
        rec_trail *t = &g_array_index(a->trails, rec_trail, i);
        if (t->folder)
            t->folder = intern(r, t->folder);
    }
    return a->trails;
}

/* The account's window for a trail and region, opened (no window yet) on first use. */
static s3win *window_of(racct *a, guint trail, const char *region)
{
    if (!a->wins)
        a->wins = g_array_new(FALSE, FALSE, sizeof(s3win));
    for (guint i = 0; i < a->wins->len; i++) {
        s3win *w = &g_array_index(a->wins, s3win, i);
        if (w->trail == trail && w->region == region)
            return w;
    }
    s3win w = { trail, region, -1, NULL };
    g_array_append_val(a->wins, w);
    return &g_array_index(a->wins, s3win, a->wins->len - 1);
}

static bool selects(const rec_trail *t, const char *type)
{
    for (guint i = 0; t->data_types && i < t->data_types->len; i++)
        if (strcmp(t->data_types->pdata[i], type) == 0)
            return true;
    return false;
}

/* Files a delivered record in the S3 layout of every trail that takes it. */
static void file_s3(recorder *r, racct *a, const delivery *d, int64_t now)
{
    const GArray *trails = trails_of(r, a);
    for (guint t = 0; t < trails->len; t++) {
        if (d->ev->data && !g_array_index(trails, rec_trail, t).all_data && !selects(&g_array_index(trails, rec_trail, t), d->ev->data))
            continue;
        s3win *win = window_of(a, t, d->ev->region);
        int64_t w = now / WINDOW_US;
        if (w != win->window) {
            flush_window(r, a, win);
            win->window = w;
        }
        if (!win->text)
            win->text = g_string_new(NULL);
        else
            g_string_append_c(win->text, ',');
        g_string_append_len(win->text, d->text, (gssize)d->len);
    }
}

static void deliver(engine *e, void *data)
{
    delivery *d = data;
    recorder *r = d->r;
    racct *a = d->a;
    int64_t now = engine_now(e);
    guint index = (guint)a->received++;
    r->n_delivered++;
    char t[21];
    iso(r, now, t);
    if (a->records) {
        g_array_append_val(a->delivered_at, now);
        g_ptr_array_add(a->records, cJSON_ParseWithLength(d->text, d->len));
    }
    /* The record's text with one member appended before the closing brace,
     * built where it waits for the write when there is a folder. */
    static const char member[] = ",\"crossimDeliveryTime\":\"";
    gsize len = d->len - 1 + (sizeof member - 1) + 20 + 3;
    span *sp = NULL;
    char *text;
    if (r->out_dir) {
        sp = arena_alloc(r->waiting, sizeof *sp + len);
        text = sp->text;
    } else {
        g_string_set_size(r->line, len);
        text = r->line->str;
    }
    char *w = text;
    memcpy(w, d->text, d->len - 1);
    w += d->len - 1;
    memcpy(w, member, sizeof member - 1);
    w += sizeof member - 1;
    memcpy(w, t, 20);
    w += 20;
    memcpy(w, "\"}\n", 3);
    sha256_update(&r->digest, a->id, strlen(a->id));
    sha256_update(&r->digest, "\n", 1);
    sha256_update(&r->digest, text, len);
    gint64 key = (gint64)d->ev->op << 32 | a->idx;
    gint64 *seen = g_hash_table_lookup(r->seen, &key);
    if (!seen) {
        seen = g_new0(gint64, 1);
        g_hash_table_insert(r->seen, g_memdup2(&key, sizeof key), seen);
    }
    (*seen)++;
    if (sp) {
        sp->next = NULL;
        sp->len = len;
        if (a->last)
            a->last->next = sp;
        else
            a->pending = sp;
        a->last = sp;
        r->pending_bytes += len;
        if (!a->dirty) {
            a->dirty = true;
            g_ptr_array_add(r->dirty, a);
        }
        if (r->pending_bytes >= FLUSH_BYTES)
            flush_all(r);
    }
    if (r->out_dir && r->cfg.s3_layout)
        file_s3(r, a, d, now);
    if (r->on_deliver) {
        const revent *x = d->ev;
        rec_row row = {
            .account = a->id, .index = index, .delivered_us = now, .event_time = x->event_time,
            .op = r->op_names->pdata[x->op], .error_code = x->error_code,
            .error_message = x->error_message, .decision = x->decision,
            .shared_id = x->shared[0] ? x->shared : NULL, .service_event = x->service,
            .text = d->text,
            .caller = d->caller_copy ? x->caller : x->owner_caller,
            .event_source = x->source, .event_name = x->name,
            .arn = d->caller_copy ? x->arn : NULL,
            .identity_type = d->caller_copy ? x->identity_type : "AWSAccount",
        };
        r->on_deliver(r->on_deliver_user, &row);
    }
}

static void delivery_free(void *data)
{
    delivery *d = data;
    revent_unref(d->ev);
    slab_release(d);
}

static guint op_index(recorder *r, const trail_event *ev)
{
    /* "prefix:Name", built without printf (this runs for every record). */
    char key[256];
    gsize np = MIN(strcspn(ev->event_source, "."), 120);
    gsize nn = MIN(strlen(ev->event_name), sizeof key - np - 2);
    memcpy(key, ev->event_source, np);
    key[np] = ':';
    memcpy(key + np + 1, ev->event_name, nn);
    key[np + 1 + nn] = '\0';
    gpointer v = g_hash_table_lookup(r->ops, key);
    if (v)
        return GPOINTER_TO_UINT(v) - 1;
    char *name = g_strdup(key);
    g_ptr_array_add(r->op_names, name);
    opcount zero = { 0, 0 };
    g_array_append_val(r->op_counts, zero);
    g_hash_table_insert(r->ops, name, GUINT_TO_POINTER(r->op_names->len));
    return r->op_names->len - 1;
}

/* s as a string the recorder keeps until it is freed (NULL stays NULL). */
static const char *intern(recorder *r, const char *s)
{
    if (!s)
        return NULL;
    const char *v = g_hash_table_lookup(r->strings, s);
    if (!v) {
        char *c = g_strdup(s);
        g_hash_table_add(r->strings, c);
        v = c;
    }
    return v;
}

void rec_submit(recorder *r, trail_event *ev)
{
    guint op = op_index(r, ev);
    if (ev->kind == TRAIL_API_CALL && ev->caller_account) {
        racct *c = get_acct(r, ev->caller_account);
        c->calls++;
        r->n_calls++;
        opcount *oc = &g_array_index(r->op_counts, opcount, op);
        oc->calls++;
        if (ev->error_code) {
            oc->errors++;
            if (!c->errors)
                c->errors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
            gint64 *n = g_hash_table_lookup(c->errors, ev->error_code);
            if (!n) {
                n = g_new0(gint64, 1);
                g_hash_table_insert(c->errors, g_strdup(ev->error_code), n);
            }
            (*n)++;
            if (ev->outcome == TRAIL_DENIED)
                c->denied++;
            if (ev->outcome == TRAIL_THROTTLED)
                c->throttled++;
        }
    }
    revent *x = g_new0(revent, 1);
    x->refs = 1;
    iso(r, ev->time_us, x->event_time);
    x->op = op;
    x->error_code = intern(r, ev->error_code);
    x->error_message = intern(r, ev->error_message);
    x->decision = intern(r, ev->decision);
    x->service = ev->kind == TRAIL_SERVICE_EVENT;
    x->data = ev->data_type ? intern(r, ev->data_type) : NULL;
    x->arn = intern(r, ev->identity_arn);
    x->caller = x->arn ? x->arn : intern(r, ev->invoked_by ? ev->invoked_by : ev->caller_account);
    x->identity_type = intern(r, ev->identity_type);
    x->owner_caller = intern(r, ev->caller_account ? ev->caller_account : "");
    x->source = intern(r, ev->event_source);
    x->name = intern(r, ev->event_name);
    x->region = intern(r, ev->region ? ev->region : r->region);
    bool has_shared = ev->recipients->len > 1;
    if (has_shared)
        rng_uuid(&r->shared, x->shared);
    for (guint i = 0; i < ev->recipients->len; i++) {
        racct *a = get_acct(r, ev->recipients->pdata[i]);
        build(r->line, r, ev, i, has_shared ? x->shared : NULL, a, x->event_time);
        delivery *d = slab_alloc(r->deliveries, sizeof *d + r->line->len + 1);
        memcpy(d->text, r->line->str, r->line->len + 1);
        d->len = r->line->len;
        d->r = r;
        d->a = a;
        d->ev = x;
        x->refs++;
        d->caller_copy = ev->kind == TRAIL_SERVICE_EVENT || i == 0;
        int64_t at = ev->time_us + draw_delay(&r->cfg.delay, &a->delays);
        engine_schedule(r->e, at, deliver, d, delivery_free);
    }
    revent_unref(x);
    trail_event_free(ev);
}

bool rec_flush(recorder *r, GError **error)
{
    flush_all(r);
    if (r->io_error) {
        g_propagate_error(error, r->io_error);
        r->io_error = NULL;
        return false;
    }
    return true;
}

bool rec_finish(recorder *r, GError **error)
{
    flush_all(r);
    GPtrArray *ids = rec_accounts(r);
    for (guint i = 0; i < ids->len; i++) {
        racct *a = g_hash_table_lookup(r->accts, ids->pdata[i]);
        if (a->received && !a->opened)
            flush_jsonl(r, a);
        for (guint k = 0; r->out_dir && r->cfg.s3_layout && a->wins && k < a->wins->len; k++)
            flush_window(r, a, &g_array_index(a->wins, s3win, k));
    }
    if (r->io_error) {
        g_propagate_error(error, r->io_error);
        r->io_error = NULL;
        return false;
    }
    return true;
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *rec_accounts(recorder *r)
{
    if (!r->sorted) {
        r->sorted = g_ptr_array_new();
        for (guint i = 0; i < r->by_idx->len; i++)
            g_ptr_array_add(r->sorted, ((racct *)r->by_idx->pdata[i])->id);
        g_ptr_array_sort(r->sorted, cmp_str);
    }
    return r->sorted;
}

GPtrArray *rec_records(recorder *r, const char *account)
{
    racct *a = account ? g_hash_table_lookup(r->accts, account) : NULL;
    return a && a->records && a->records->len ? a->records : NULL;
}

int64_t rec_delivered_at(recorder *r, const char *account, guint i)
{
    racct *a = g_hash_table_lookup(r->accts, account);
    g_return_val_if_fail(a && a->delivered_at && i < a->delivered_at->len, -1);
    return g_array_index(a->delivered_at, int64_t, i);
}

bool rec_each_record(recorder *r, const char *account, rec_want_fn want, rec_record_fn fn,
                     void *user, GError **error)
{
    racct *a = account ? g_hash_table_lookup(r->accts, account) : NULL;
    if (!a || !a->received)
        return true;
    if (a->records) {
        for (guint i = 0; i < a->records->len; i++)
            fn(user, a->records->pdata[i], g_array_index(a->delivered_at, int64_t, i));
        return true;
    }
    g_return_val_if_fail(r->out_dir && !a->pending, false);
    g_autofree char *name = g_strdup_printf("%s.jsonl", a->id);
    g_autofree char *path = g_build_filename(r->out_dir, "trail", name, NULL);
    g_autoptr(GMappedFile) f = g_mapped_file_new(path, FALSE, error);
    if (!f)
        return false;
    const char *p = g_mapped_file_get_contents(f), *end = p + g_mapped_file_get_length(f);
    while (p < end) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        gsize len = nl ? (gsize)(nl - p) : (gsize)(end - p);
        if (want && !want(user, p, len)) {
            p += len + 1;
            continue;
        }
        cJSON *rec = cJSON_ParseWithLength(p, len);
        if (!rec) {
            g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: a line is not JSON", path);
            return false;
        }
        int64_t epoch = r->cfg.start_epoch_s;
        time_parse_iso(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
            rec, "crossimDeliveryTime")), &epoch);
        cJSON_DeleteItemFromObjectCaseSensitive(rec, "crossimDeliveryTime");
        fn(user, rec, (epoch - r->cfg.start_epoch_s) * 1000000);
        cJSON_Delete(rec);
        p += len + 1;
    }
    return true;
}

guint64 rec_calls(recorder *r) { return r->n_calls; }
guint64 rec_delivered(recorder *r) { return r->n_delivered; }

char *rec_digest(recorder *r)
{
    char hex[65];
    sha256_hex(&r->digest, hex);
    return g_strdup(hex);
}

static GPtrArray *sorted_keys(GHashTable *h)
{
    GPtrArray *keys = g_ptr_array_new();
    GHashTableIter it;
    gpointer k;
    g_hash_table_iter_init(&it, h);
    while (g_hash_table_iter_next(&it, &k, NULL))
        g_ptr_array_add(keys, k);
    g_ptr_array_sort(keys, cmp_str);
    return keys;
}

cJSON *rec_summary(recorder *r)
{
    cJSON *s = cJSON_CreateObject();
    cJSON *accs = cJSON_AddObjectToObject(s, "accounts");
    GPtrArray *ids = rec_accounts(r);
    for (guint i = 0; i < ids->len; i++) {
        racct *a = g_hash_table_lookup(r->accts, ids->pdata[i]);
        cJSON *o = cJSON_AddObjectToObject(accs, a->id);
        cJSON_AddNumberToObject(o, "callsMade", (double)a->calls);
        cJSON_AddNumberToObject(o, "recordsReceived", (double)a->received);
        cJSON_AddNumberToObject(o, "deniedCalls", (double)a->denied);
        cJSON_AddNumberToObject(o, "throttledCalls", (double)a->throttled);
        cJSON *errs = cJSON_AddObjectToObject(o, "errors");
        if (!a->errors)
            continue;
        g_autoptr(GPtrArray) codes = sorted_keys(a->errors);
        for (guint k = 0; k < codes->len; k++)
            cJSON_AddNumberToObject(errs, codes->pdata[k],
                                    (double)*(gint64 *)g_hash_table_lookup(a->errors, codes->pdata[k]));
    }
    cJSON *ops = cJSON_AddObjectToObject(s, "operations");
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    for (guint k = 0; k < r->op_names->len; k++)
        if (g_array_index(r->op_counts, opcount, k).calls)
            g_ptr_array_add(names, r->op_names->pdata[k]);
    g_ptr_array_sort(names, cmp_str);
    for (guint k = 0; k < names->len; k++) {
        guint op = GPOINTER_TO_UINT(g_hash_table_lookup(r->ops, names->pdata[k])) - 1;
        const opcount *c = &g_array_index(r->op_counts, opcount, op);
        cJSON *o = cJSON_AddObjectToObject(ops, names->pdata[k]);
        cJSON_AddNumberToObject(o, "calls", (double)c->calls);
        cJSON_AddNumberToObject(o, "errors", (double)c->errors);
    }
    return s;
}

typedef struct seen_row { const char *op, *account; gint64 n; } seen_row;

static gint cmp_seen(gconstpointer a, gconstpointer b)
{
    const seen_row *x = a, *y = b;
    int c = strcmp(x->op, y->op);
    return c ? c : strcmp(x->account, y->account);
}

cJSON *rec_who_saw_what(recorder *r)
{
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(seen_row));
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, r->seen);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        gint64 key = *(gint64 *)k;
        seen_row x = { r->op_names->pdata[key >> 32],
                       ((racct *)r->by_idx->pdata[key & 0xFFFFFFFF])->id, *(gint64 *)v };
        g_array_append_val(rows, x);
    }
    g_array_sort(rows, cmp_seen);
    cJSON *out = cJSON_CreateObject(), *cur = NULL;
    const char *cur_op = NULL;
    for (guint i = 0; i < rows->len; i++) {
        const seen_row *x = &g_array_index(rows, seen_row, i);
        if (!cur_op || strcmp(cur_op, x->op) != 0) {
            cur = cJSON_AddObjectToObject(out, x->op);
            cur_op = x->op;
        }
        cJSON_AddNumberToObject(cur, x->account, (double)x->n);
    }
    return out;
}
