/* model/wire.c: routing, input decoding and the JSON protocols' answers
 * (see wire.h); the form-encoded and XML halves are in wire_xml.c. */
#include "model/wire.h"

#include <stdlib.h>
#include <string.h>

#include "model/api.h"
#include "model/base/duration.h"
#include "model/service.h"
#include "model/shapes.h"
#include "model/wire_int.h"

void wire_reply_init(wire_reply *r)
{
    r->status = 200;
    r->headers = g_string_new(NULL);
    r->body = g_string_new(NULL);
    r->content_type = "application/json";
}

void wire_reply_clear(wire_reply *r)
{
    if (r->headers)
        g_string_free(r->headers, TRUE);
    if (r->body)
        g_string_free(r->body, TRUE);
    memset(r, 0, sizeof *r);
}

void wire_call_clear(wire_call *c)
{
    g_free(c->op);
    cJSON_Delete(c->input);
    memset(c, 0, sizeof *c);
}

const cJSON *wire_meta(const char *prefix)
{
    return prefix ? shapes_meta(api_shapes(), prefix) : NULL;
}

const char *wire_meta_str(const char *prefix, const char *key)
{
    return wire_str(wire_meta(prefix), key);
}

const cJSON *wire_shape(const char *prefix, const char *name)
{
    return shapes_shape(api_shapes(), prefix, name);
}

const char *wire_str(const cJSON *node, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(node, key));
}

const char *wire_type(const cJSON *shape)
{
    return wire_str(shape, "type");
}

const char *wire_protocol(const char *prefix)
{
    return prefix ? shapes_protocol(api_shapes(), prefix) : NULL;
}

const char *wire_prefix_for_signing(const char *signing)
{
    const shapes *s = api_shapes();
    const char *p;
    for (guint i = 0; signing && (p = shapes_prefix_at(s, i)); i++)
        if (g_strcmp0(wire_meta_str(p, "signing"), signing) == 0)
            return p;
    return NULL;
}

static const char *prefix_for_target(const char *target)
{
    const shapes *s = api_shapes();
    const char *p;
    for (guint i = 0; (p = shapes_prefix_at(s, i)); i++)
        if (g_strcmp0(wire_meta_str(p, "target"), target) == 0)
            return p;
    return NULL;
}

/* A string from the wire (path label, query, header, form) as the member's
 * type: numbers and booleans parsed, the rest kept as text.  NULL when the
 * text is not of the type. */
cJSON *wire_scalar(const cJSON *shape, const char *text)
{
    const char *t = wire_type(shape);
    if (g_strcmp0(t, "integer") == 0 || g_strcmp0(t, "long") == 0) {
        char *end;
        long long v = strtoll(text, &end, 10);
        return *text && !*end ? cJSON_CreateNumber((double)v) : NULL;
    }
    if (g_strcmp0(t, "float") == 0 || g_strcmp0(t, "double") == 0) {
        char *end;
        double v = g_ascii_strtod(text, &end);
        return *text && !*end ? cJSON_CreateNumber(v) : NULL;
    }
    if (g_strcmp0(t, "boolean") == 0) {
        if (g_ascii_strcasecmp(text, "true") == 0)
            return cJSON_CreateTrue();
        if (g_ascii_strcasecmp(text, "false") == 0)
            return cJSON_CreateFalse();
        return NULL;
    }
    return cJSON_CreateString(text);
}

char *wire_unescape(const char *s, gssize n, bool plus_is_space)
{
    gsize len = n < 0 ? strlen(s) : (gsize)n;
    GString *o = g_string_sized_new(len);
    for (gsize i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len && g_ascii_isxdigit(s[i + 1]) && g_ascii_isxdigit(s[i + 2])) {
            g_string_append_c(o, (char)(g_ascii_xdigit_value(s[i + 1]) * 16 +
                                        g_ascii_xdigit_value(s[i + 2])));
            i += 2;
        } else
            g_string_append_c(o, plus_is_space && s[i] == '+' ? ' ' : s[i]);
    }
    return g_string_free(o, FALSE);
}

