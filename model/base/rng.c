/* model/base/rng.c: xoshiro256** streams seeded through splitmix64.
 *
 * A stream is a pure function of (seed, name): the name is hashed with
 * FNV-1a 64, mixed into the seed, and expanded to 256 bits of state by
 * splitmix64, so streams are stable across machines and independent of
 * one another. */
#include "model/base/rng.h"

#include <math.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t fnv1a64(const char *s)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001B3ULL;
    }
    return h;
}

void rng_init(rng *r, uint64_t seed, const char *stream)
{
    uint64_t x = seed ^ fnv1a64(stream);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1;   /* the all-zero state is the generator's only fixed point */
}

uint64_t rng_derive(uint64_t seed, const char *const *parts, size_t n)
{
    uint64_t x = seed;
    for (size_t i = 0; i < n; i++) {
        /* Each part's hash, then its length: the boundary is in the mix. */
        uint64_t h = fnv1a64(parts[i]) ^ ((uint64_t)(parts[i] ? strlen(parts[i]) : 0) << 56);
        x ^= h;
        x = splitmix64(&x);
    }
    return x;
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rng_uniform(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(rng *r, uint64_t n)
{
    /* Rejection on the top of the range keeps every value equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do
        v = rng_next(r);
    while (v >= limit);
    return v % n;
}

double rng_exponential(rng *r, double mean)
{
    return -mean * log1p(-rng_uniform(r));
}

double rng_lognormal(rng *r, double median, double p99)
{
    /* z of the 99th percentile of the standard normal. */
    double sigma = log(p99 / median) / 2.3263478740408408;
    double u1 = rng_uniform(r), u2 = rng_uniform(r);
    double z = sqrt(-2.0 * log1p(-u1)) * cos(2.0 * 3.14159265358979323846 * u2);
    return median * exp(sigma * z);
}

void rng_uuid(rng *r, char out[37])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t a = rng_next(r), b = rng_next(r);
    unsigned char bytes[16];
    for (int i = 0; i < 8; i++) {
        bytes[i] = (unsigned char)(a >> (8 * i));
        bytes[8 + i] = (unsigned char)(b >> (8 * i));
    }
    bytes[6] = (unsigned char)((bytes[6] & 0x0F) | 0x40);   /* version 4 */
    bytes[8] = (unsigned char)((bytes[8] & 0x3F) | 0x80);   /* RFC 4122 variant */
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[bytes[i] >> 4];
        out[o++] = hex[bytes[i] & 15];
    }
    out[o] = '\0';
}

void rng_chars(rng *r, char *out, size_t n, const char *alphabet)
{
    size_t k = strlen(alphabet);
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[rng_below(r, k)];
    out[n] = '\0';
}
