/* tests/unit/test-recorder.c: CloudTrail records, their copies and delivery
 * (L1, L2, L4), the sinks and the digest. */
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "model/base/json.h"
#include "sim/recorder.h"

static const rec_delay fixed10 = { .kind = REC_DELAY_FIXED, .fixed_us = 10000000 };

static trail_event *call_event(int64_t t, const char *caller, const char *owner, const char *err)
{
    trail_event *ev = trail_event_new(TRAIL_API_CALL, "sts.amazonaws.com", "AssumeRole");
    ev->time_us = t;
    ev->user_identity = g_strdup(
        "{\"type\":\"AssumedRole\",\"principalId\":\"AROAX:s\",\"arn\":\"arn:aws:sts::222222222222:assumed-role/R/s\","
        "\"accountId\":\"222222222222\"}");
    ev->identity_type = "AssumedRole";
    ev->identity_arn = g_strdup("arn:aws:sts::222222222222:assumed-role/R/s");
    ev->caller_account = g_strdup(caller);
    ev->caller_principal_id = g_strdup("AROAX:s");
    ev->source_ip = g_strdup("203.0.113.10");
    ev->request_parameters = cJSON_Parse("{\"roleArn\":\"arn:aws:iam::111111111111:role/T\"}");
    g_strlcpy(ev->request_id, "11111111-1111-4111-8111-111111111111", sizeof ev->request_id);
    if (err) {
        trail_event_set_error(ev, err, "User: x is not authorized");
    }
    trail_event_add_recipient(ev, caller);
    trail_event_add_recipient(ev, owner);
    return ev;
}

static recorder *mk(engine *e, const char *dir, bool s3, rec_delay d, uint64_t seed)
{
    rec_config cfg = { .out_dir = dir, .s3_layout = s3, .region = "us-west-2",
                       .start_epoch_s = 1767603600, .seed = seed, .delay = d };
    GError *err = NULL;
    recorder *r = rec_new(&cfg, e, &err);
    g_assert_no_error(err);
    return r;
}

static const char *str(const cJSON *o, const char *path)
{
    const cJSON *v = o;
    g_auto(GStrv) parts = g_strsplit(path, ".", -1);
    for (int i = 0; parts[i] && v; i++)
        v = cJSON_GetObjectItemCaseSensitive(v, parts[i]);
    return cJSON_GetStringValue(v);
}

static void test_fields_L1(void)
{
    g_autoptr(engine) e = engine_new();
    g_autoptr(recorder) r = mk(e, NULL, false, fixed10, 1);
    rec_submit(r, call_event(5000000, "222222222222", "222222222222", "AccessDenied"));
    engine_run(e, INT64_MAX);
    GPtrArray *recs = rec_records(r, "222222222222");
    g_assert_nonnull(recs);
    g_assert_cmpuint(recs->len, ==, 1);      /* caller = owner: one record */
    const cJSON *rec = recs->pdata[0];
    static const char *const order[] = { "eventVersion", "userIdentity", "eventTime", "eventSource",
        "eventName", "awsRegion", "sourceIPAddress", "errorCode", "errorMessage",
        "requestParameters", "responseElements", "requestID", "eventID", "readOnly",
        "eventType", "managementEvent", "recipientAccountId", "eventCategory", NULL };
    const cJSON *f = rec->child;
    for (int i = 0; order[i]; i++, f = f ? f->next : NULL)
        g_assert_cmpstr(f ? f->string : "(end)", ==, order[i]);
    g_assert_cmpstr(str(rec, "eventVersion"), ==, "1.11");
    g_assert_cmpstr(str(rec, "eventTime"), ==, "2026-01-05T09:00:05Z");
    g_assert_cmpstr(str(rec, "errorCode"), ==, "AccessDenied");
    g_assert_cmpstr(str(rec, "eventType"), ==, "AwsApiCall");
    g_assert_cmpstr(str(rec, "eventCategory"), ==, "Management");
    g_assert_cmpstr(str(rec, "userIdentity.type"), ==, "AssumedRole");
    g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(rec, "responseElements")));
    g_assert_null(cJSON_GetObjectItem(rec, "sharedEventID"));
    g_assert_true(g_regex_match_simple("^[0-9a-f-]{36}$", str(rec, "eventID"), 0, 0));
    cJSON *sum = rec_summary(r);
    const cJSON *a = cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "accounts"), "222222222222");
    g_assert_cmpint(cJSON_GetObjectItem(a, "callsMade")->valueint, ==, 1);
    g_assert_cmpint(cJSON_GetObjectItem(a, "deniedCalls")->valueint, ==, 1);
    g_assert_cmpint(cJSON_GetObjectItem(cJSON_GetObjectItem(a, "errors"), "AccessDenied")->valueint, ==, 1);
    g_assert_nonnull(cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "operations"), "sts:AssumeRole"));
    cJSON_Delete(sum);
}