/* key=value pairs of a query string or form body, in order (char*[2]). */
GPtrArray *wire_pairs(const char *text, gsize len, bool plus_is_space)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
    const char *p = text, *end = text + len;
    while (p && p < end) {
        const char *amp = memchr(p, '&', (gsize)(end - p));
        const char *stop = amp ? amp : end;
        if (stop > p) {
            const char *eq = memchr(p, '=', (gsize)(stop - p));
            char **kv = g_new0(char *, 3);
            kv[0] = wire_unescape(p, (eq ? eq : stop) - p, plus_is_space);
            kv[1] = eq ? wire_unescape(eq + 1, stop - eq - 1, plus_is_space) : g_strdup("");
            g_ptr_array_add(out, kv);
        }
        p = amp ? amp + 1 : NULL;
    }
    return out;
}

/* ---- rest-json: the requestUri templates ---------------------------------------- */

/* Matches a request's path segments (percent-encoded, as sent) and query
 * pairs, both split once by the caller, against a template such as
 * "/memberships/{id}/trained-models/{arn}" or "/{Bucket}/{Key+}?tagging";
 * on a match fills labels (name -> decoded value) and returns the number
 * of literal segments and required query keys (its specificity), else -1. */
static int match_uri(const char *tmpl, char **ps, const GPtrArray *query, GHashTable *labels)
{
    g_autofree char *t = g_strdup(tmpl);
    char *q = strchr(t, '?');
    int literal = 0;
    if (q) {
        *q++ = '\0';
        /* every literal query key of the template must be sent */
        g_auto(GStrv) need = g_strsplit(q, "&", 0);
        for (char **n = need; *n; n++) {
            g_autofree char *key = g_strndup(*n, strcspn(*n, "="));
            bool found = false;
            for (guint i = 0; i < query->len && !found; i++)
                found = strcmp(((char **)query->pdata[i])[0], key) == 0;
            if (*key && !found)
                return -1;
            literal += *key != '\0';      /* a required key is as specific as a segment */
        }
    }
    g_auto(GStrv) ts = g_strsplit(t[0] == '/' ? t + 1 : t, "/", 0);
    guint i = 0;
    for (; ts[i]; i++) {
        char *seg = ts[i];
        gsize n = strlen(seg);
        if (n > 2 && seg[0] == '{' && seg[n - 1] == '}') {
            bool greedy = seg[n - 2] == '+';
            g_autofree char *name = g_strndup(seg + 1, n - 2 - (greedy ? 1 : 0));
            if (greedy) {
                GString *rest = g_string_new(NULL);
                for (guint k = i; ps[k] && k < g_strv_length(ps); k++)
                    g_string_append_printf(rest, "%s%s", k > i ? "/" : "", ps[k]);
                if (!rest->len) {
                    g_string_free(rest, TRUE);
                    return -1;
                }
                g_hash_table_replace(labels, g_strdup(name), wire_unescape(rest->str, -1, false));
                g_string_free(rest, TRUE);
                return literal;
            }
            if (i >= g_strv_length(ps) || !*ps[i])
                return -1;
            g_hash_table_replace(labels, g_strdup(name), wire_unescape(ps[i], -1, false));
            continue;
        }
        if (i >= g_strv_length(ps) || strcmp(seg, ps[i]) != 0)
            return -1;
        if (*seg)
            literal++;
    }
    /* the path may end with one empty segment ("/x/") */
    guint np = g_strv_length(ps);
    if (i < np && !(i + 1 == np && !*ps[i]))
        return -1;
    return literal;
}

static const char *header_of(const sigv4_request *r, const char *name)
{
    return sigv4_header_value(r, name);
}

/* Members of a rest-json input from the path, query string and headers;
 * the body (a JSON object, or the payload member) merged in. */
