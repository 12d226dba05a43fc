/* model/wire_s3.c: what S3's rest-xml requests need beyond templates (see
 * wire.h): virtual-hosted buckets, aws-chunked bodies, XML payloads. */
#include <arpa/inet.h>
#include <string.h>

#include "model/wire_int.h"

char *wire_s3_path(const sigv4_request *r)
{
    const char *host = sigv4_header_value(r, "host");
    const char *path = r->path && *r->path ? r->path : "/";
    if (!host)
        return g_strdup(path);
    g_autofree char *h = g_ascii_strdown(host, -1);
    char *colon = h[0] == '[' ? NULL : strrchr(h, ':');
    if (colon)
        *colon = '\0';
    struct in_addr v4;
    if (h[0] == '[' || inet_pton(AF_INET, h, &v4) == 1 || strcmp(h, "localhost") == 0)
        return g_strdup(path);
    const char *dot = strchr(h, '.');
    if (!dot)
        return g_strdup(path);
    const char *rest = dot + 1;
    bool vhost = strcmp(rest, "localhost") == 0 ||
                 g_str_has_prefix(rest, "s3.") || g_str_has_prefix(rest, "s3-");
    if (!vhost)
        return g_strdup(path);
    g_autofree char *bucket = g_strndup(h, (gsize)(dot - h));
    return g_strconcat("/", bucket, strcmp(path, "/") == 0 ? "" : path, NULL);
}

bool wire_unchunk(const sigv4_request *r, char **out, gsize *len)
{
    *out = NULL;
    const char *enc = sigv4_header_value(r, "content-encoding");
    if (!enc || !strstr(enc, "aws-chunked"))
        return true;
    GString *o = g_string_new(NULL);
    const char *p = r->body, *end = r->body + r->body_len;
    for (;;) {
        const char *eol = g_strstr_len(p, end - p, "\r\n");
        if (!eol) {
            g_string_free(o, TRUE);
            return false;
        }
        gchar *stop;
        guint64 n = g_ascii_strtoull(p, &stop, 16);   /* "size[;chunk-signature=...]" */
        if (stop == p || (stop != eol && *stop != ';')) {
            g_string_free(o, TRUE);
            return false;
        }
        p = eol + 2;
        if (n == 0)
            break;                                  /* trailers (checksums) follow */
        guint64 left = (guint64)(end - p);
        if (n > left || left - n < 2 || p[n] != '\r' || p[n + 1] != '\n') {   /* n may be huge */
            g_string_free(o, TRUE);
            return false;
        }
        g_string_append_len(o, p, (gssize)n);
        p += n + 2;
    }
    *len = o->len;
    *out = g_string_free(o, FALSE);
    return true;
}

/* ---- XML payloads -------------------------------------------------------------- */

typedef struct xnode {
    char      *name;
    GString   *text;
    GPtrArray *kids;            /* xnode* */
} xnode;

static void xnode_free(gpointer p)
{
    xnode *n = p;
    g_free(n->name);
    g_string_free(n->text, TRUE);
    g_ptr_array_unref(n->kids);
    g_free(n);
}

static xnode *xnode_new(const char *name)
{
    xnode *n = g_new0(xnode, 1);
    const char *colon = strchr(name, ':');      /* namespace prefixes are not names */
    n->name = g_strdup(colon ? colon + 1 : name);
    n->text = g_string_new(NULL);
    n->kids = g_ptr_array_new_with_free_func(xnode_free);
    return n;
}

typedef struct xparse { GPtrArray *stack; xnode *root; } xparse;

static void on_start(GMarkupParseContext *c, const char *name, const char **an, const char **av,
                     gpointer user, GError **error)
{
    (void)c; (void)an; (void)av; (void)error;
    xparse *x = user;
    xnode *n = xnode_new(name);
    if (x->stack->len)
        g_ptr_array_add(((xnode *)x->stack->pdata[x->stack->len - 1])->kids, n);
    else if (!x->root)
        x->root = n;
    else {
        xnode_free(n);             /* a second root: not XML, refused at the end */
        return;
    }
    g_ptr_array_add(x->stack, n);
}

static void on_end(GMarkupParseContext *c, const char *name, gpointer user, GError **error)
{
    (void)c; (void)name; (void)error;
    xparse *x = user;
    if (x->stack->len)
        g_ptr_array_set_size(x->stack, x->stack->len - 1);
}

static void on_text(GMarkupParseContext *c, const char *text, gsize len, gpointer user,
                    GError **error)
{
    (void)c; (void)error;
    xparse *x = user;
    if (x->stack->len)
        g_string_append_len(((xnode *)x->stack->pdata[x->stack->len - 1])->text, text, (gssize)len);
}


static cJSON *node_json(const char *prefix, const char *shape_name, const xnode *n, int depth);

static cJSON *list_json(const char *prefix, const cJSON *shape, GPtrArray *items, int depth)
{
    cJSON *a = cJSON_CreateArray();
    for (guint i = 0; i < items->len; i++) {
        cJSON *v = node_json(prefix, wire_str(shape, "member"), items->pdata[i], depth + 1);
        if (v)
            cJSON_AddItemToArray(a, v);
    }
    return a;
}

static cJSON *node_json(const char *prefix, const char *shape_name, const xnode *n, int depth)
{
    const cJSON *shape = wire_shape(prefix, shape_name);
    const char *t = wire_type(shape);
    if (!shape || depth > 32)
        return NULL;
    if (g_strcmp0(t, "structure") == 0) {
        cJSON *o = cJSON_CreateObject();
        const cJSON *m;
        cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
            const char *ln = wire_str(m, "ln"), *name = ln ? ln : m->string;
            const cJSON *ms = wire_shape(prefix, wire_str(m, "s"));
            bool list = g_strcmp0(wire_type(ms), "list") == 0;
            bool flat = list && (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "fl")) ||
                                 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ms, "flattened")));
            GPtrArray *same = g_ptr_array_new();
            for (guint i = 0; i < n->kids->len; i++)
                if (strcmp(((xnode *)n->kids->pdata[i])->name, name) == 0)
                    g_ptr_array_add(same, n->kids->pdata[i]);
            cJSON *v = NULL;
            if (flat && same->len)
                v = list_json(prefix, ms, same, depth);
            else if (list && same->len)
                v = list_json(prefix, ms, ((xnode *)same->pdata[0])->kids, depth);
            else if (same->len)
                v = node_json(prefix, wire_str(m, "s"), same->pdata[0], depth + 1);
            if (v)
                cJSON_AddItemToObject(o, m->string, v);
            g_ptr_array_unref(same);
        }
        return o;
    }
    g_autofree char *text = g_strstrip(g_strdup(n->text->str));
    return wire_scalar(shape, text);
}

cJSON *wire_xml_parse(const char *prefix, const char *shape, const char *text, gsize len)
{
    xparse x = { .stack = g_ptr_array_new() };
    GMarkupParser p = { on_start, on_end, on_text, NULL, NULL };
    GMarkupParseContext *ctx = g_markup_parse_context_new(&p, 0, &x, NULL);
    bool ok = g_markup_parse_context_parse(ctx, text, (gssize)len, NULL) &&
              g_markup_parse_context_end_parse(ctx, NULL) && x.root;
    g_markup_parse_context_free(ctx);
    g_ptr_array_unref(x.stack);
    cJSON *v = ok ? node_json(prefix, shape, x.root, 0) : NULL;
    if (x.root)
        xnode_free(x.root);
    return v;
}