static void test_owner_copy_L2(void)
{
    g_autoptr(engine) e = engine_new();
    g_autoptr(recorder) r = mk(e, NULL, false, fixed10, 1);
    rec_submit(r, call_event(0, "222222222222", "111111111111", NULL));
    engine_run(e, INT64_MAX);
    const cJSON *mine = g_ptr_array_index(rec_records(r, "222222222222"), 0);
    const cJSON *theirs = g_ptr_array_index(rec_records(r, "111111111111"), 0);
    g_assert_cmpstr(str(mine, "userIdentity.type"), ==, "AssumedRole");
    g_assert_cmpstr(str(theirs, "userIdentity.type"), ==, "AWSAccount");
    g_assert_cmpstr(str(theirs, "userIdentity.accountId"), ==, "222222222222");
    g_assert_cmpstr(str(theirs, "userIdentity.principalId"), ==, "AROAX:s");
    g_assert_null(str(theirs, "userIdentity.arn"));
    g_assert_cmpstr(str(mine, "recipientAccountId"), ==, "222222222222");
    g_assert_cmpstr(str(theirs, "recipientAccountId"), ==, "111111111111");
    g_assert_nonnull(str(mine, "sharedEventID"));
    g_assert_cmpstr(str(mine, "sharedEventID"), ==, str(theirs, "sharedEventID"));
    g_assert_cmpstr(str(mine, "eventID"), !=, str(theirs, "eventID"));
    /* The owner did not make the call. */
    cJSON *sum = rec_summary(r);
    const cJSON *o = cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "accounts"), "111111111111");
    g_assert_cmpint(cJSON_GetObjectItem(o, "callsMade")->valueint, ==, 0);
    g_assert_cmpint(cJSON_GetObjectItem(o, "recordsReceived")->valueint, ==, 1);
    cJSON_Delete(sum);
}

static void test_delivery_L4(void)
{
    g_autoptr(engine) e = engine_new();
    rec_delay uni = { .kind = REC_DELAY_UNIFORM, .min_us = 60000000, .max_us = 300000000 };
    g_autoptr(recorder) r = mk(e, NULL, false, uni, 3);
    for (int i = 0; i < 50; i++)
        rec_submit(r, call_event((int64_t)i * 1000000, "222222222222", "222222222222", NULL));
    engine_run(e, 59999999);
    g_assert_null(rec_records(r, "222222222222"));       /* nothing before the minimum delay */
    engine_run(e, INT64_MAX);
    GPtrArray *recs = rec_records(r, "222222222222");
    g_assert_cmpuint(recs->len, ==, 50);
    int64_t prev = 0;
    bool reordered = false;
    for (guint i = 0; i < recs->len; i++) {
        int64_t at = rec_delivered_at(r, "222222222222", i);
        g_assert_cmpint(at, >=, prev);                   /* logs are in delivery order */
        prev = at;
        GDateTime *dt = g_date_time_new_from_iso8601(str(recs->pdata[i], "eventTime"), NULL);
        int64_t ev_us = (g_date_time_to_unix(dt) - 1767603600) * 1000000;
        g_date_time_unref(dt);
        g_assert_cmpint(at - ev_us, >=, 60000000 - 1000000);
        g_assert_cmpint(at - ev_us, <=, 300000000);
        if (i && strcmp(str(recs->pdata[i], "eventTime"), str(recs->pdata[i - 1], "eventTime")) < 0)
            reordered = true;
    }
    g_assert_true(reordered);     /* delays differ, so event order and delivery order differ */
}

