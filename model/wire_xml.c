/* model/wire_xml.c: the query and ec2 protocols (form-encoded requests, XML
 * answers) and the XML error forms (see wire.h).
 *
 * A form's keys name members the way botocore writes them: query lists
 * "Name.member.N" (or "Name.N" when flattened, or with the list member's
 * locationName), maps "Name.entry.N.key"; ec2 lists always "Name.N", a member
 * named by its queryName, else its locationName capitalised, else its own
 * name capitalised.  Answers follow the same names back. */
#include <string.h>

#include "model/shapes.h"
#include "model/api.h"
#include "model/wire_int.h"

typedef struct form {
    GHashTable *v;        /* key -> value (borrowed from pairs) */
    GHashTable *under;    /* every "a.b" that some key continues ("a.b.c"): owned */
    GPtrArray  *pairs;
    bool        ec2;
    const char *prefix;
} form;


/* Whether any key is `key` or starts with "key." (a hash lookup each, so
 * that a form of many list items costs its length, not its square). */
static bool present(const form *f, const char *key)
{
    return g_hash_table_contains(f->v, key) || g_hash_table_contains(f->under, key);
}

static char *member_key(const form *f, const char *base, const char *name, const cJSON *ref)
{
    const char *ln = wire_str(ref, "ln"), *qn = wire_str(ref, "qn");
    g_autofree char *own = NULL;
    if (f->ec2) {
        if (qn)
            own = g_strdup(qn);
        else {
            own = g_strdup(ln ? ln : name);
            own[0] = g_ascii_toupper(own[0]);
        }
    } else
        own = g_strdup(ln ? ln : name);
    return base ? g_strconcat(base, ".", own, NULL) : g_steal_pointer(&own);
}

static cJSON *value_at(const form *f, const char *key, const char *shape_name, bool flat, int depth);

static cJSON *struct_at(const form *f, const char *key, const cJSON *shape, int depth)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
        g_autofree char *k = member_key(f, key, m->string, m);
        bool flat = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "fl"));
        cJSON *v = value_at(f, k, wire_str(m, "s"), flat, depth + 1);
        if (v)
            cJSON_AddItemToObject(o, m->string, v);
    }
    return o;
}

static cJSON *value_at(const form *f, const char *key, const char *shape_name, bool flat, int depth)
{
    const cJSON *shape = wire_shape(f->prefix, shape_name);
    const char *t = wire_type(shape);
    if (!shape || depth > 32 || !present(f, key))
        return NULL;
    if (g_strcmp0(t, "structure") == 0)
        return struct_at(f, key, shape, depth);
    if (g_strcmp0(t, "list") == 0) {
        cJSON *a = cJSON_CreateArray();
        flat = flat || f->ec2 || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(shape, "flattened"));
        const char *inner = wire_str(shape, "mln");
        for (int i = 1; i < 100000; i++) {
            g_autofree char *k = flat ? g_strdup_printf("%s.%d", key, i)
                                      : g_strdup_printf("%s.%s.%d", key, inner ? inner : "member", i);
            cJSON *v = value_at(f, k, wire_str(shape, "member"), false, depth + 1);
            if (!v)
                break;
            cJSON_AddItemToArray(a, v);
        }
        return a;
    }
    if (g_strcmp0(t, "map") == 0) {
        cJSON *o = cJSON_CreateObject();
        const char *kn = wire_str(shape, "kln"), *vn = wire_str(shape, "vln");
        for (int i = 1; i < 100000; i++) {
            g_autofree char *e = flat ? g_strdup_printf("%s.%d", key, i)
                                      : g_strdup_printf("%s.entry.%d", key, i);
            g_autofree char *kk = g_strdup_printf("%s.%s", e, kn ? kn : "key");
            g_autofree char *vk = g_strdup_printf("%s.%s", e, vn ? vn : "value");
            const char *name = g_hash_table_lookup(f->v, kk);
            if (!name)
                break;
            cJSON *v = value_at(f, vk, wire_str(shape, "value"), false, depth + 1);
            cJSON_AddItemToObject(o, name, v ? v : cJSON_CreateString(""));
        }
        return o;
    }
    const char *text = g_hash_table_lookup(f->v, key);
    return text ? wire_scalar(shape, text) : NULL;
}

