/* tests/unit/test-sha256.c: both block functions of sim/sha256.c against
 * the FIPS 180-4 examples and against GLib's GChecksum, whole and in
 * pieces of every length (the run digest, L1, depends on it). */
#include <glib.h>
#include <string.h>

#include "sim/sha256.h"

static char *hex_of(const void *p, size_t n, size_t piece)
{
    sha256 c;
    sha256_init(&c);
    const uint8_t *b = p;
    for (size_t off = 0; off < n; off += piece)
        sha256_update(&c, b + off, n - off < piece ? n - off : piece);
    char *out = g_malloc(65);
    sha256_hex(&c, out);
    return out;
}

static void check_vectors(void)
{
    static const struct { const char *msg; const char *hex; } v[] = {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
        { "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(v); i++) {
        g_autofree char *h = hex_of(v[i].msg, strlen(v[i].msg), 64);
        g_assert_cmpstr(h, ==, v[i].hex);
    }
    /* One million 'a's, fed 1,000 at a time. */
    char *a = g_malloc(1000);
    memset(a, 'a', 1000);
    sha256 c;
    sha256_init(&c);
    for (int i = 0; i < 1000; i++)
        sha256_update(&c, a, 1000);
    char h[65];
    sha256_hex(&c, h);
    g_assert_cmpstr(h, ==, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* The digest leaves the state as it was: hashing on gives the longer message's digest. */
    sha256_init(&c);
    sha256_update(&c, "ab", 2);
    sha256_hex(&c, h);
    sha256_update(&c, "c", 1);
    sha256_hex(&c, h);
    g_assert_cmpstr(h, ==, v[1].hex);
    g_free(a);
}

/* Every length from 0 to 1,100 bytes of seeded bytes, whole and in pieces
 * of 1, 7, 63, 64 and 65 bytes, against GChecksum. */
static void check_against_glib(void)
{
    GRand *g = g_rand_new_with_seed(180);
    guint8 *buf = g_malloc(1100);
    for (gsize i = 0; i < 1100; i++)
        buf[i] = (guint8)g_rand_int_range(g, 0, 256);
    static const size_t pieces[] = { 1, 7, 63, 64, 65, 4096 };
    for (size_t n = 0; n <= 1100; n++) {
        g_autofree char *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, buf, n);
        for (gsize k = 0; k < G_N_ELEMENTS(pieces); k++) {
            g_autofree char *got = hex_of(buf, n, pieces[k]);
            if (strcmp(got, want) != 0)
                g_error("%zu bytes in pieces of %zu: %s, GChecksum %s", n, pieces[k], got, want);
        }
    }
    g_free(buf);
    g_rand_free(g);
}

static void test_portable(void)
{
    sha256_use_portable(true);
    g_assert_cmpstr(sha256_impl(), ==, "portable");
    check_vectors();
    check_against_glib();
}

static void test_native(void)
{
    sha256_use_portable(false);
    if (strcmp(sha256_impl(), "sha-ni") != 0) {
        g_test_skip("this processor has no SHA extensions: the portable path ran above");
        return;
    }
    check_vectors();
    check_against_glib();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sha256/portable", test_portable);
    g_test_add_func("/sha256/sha-ni", test_native);
    return g_test_run();
}
