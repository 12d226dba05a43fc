/* sim/duration.h: durations and times as scenarios write them. */
#ifndef CROSSIM_DURATION_H
#define CROSSIM_DURATION_H

#include <stdbool.h>
#include <stdint.h>

/* "90s", "10m", "2h", "1d", "250ms", "1h30m": one or more number+unit pairs
 * (units ms, s, m, h, d; whole numbers; "0s" is zero).  false on anything
 * else, including a bare number, a negative value or an overflow. */
bool dur_parse(const char *text, int64_t *out_us);
/* Formats us compactly ("1h30m", "250ms", "0s") into out (32 bytes). */
void dur_format(int64_t us, char out[32]);
/* ISO 8601 UTC/offset time to Unix seconds; false if not a valid time. */
bool time_parse_iso(const char *text, int64_t *epoch_s);

#endif