/* The default delay averages about 5 minutes, as AWS documents ("within an
 * average of about 5 minutes"), never passes 15 minutes, and varies. */
static void test_default_delay_mean(void)
{
    g_autoptr(engine) e = engine_new();
    g_autoptr(recorder) r = mk(e, NULL, false, rec_delay_default(), 11);
    const int n = 4000;
    for (int i = 0; i < n; i++)
        rec_submit(r, call_event((int64_t)i * 1000000, "222222222222", "111111111111", NULL));
    engine_run(e, INT64_MAX);
    GPtrArray *recs = rec_records(r, "222222222222");
    g_assert_cmpuint(recs->len, ==, (guint)n);
    double sum = 0;
    int64_t lo = INT64_MAX, hi = 0;
    for (guint i = 0; i < recs->len; i++) {
        GDateTime *dt = g_date_time_new_from_iso8601(str(recs->pdata[i], "eventTime"), NULL);
        int64_t ev_us = (g_date_time_to_unix(dt) - 1767603600) * 1000000;
        g_date_time_unref(dt);
        int64_t lag = rec_delivered_at(r, "222222222222", i) - ev_us;
        sum += (double)lag;
        lo = MIN(lo, lag);
        hi = MAX(hi, lag);
    }
    double mean_min = sum / n / 60e6;
    g_test_message("mean %.2f min, min %.1f s, max %.1f s", mean_min, lo / 1e6, hi / 1e6);
    g_assert_cmpfloat(mean_min, >, 4.5);
    g_assert_cmpfloat(mean_min, <, 5.5);
    g_assert_cmpint(hi, <=, 900LL * 1000000 + 1000000);
    g_assert_cmpint(lo, <, 120LL * 1000000);
}

static char *digest_of(uint64_t seed, rec_delay d)
{
    g_autoptr(engine) e = engine_new();
    g_autoptr(recorder) r = mk(e, NULL, false, d, seed);
    for (int i = 0; i < 20; i++)
        rec_submit(r, call_event((int64_t)i * 7000000, "222222222222", "111111111111", NULL));
    engine_run(e, INT64_MAX);
    return rec_digest(r);
}

static void test_determinism(void)
{
    g_autofree char *a = digest_of(5, rec_delay_default());
    g_autofree char *b = digest_of(5, rec_delay_default());
    g_autofree char *c = digest_of(6, rec_delay_default());
    g_assert_cmpstr(a, ==, b);
    g_assert_cmpstr(a, !=, c);
    g_assert_cmpuint(strlen(a), ==, 64);
}

static void rm_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
        g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
        const char *n;
        while ((n = g_dir_read_name(d))) {
            g_autofree char *p = g_build_filename(path, n, NULL);
            rm_tree(p);
        }
        g_rmdir(path);
    } else {
        g_unlink(path);
    }
}

static char *gunzip(const char *path)
{
    g_autoptr(GFile) f = g_file_new_for_path(path);
    g_autoptr(GFileInputStream) in = g_file_read(f, NULL, NULL);
    g_assert_nonnull(in);
    g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);
    g_autoptr(GInputStream) cin = g_converter_input_stream_new(G_INPUT_STREAM(in), G_CONVERTER(z));
    GString *s = g_string_new(NULL);
    char buf[4096];
    gssize n;
    while ((n = g_input_stream_read(cin, buf, sizeof buf, NULL, NULL)) > 0)
        g_string_append_len(s, buf, n);
    return g_string_free(s, FALSE);
}

