/* model/base/json.h: cJSON with GLib's automatic cleanup, a JSON text writer and
 * the CloudTrail time format, shared by every module.
 *
 * The writer appends text byte for byte as cJSON_PrintUnformatted would
 * print the same tree (tests/unit/test-json.c checks it on random trees),
 * but into a caller's buffer, without the copy cJSON makes. */
#ifndef CROSSIM_JSON_H
#define CROSSIM_JSON_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(cJSON, cJSON_Delete)

/* g_string_append_len without its checks (GLib 2.74's costs about 90
 * instructions a call, which the record writers make tens of times a
 * record): grows out as GLib would, then copies.  p must not point into out. */
static inline void json_buf_append(GString *out, const char *p, gsize n)
{
    if (G_UNLIKELY(out->len + n >= out->allocated_len)) {
        gsize len = out->len;
        g_string_set_size(out, len + n);
        out->len = len;
    }
    memcpy(out->str + out->len, p, n);
    out->len += n;
    out->str[out->len] = '\0';
}
#define JSON_APPEND_LIT(out, lit) json_buf_append((out), (lit), sizeof(lit) - 1)

/* Appends v (NULL: null) as cJSON_PrintUnformatted prints it. */
void json_append(GString *out, const cJSON *v);
/* Appends v (NULL: null) as cJSON_Print prints it, indented with tabs. */
void json_append_pretty(GString *out, const cJSON *v);
/* Appends s as a JSON string, quotes included, escaped as cJSON escapes
 * (NULL: ""). */
void json_append_string(GString *out, const char *s);
/* True, with *out set, when v is a whole number in [lo, hi]; hi must not
 * pass 2^53 (JSON numbers are doubles), so the cast to int64_t is exact.
 * Scenario numbers go through here before they become integers: 1e30 or
 * -1 refused, never wrapped. */
#define JSON_WHOLE_MAX 9007199254740991.0
bool json_whole(const cJSON *v, double lo, double hi, int64_t *out);
/* "YYYY-MM-DDTHH:MM:SSZ" for a Unix time, into out (21 bytes, always
 * NUL-terminated).  Times outside years 0000-9999 are clamped to them. */
void json_iso_utc(int64_t epoch_s, char out[21]);

#endif
