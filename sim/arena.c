/* sim/arena.c: a bump arena and a release-counting slab. */
#include "sim/arena.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#define ALIGN(n) (((n) + 7) & ~(size_t)7)

/* Blocks come straight from the kernel: through malloc, each new block
 * made glibc consolidate and search the free lists of the small objects
 * around it. */
static void *block_get(size_t n)
{
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        g_error("crossim: out of memory (%zu bytes)", n);
    return p;
}

static void block_put(void *p, size_t n)
{
    munmap(p, n);
}

/* ---- arena ----------------------------------------------------------------------- */

typedef struct ablock {
    struct ablock *next;
    size_t         size, used;
    _Alignas(8) unsigned char data[];
} ablock;

struct arena {
    size_t  block;
    ablock *head;        /* the block being cut; older ones follow */
    ablock *spare;       /* emptied standard blocks, reused before new ones */
    size_t  total;       /* handed out since the last reset */
    size_t  blocks;      /* standard blocks held, spares included */
};

static ablock *ablock_new(size_t size, ablock *next)
{
    ablock *b = block_get(sizeof *b + size);
    b->next = next;
    b->size = size;
    b->used = 0;
    return b;
}

arena *arena_new(size_t block)
{
    arena *a = g_new0(arena, 1);
    a->block = block;
    return a;
}

void *arena_alloc(arena *a, size_t n)
{
    n = ALIGN(n ? n : 1);
    if (!a->head || a->head->size - a->head->used < n) {
        if (n > a->block / 2) {
            /* Its own block, behind the one being cut, which stays usable. */
            ablock *b = ablock_new(n, a->head ? a->head->next : NULL);
            if (a->head)
                a->head->next = b;
            else
                a->head = b;
            b->used = n;
            a->total += n;
            return b->data;
        }
        ablock *b = a->spare;
        if (b) {
            a->spare = b->next;
            b->next = a->head;
            b->used = 0;
        } else {
            b = ablock_new(a->block, a->head);
            a->blocks++;
        }
        a->head = b;
    }
    void *p = a->head->data + a->head->used;
    a->head->used += n;
    a->total += n;
    return p;
}

/* Standard blocks go to the spare list: a reset every few megabytes
 * (the recorder's flush) would otherwise give the pages back to the kernel
 * and fault them in again, a third of the recorder's system time. */
void arena_reset(arena *a)
{
    for (ablock *b = a->head, *next; b; b = next) {
        next = b->next;
        if (b->size == a->block) {
            b->next = a->spare;
            a->spare = b;
        } else {
            block_put(b, sizeof *b + b->size);
        }
    }
    a->head = NULL;
    a->total = 0;
}

size_t arena_used(const arena *a)
{
    return a->total;
}

size_t arena_blocks(const arena *a)
{
    return a->blocks;
}

void arena_free(arena *a)
{
    if (!a)
        return;
    arena_reset(a);
    for (ablock *b = a->spare, *next; b; b = next) {
        next = b->next;
        block_put(b, sizeof *b + b->size);
    }
    g_free(a);
}

/* ---- slab ------------------------------------------------------------------------ */

typedef struct sblock {
    slab  *owner;
    size_t size, used;
    size_t live;         /* pieces not yet released */
    _Alignas(8) unsigned char data[];
} sblock;

/* Each piece starts with its block's address. */
typedef struct piece { sblock *block; _Alignas(8) unsigned char data[]; } piece;

struct slab {
    size_t  block;
    sblock *current;     /* being cut */
    sblock *spare;       /* an emptied block kept for reuse */
    size_t  blocks;      /* held, the spare included */
    bool    closing;     /* slab_free ran: the last block frees the slab */
};

slab *slab_new(size_t block)
{
    slab *s = g_new0(slab, 1);
    s->block = block;
    return s;
}

static sblock *sblock_new(slab *s, size_t size)
{
    sblock *b;
    if (size == s->block && s->spare) {
        b = s->spare;
        s->spare = NULL;
    } else {
        b = block_get(sizeof *b + size);
        s->blocks++;
    }
    b->owner = s;
    b->size = size;
    b->used = 0;
    b->live = 0;
    return b;
}

static void sblock_drop(sblock *b)
{
    slab *s = b->owner;
    if (b->size == s->block && !s->spare && !s->closing) {
        s->spare = b;
        return;
    }
    s->blocks--;
    block_put(b, sizeof *b + b->size);
    if (s->closing && s->blocks == 0)
        g_free(s);
}

void *slab_alloc(slab *s, size_t n)
{
    size_t need = sizeof(piece) + ALIGN(n ? n : 1);
    sblock *b;
    if (need > s->block / 2) {
        b = sblock_new(s, need);            /* alone in its block */
    } else {
        if (!s->current || s->current->size - s->current->used < need) {
            sblock *old = s->current;
            s->current = sblock_new(s, s->block);
            if (old && old->live == 0)
                sblock_drop(old);
        }
        b = s->current;
    }
    piece *p = (piece *)(b->data + b->used);
    b->used += need;
    b->live++;
    p->block = b;
    return p->data;
}

void slab_release(void *data)
{
    if (!data)
        return;
    piece *p = (piece *)((unsigned char *)data - offsetof(piece, data));
    sblock *b = p->block;
    if (--b->live == 0 && b != b->owner->current)
        sblock_drop(b);
}

size_t slab_blocks(const slab *s)
{
    return s->blocks;
}

void slab_free(slab *s)
{
    if (!s)
        return;
    s->closing = true;
    sblock *cur = s->current, *spare = s->spare;
    s->current = s->spare = NULL;
    if (spare) {
        s->blocks--;
        block_put(spare, sizeof *spare + spare->size);
    }
    if (cur && cur->live == 0) {
        s->blocks--;
        block_put(cur, sizeof *cur + cur->size);
    }
    if (s->blocks == 0)
        g_free(s);
}