static void test_sinks(void)
{
    g_autofree char *dir = g_dir_make_tmp("crossim-rec-XXXXXX", NULL);
    {
        g_autoptr(engine) e = engine_new();
        g_autoptr(recorder) r = mk(e, dir, true, fixed10, 1);
        for (int i = 0; i < 30; i++)      /* spans several 5-minute windows */
            rec_submit(r, call_event((int64_t)i * 30000000, "222222222222", "111111111111", NULL));
        engine_run(e, INT64_MAX);
        GError *err = NULL;
        g_assert_true(rec_finish(r, &err));
        g_assert_no_error(err);
    }
    g_autofree char *jl = g_build_filename(dir, "trail", "111111111111.jsonl", NULL);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(jl, &text, NULL, NULL));
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 31);        /* 30 lines and the final "" */
    for (int i = 0; i < 30; i++) {
        g_autoptr(cJSON) o = cJSON_Parse(lines[i]);
        g_assert_nonnull(o);
        g_assert_nonnull(str(o, "crossimDeliveryTime"));
    }
    g_autofree char *day = g_build_filename(dir, "AWSLogs", "111111111111", "CloudTrail",
                                            "us-west-2", "2026", "01", "05", NULL);
    g_autoptr(GDir) d = g_dir_open(day, 0, NULL);
    g_assert_nonnull(d);
    const char *n;
    int files = 0, records = 0;
    while (d && (n = g_dir_read_name(d))) {
        g_assert_true(g_regex_match_simple(
            "^111111111111_CloudTrail_us-west-2_20260105T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$", n, 0, 0));
        g_autofree char *p = g_build_filename(day, n, NULL);
        g_autofree char *body = gunzip(p);
        g_autoptr(cJSON) o = cJSON_Parse(body);
        g_assert_true(cJSON_IsArray(cJSON_GetObjectItem(o, "Records")));
        records += cJSON_GetArraySize(cJSON_GetObjectItem(o, "Records"));
        g_assert_null(strstr(body, "crossimDeliveryTime"));
        files++;
    }
    g_assert_cmpint(records, ==, 30);
    g_assert_cmpint(files, >=, 3);
    rm_tree(dir);
}

/* L5/L6, the S3 layout: CloudTrail files a record under the region it
 * names; IAM's calls (awsRegion us-east-1, IAM being global) made in a
 * us-west-2 scenario land in .../CloudTrail/us-east-1/ files named so. */
static void test_s3_region_folders(void)
{
    g_autofree char *dir = g_dir_make_tmp("crossim-rec-XXXXXX", NULL);
    {
        g_autoptr(engine) e = engine_new();
        g_autoptr(recorder) r = mk(e, dir, true, fixed10, 1);
        for (int i = 0; i < 4; i++) {
            trail_event *ev = call_event((int64_t)i * 1000000, "222222222222", "222222222222", NULL);
            if (i % 2)
                ev->region = g_strdup("us-east-1");
            rec_submit(r, ev);
        }
        engine_run(e, INT64_MAX);
        g_assert_true(rec_finish(r, NULL));
    }
    const char *regions[] = { "us-west-2", "us-east-1" };
    for (int k = 0; k < 2; k++) {
        g_autofree char *day = g_build_filename(dir, "AWSLogs", "222222222222", "CloudTrail",
                                                regions[k], "2026", "01", "05", NULL);
        g_autoptr(GDir) d = g_dir_open(day, 0, NULL);
        g_assert_nonnull(d);
        const char *n;
        int records = 0;
        g_autofree char *pattern = g_strdup_printf(
            "^222222222222_CloudTrail_%s_20260105T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$", regions[k]);
        while ((n = g_dir_read_name(d))) {
            g_assert_true(g_regex_match_simple(pattern, n, 0, 0));
            g_autofree char *p = g_build_filename(day, n, NULL);
            g_autofree char *body = gunzip(p);
            g_autoptr(cJSON) o = cJSON_Parse(body);
            const cJSON *rec;
            cJSON_ArrayForEach(rec, cJSON_GetObjectItem(o, "Records")) {
                g_assert_cmpstr(str(rec, "awsRegion"), ==, regions[k]);
                records++;
            }
        }
        g_assert_cmpint(records, ==, 2);
    }
    rm_tree(dir);
}