static bool rest_input(const char *prefix, const cJSON *op, const sigv4_request *r,
                       const GPtrArray *query, GHashTable *labels, wire_call *c,
                       const char **code, char **message)
{
    const char *in = wire_str(op, "in");
    const cJSON *shape = wire_shape(prefix, in);
    const char *payload = wire_str(shape, "payload");
    cJSON *input = NULL;
    if (payload) {
        input = cJSON_CreateObject();
        const cJSON *ref = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(shape, "members"), payload);
        const cJSON *ps = wire_shape(prefix, wire_str(ref, "s"));
        if (r->body_len) {
            if (g_strcmp0(wire_type(ps), "structure") == 0 &&
                g_strcmp0(wire_protocol(prefix), "rest-xml") == 0) {
                cJSON *b = wire_xml_parse(prefix, wire_str(ref, "s"),
                                          r->body, r->body_len);
                if (!b) {
                    cJSON_Delete(input);
                    *code = "MalformedXML";
                    *message = g_strdup("The XML you provided was not well-formed or did not "
                                        "validate against our published schema");
                    return false;
                }
                cJSON_AddItemToObject(input, payload, b);
            } else if (g_strcmp0(wire_type(ps), "structure") == 0) {
                cJSON *b = cJSON_ParseWithLength(r->body, r->body_len);
                if (!cJSON_IsObject(b)) {
                    cJSON_Delete(b);
                    cJSON_Delete(input);
                    *code = "SerializationException";
                    *message = g_strdup("The request body is not a JSON object.");
                    return false;
                }
                cJSON_AddItemToObject(input, payload, b);
            } else if (g_strcmp0(wire_type(ps), "blob") == 0) {
                /* the model holds blobs as base64 text, as botocore's JSON does */
                g_autofree char *b64 = g_base64_encode((const guchar *)r->body, r->body_len);
                cJSON_AddStringToObject(input, payload, b64);
            } else {
                g_autofree char *text = g_strndup(r->body, r->body_len);
                cJSON_AddStringToObject(input, payload, text);
            }
        }
    } else if (r->body_len) {
        input = cJSON_ParseWithLength(r->body, r->body_len);
        if (!cJSON_IsObject(input)) {
            cJSON_Delete(input);
            *code = "SerializationException";
            *message = g_strdup("The request body is not a JSON object.");
            return false;
        }
    } else
        input = cJSON_CreateObject();
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
        const char *loc = wire_str(m, "loc");
        const char *ln = wire_str(m, "ln");
        const cJSON *ms = wire_shape(prefix, wire_str(m, "s"));
        const char *name = ln ? ln : m->string;
        if (!loc)
            continue;
        cJSON *v = NULL;
        if (strcmp(loc, "headers") == 0) {      /* a prefix map: x-amz-meta-* */
            for (gsize i = 0; i < r->n_headers; i++)
                if (g_ascii_strncasecmp(r->headers[i].name, name, strlen(name)) == 0) {
                    if (!v)
                        v = cJSON_CreateObject();
                    g_autofree char *k = g_ascii_strdown(r->headers[i].name + strlen(name), -1);
                    cJSON_AddStringToObject(v, k, r->headers[i].value);
                }
        } else if (strcmp(loc, "uri") == 0) {
            const char *text = g_hash_table_lookup(labels, name);
            if (text)
                v = wire_scalar(ms, text);
        } else if (strcmp(loc, "header") == 0) {
            const char *text = header_of(r, name);
            if (text)
                v = wire_scalar(ms, text);
        } else if (strcmp(loc, "querystring") == 0) {
            bool list = g_strcmp0(wire_type(ms), "list") == 0;
            const cJSON *es = list ? wire_shape(prefix, wire_str(ms, "member"))
                                   : ms;
            for (guint i = 0; i < query->len; i++) {
                char **kv = query->pdata[i];
                if (strcmp(kv[0], name) != 0)
                    continue;
                cJSON *one = wire_scalar(es, kv[1]);
                if (!one)
                    continue;
                if (!list) {
                    cJSON_Delete(v);
                    v = one;
                    continue;
                }
                if (!v)
                    v = cJSON_CreateArray();
                cJSON_AddItemToArray(v, one);
            }
        }
        if (v) {
            cJSON_DeleteItemFromObjectCaseSensitive(input, m->string);
            cJSON_AddItemToObject(input, m->string, v);
        } else if (strcmp(loc, "uri") == 0 || strcmp(loc, "header") == 0 ||
                   strcmp(loc, "querystring") == 0) {
            const char *text = strcmp(loc, "uri") == 0 ? g_hash_table_lookup(labels, name) : NULL;
            if (text) {
                cJSON_Delete(input);
                *code = "ValidationException";
                *message = g_strdup_printf("Value '%s' at '%s' is not a valid %s.", text, m->string,
                                           wire_type(ms));
                return false;
            }
        }
    }
    c->input = input;
    return true;
}

