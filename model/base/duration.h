/* model/base/duration.h: durations and times as scenarios write them. */
#ifndef CROSSIM_DURATION_H
#define CROSSIM_DURATION_H

#include <stdbool.h>
#include <stdint.h>

/* "90s", "10m", "2h", "1d", "250ms", "1h30m": one or more number+unit pairs
 * (units ms, s, m, h, d; whole numbers; "0s" is zero).  false on anything
 * else, including a bare number, a negative value or an overflow. */
bool dur_parse(const char *text, int64_t *out_us);
/* The longest span a scenario may name (100 years), and the last second
 * a run may reach (9999-12-31T23:59:59Z, the last a CloudTrail time can
 * write): bounds that keep every sum of simulated times far from int64's. */
#define DUR_MAX_US      (100LL * 366 * 86400 * 1000000)
#define TIME_MAX_EPOCH_S 253402300799LL
/* Formats us compactly ("1h30m", "250ms", "0s") into out (32 bytes). */
void dur_format(int64_t us, char out[32]);
/* ISO 8601 UTC/offset time to Unix seconds; false if not a valid time. */
bool time_parse_iso(const char *text, int64_t *epoch_s);

#endif