bool wire_decode_form(const char *prefix, const sigv4_request *r, wire_call *c,
                      const char **code, char **message)
{
    bool ec2 = g_strcmp0(wire_protocol(prefix), "ec2") == 0;
    form f = { .ec2 = ec2, .prefix = prefix };
    f.pairs = r->body_len ? wire_pairs(r->body, r->body_len, true)
                          : wire_pairs(r->query ? r->query : "", r->query ? strlen(r->query) : 0, true);
    f.v = g_hash_table_new(g_str_hash, g_str_equal);
    f.under = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; i < f.pairs->len; i++) {
        char **kv = f.pairs->pdata[i];
        g_hash_table_replace(f.v, kv[0], kv[1]);
        for (const char *d = strchr(kv[0], '.'); d; d = strchr(d + 1, '.'))
            g_hash_table_add(f.under, g_strndup(kv[0], (gsize)(d - kv[0])));
    }
    const char *action = g_hash_table_lookup(f.v, "Action");
    const cJSON *row = action ? shapes_op(api_shapes(), prefix, action) : NULL;
    bool ok = false;
    if (!action) {
        *code = "MissingAction";
        *message = g_strdup("Missing Action");
    } else if (!row) {
        *code = "InvalidAction";
        *message = g_strdup_printf("Could not find operation %s for version %s", action,
                                   wire_meta_str(prefix, "version"));
    } else {
        c->op = g_strdup(action);
        const cJSON *in = wire_shape(prefix, wire_str(row, "in"));
        c->input = in ? struct_at(&f, NULL, in, 0) : cJSON_CreateObject();
        ok = true;
    }
    g_hash_table_unref(f.v);
    g_hash_table_unref(f.under);
    g_ptr_array_unref(f.pairs);
    return ok;
}

/* ---- XML answers ------------------------------------------------------------------ */

static void esc(GString *o, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': g_string_append(o, "&amp;"); break;
        case '<': g_string_append(o, "&lt;"); break;
        case '>': g_string_append(o, "&gt;"); break;
        case '"': g_string_append(o, "&quot;"); break;
        case '\'': g_string_append(o, "&apos;"); break;
        default: g_string_append_c(o, *s);
        }
}

static void xml_value(GString *o, const char *prefix, bool ec2, const char *name,
                      const char *shape_name, bool flat, const cJSON *v, int depth);

static void xml_members(GString *o, const char *prefix, bool ec2, const cJSON *shape,
                        const cJSON *v, int depth)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
        const cJSON *mv = cJSON_GetObjectItemCaseSensitive(v, m->string);
        if (!mv || cJSON_IsNull(mv) || wire_str(m, "loc"))
            continue;
        const char *ln = wire_str(m, "ln");
        bool flat = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "fl"));
        xml_value(o, prefix, ec2, ln ? ln : m->string, wire_str(m, "s"), flat, mv, depth + 1);
    }
}