static bool route_rest(const char *prefix, const sigv4_request *r, wire_call *c,
                       const char **code, char **message)
{
    const shapes *s = api_shapes();
    const char **names = shapes_op_names(s, prefix);
    const char *best = NULL;
    int best_score = -1;
    GHashTable *best_labels = NULL;
    const char *path = r->path && *r->path ? r->path : "/";
    g_auto(GStrv) ps = g_strsplit(path[0] == '/' ? path + 1 : path, "/", 0);
    g_autoptr(GPtrArray) query = wire_pairs(r->query ? r->query : "",
                                            r->query ? strlen(r->query) : 0, false);
    for (const char **n = names; n && *n; n++) {
        const cJSON *op = shapes_op(s, prefix, *n);
        const cJSON *http = cJSON_GetObjectItemCaseSensitive(op, "http");
        if (!op || !http)
            continue;
        if (g_strcmp0(cJSON_GetStringValue(cJSON_GetArrayItem(http, 0)), r->method) != 0)
            continue;
        GHashTable *labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        int score = match_uri(cJSON_GetStringValue(cJSON_GetArrayItem(http, 1)), ps, query, labels);
        if (score > best_score) {
            if (best_labels)
                g_hash_table_unref(best_labels);
            best = *n;
            best_score = score;
            best_labels = labels;
        } else
            g_hash_table_unref(labels);
    }
    g_free(names);
    if (!best) {
        *code = "UnknownOperationException";
        *message = g_strdup_printf("No %s operation crossim simulates answers %s %s.", prefix,
                                   r->method, r->path);
        return false;
    }
    c->op = g_strdup(best);
    bool ok = rest_input(prefix, shapes_op(s, prefix, best), r, query, best_labels, c, code,
                         message);
    g_hash_table_unref(best_labels);
    return ok;
}

bool wire_payload_hash_ok(const char *prefix, const sigv4_request *r)
{
    const char *sent = sigv4_header_value(r, "x-amz-content-sha256");
    if (g_strcmp0(wire_protocol(prefix), "rest-xml") != 0 || !sent ||
        g_str_has_prefix(sent, "UNSIGNED-PAYLOAD") || g_str_has_prefix(sent, "STREAMING-"))
        return true;
    g_autofree char *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)r->body,
                                                     r->body_len);
    return g_ascii_strcasecmp(h, sent) == 0;
}

