/* sim/jsonpos.c: line and column for every value of a cJSON tree.
 *
 * Invariant: the tree came from exactly this text, so a scan that follows
 * JSON's grammar meets the values in the same order as a depth-first walk of
 * the tree (cJSON keeps object members, duplicates included, in order). */
#include "sim/jsonpos.h"

#include <gio/gio.h>
#include <string.h>

typedef struct pos { int line, col, key_line, key_col; } pos;

struct jdoc {
    char       *file;
    char       *text;
    gsize       len;
    cJSON      *root;
    GHashTable *where;       /* const cJSON* -> pos* */
};

typedef struct scan {
    const char *t;
    gsize       len, i;
    int         line, col;
    GHashTable *where;
} scan;

static void adv(scan *s)
{
    if (s->i < s->len) {
        if (s->t[s->i] == '\n') {
            s->line++;
            s->col = 1;
        } else if (((unsigned char)s->t[s->i] & 0xC0) != 0x80) {
            s->col++;          /* count characters, not UTF-8 continuation bytes */
        }
        s->i++;
    }
}

static void ws(scan *s)
{
    while (s->i < s->len && strchr(" \t\r\n", s->t[s->i]) && s->t[s->i])
        adv(s);
}

static void skip_string(scan *s)
{
    adv(s);                                      /* opening quote */
    while (s->i < s->len && s->t[s->i] != '"') {
        if (s->t[s->i] == '\\')
            adv(s);
        adv(s);
    }
    adv(s);                                      /* closing quote */
}

static void value(scan *s, const cJSON *node, pos *p);

static pos *mark(scan *s, const cJSON *node)
{
    pos *p = g_hash_table_lookup(s->where, node);
    if (!p) {
        p = g_new0(pos, 1);
        g_hash_table_insert(s->where, (gpointer)node, p);
    }
    return p;
}

static void value(scan *s, const cJSON *node, pos *p)
{
    ws(s);
    p->line = s->line;
    p->col = s->col;
    if (!p->key_line) {
        p->key_line = p->line;
        p->key_col = p->col;
    }
    char c = s->i < s->len ? s->t[s->i] : 0;
    if (c == '{' || c == '[') {
        adv(s);
        const cJSON *child = node ? node->child : NULL;
        for (;;) {
            ws(s);
            if (s->i >= s->len || s->t[s->i] == '}' || s->t[s->i] == ']') {
                adv(s);
                return;
            }
            if (s->t[s->i] == ',') {
                adv(s);
                continue;
            }
            pos *cp = mark(s, child);
            if (c == '{') {
                cp->key_line = s->line;
                cp->key_col = s->col;
                skip_string(s);
                ws(s);
                adv(s);                          /* ':' */
            }
            value(s, child, cp);
            if (child)
                child = child->next;
        }
    } else if (c == '"') {
        skip_string(s);
    } else {
        while (s->i < s->len && !strchr(",]} \t\r\n", s->t[s->i]))
            adv(s);
    }
}

static void line_col(const char *t, gsize upto, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (gsize i = 0; i < upto && t[i]; i++) {
        if (t[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)t[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

jdoc *jdoc_parse(const char *path, const char *text, gsize len, GError **error)
{
    const char *end = NULL;
    char *copy = g_strndup(text, len);
    /* The length includes the NUL: cJSON checks for it when asked to refuse
     * trailing garbage. */
    cJSON *root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
    if (!root) {
        const char *at = end ? end : cJSON_GetErrorPtr();
        gsize off = at && at >= copy && at <= copy + len ? (gsize)(at - copy) : 0;
        int line, col;
        line_col(copy, off, &line, &col);
        g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
                    "%s:%d:%d: $: not valid JSON (check the text near here: a missing comma, "
                    "quote or bracket, or a trailing comma)", path, line, col);
        g_free(copy);
        return NULL;
    }
    jdoc *d = g_new0(jdoc, 1);
    d->file = g_strdup(path);
    d->text = copy;
    d->len = len;
    d->root = root;
    d->where = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    scan s = { .t = copy, .len = len, .line = 1, .col = 1, .where = d->where };
    value(&s, root, mark(&s, root));
    return d;
}

jdoc *jdoc_load(const char *path, GError **error)
{
    char *text = NULL;
    gsize len = 0;
    GError *e = NULL;
    if (!g_file_get_contents(path, &text, &len, &e)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s:1:1: $: cannot read: %s",
                    path, e->message);
        g_error_free(e);
        return NULL;
    }
    jdoc *d = jdoc_parse(path, text, len, error);
    g_free(text);
    return d;
}

void jdoc_free(jdoc *d)
{
    if (!d)
        return;
    g_hash_table_unref(d->where);
    cJSON_Delete(d->root);
    g_free(d->text);
    g_free(d->file);
    g_free(d);
}

cJSON *jdoc_root(const jdoc *d) { return d->root; }
const char *jdoc_file(const jdoc *d) { return d->file; }

void jdoc_pos(const jdoc *d, const cJSON *node, int *line, int *col)
{
    const pos *p = node ? g_hash_table_lookup(d->where, node) : NULL;
    *line = p ? p->line : 0;
    *col = p ? p->col : 0;
}

void jdoc_key_pos(const jdoc *d, const cJSON *node, int *line, int *col)
{
    const pos *p = node ? g_hash_table_lookup(d->where, node) : NULL;
    *line = p ? p->key_line : 0;
    *col = p ? p->key_col : 0;
}

char *jdoc_where(const jdoc *d, const cJSON *node, gboolean at_key, const char *json_path,
                 const char *message)
{
    int line, col;
    if (at_key)
        jdoc_key_pos(d, node, &line, &col);
    else
        jdoc_pos(d, node, &line, &col);
    if (!line) {
        line = 1;
        col = 1;
    }
    return g_strdup_printf("%s:%d:%d: %s: %s", d->file, line, col, json_path, message);
}
