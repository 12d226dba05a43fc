/* sim/recorder.c: CloudTrail-like records, their copies and their delivery.
 *
 * Owns, per account: the delivered records (memory), the JSON Lines buffer
 * and file, the open S3 window, and the counters of the summary.  Records
 * are built when an event is submitted and delivered later through the
 * engine; every draw (eventID, sharedEventID, delay, file suffix) comes from
 * the recorder's streams, one per recipient account, so an account's draws do
 * not depend on how many other accounts exist.
 *
 * The JSONL line is the record plus one trailing member, crossimDeliveryTime
 * (when it reached the account); memory records and S3 files carry the
 * record alone.  Lines are appended to a buffer flushed with write(2) only at
 * record boundaries, so an interrupted run leaves whole lines; S3 files are
 * written under a temporary name and renamed, so only whole files appear. */
#include "sim/recorder.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#define FLUSH_BYTES (64 * 1024)
#define WINDOW_US   (300LL * 1000000)      /* CloudTrail publishes about every 5 minutes */

typedef struct racct {
    char      *id;
    GPtrArray *records;       /* cJSON*, delivered order */
    GArray    *delivered_at;  /* int64_t */
    GString   *lines;         /* every line written, for the digest */
    GString   *pending;       /* not yet flushed to the file */
    bool       opened;        /* the file was created (truncated) */
    rng        ids, delays, files;   /* separate streams: S3 names never shift ids */
    int64_t    window;        /* S3: current window index, -1 none */
    GPtrArray *window_recs;   /* cJSON* borrowed from records */
    /* counters */
    gint64     calls, received, denied, throttled;
    GHashTable *errors;       /* code -> gint64* */
} racct;

struct recorder {
    rec_config  cfg;
    char       *out_dir, *region;
    engine     *e;
    GHashTable *accts;        /* id -> racct* */
    GHashTable *ops;          /* "prefix:Name" -> gint64[2] {calls, errors} */
    rng         shared;
    rec_deliver_fn on_deliver;
    void       *on_deliver_user;
    GError     *io_error;     /* first I/O failure, reported by rec_finish */
    GPtrArray  *sorted;       /* account ids, rebuilt on demand */
};

typedef struct delivery {
    recorder *r;
    char     *account;
    cJSON    *record;
} delivery;

rec_delay rec_delay_default(void)
{
    return (rec_delay){ .kind = REC_DELAY_LOGNORMAL, .median_us = 150LL * 1000000,
                        .p99_us = 720LL * 1000000, .max_us = 900LL * 1000000 };
}

static void acct_free(gpointer p)
{
    racct *a = p;
    g_free(a->id);
    g_ptr_array_unref(a->records);
    g_array_unref(a->delivered_at);
    g_string_free(a->lines, TRUE);
    g_string_free(a->pending, TRUE);
    g_ptr_array_unref(a->window_recs);
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
    a->records = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
    a->delivered_at = g_array_new(FALSE, FALSE, sizeof(int64_t));
    a->lines = g_string_new(NULL);
    a->pending = g_string_new(NULL);
    a->window = -1;
    a->window_recs = g_ptr_array_new();
    a->errors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autofree char *s1 = g_strdup_printf("rec/ids/%s", id);
    g_autofree char *s2 = g_strdup_printf("rec/delay/%s", id);
    rng_init(&a->ids, r->cfg.seed, s1);
    rng_init(&a->delays, r->cfg.seed, s2);
    g_autofree char *s3 = g_strdup_printf("rec/s3/%s", id);
    rng_init(&a->files, r->cfg.seed, s3);
    g_hash_table_insert(r->accts, a->id, a);
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
    r->ops = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    rng_init(&r->shared, cfg->seed, "rec/shared");
    return r;
}