bool wire_decode(const sigv4_request *r, const char *signing, wire_call *c, const char **code,
                 char **message)
{
    memset(c, 0, sizeof *c);
    const char *target = header_of(r, "x-amz-target");
    if (target) {
        const char *dot = strrchr(target, '.');
        g_autofree char *tp = dot ? g_strndup(target, (gsize)(dot - target)) : NULL;
        c->prefix = tp ? prefix_for_target(tp) : NULL;
        if (!c->prefix) {
            c->prefix = wire_prefix_for_signing(signing);
            *code = "UnknownOperationException";
            *message = g_strdup_printf("%s is not an operation crossim simulates.", target);
            return false;
        }
        c->op = g_strdup(dot + 1);
        if (!shapes_op(api_shapes(), c->prefix, c->op)) {
            *code = "UnknownOperationException";
            *message = g_strdup_printf("%s is not an operation crossim simulates.", target);
            return false;
        }
        c->input = r->body_len ? cJSON_ParseWithLength(r->body, r->body_len) : cJSON_CreateObject();
        if (!cJSON_IsObject(c->input)) {
            cJSON_Delete(c->input);
            c->input = NULL;
            *code = "SerializationException";
            *message = g_strdup("Start of structure or map found where not expected.");
            return false;
        }
        return true;
    }
    c->prefix = wire_prefix_for_signing(signing);
    const char *proto = wire_protocol(c->prefix);
    if (!c->prefix) {
        *code = "UnknownOperationException";
        *message = g_strdup_printf("No service crossim simulates is signed for as \"%s\".",
                                   signing ? signing : "");
        return false;
    }
    if (strcmp(proto, "query") == 0 || strcmp(proto, "ec2") == 0)
        return wire_decode_form(c->prefix, r, c, code, message);
    if (strcmp(proto, "rest-xml") == 0) {
        sigv4_request v = *r;
        g_autofree char *path = wire_s3_path(r);
        g_autofree char *body = NULL;
        v.path = path;
        if (!wire_unchunk(r, &body, &v.body_len)) {
            *code = "IncompleteBody";
            *message = g_strdup("The request body terminated unexpectedly");
            return false;
        }
        if (body)
            v.body = body;
        return route_rest(c->prefix, &v, c, code, message);
    }
    if (strcmp(proto, "rest-json") == 0)
        return route_rest(c->prefix, r, c, code, message);
    *code = "UnknownOperationException";
    *message = g_strdup("A request to a JSON service needs its X-Amz-Target header.");
    return false;
}

void wire_payload_text(const char *prefix, const cJSON *shape, const char *payload,
                       const char *value, GString *body)
{
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(shape, "members"), payload);
    const cJSON *ps = wire_shape(prefix, wire_str(ref, "s"));
    if (g_strcmp0(wire_type(ps), "blob") == 0) {
        gsize n = 0;
        g_autofree guchar *raw = g_base64_decode(value, &n);
        g_string_truncate(body, 0);
        g_string_append_len(body, (const char *)raw, (gssize)n);
    } else
        g_string_assign(body, value);
}

/* ---- answers ---------------------------------------------------------------------- */

int wire_error_status(const char *prefix, const char *code)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(wire_meta(prefix), "errors"), code);
    if (cJSON_IsNumber(st))
        return (int)st->valuedouble;
    static const struct { const char *code; int status; } common[] = {
        { "AccessDenied", 403 }, { "UnrecognizedClientException", 403 },
        { "InvalidSignatureException", 403 }, { "InvalidClientTokenId", 403 },
        { "SignatureDoesNotMatch", 403 }, { "MissingAuthenticationTokenException", 403 },
        { "MissingAuthenticationToken", 403 }, { "ExpiredTokenException", 403 },
        { "ExpiredToken", 403 }, { "IncompleteSignatureException", 400 },
        { "IncompleteSignature", 400 }, { "AuthFailure", 401 }, { "InvalidAccessKeyId", 403 },
        { "RequestTimeTooSkewed", 403 }, { "UnknownOperationException", 400 },
        { "InternalFailure", 500 }, { "ServiceUnavailable", 503 }, { "NotImplemented", 501 },
        { "RequestEntityTooLarge", 413 }, { "XAmzContentSHA256Mismatch", 400 },
        { "AuthorizationHeaderMalformed", 400 }, { "RequestExpired", 400 },
        { "NoSuchBucketPolicy", 404 }, { "MalformedXML", 400 }, { "IncompleteBody", 400 },
    };
    for (gsize i = 0; i < G_N_ELEMENTS(common); i++)
        if (strcmp(common[i].code, code) == 0)
            return common[i].status;
    return 400;
}

