/* sim/sha256.h: SHA-256 (FIPS 180-4), streaming.
 *
 * The run digest hashes every delivered byte, and GLib's GChecksum costs
 * about 50 instructions a byte there: a fifth of a sharing storm.  This one
 * uses the x86 SHA extensions when the processor has them (checked once
 * with cpuid) and portable C otherwise; tests/unit/test-sha256.c checks
 * both against the FIPS examples and GChecksum. */
#ifndef CROSSIM_SHA256_H
#define CROSSIM_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sha256 {
    uint32_t h[8];
    uint64_t bytes;          /* hashed so far */
    uint8_t  buf[64];
    size_t   fill;           /* bytes waiting in buf */
} sha256;

void sha256_init(sha256 *c);
void sha256_update(sha256 *c, const void *data, size_t n);
/* The digest of everything so far; c is left as it was. */
void sha256_digest(const sha256 *c, uint8_t out[32]);
/* The same as 64 lower-case hex digits and a NUL. */
void sha256_hex(const sha256 *c, char out[65]);

/* Which block function runs: "sha-ni" or "portable".  Tests pin one with
 * sha256_use_portable(true) to check both on one machine. */
const char *sha256_impl(void);
void        sha256_use_portable(bool portable);

#endif