static void xml_value(GString *o, const char *prefix, bool ec2, const char *name,
                      const char *shape_name, bool flat, const cJSON *v, int depth)
{
    const cJSON *shape = wire_shape(prefix, shape_name);
    const char *t = wire_type(shape);
    if (depth > 64)
        return;
    if (g_strcmp0(t, "list") == 0) {
        flat = flat || cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(shape, "flattened"));
        const char *inner = wire_str(shape, "mln");
        const cJSON *e;
        if (!flat)
            g_string_append_printf(o, "<%s>", name);
        cJSON_ArrayForEach(e, v)
            xml_value(o, prefix, ec2, flat ? name : inner ? inner : ec2 ? "item" : "member",
                      wire_str(shape, "member"), false, e, depth + 1);
        if (!flat)
            g_string_append_printf(o, "</%s>", name);
        return;
    }
    g_string_append_printf(o, "<%s>", name);
    if (g_strcmp0(t, "structure") == 0)
        xml_members(o, prefix, ec2, shape, v, depth);
    else if (g_strcmp0(t, "map") == 0) {
        const char *kn = wire_str(shape, "kln"), *vn = wire_str(shape, "vln");
        const cJSON *e;
        cJSON_ArrayForEach(e, v) {
            g_string_append(o, "<entry>");
            g_string_append_printf(o, "<%s>", kn ? kn : "key");
            esc(o, e->string);
            g_string_append_printf(o, "</%s>", kn ? kn : "key");
            xml_value(o, prefix, ec2, vn ? vn : "value", wire_str(shape, "value"), false, e, depth + 1);
            g_string_append(o, "</entry>");
        }
    } else if ((cJSON_IsString(v) || cJSON_IsObject(v)) && strcmp(prefix, "iam") == 0 &&
               g_strcmp0(shape_name, "policyDocumentType") == 0) {
        /* IAM answers policy documents URL-encoded (RFC 3986), as its API
         * Reference says; the SDKs decode them. */
        char *text = cJSON_IsString(v) ? NULL : cJSON_PrintUnformatted(v);
        g_autofree char *enc = g_uri_escape_string(text ? text : v->valuestring, NULL, FALSE);
        cJSON_free(text);
        esc(o, enc);
    } else if (cJSON_IsString(v))
        esc(o, v->valuestring);
    else if (cJSON_IsBool(v))
        g_string_append(o, cJSON_IsTrue(v) ? "true" : "false");
    else if (cJSON_IsNumber(v)) {
        if (v->valuedouble == (double)(gint64)v->valuedouble)
            g_string_append_printf(o, "%" G_GINT64_FORMAT, (gint64)v->valuedouble);
        else
            g_string_append_printf(o, "%.17g", v->valuedouble);
    } else if (cJSON_IsObject(v) || cJSON_IsArray(v)) {
        char *text = cJSON_PrintUnformatted(v);     /* a document member: JSON text */
        esc(o, text);
        cJSON_free(text);
    }
    g_string_append_printf(o, "</%s>", name);
}