/* Counts the records of the files in one S3 layout day folder (0 when absent). */
static int day_records(const char *day)
{
    g_autoptr(GDir) d = g_dir_open(day, 0, NULL);
    const char *n;
    int records = 0;
    while (d && (n = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(day, n, NULL);
        g_autofree char *body = gunzip(p);
        g_autoptr(cJSON) o = cJSON_Parse(body);
        records += cJSON_GetArraySize(cJSON_GetObjectItem(o, "Records"));
    }
    return records;
}

/* 222222222222 has a trail of its own taking management events only and is
 * covered by an organization trail that takes data events too. */
static void two_trails(void *user, const char *account, GArray *out)
{
    const char *folder = user;
    if (strcmp(account, "222222222222") == 0)
        g_array_append_val(out, ((rec_trail){ NULL, NULL, false }));
    g_array_append_val(out, ((rec_trail){ folder, NULL, true }));
}

/* L6: a record reaches every trail of its account that takes it, each in its
 * own folder (an organization trail's under AWSLogs/<org-id>/<account>/);
 * a data event only the trails that take data events. */
static void test_s3_trail_folders(void)
{
    g_autofree char *dir = g_dir_make_tmp("crossim-rec-XXXXXX", NULL);
    {
        g_autoptr(engine) e = engine_new();
        g_autoptr(recorder) r = mk(e, dir, true, fixed10, 1);
        rec_set_trails(r, two_trails, "o-a1b2c3d4e5");
        for (int i = 0; i < 4; i++) {
            trail_event *ev = call_event((int64_t)i * 1000000, "222222222222", "222222222222", NULL);
            ev->data_type = i == 3 ? "AWS::S3::Object" : NULL;
            rec_submit(r, ev);
        }
        engine_run(e, INT64_MAX);
        g_assert_true(rec_finish(r, NULL));
    }
    g_autofree char *own = g_build_filename(dir, "AWSLogs", "222222222222", "CloudTrail",
                                            "us-west-2", "2026", "01", "05", NULL);
    g_autofree char *org = g_build_filename(dir, "AWSLogs", "o-a1b2c3d4e5", "222222222222",
                                            "CloudTrail", "us-west-2", "2026", "01", "05", NULL);
    g_assert_cmpint(day_records(own), ==, 3);
    g_assert_cmpint(day_records(org), ==, 4);
    rm_tree(dir);
}

/* A trail folder that could leave out_dir is refused, and nothing is written
 * for it. */
static void test_s3_unsafe_folder(void)
{
    g_autofree char *dir = g_dir_make_tmp("crossim-rec-XXXXXX", NULL);
    {
        g_autoptr(engine) e = engine_new();
        g_autoptr(recorder) r = mk(e, dir, true, fixed10, 1);
        rec_set_trails(r, two_trails, "../../escape");
        rec_submit(r, call_event(0, "111111111111", "111111111111", NULL));
        engine_run(e, INT64_MAX);
        GError *err = NULL;
        g_assert_false(rec_finish(r, &err));
        g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL);
        g_error_free(err);
    }
    g_autofree char *up = g_build_filename(dir, "..", "escape", NULL);
    g_assert_false(g_file_test(up, G_FILE_TEST_EXISTS));
    g_autofree char *logs = g_build_filename(dir, "AWSLogs", NULL);
    g_autoptr(GDir) d = g_dir_open(logs, 0, NULL);
    g_assert_null(d ? g_dir_read_name(d) : NULL);
    rm_tree(dir);
}

static void test_service_event(void)
{
    g_autoptr(engine) e = engine_new();
    g_autoptr(recorder) r = mk(e, NULL, false, fixed10, 1);
    trail_event *ev = trail_event_new(TRAIL_SERVICE_EVENT, "ram.amazonaws.com", "ResourceShareInvitationExpired");
    trail_event_set_service_identity(ev, "ram.amazonaws.com");
    ev->service_details = cJSON_Parse("{\"status\":\"EXPIRED\"}");
    trail_event_add_recipient(ev, "111111111111");
    trail_event_add_recipient(ev, "222222222222");
    rec_submit(r, ev);
    engine_run(e, INT64_MAX);
    const cJSON *a = g_ptr_array_index(rec_records(r, "111111111111"), 0);
    const cJSON *b = g_ptr_array_index(rec_records(r, "222222222222"), 0);
    g_assert_cmpstr(str(a, "eventType"), ==, "AwsServiceEvent");
    g_assert_cmpstr(str(b, "userIdentity.type"), ==, "AWSService");   /* no AWSAccount copy */
    g_assert_cmpstr(str(a, "serviceEventDetails.status"), ==, "EXPIRED");
}

