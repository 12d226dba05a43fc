/* sim/arena.h: two allocators for the recorder's short-lived bytes.
 *
 * Records are 1-3 KB each, just above what malloc keeps in its per-size
 * caches; made and freed by the hundred thousand between long-lived world
 * objects, they sent glibc into bin searches and consolidation (a fifth of
 * a 100,000-account storm).  Both allocators take memory in large blocks
 * and hand it out by bumping a pointer:
 *
 *  - an arena frees everything at once (arena_reset): the lines waiting
 *    for the next write to the JSON Lines files;
 *  - a slab frees a block when every piece cut from it is released, for
 *    pieces released in about the order they were made: records waiting
 *    for their delivery time.  A block pinned by one late piece holds its
 *    memory until that piece goes. */
#ifndef CROSSIM_ARENA_H
#define CROSSIM_ARENA_H

#include <stddef.h>

typedef struct arena arena;

/* block: bytes per block (requests larger than that get their own block). */
arena *arena_new(size_t block);
void   arena_free(arena *a);
/* n bytes, 8-byte aligned, valid until arena_reset or arena_free. */
void  *arena_alloc(arena *a, size_t n);
/* Releases every piece; keeps the standard blocks for what comes next
 * (the arena holds at most its peak between resets). */
void   arena_reset(arena *a);
/* Bytes handed out since the last reset. */
size_t arena_used(const arena *a);
/* Standard blocks held, in use or spare. */
size_t arena_blocks(const arena *a);

typedef struct slab slab;

slab  *slab_new(size_t block);
/* Frees the slab's empty blocks now and each other block when its last
 * piece is released (pieces may outlive the slab's owner: engine events
 * freed after the recorder). */
void   slab_free(slab *s);
/* n bytes, 8-byte aligned, until slab_release. */
void  *slab_alloc(slab *s, size_t n);
void   slab_release(void *piece);
/* Blocks held now, the spare included (tests/unit/test-arena.c reads it). */
size_t slab_blocks(const slab *s);

#endif
