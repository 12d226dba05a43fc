/* sim/jsonpos.c: line and column for every value of a cJSON tree.
 *
 * Invariant: the tree came from exactly this text, so a scan that follows
 * JSON's grammar meets the values in the same order as a depth-first walk of
 * the tree (cJSON keeps object members, duplicates included, in order). */
#include "sim/jsonpos.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Scenario and policy files are small; anything larger is a mistake (or
 * /dev/zero), refused before it is read. */
#define MAX_FILE_BYTES (64u << 20)
/* cJSON refuses deeper nesting (CJSON_NESTING_LIMIT) with no reason given. */
#define MAX_DEPTH 1000

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

/* The first byte that breaks UTF-8, JSON's nesting limit, or NUL; false
 * with *error at its line and column.  Checked before parsing, so that
 * nothing the logs would carry as invalid JSON enters a scenario. */
static bool precheck(const char *path, const char *t, gsize len, GError **error)
{
    const char *bad = NULL;
    const char *why = NULL;
    if (!g_utf8_validate_len(t, len, &bad)) {
        why = *bad ? "the text is not valid UTF-8 here (save the file as UTF-8)"
                   : "the text holds a NUL byte here";
    } else {
        int depth = 0;
        bool in_str = false;
        for (gsize i = 0; i < len && !why; i++) {
            char c = t[i];
            if (in_str) {
                if (c == '\\')
                    i++;
                else if (c == '"')
                    in_str = false;
            } else if (c == '"') {
                in_str = true;
            } else if ((c == '{' || c == '[') && ++depth > MAX_DEPTH) {
                bad = t + i;
                why = "objects and lists nest deeper than 1000 levels here";
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
    }
    if (!why)
        return true;
    int line, col;
    line_col(t, (gsize)(bad - t), &line, &col);
    g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "%s:%d:%d: $: %s", path, line, col,
                why);
    return false;
}

jdoc *jdoc_parse(const char *path, const char *text, gsize len, GError **error)
{
    if (!precheck(path, text, len, error))
        return NULL;
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

/* Reads a regular file of at most MAX_FILE_BYTES.  Opened without
 * blocking, so that a FIFO is refused rather than waited on. */
static char *read_regular(const char *path, gsize *len, GError **error)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    const char *why = NULL;
    if (fd < 0 || fstat(fd, &st) != 0)
        why = g_strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = S_ISDIR(st.st_mode) ? "it is a folder" : "it is not a regular file";
    else if ((guint64)st.st_size > MAX_FILE_BYTES)
        why = "it is larger than 64 MB";
    char *buf = NULL;
    gsize got = 0;
    if (!why) {
        buf = g_malloc((gsize)st.st_size + 1);
        while (got < (gsize)st.st_size) {
            ssize_t n = read(fd, buf + got, (gsize)st.st_size - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                why = n < 0 ? g_strerror(errno) : "it shrank while being read";
                break;
            }
            got += (gsize)n;
        }
        buf[got] = '\0';
    }
    if (fd >= 0)
        close(fd);
    if (why) {
        g_free(buf);
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s:1:1: $: cannot read: %s", path, why);
        return NULL;
    }
    *len = got;
    return buf;
}

jdoc *jdoc_load(const char *path, GError **error)
{
    gsize len = 0;
    char *text = read_regular(path, &len, error);
    if (!text)
        return NULL;
    jdoc *d = jdoc_parse(path, text, len, error);
    g_free(text);
    return d;
}

char *jdoc_printable(const char *s)
{
    GString *o = g_string_sized_new(strlen(s) + 8);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n')
            g_string_append(o, "\\n");
        else if (*p == '\t')
            g_string_append(o, "\\t");
        else if (*p == '\r')
            g_string_append(o, "\\r");
        else if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf(o, "\\u%04x", *p);
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            g_string_append_printf(o, "\\u%04x", *++p);          /* C1: U+0080-U+009F */
        else
            g_string_append_c(o, (char)*p);
    }
    return g_string_free(o, FALSE);
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
    return g_strdup_printf("%s:%d:%d: %s: %s", d->file, line, col,
                           json_path && *json_path ? json_path : "$", message);
}