/* The JSON protocols write timestamps as seconds since the epoch (the Go
 * and Java SDKs accept nothing else); the handlers' outputs hold ISO 8601
 * text, converted here by the output shape, in place.  A member whose
 * model says timestampFormat "iso8601" keeps its text. */
static void epoch_times(const char *prefix, const char *shape_name, cJSON *v, int depth)
{
    const cJSON *shape = wire_shape(prefix, shape_name);
    const char *t = wire_type(shape);
    if (!shape || depth > 64)
        return;
    if (g_strcmp0(t, "structure") == 0) {
        const cJSON *m;
        cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(shape, "members")) {
            cJSON *mv = cJSON_GetObjectItemCaseSensitive(v, m->string);
            const char *ms = wire_str(m, "s");
            const char *tf = wire_str(m, "tf");
            if (!mv)
                continue;
            const cJSON *msh = wire_shape(prefix, ms);
            if (g_strcmp0(wire_type(msh), "timestamp") == 0) {
                if (!tf)
                    tf = wire_str(msh, "timestampFormat");
                int64_t secs;
                if (cJSON_IsString(mv) && g_strcmp0(tf, "iso8601") != 0 &&
                    time_parse_iso(mv->valuestring, &secs))
                    cJSON_ReplaceItemInObjectCaseSensitive(v, m->string,
                                                           cJSON_CreateNumber((double)secs));
                continue;
            }
            epoch_times(prefix, ms, mv, depth + 1);
        }
    } else if (g_strcmp0(t, "list") == 0) {
        const char *es = wire_str(shape, "member");
        const cJSON *esh = wire_shape(prefix, es);
        cJSON *e;
        bool stamps = g_strcmp0(wire_type(esh), "timestamp") == 0;
        for (e = v ? v->child : NULL; e; e = e->next) {
            int64_t secs;
            if (stamps && cJSON_IsString(e) && time_parse_iso(e->valuestring, &secs)) {
                cJSON *n = cJSON_CreateNumber((double)secs);
                cJSON_ReplaceItemViaPointer(v, e, n);
                e = n;
            } else if (!stamps)
                epoch_times(prefix, es, e, depth + 1);
        }
    } else if (g_strcmp0(t, "map") == 0) {
        const char *vs = wire_str(shape, "value");
        cJSON *e;
        for (e = v ? v->child : NULL; e; e = e->next)
            epoch_times(prefix, vs, e, depth + 1);
    }
}

static const char *json_type(const char *prefix)
{
    const char *v = wire_meta_str(prefix, "json");
    return g_strcmp0(v, "1.0") == 0 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1";
}

