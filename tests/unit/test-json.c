/* tests/unit/test-json.c: the JSON text writer prints as cJSON does (the
 * logs' bytes and digests depend on it), and the CloudTrail time format
 * agrees with GLib's calendar. */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "model/base/json.h"
#include "model/base/rng.h"

static char *random_string(rng *r)
{
    static const char pool[] = "aZ09 \"\\/\b\f\n\r\t\x01\x1f\x7f\xc3\xa9:{}[],";
    guint n = (guint)rng_below(r, 12);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < n; i++)
        g_string_append_c(s, pool[rng_below(r, sizeof pool - 1)]);
    return g_string_free(s, FALSE);
}

static cJSON *random_tree(rng *r, int depth)
{
    switch (rng_below(r, depth > 3 ? 5 : 7)) {
    case 0: return cJSON_CreateNull();
    case 1: return cJSON_CreateBool(rng_below(r, 2));
    case 2: {
        static const double special[] = { 0, -0.0, 1, -1, 0.1, 1e300, -2147483648.0, 2147483648.0,
                                          1.0 / 3, 123456789012.0, 1e-7, NAN, INFINITY };
        double v = rng_below(r, 2) ? special[rng_below(r, G_N_ELEMENTS(special))]
                                   : (rng_uniform(r) - 0.5) * pow(10, (double)rng_below(r, 30) - 10);
        return cJSON_CreateNumber(v);
    }
    case 3:
    case 4: {
        g_autofree char *s = random_string(r);
        return cJSON_CreateString(s);
    }
    case 5: {
        cJSON *a = cJSON_CreateArray();
        for (guint i = rng_below(r, 4); i > 0; i--)
            cJSON_AddItemToArray(a, random_tree(r, depth + 1));
        return a;
    }
    default: {
        cJSON *o = cJSON_CreateObject();
        for (guint i = rng_below(r, 4); i > 0; i--) {
            g_autofree char *k = random_string(r);
            cJSON_AddItemToObject(o, k, random_tree(r, depth + 1));
        }
        return o;
    }
    }
}

static void test_writer_matches_cjson(void)
{
    g_test_summary("json_append prints 5,000 random trees byte for byte as cJSON_PrintUnformatted, "
                   "json_append_pretty as cJSON_Print");
    rng r;
    rng_init(&r, 7, "test-json");
    for (int i = 0; i < 5000; i++) {
        g_autoptr(cJSON) t = random_tree(&r, 0);
        char *want = cJSON_PrintUnformatted(t);
        GString *got = g_string_new("");
        json_append(got, t);
        g_assert_cmpstr(got->str, ==, want);
        g_string_free(got, TRUE);
        cJSON_free(want);
        char *pretty = cJSON_Print(t);
        GString *pg = g_string_new("");
        json_append_pretty(pg, t);
        g_assert_cmpstr(pg->str, ==, pretty);
        g_string_free(pg, TRUE);
        cJSON_free(pretty);
    }
    GString *n = g_string_new("");
    json_append(n, NULL);
    g_assert_cmpstr(n->str, ==, "null");
    g_string_free(n, TRUE);
}

static void test_iso_matches_glib(void)
{
    g_test_summary("json_iso_utc agrees with GDateTime on random times from 1970 to 9999, "
                   "and clamps outside years 0000-9999");
    rng r;
    rng_init(&r, 8, "test-json-iso");
    for (int i = 0; i < 20000; i++) {
        int64_t t = (int64_t)rng_below(&r, UINT64_C(253402300800));
        if (i < 4)
            t = (int64_t[]){ 0, 951782400, 4107542399, 253402300799 }[i];  /* 2000-02-29, 2100-02-28 */
        GDateTime *dt = g_date_time_new_from_unix_utc(t);
        g_autofree char *want = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
        g_date_time_unref(dt);
        char got[21];
        json_iso_utc(t, got);
        g_assert_cmpstr(got, ==, want);
    }
    char c[21];
    json_iso_utc(INT64_MAX, c);
    g_assert_cmpstr(c, ==, "9999-12-31T23:59:59Z");
    json_iso_utc(INT64_MIN, c);
    g_assert_cmpstr(c, ==, "0000-01-01T00:00:00Z");
    json_iso_utc(-1, c);
    g_assert_cmpstr(c, ==, "1969-12-31T23:59:59Z");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_set_nonfatal_assertions();
    g_test_add_func("/json/writer-matches-cjson", test_writer_matches_cjson);
    g_test_add_func("/json/iso-matches-glib", test_iso_matches_glib);
    return g_test_run();
}