void wire_answer_xml(const char *prefix, const char *op, const cJSON *row, const cJSON *output,
                     const char *request_id, wire_reply *out)
{
    const char *proto = wire_protocol(prefix);
    const char *ns = wire_meta_str(prefix, "ns");
    bool ec2 = g_strcmp0(proto, "ec2") == 0;
    const cJSON *shape = wire_shape(prefix, wire_str(row, "out"));
    GString *o = out->body;
    out->content_type = "text/xml";
    g_string_assign(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    g_string_append_printf(o, "<%sResponse xmlns=\"%s\">", op, ns ? ns : "");
    if (ec2) {
        g_string_append_printf(o, "<requestId>%s</requestId>", request_id);
        if (shape)
            xml_members(o, prefix, true, shape, output, 0);
    } else {
        const char *wrap = wire_str(row, "wrap");
        if (wrap) {
            g_string_append_printf(o, "<%s>", wrap);
            if (shape)
                xml_members(o, prefix, false, shape, output, 0);
            g_string_append_printf(o, "</%s>", wrap);
        }
        g_string_append_printf(o, "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>",
                               request_id);
    }
    g_string_append_printf(o, "</%sResponse>\n", op);
}

void wire_error_xml(const char *prefix, const char *proto, const char *code, const char *message,
                    const char *request_id, wire_reply *out)
{
    GString *o = out->body;
    out->content_type = "text/xml";
    g_string_assign(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (strcmp(proto, "ec2") == 0) {
        g_string_append_printf(o, "<Response><Errors><Error><Code>%s</Code><Message>", code);
        esc(o, message ? message : "");
        g_string_append_printf(o, "</Message></Error></Errors><RequestID>%s</RequestID></Response>\n",
                               request_id);
        return;
    }
    if (strcmp(proto, "rest-xml") == 0) {
        g_string_append_printf(o, "<Error><Code>%s</Code><Message>", code);
        esc(o, message ? message : "");
        g_string_append_printf(o, "</Message><RequestId>%s</RequestId></Error>\n", request_id);
        return;
    }
    const char *ns = wire_meta_str(prefix, "ns");
    g_string_append_printf(o, "<ErrorResponse xmlns=\"%s\"><Error><Type>%s</Type><Code>%s</Code>"
                              "<Message>", ns ? ns : "", wire_error_status(prefix, code) >= 500
                              ? "Receiver" : "Sender", code);
    esc(o, message ? message : "");
    g_string_append_printf(o, "</Message></Error><RequestId>%s</RequestId></ErrorResponse>\n",
                           request_id);
}

/* ---- rest-xml answers (S3) --------------------------------------------------------- */

/* The root element of an answer's XML body, as S3 names it. */
static const char *s3_root(const char *op)
{
    static const struct { const char *op, *root; } roots[] = {
        { "ListObjectsV2", "ListBucketResult" }, { "ListBuckets", "ListAllMyBucketsResult" },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(roots); i++)
        if (strcmp(roots[i].op, op) == 0)
            return roots[i].root;
    return NULL;
}

/* A header timestamp in HTTP's form ("Mon, 05 Jan 2026 09:00:00 GMT"). */
static char *http_date(const char *iso)
{
    GDateTime *t = g_date_time_new_from_iso8601(iso, NULL);
    if (!t)
        return g_strdup(iso);
    char *s = g_date_time_format(t, "%a, %d %b %Y %H:%M:%S GMT");
    g_date_time_unref(t);
    return s;
}

void wire_answer_rest_xml(const char *prefix, const char *op, const cJSON *row,
                          const cJSON *output, wire_reply *out)
{
    const cJSON *http = cJSON_GetObjectItemCaseSensitive(row, "http");
    out->status = (int)cJSON_GetNumberValue(cJSON_GetArrayItem(http, 2));
    if (out->status <= 0)
        out->status = 200;
    out->content_type = "application/xml";
    const cJSON *shape = wire_shape(prefix, wire_str(row, "out"));
    const char *payload = wire_str(shape, "payload");
    GString *xml = g_string_new(NULL);
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(output, m->string);
        const char *loc = wire_str(m, "loc"), *ln = wire_str(m, "ln");
        const cJSON *ms = wire_shape(prefix, wire_str(m, "s"));
        if (!v || cJSON_IsNull(v))
            continue;
        if (payload && strcmp(m->string, payload) == 0) {
            if (cJSON_IsString(v))
                wire_payload_text(prefix, shape, payload, v->valuestring, out->body);
            continue;
        }
        if (g_strcmp0(loc, "header") == 0) {
            const char *name = ln ? ln : m->string;
            if (g_ascii_strcasecmp(name, "Content-Type") == 0 && cJSON_IsString(v))
                out->content_type = NULL;           /* the header carries it */
            if (cJSON_IsString(v) && g_strcmp0(wire_type(ms), "timestamp") == 0) {
                g_autofree char *d = http_date(v->valuestring);
                g_string_append_printf(out->headers, "%s: %s\n", name, d);
            } else if (cJSON_IsString(v))
                g_string_append_printf(out->headers, "%s: %s\n", name, v->valuestring);
            else if (cJSON_IsNumber(v))
                g_string_append_printf(out->headers, "%s: %.0f\n", name, v->valuedouble);
            else if (cJSON_IsBool(v))
                g_string_append_printf(out->headers, "%s: %s\n", name, cJSON_IsTrue(v) ? "true" : "false");
            continue;
        }
        if (g_strcmp0(loc, "headers") == 0) {
            const cJSON *e;
            cJSON_ArrayForEach(e, v)
                if (cJSON_IsString(e))
                    g_string_append_printf(out->headers, "%s%s: %s\n", ln ? ln : "", e->string,
                                           e->valuestring);
            continue;
        }
        if (loc)
            continue;
        xml_value(xml, prefix, false, ln ? ln : m->string, wire_str(m, "s"),
                  cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "fl")), v, 1);
    }
    if (!payload && xml->len) {
        const char *root = s3_root(op);
        g_autofree char *fallback = g_strconcat(op, "Result", NULL);
        g_string_printf(out->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s xmlns=\"%s\">%s</%s>",
                        root ? root : fallback, "http://s3.amazonaws.com/doc/2006-03-01/", xml->str,
                        root ? root : fallback);
    }
    g_string_free(xml, TRUE);
}