/* A recipient that is not an account id never becomes a file name: the
 * model drops it, and the sinks refuse it if anything hands one over. */
/* L5, CloudTrail record contents: a client's call to an endpoint carries
 * tlsDetails (TLS version, cipher suite, the host it called), last in the
 * record as CloudTrail writes it, in every copy; without a host, none. */
static void test_tls_details_L5(void)
{
    g_autoptr(engine) e = engine_new();
    g_autoptr(recorder) r = mk(e, NULL, false, fixed10, 1);
    trail_event *ev = call_event(1000000, "222222222222", "111111111111", NULL);
    ev->tls_host = g_strdup("sts.us-west-2.amazonaws.com");
    rec_submit(r, ev);
    rec_submit(r, call_event(2000000, "222222222222", "222222222222", NULL));
    engine_run(e, INT64_MAX);
    GPtrArray *mine = rec_records(r, "222222222222"), *owner = rec_records(r, "111111111111");
    g_assert_cmpuint(mine->len, ==, 2);
    g_assert_cmpuint(owner->len, ==, 1);
    const cJSON *with = mine->pdata[0], *copy = owner->pdata[0], *without = mine->pdata[1];
    const cJSON *last = with->child;
    while (last->next && strcmp(last->next->string, "crossimDeliveryTime") != 0)
        last = last->next;
    g_assert_cmpstr(last->string, ==, "tlsDetails");
    g_assert_cmpstr(str(with, "tlsDetails.tlsVersion"), ==, "TLSv1.3");
    g_assert_cmpstr(str(with, "tlsDetails.cipherSuite"), ==, "TLS_AES_256_GCM_SHA384");
    g_assert_cmpstr(str(with, "tlsDetails.clientProvidedHostHeader"), ==, "sts.us-west-2.amazonaws.com");
    g_assert_cmpstr(str(copy, "tlsDetails.clientProvidedHostHeader"), ==, "sts.us-west-2.amazonaws.com");
    g_assert_null(cJSON_GetObjectItem(without, "tlsDetails"));
}

/* The counts summary.json gives: per account the calls it made, the records
 * it received, its denied and throttled calls and its errors by code; per
 * operation the calls and errors; who saw what. */
