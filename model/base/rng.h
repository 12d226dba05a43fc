/* sim/rng.h: seeded random streams.
 *
 * xoshiro256** with state seeded through splitmix64 from (scenario seed,
 * stream name), so every actor and resource draws from its own stream and
 * adding one never shifts another's draws.  No global state; the g_random_*
 * functions and the wall clock are never used anywhere in crossim. */
#ifndef CROSSIM_RNG_H
#define CROSSIM_RNG_H

#include <stdint.h>
#include <stddef.h>

typedef struct rng { uint64_t s[4]; } rng;

/* Seeds r from seed and a stream name (NUL-terminated, may be ""). The name
 * is hashed with a fixed function (FNV-1a 64), so results are stable across
 * machines and runs. */
void     rng_init(rng *r, uint64_t seed, const char *stream);
/* A seed for a family of streams, derived from seed and the NUL-terminated
 * names in parts[0..n) (a NULL entry reads as ""): a
 * scenario's streams derive from (seed, scenario name, variant), so two
 * scenarios or two variants of one sweep run with the same seed draw
 * different ids.  Order and boundaries count: ("ab", "c") != ("a", "bc"). */
uint64_t rng_derive(uint64_t seed, const char *const *parts, size_t n);
uint64_t rng_next(rng *r);
/* Uniform in [0, 1) with 53 bits. */
double   rng_uniform(rng *r);
/* Uniform integer in [0, n), unbiased; n > 0. */
uint64_t rng_below(rng *r, uint64_t n);
/* Exponential with the given mean (> 0). */
double   rng_exponential(rng *r, double mean);
/* Log-normal from its median and its 99th percentile (p99 >= median > 0). */
double   rng_lognormal(rng *r, double median, double p99);
/* A version-4 UUID string, lower-case, "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
 * out must hold 37 bytes. */
void     rng_uuid(rng *r, char out[37]);
/* n random characters from alphabet (e.g. "0123456789abcdef") then a NUL;
 * out must hold n + 1 bytes. */
void     rng_chars(rng *r, char *out, size_t n, const char *alphabet);

#endif