static void rest_answer(const char *prefix, const cJSON *op, const cJSON *output, wire_reply *out)
{
    const cJSON *http = cJSON_GetObjectItemCaseSensitive(op, "http");
    out->status = (int)cJSON_GetNumberValue(cJSON_GetArrayItem(http, 2));
    if (out->status <= 0)
        out->status = 200;
    const cJSON *shape = wire_shape(prefix, wire_str(op, "out"));
    const char *payload = wire_str(shape, "payload");
    cJSON *body = cJSON_CreateObject();
    const cJSON *v;
    cJSON_ArrayForEach(v, output) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(shape, "members"), v->string);
        const char *loc = wire_str(m, "loc");
        const char *ln = wire_str(m, "ln");
        if (payload && strcmp(v->string, payload) == 0) {
            if (cJSON_IsString(v))
                wire_payload_text(prefix, shape, payload, v->valuestring, out->body);
            else {
                char *t = cJSON_PrintUnformatted(v);
                g_string_assign(out->body, t);
                free(t);
            }
            continue;
        }
        if (g_strcmp0(loc, "statusCode") == 0) {
            if (cJSON_IsNumber(v))
                out->status = (int)v->valuedouble;
            continue;
        }
        if (g_strcmp0(loc, "header") == 0) {
            if (cJSON_IsString(v))
                g_string_append_printf(out->headers, "%s: %s\n", ln ? ln : v->string, v->valuestring);
            else if (cJSON_IsNumber(v))
                g_string_append_printf(out->headers, "%s: %.0f\n", ln ? ln : v->string, v->valuedouble);
            continue;
        }
        if (loc)
            continue;
        cJSON_AddItemToObject(body, v->string, cJSON_Duplicate(v, 1));
    }
    if (!payload) {
        char *t = cJSON_PrintUnformatted(body);
        g_string_assign(out->body, t);
        free(t);
    }
    cJSON_Delete(body);
    out->content_type = "application/json";
}

void wire_answer(const char *prefix, const char *op, const cJSON *output, const char *request_id,
                 wire_reply *out)
{
    const char *proto = wire_protocol(prefix);
    const cJSON *row = shapes_op(api_shapes(), prefix, op);
    g_string_append_printf(out->headers, "x-amzn-RequestId: %s\n", request_id);
    out->status = 200;
    const char *oshape = wire_str(row, "out");
    if (g_strcmp0(proto, "json") == 0) {
        out->content_type = json_type(prefix);
        if (output) {
            cJSON *copy = cJSON_Duplicate(output, 1);
            epoch_times(prefix, oshape, copy, 0);
            char *t = cJSON_PrintUnformatted(copy);
            g_string_assign(out->body, t);
            free(t);
            cJSON_Delete(copy);
        } else
            g_string_assign(out->body, "{}");
        return;
    }
    if (g_strcmp0(proto, "rest-xml") == 0) {
        wire_answer_rest_xml(prefix, op, row, output, out);
        return;
    }
    if (g_strcmp0(proto, "rest-json") == 0) {
        cJSON *copy = output ? cJSON_Duplicate(output, 1) : NULL;
        epoch_times(prefix, oshape, copy, 0);
        rest_answer(prefix, row, copy, out);
        cJSON_Delete(copy);
        return;
    }
    wire_answer_xml(prefix, op, row, output, request_id, out);
}

void wire_error(const char *prefix, const char *code, const char *message, const char *request_id,
                wire_reply *out)
{
    const char *proto = wire_protocol(prefix);
    out->status = wire_error_status(prefix, code);
    g_string_append_printf(out->headers, "x-amzn-RequestId: %s\n", request_id);
    if (!proto || strcmp(proto, "json") == 0 || strcmp(proto, "rest-json") == 0) {
        cJSON *b = cJSON_CreateObject();
        if (!proto || strcmp(proto, "json") == 0) {
            cJSON_AddStringToObject(b, "__type", code);
            out->content_type = json_type(prefix);
        } else {
            g_string_append_printf(out->headers, "x-amzn-ErrorType: %s\n", code);
            out->content_type = "application/json";
        }
        cJSON_AddStringToObject(b, "message", message ? message : "");
        char *t = cJSON_PrintUnformatted(b);
        g_string_assign(out->body, t);
        free(t);
        cJSON_Delete(b);
        return;
    }
    wire_error_xml(prefix, proto, code, message, request_id, out);
}

const char *wire_signing_region(const char *prefix, const char *world_region)
{
    const api_service *svc = prefix ? api_service_of(prefix) : NULL;
    return svc && svc->log_region ? svc->log_region : world_region;
}

int wire_max_skew_s(const char *prefix)
{
    return g_strcmp0(wire_protocol(prefix), "rest-xml") == 0 ? 15 * 60 : 5 * 60;
}

