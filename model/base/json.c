/* model/base/json.c: the JSON text writer and the CloudTrail time format.
 *
 * json_append follows the printer of Debian 12's cJSON 1.7.15 exactly (as
 * tests/unit/test-json.c checks against the library itself): numbers print
 * as "%1.15g" unless that does not read back within a relative DBL_EPSILON
 * of the double, then as "%1.17g" (so -0.0 prints "-0"); NaN and infinities
 * print null; strings
 * escape '"', '\\', \b \f \n \r \t, other bytes below 0x20 as \u00xx, and
 * nothing else.  Output must stay byte-identical to cJSON's: the logs'
 * digests depend on it. */
#include "model/base/json.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 for the bytes a JSON string must escape. */
static const unsigned char escaped[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ['"'] = 1, ['\\'] = 1,
};

#define APPEND_LIT JSON_APPEND_LIT

void json_append_string(GString *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    g_string_append_c(out, '"');
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (;;) {
        const unsigned char *run = p;
        while (*p && !escaped[*p])
            p++;
        json_buf_append(out, (const char *)run, (gsize)(p - run));
        if (!*p)
            break;
        char esc[7] = { '\\', 0 };
        gsize n = 2;
        switch (*p) {
        case '"':  esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[*p >> 4];
            esc[5] = hex[*p & 15];
            n = 6;
        }
        json_buf_append(out, esc, (gsize)n);
        p++;
    }
    g_string_append_c(out, '"');
}

static void append_number(GString *out, const cJSON *v)
{
    double d = v->valuedouble;
    char buf[32];
    if (isnan(d) || isinf(d)) {
        APPEND_LIT(out, "null");
        return;
    }
    g_snprintf(buf, sizeof buf, "%1.15g", d);
    double back = strtod(buf, NULL);
    double max = fabs(back) > fabs(d) ? fabs(back) : fabs(d);
    if (!(fabs(back - d) <= max * DBL_EPSILON))
        g_snprintf(buf, sizeof buf, "%1.17g", d);
    json_buf_append(out, buf, strlen(buf));
}

void json_append(GString *out, const cJSON *v)
{
    if (!v) {
        APPEND_LIT(out, "null");
        return;
    }
    switch (v->type & 0xFF) {
    case cJSON_False:
        APPEND_LIT(out, "false");
        return;
    case cJSON_True:
        APPEND_LIT(out, "true");
        return;
    case cJSON_NULL:
        APPEND_LIT(out, "null");
        return;
    case cJSON_Number:
        append_number(out, v);
        return;
    case cJSON_Raw:
        if (v->valuestring)
            g_string_append(out, v->valuestring);
        return;
    case cJSON_String:
        json_append_string(out, v->valuestring);
        return;
    case cJSON_Array:
        g_string_append_c(out, '[');
        for (const cJSON *e = v->child; e; e = e->next) {
            json_append(out, e);
            if (e->next)
                g_string_append_c(out, ',');
        }
        g_string_append_c(out, ']');
        return;
    case cJSON_Object:
        g_string_append_c(out, '{');
        for (const cJSON *e = v->child; e; e = e->next) {
            json_append_string(out, e->string);
            g_string_append_c(out, ':');
            json_append(out, e);
            if (e->next)
                g_string_append_c(out, ',');
        }
        g_string_append_c(out, '}');
        return;
    default:
        APPEND_LIT(out, "null");
    }
}

static void tabs(GString *out, int n)
{
    static const char t[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
    for (; n > 16; n -= 16)
        APPEND_LIT(out, t);
    json_buf_append(out, t, (gsize)n);
}

/* cJSON_Print's layout: object members one a line, indented by tabs, with
 * a tab after the colon; array items on one line, ", " between them. */
static void append_pretty(GString *out, const cJSON *v, int depth)
{
    switch (v->type & 0xFF) {
    case cJSON_Array:
        g_string_append_c(out, '[');
        for (const cJSON *e = v->child; e; e = e->next) {
            append_pretty(out, e, depth + 1);    /* an array is a level too */
            if (e->next)
                APPEND_LIT(out, ", ");
        }
        g_string_append_c(out, ']');
        return;
    case cJSON_Object:
        APPEND_LIT(out, "{\n");
        for (const cJSON *e = v->child; e; e = e->next) {
            tabs(out, depth + 1);
            json_append_string(out, e->string);
            APPEND_LIT(out, ":\t");
            append_pretty(out, e, depth + 1);
            if (e->next)
                APPEND_LIT(out, ",\n");
            else
                g_string_append_c(out, '\n');
        }
        tabs(out, depth);
        g_string_append_c(out, '}');
        return;
    default:
        json_append(out, v);
    }
}

void json_append_pretty(GString *out, const cJSON *v)
{
    if (!v)
        APPEND_LIT(out, "null");
    else
        append_pretty(out, v, 0);
}

bool json_whole(const cJSON *v, double lo, double hi, int64_t *out)
{
    if (!cJSON_IsNumber(v))
        return false;
    double d = v->valuedouble;
    if (!(d >= lo && d <= hi) || d != floor(d) || d > JSON_WHOLE_MAX || d < -JSON_WHOLE_MAX)
        return false;
    *out = (int64_t)d;
    return true;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
 * civil_from_days). */
static void civil(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void json_iso_utc(int64_t t, char out[21])
{
    const int64_t lo = -62167219200LL;          /* 0000-01-01T00:00:00Z */
    const int64_t hi = 253402300799LL;          /* 9999-12-31T23:59:59Z */
    if (t < lo)
        t = lo;
    if (t > hi)
        t = hi;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    int64_t y;
    unsigned m, d;
    civil(days, &y, &m, &d);
    unsigned f[6] = { (unsigned)y, m, d, (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
                      (unsigned)(secs % 60) };
    char *p = out;
    for (int i = 0; i < 6; i++) {
        if (i == 0) {
            *p++ = (char)('0' + f[0] / 1000);
            *p++ = (char)('0' + f[0] / 100 % 10);
        }
        *p++ = (char)('0' + f[i] / 10 % 10);
        *p++ = (char)('0' + f[i] % 10);
        *p++ = "--T::Z"[i];
    }
    *p = '\0';
}
