/* model/base/duration.c: parsing and formatting of scenario durations and times. */
#include "model/base/duration.h"

#include <glib.h>
#include <string.h>

static const struct { const char *unit; int64_t us; } units[] = {
    { "ms", 1000 }, { "s", 1000000 }, { "m", 60000000 },
    { "h", 3600000000LL }, { "d", 86400000000LL },
};

bool dur_parse(const char *t, int64_t *out)
{
    if (!t || !*t)
        return false;
    int64_t total = 0;
    while (*t) {
        if (!g_ascii_isdigit(*t))
            return false;
        int64_t n = 0;
        while (g_ascii_isdigit(*t)) {
            if (n > INT64_MAX / 10 - 9)
                return false;
            n = n * 10 + (*t++ - '0');
        }
        int64_t mult = 0;
        size_t ulen = 0;
        for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
            size_t l = strlen(units[i].unit);
            /* "m" must not swallow "ms": take the longest unit that fits. */
            if (strncmp(t, units[i].unit, l) == 0 && l > ulen &&
                !(l == 1 && t[0] == 'm' && t[1] == 's')) {
                mult = units[i].us;
                ulen = l;
            }
        }
        if (!mult || (n && n > INT64_MAX / mult) || total > INT64_MAX - n * mult)
            return false;
        total += n * mult;
        t += ulen;
    }
    *out = total;
    return true;
}

void dur_format(int64_t us, char out[32])
{
    if (us == 0) {
        g_strlcpy(out, "0s", 32);
        return;
    }
    GString *s = g_string_new(us < 0 ? "-" : "");
    if (us < 0)
        us = -us;
    for (int i = (int)G_N_ELEMENTS(units) - 1; i >= 0; i--) {
        if (us >= units[i].us) {
            g_string_append_printf(s, "%" G_GINT64_FORMAT "%s", us / units[i].us, units[i].unit);
            us %= units[i].us;
        }
    }
    if (us)
        g_string_append_printf(s, "%" G_GINT64_FORMAT "us", us);
    g_strlcpy(out, s->str, 32);
    g_string_free(s, TRUE);
}

bool time_parse_iso(const char *text, int64_t *epoch_s)
{
    if (!text)
        return false;
    GDateTime *dt = g_date_time_new_from_iso8601(text, NULL);
    if (!dt)
        return false;
    *epoch_s = g_date_time_to_unix(dt);
    g_date_time_unref(dt);
    return true;
}