void rec_free(recorder *r)
{
    if (!r)
        return;
    g_hash_table_unref(r->accts);
    g_hash_table_unref(r->ops);
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

/* ---- building records ---------------------------------------------------------- */

static void iso(const recorder *r, int64_t t_us, char out[21])
{
    GDateTime *dt = g_date_time_new_from_unix_utc(r->cfg.start_epoch_s + t_us / 1000000);
    char *s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
    g_strlcpy(out, s, 21);
    g_free(s);
    g_date_time_unref(dt);
}

static cJSON *dup_or_null(const cJSON *v)
{
    return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

static cJSON *owner_identity(const trail_event *ev)
{
    cJSON *u = cJSON_CreateObject();
    cJSON_AddStringToObject(u, "type", "AWSAccount");
    cJSON_AddStringToObject(u, "principalId", ev->caller_principal_id ? ev->caller_principal_id : "");
    cJSON_AddStringToObject(u, "accountId", ev->caller_account ? ev->caller_account : "");
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(ev->user_identity, "invokedBy");
    if (cJSON_IsString(by))
        cJSON_AddStringToObject(u, "invokedBy", by->valuestring);
    return u;
}

static cJSON *build(recorder *r, const trail_event *ev, guint i, const char *shared, racct *a)
{
    const char *recipient = ev->recipients->pdata[i];
    bool caller_copy = ev->kind == TRAIL_SERVICE_EVENT || i == 0;
    cJSON *o = cJSON_CreateObject();
    char t[21], id[37];
    cJSON_AddStringToObject(o, "eventVersion", "1.11");
    cJSON_AddItemToObject(o, "userIdentity",
                          caller_copy ? dup_or_null(ev->user_identity) : owner_identity(ev));
    iso(r, ev->time_us, t);
    cJSON_AddStringToObject(o, "eventTime", t);
    cJSON_AddStringToObject(o, "eventSource", ev->event_source);
    cJSON_AddStringToObject(o, "eventName", ev->event_name);
    cJSON_AddStringToObject(o, "awsRegion", ev->region ? ev->region : r->region);
    const char *ip = ev->source_ip;
    if (!ip)
        ip = ev->kind == TRAIL_SERVICE_EVENT ? "AWS Internal" : "AWS Internal";
    cJSON_AddStringToObject(o, "sourceIPAddress", ip);
    if (ev->user_agent)
        cJSON_AddStringToObject(o, "userAgent", ev->user_agent);
    if (ev->error_code) {
        cJSON_AddStringToObject(o, "errorCode", ev->error_code);
        cJSON_AddStringToObject(o, "errorMessage", ev->error_message ? ev->error_message : "");
    }
    cJSON_AddItemToObject(o, "requestParameters", dup_or_null(ev->request_parameters));
    cJSON_AddItemToObject(o, "responseElements", dup_or_null(ev->response_elements));
    if (ev->additional_data)
        cJSON_AddItemToObject(o, "additionalEventData", cJSON_Duplicate(ev->additional_data, 1));
    if (ev->service_details)
        cJSON_AddItemToObject(o, "serviceEventDetails", cJSON_Duplicate(ev->service_details, 1));
    if (ev->request_id[0])
        cJSON_AddStringToObject(o, "requestID", ev->request_id);
    rng_uuid(&a->ids, id);
    cJSON_AddStringToObject(o, "eventID", id);
    cJSON_AddBoolToObject(o, "readOnly", ev->read_only);
    if (ev->resources)
        cJSON_AddItemToObject(o, "resources", cJSON_Duplicate(ev->resources, 1));
    cJSON_AddStringToObject(o, "eventType",
                            ev->kind == TRAIL_SERVICE_EVENT ? "AwsServiceEvent" : "AwsApiCall");
    cJSON_AddBoolToObject(o, "managementEvent", ev->management && !ev->data_event);
    cJSON_AddStringToObject(o, "recipientAccountId", recipient);
    if (shared)
        cJSON_AddStringToObject(o, "sharedEventID", shared);
    if (ev->vpc_endpoint_id)
        cJSON_AddStringToObject(o, "vpcEndpointId", ev->vpc_endpoint_id);
    cJSON_AddStringToObject(o, "eventCategory", ev->data_event ? "Data" : "Management");
    return o;
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

static void flush_jsonl(recorder *r, racct *a)
{
    if (!r->out_dir || (!a->pending->len && a->opened))
        return;
    g_autofree char *name = g_strdup_printf("%s.jsonl", a->id);
    g_autofree char *path = g_build_filename(r->out_dir, "trail", name, NULL);
    int fd = open(path, O_WRONLY | O_CREAT | (a->opened ? O_APPEND : O_TRUNC) | O_CLOEXEC, 0644);
    if (fd < 0) {
        io_fail(r, "open", path, errno);
        return;
    }
    a->opened = true;
    const char *p = a->pending->str;
    gsize left = a->pending->len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            io_fail(r, "write", path, errno);
            break;
        }
        p += n;
        left -= (gsize)n;
    }
    if (close(fd) != 0)
        io_fail(r, "close", path, errno);
    g_string_truncate(a->pending, 0);
}

static bool gzip_to(const char *path, const char *text, gsize len, GError **error)
{
    g_autoptr(GZlibCompressor) z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
    g_autoptr(GFile) f = g_file_new_for_path(path);
    g_autoptr(GFileOutputStream) fos = g_file_replace(f, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
    if (!fos)
        return false;
    g_autoptr(GOutputStream) out = g_converter_output_stream_new(G_OUTPUT_STREAM(fos),
                                                                 G_CONVERTER(z));
    gsize written;
    if (!g_output_stream_write_all(out, text, len, &written, NULL, error))
        return false;
    return g_output_stream_close(out, NULL, error);
}

static void flush_window(recorder *r, racct *a)
{
    if (a->window < 0 || !a->window_recs->len)
        return;
    int64_t end_us = (a->window + 1) * WINDOW_US;
    GDateTime *dt = g_date_time_new_from_unix_utc(r->cfg.start_epoch_s + end_us / 1000000);
    g_autofree char *day = g_date_time_format(dt, "%Y/%m/%d");
    g_autofree char *stamp = g_date_time_format(dt, "%Y%m%dT%H%MZ");
    g_date_time_unref(dt);
    char uniq[17];
    rng_chars(&a->files, uniq, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    g_autofree char *dir = g_strdup_printf("%s/AWSLogs/%s/CloudTrail/%s/%s", r->out_dir, a->id,
                                           r->region, day);
    g_autofree char *name = g_strdup_printf("%s_CloudTrail_%s_%s_%s.json.gz", a->id, r->region,
                                            stamp, uniq);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autofree char *tmp = g_strdup_printf("%s.tmp", path);
    cJSON *body = cJSON_CreateObject();
    cJSON *recs = cJSON_AddArrayToObject(body, "Records");
    for (guint i = 0; i < a->window_recs->len; i++)
        cJSON_AddItemToArray(recs, cJSON_Duplicate(a->window_recs->pdata[i], 1));
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    GError *e = NULL;
    if (g_mkdir_with_parents(dir, 0755) != 0)
        io_fail(r, "create", dir, errno);
    else if (!gzip_to(tmp, text, strlen(text), &e)) {
        if (!r->io_error)
            r->io_error = e;
        else
            g_error_free(e);
    } else if (rename(tmp, path) != 0)
        io_fail(r, "rename", tmp, errno);
    cJSON_free(text);
    g_ptr_array_set_size(a->window_recs, 0);
}

static void deliver(engine *e, void *data)
{
    delivery *d = data;
    recorder *r = d->r;
    racct *a = get_acct(r, d->account);
    int64_t now = engine_now(e);
    cJSON *rec = g_steal_pointer(&d->record);
    g_ptr_array_add(a->records, rec);
    g_array_append_val(a->delivered_at, now);
    a->received++;

    char *body = cJSON_PrintUnformatted(rec);
    char t[21];
    iso(r, now, t);
    gsize start = a->lines->len;
    /* The record's text with one member appended before the closing brace. */
    g_string_append_len(a->lines, body, (gssize)strlen(body) - 1);
    g_string_append_printf(a->lines, ",\"crossimDeliveryTime\":\"%s\"}\n", t);
    cJSON_free(body);
    if (r->out_dir) {
        g_string_append_len(a->pending, a->lines->str + start, (gssize)(a->lines->len - start));
        if (a->pending->len >= FLUSH_BYTES)
            flush_jsonl(r, a);
    }
    if (r->out_dir && r->cfg.s3_layout) {
        int64_t w = now / WINDOW_US;
        if (w != a->window) {
            flush_window(r, a);
            a->window = w;
        }
        g_ptr_array_add(a->window_recs, rec);
    }
    if (r->on_deliver)
        r->on_deliver(r->on_deliver_user, a->id, rec);
}

static void delivery_free(void *data)
{
    delivery *d = data;
    g_free(d->account);
    cJSON_Delete(d->record);
    g_free(d);
}

static void count_op(recorder *r, const trail_event *ev)
{
    g_autofree char *prefix = g_strndup(ev->event_source, strcspn(ev->event_source, "."));
    g_autofree char *key = g_strdup_printf("%s:%s", prefix, ev->event_name);
    gint64 *c = g_hash_table_lookup(r->ops, key);
    if (!c) {
        c = g_new0(gint64, 2);
        g_hash_table_insert(r->ops, g_steal_pointer(&key), c);
    }
    c[0]++;
    if (ev->error_code)
        c[1]++;
}

static bool is_denied(const char *code)
{
    return g_str_has_prefix(code, "AccessDenied") || strcmp(code, "UnauthorizedOperation") == 0;
}

static bool is_throttled(const char *code)
{
    static const char *const codes[] = { "ThrottlingException", "Throttling",
                                         "TooManyRequestsException", "RequestLimitExceeded",
                                         "SlowDown" };
    for (gsize i = 0; i < G_N_ELEMENTS(codes); i++)
        if (strcmp(code, codes[i]) == 0)
            return true;
    return false;
}

void rec_submit(recorder *r, trail_event *ev)
{
    if (ev->kind == TRAIL_API_CALL && ev->caller_account) {
        racct *c = get_acct(r, ev->caller_account);
        c->calls++;
        count_op(r, ev);
        if (ev->error_code) {
            gint64 *n = g_hash_table_lookup(c->errors, ev->error_code);
            if (!n) {
                n = g_new0(gint64, 1);
                g_hash_table_insert(c->errors, g_strdup(ev->error_code), n);
            }
            (*n)++;
            if (is_denied(ev->error_code))
                c->denied++;
            if (is_throttled(ev->error_code))
                c->throttled++;
        }
    }
    char shared[37];
    bool has_shared = ev->recipients->len > 1;
    if (has_shared)
        rng_uuid(&r->shared, shared);
    for (guint i = 0; i < ev->recipients->len; i++) {
        racct *a = get_acct(r, ev->recipients->pdata[i]);
        delivery *d = g_new0(delivery, 1);
        d->r = r;
        d->account = g_strdup(a->id);
        d->record = build(r, ev, i, has_shared ? shared : NULL, a);
        int64_t at = ev->time_us + draw_delay(&r->cfg.delay, &a->delays);
        engine_schedule(r->e, at, deliver, d, delivery_free);
    }
    trail_event_free(ev);
}

bool rec_finish(recorder *r, GError **error)
{
    GPtrArray *ids = rec_accounts(r);
    for (guint i = 0; i < ids->len; i++) {
        racct *a = g_hash_table_lookup(r->accts, ids->pdata[i]);
        if (a->records->len)
            flush_jsonl(r, a);
        if (r->out_dir && r->cfg.s3_layout)
            flush_window(r, a);
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
        GHashTableIter it;
        gpointer k;
        g_hash_table_iter_init(&it, r->accts);
        while (g_hash_table_iter_next(&it, &k, NULL))
            g_ptr_array_add(r->sorted, k);
        g_ptr_array_sort(r->sorted, cmp_str);
    }
    return r->sorted;
}

GPtrArray *rec_records(recorder *r, const char *account)
{
    racct *a = account ? g_hash_table_lookup(r->accts, account) : NULL;
    return a && a->records->len ? a->records : NULL;
}

int64_t rec_delivered_at(recorder *r, const char *account, guint i)
{
    racct *a = g_hash_table_lookup(r->accts, account);
    g_return_val_if_fail(a && i < a->delivered_at->len, -1);
    return g_array_index(a->delivered_at, int64_t, i);
}

char *rec_digest(recorder *r)
{
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    GPtrArray *ids = rec_accounts(r);
    for (guint i = 0; i < ids->len; i++) {
        racct *a = g_hash_table_lookup(r->accts, ids->pdata[i]);
        g_checksum_update(c, (const guchar *)a->id, -1);
        g_checksum_update(c, (const guchar *)"\n", 1);
        g_checksum_update(c, (const guchar *)a->lines->str, (gssize)a->lines->len);
    }
    char *hex = g_strdup(g_checksum_get_string(c));
    g_checksum_free(c);
    return hex;
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
        g_autoptr(GPtrArray) codes = sorted_keys(a->errors);
        for (guint k = 0; k < codes->len; k++)
            cJSON_AddNumberToObject(errs, codes->pdata[k],
                                    (double)*(gint64 *)g_hash_table_lookup(a->errors, codes->pdata[k]));
    }
    cJSON *ops = cJSON_AddObjectToObject(s, "operations");
    g_autoptr(GPtrArray) names = sorted_keys(r->ops);
    for (guint k = 0; k < names->len; k++) {
        const gint64 *c = g_hash_table_lookup(r->ops, names->pdata[k]);
        cJSON *o = cJSON_AddObjectToObject(ops, names->pdata[k]);
        cJSON_AddNumberToObject(o, "calls", (double)c[0]);
        cJSON_AddNumberToObject(o, "errors", (double)c[1]);
    }
    return s;
}