static double num(const cJSON *o, const char *path)
{
    const cJSON *v = o;
    g_auto(GStrv) parts = g_strsplit(path, "/", -1);
    for (int i = 0; parts[i] && v; i++)
        v = cJSON_GetObjectItemCaseSensitive(v, parts[i]);
    g_assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static void test_summary_counters(void)
{
    g_autoptr(engine) e = engine_new();
    g_autoptr(recorder) r = mk(e, NULL, false, fixed10, 1);
    rec_submit(r, call_event(1000000, "222222222222", "111111111111", NULL));
    rec_submit(r, call_event(2000000, "222222222222", "222222222222", "AccessDenied"));
    rec_submit(r, call_event(3000000, "222222222222", "222222222222", "Throttling"));
    rec_submit(r, call_event(4000000, "222222222222", "222222222222", "ValidationError"));
    rec_submit(r, call_event(5000000, "111111111111", "111111111111", "ValidationError"));
    engine_run(e, INT64_MAX);
    g_autoptr(cJSON) s = rec_summary(r);
    g_assert_cmpfloat(num(s, "accounts/222222222222/callsMade"), ==, 4);
    g_assert_cmpfloat(num(s, "accounts/222222222222/recordsReceived"), ==, 4);
    g_assert_cmpfloat(num(s, "accounts/222222222222/deniedCalls"), ==, 1);
    g_assert_cmpfloat(num(s, "accounts/222222222222/throttledCalls"), ==, 1);
    g_assert_cmpfloat(num(s, "accounts/222222222222/errors/AccessDenied"), ==, 1);
    g_assert_cmpfloat(num(s, "accounts/222222222222/errors/Throttling"), ==, 1);
    g_assert_cmpfloat(num(s, "accounts/222222222222/errors/ValidationError"), ==, 1);
    /* The owner's copy of the first call is a record received, not a call made. */
    g_assert_cmpfloat(num(s, "accounts/111111111111/callsMade"), ==, 1);
    g_assert_cmpfloat(num(s, "accounts/111111111111/recordsReceived"), ==, 2);
    g_assert_cmpfloat(num(s, "accounts/111111111111/deniedCalls"), ==, 0);
    g_assert_cmpfloat(num(s, "operations/sts:AssumeRole/calls"), ==, 5);
    g_assert_cmpfloat(num(s, "operations/sts:AssumeRole/errors"), ==, 4);
    g_autoptr(cJSON) seen = rec_who_saw_what(r);
    g_assert_cmpfloat(num(seen, "sts:AssumeRole/111111111111"), ==, 2);
    g_assert_cmpfloat(num(seen, "sts:AssumeRole/222222222222"), ==, 4);
    g_assert_cmpuint(rec_calls(r), ==, 5);
    g_assert_cmpuint(rec_delivered(r), ==, 6);
}

static void test_no_escape(void)
{
    g_test_summary("account ids from caller input never name a file outside --out (issue 13)");
    trail_event *probe = trail_event_new(TRAIL_API_CALL, "sts.amazonaws.com", "AssumeRole");
    trail_event_add_recipient(probe, "../../escaped");
    trail_event_add_recipient(probe, "1234567890123");
    trail_event_add_recipient(probe, "111111111111");
    g_assert_cmpuint(probe->recipients->len, ==, 1);
    trail_event_free(probe);

    g_autofree char *root = g_dir_make_tmp("crossim-esc-XXXXXX", NULL);
    g_autofree char *dir = g_build_filename(root, "a", "out", NULL);
    g_autoptr(engine) e = engine_new();
    g_autoptr(recorder) r = mk(e, dir, true, fixed10, 1);
    trail_event *ev = call_event(0, "222222222222", "111111111111", NULL);
    g_ptr_array_add(ev->recipients, g_strdup("../../escaped"));   /* past the model's guard */
    rec_submit(r, ev);
    engine_run(e, INT64_MAX);
    GError *err = NULL;
    g_assert_false(rec_finish(r, &err));
    g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_INVAL);
    g_assert_nonnull(strstr(err->message, "not an account id"));
    g_clear_error(&err);
    g_autofree char *out1 = g_build_filename(root, "escaped.jsonl", NULL);
    g_autofree char *out2 = g_build_filename(root, "escaped", NULL);
    g_autofree char *out3 = g_build_filename(root, "a", "escaped", NULL);
    g_assert_false(g_file_test(out1, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(out2, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(out3, G_FILE_TEST_EXISTS));
    g_autofree char *ok = g_build_filename(dir, "trail", "222222222222.jsonl", NULL);
    g_assert_true(g_file_test(ok, G_FILE_TEST_EXISTS));
    rm_tree(root);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/recorder/L1/fields-and-errors", test_fields_L1);
    g_test_add_func("/recorder/L2/owner-copy-is-AWSAccount", test_owner_copy_L2);
    g_test_add_func("/recorder/L4/delivery-after-delay-in-order", test_delivery_L4);
    g_test_add_func("/recorder/L7/default-delay-averages-5-minutes", test_default_delay_mean);
    g_test_add_func("/recorder/determinism", test_determinism);
    g_test_add_func("/recorder/sinks-jsonl-and-s3", test_sinks);
    g_test_add_func("/recorder/L3/service-event", test_service_event);
    g_test_add_func("/recorder/no-escape", test_no_escape);
    g_test_add_func("/recorder/summary-counters", test_summary_counters);
    g_test_add_func("/recorder/L5/tls-details", test_tls_details_L5);
    g_test_add_func("/recorder/L6/s3-layout-by-record-region", test_s3_region_folders);
    g_test_add_func("/recorder/L6/s3-layout-one-folder-a-trail", test_s3_trail_folders);
    g_test_add_func("/recorder/s3-layout-refuses-unsafe-folders", test_s3_unsafe_folder);
    return g_test_run();
}
