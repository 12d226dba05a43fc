/* tests/unit/test-arena.c: the recorder's allocators (sim/arena.c). */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "sim/arena.h"

/* Pieces are aligned, distinct and keep their bytes until the reset; a
 * request larger than a block gets its own; the reset keeps the standard
 * blocks, so the same load again takes no new one. */
static void test_arena(void)
{
    arena *a = arena_new(1024);
    unsigned char *p[200];
    for (int i = 0; i < 200; i++) {
        size_t n = (size_t)(i % 37) + 1;
        p[i] = arena_alloc(a, n);
        g_assert_cmpuint((uintptr_t)p[i] % 8, ==, 0);
        memset(p[i], i, n);
    }
    unsigned char *big = arena_alloc(a, 5000);
    memset(big, 0xAB, 5000);
    unsigned char *after = arena_alloc(a, 16);   /* still cut from a shared block */
    memset(after, 0xCD, 16);
    for (int i = 0; i < 200; i++)
        for (size_t k = 0; k < (size_t)(i % 37) + 1; k++)
            g_assert_cmpuint(p[i][k], ==, (unsigned)i);
    for (int k = 0; k < 5000; k++)
        g_assert_cmpuint(big[k], ==, 0xAB);
    g_assert_cmpuint(arena_used(a), >=, 5000 + 16);
    size_t held = arena_blocks(a);
    g_assert_cmpuint(held, >=, 4);              /* 200 small pieces of up to 37 bytes */
    arena_reset(a);
    g_assert_cmpuint(arena_used(a), ==, 0);
    g_assert_cmpuint(arena_blocks(a), ==, held);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 200; i++) {
            size_t n = (size_t)(i % 37) + 1;
            p[i] = arena_alloc(a, n);
            memset(p[i], i, n);
        }
        for (int i = 0; i < 200; i++)
            g_assert_cmpuint(p[i][0], ==, (unsigned)i);
        arena_reset(a);
    }
    g_assert_cmpuint(arena_blocks(a), ==, held);
    void *again = arena_alloc(a, 8);
    g_assert_nonnull(again);
    arena_free(a);
}

/* A block goes when its last piece is released, whatever the order; large
 * pieces live alone; the slab may be freed before its last pieces. */
static void test_slab(void)
{
    slab *s = slab_new(4096);
    GPtrArray *live = g_ptr_array_new();
    for (int i = 0; i < 1000; i++) {
        size_t n = 100 + (size_t)(i % 7) * 50;
        unsigned char *p = slab_alloc(s, n);
        g_assert_cmpuint((uintptr_t)p % 8, ==, 0);
        memset(p, i & 0xFF, n);
        p[0] = (unsigned char)(i & 0xFF);
        g_ptr_array_add(live, p);
    }
    gsize held = slab_blocks(s);
    g_assert_cmpuint(held, >, 20);
    /* Release all but every 100th: blocks holding none of those go. */
    for (guint i = 0; i < live->len; i++)
        if (i % 100)
            slab_release(live->pdata[i]);
    g_assert_cmpuint(slab_blocks(s), <=, 10 + 2);
    for (guint i = 0; i < live->len; i += 100)
        g_assert_cmpuint(((unsigned char *)live->pdata[i])[0], ==, i & 0xFF);
    unsigned char *big = slab_alloc(s, 10000);
    memset(big, 1, 10000);
    /* Freed while pieces remain: the rest goes with them (ASan checks). */
    slab_free(s);
    slab_release(big);
    for (guint i = 0; i < live->len; i += 100)
        slab_release(live->pdata[i]);
    slab_release(NULL);
    g_ptr_array_unref(live);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/arena/bump-and-reset", test_arena);
    g_test_add_func("/arena/slab-release", test_slab);
    return g_test_run();
}