void wire_auth_error(const char *prefix, wire_auth_failure f, const char *detail,
                     const char **code, char **message)
{
    const char *proto = wire_protocol(prefix);
    bool query = g_strcmp0(proto, "query") == 0, ec2 = g_strcmp0(proto, "ec2") == 0,
         s3 = g_strcmp0(proto, "rest-xml") == 0;
    static const char *const BAD_SIG =
        "The request signature we calculated does not match the signature you provided. Check "
        "your AWS Secret Access Key and signing method. Consult the service documentation for "
        "details.";
    switch (f) {
    case WIRE_AUTH_MISSING:
        *code = query ? "MissingAuthenticationToken" : s3 ? "AccessDenied" : ec2 ? "AuthFailure"
              : "MissingAuthenticationTokenException";
        *message = g_strdup(query ? "Request is missing Authentication Token"
                            : s3 ? "Access Denied" : "Missing Authentication Token");
        return;
    case WIRE_AUTH_MALFORMED:
        *code = query ? "IncompleteSignature" : s3 ? "AuthorizationHeaderMalformed"
              : ec2 ? "AuthFailure" : "IncompleteSignatureException";
        *message = g_strdup(detail ? detail : "The Authorization header is malformed.");
        return;
    case WIRE_AUTH_UNKNOWN_KEY:
        *code = query ? "InvalidClientTokenId" : s3 ? "InvalidAccessKeyId" : ec2 ? "AuthFailure"
              : "UnrecognizedClientException";
        *message = g_strdup(s3 ? "The AWS Access Key Id you provided does not exist in our records."
                            : ec2 ? "AWS was not able to validate the provided access credentials"
                            : "The security token included in the request is invalid.");
        return;
    case WIRE_AUTH_BAD_SIGNATURE:
        *code = query || s3 ? "SignatureDoesNotMatch" : ec2 ? "AuthFailure"
              : "InvalidSignatureException";
        *message = g_strdup(s3 ? "The request signature we calculated does not match the signature "
                                 "you provided. Check your key and signing method."
                            : ec2 ? "AWS was not able to validate the provided access credentials"
                            : BAD_SIG);
        return;
    case WIRE_AUTH_EXPIRED_TOKEN:
        *code = query || s3 ? "ExpiredToken" : ec2 ? "AuthFailure" : "ExpiredTokenException";
        *message = g_strdup(s3 ? "The provided token has expired."
                            : "The security token included in the request is expired");
        return;
    case WIRE_AUTH_SCOPE_DATE:
        *code = query || s3 ? "SignatureDoesNotMatch" : ec2 ? "AuthFailure"
              : "InvalidSignatureException";
        *message = g_strdup_printf("Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                                   "version of date from HTTP: %s", detail ? detail : "");
        return;
    case WIRE_AUTH_REGION:
        *code = query ? "SignatureDoesNotMatch" : s3 ? "AuthorizationHeaderMalformed"
              : ec2 ? "AuthFailure" : "InvalidSignatureException";
        *message = s3 ? g_strdup_printf("The authorization header is malformed; %s", detail ? detail : "")
                      : g_strdup_printf("Credential should be scoped to a valid region. %s",
                                        detail ? detail : "");
        return;
    case WIRE_AUTH_PAYLOAD_HASH:
        *code = "XAmzContentSHA256Mismatch";
        *message = g_strdup("The provided 'x-amz-content-sha256' header does not match what was "
                            "computed.");
        return;
    case WIRE_AUTH_SKEWED:
        *code = s3 ? "RequestTimeTooSkewed" : ec2 ? "RequestExpired"
              : query ? "SignatureDoesNotMatch" : "InvalidSignatureException";
        *message = s3 ? g_strdup("The difference between the request time and the current time is "
                                 "too large.")
                 : ec2 ? g_strdup("Request has expired.")
                 : g_strdup_printf("Signature expired: %s", detail ? detail : "");
        return;
    }
}
