/* model/sigv4.c: Signature Version 4 verification (see sigv4.h). */
#include "model/sigv4.h"

#include <stdio.h>
#include <string.h>

void sigv4_auth_clear(sigv4_auth *a)
{
    g_free(a->key);
    g_free(a->date);
    g_free(a->region);
    g_free(a->service);
    g_free(a->signed_headers);
    g_free(a->signature);
    g_free(a->amz_date);
    memset(a, 0, sizeof *a);
}

const char *sigv4_header_value(const sigv4_request *r, const char *name)
{
    for (gsize i = 0; i < r->n_headers; i++)
        if (g_ascii_strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

/* The value of "name=" in an Authorization header's comma-separated list. */
static char *auth_field(const char *h, const char *name)
{
    gsize n = strlen(name);
    for (const char *p = h; (p = strstr(p, name)); p += n) {
        if (p != h && p[-1] != ' ' && p[-1] != ',')
            continue;
        if (p[n] != '=')
            continue;
        const char *v = p + n + 1, *end = strchr(v, ',');
        return g_strstrip(g_strndup(v, end ? (gsize)(end - v) : strlen(v)));
    }
    return NULL;
}

sigv4_parse_status sigv4_parse(const sigv4_request *r, sigv4_auth *out, char **why)
{
    memset(out, 0, sizeof *out);
    const char *h = sigv4_header_value(r, "authorization");
    if (!h)
        return SIGV4_MISSING;
    if (!g_str_has_prefix(h, "AWS4-HMAC-SHA256 ")) {
        *why = g_strdup("Unsupported signing algorithm (only AWS4-HMAC-SHA256 is accepted)");
        return SIGV4_MALFORMED;
    }
    const char *list = h + strlen("AWS4-HMAC-SHA256 ");
    g_autofree char *cred = auth_field(list, "Credential");
    out->signed_headers = auth_field(list, "SignedHeaders");
    out->signature = auth_field(list, "Signature");
    const char *date = sigv4_header_value(r, "x-amz-date");
    out->amz_date = g_strdup(date);
    g_auto(GStrv) parts = cred ? g_strsplit(cred, "/", 0) : NULL;
    if (!cred || g_strv_length(parts) != 5 || strcmp(parts[4], "aws4_request") != 0) {
        *why = g_strdup_printf("Authorization header requires 'Credential' parameter of the "
                               "form KEY/DATE/REGION/SERVICE/aws4_request. Authorization=%s", h);
        return SIGV4_MALFORMED;
    }
    if (!out->signed_headers || !out->signature) {
        *why = g_strdup_printf("Authorization header requires '%s' parameter. Authorization=%s",
                               !out->signed_headers ? "SignedHeaders" : "Signature", h);
        return SIGV4_MALFORMED;
    }
    if (!date || sigv4_time(date) < 0) {
        *why = g_strdup("Authorization header requires existence of either a 'X-Amz-Date' or a "
                        "'Date' header.");
        return SIGV4_MALFORMED;
    }
    out->key = g_strdup(parts[0]);
    out->date = g_strdup(parts[1]);
    out->region = g_strdup(parts[2]);
    out->service = g_strdup(parts[3]);
    return SIGV4_PARSED;
}

gint64 sigv4_time(const char *d)
{
    int y, mo, da, h, mi, s;
    char z;
    if (!d || strlen(d) != 16 || sscanf(d, "%4d%2d%2dT%2d%2d%2d%c", &y, &mo, &da, &h, &mi, &s, &z) != 7 ||
        z != 'Z')
        return -1;
    GDateTime *t = g_date_time_new_utc(y, mo, da, h, mi, s);
    if (!t)
        return -1;
    gint64 u = g_date_time_to_unix(t);
    g_date_time_unref(t);
    return u;
}

/* RFC 3986 unreserved characters stay; everything else is %XX (upper hex). */
static void encode(GString *o, const char *s, gsize n, bool keep_slash)
{
    for (gsize i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (g_ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
            (keep_slash && c == '/'))
            g_string_append_c(o, (char)c);
        else
            g_string_append_printf(o, "%%%02X", c);
    }
}

/* Percent-decodes s[0..n) ('+' stays '+', as AWS reads a query). */
static char *decode(const char *s, gsize n)
{
    GString *o = g_string_sized_new(n);
    for (gsize i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && g_ascii_isxdigit(s[i + 1]) &&
            g_ascii_isxdigit(s[i + 2])) {
            g_string_append_c(o, (char)(g_ascii_xdigit_value(s[i + 1]) * 16 +
                                        g_ascii_xdigit_value(s[i + 2])));
            i += 2;
        } else
            g_string_append_c(o, s[i]);
    }
    return g_string_free(o, FALSE);
}

/* RFC 3986 dot-segment removal and empty segments merged, as AWS
 * normalises the path of every service but S3. */
static char *normalise(const char *path)
{
    g_auto(GStrv) seg = g_strsplit(path, "/", 0);
    GPtrArray *out = g_ptr_array_new();
    for (char **s = seg; *s; s++) {
        if (!**s || strcmp(*s, ".") == 0)
            continue;
        if (strcmp(*s, "..") == 0) {
            if (out->len)
                g_ptr_array_remove_index(out, out->len - 1);
            continue;
        }
        g_ptr_array_add(out, *s);
    }
    GString *o = g_string_new("/");
    for (guint i = 0; i < out->len; i++)
        g_string_append_printf(o, "%s%s", i ? "/" : "", (char *)out->pdata[i]);
    gsize n = strlen(path);
    if (out->len && n > 1 && path[n - 1] == '/')
        g_string_append_c(o, '/');
    g_ptr_array_unref(out);
    return g_string_free(o, FALSE);
}

typedef struct qpair { char *k, *v; } qpair;

static int qpair_cmp(gconstpointer a, gconstpointer b)
{
    const qpair *x = a, *y = b;
    int c = strcmp(x->k, y->k);
    return c ? c : strcmp(x->v, y->v);
}

static void canonical_query(GString *o, const char *q)
{
    if (!q || !*q)
        return;
    GArray *pairs = g_array_new(FALSE, FALSE, sizeof(qpair));
    g_auto(GStrv) items = g_strsplit(q, "&", 0);
    for (char **it = items; *it; it++) {
        if (!**it)
            continue;
        const char *eq = strchr(*it, '=');
        gsize kn = eq ? (gsize)(eq - *it) : strlen(*it);
        g_autofree char *k = decode(*it, kn);
        g_autofree char *v = eq ? decode(eq + 1, strlen(eq + 1)) : g_strdup("");
        if (strcmp(k, "X-Amz-Signature") == 0)
            continue;
        GString *ek = g_string_new(NULL), *ev = g_string_new(NULL);
        encode(ek, k, strlen(k), false);
        encode(ev, v, strlen(v), false);
        qpair p = { g_string_free(ek, FALSE), g_string_free(ev, FALSE) };
        g_array_append_val(pairs, p);
    }
    g_array_sort(pairs, qpair_cmp);
    for (guint i = 0; i < pairs->len; i++) {
        qpair *p = &g_array_index(pairs, qpair, i);
        g_string_append_printf(o, "%s%s=%s", i ? "&" : "", p->k, p->v);
        g_free(p->k);
        g_free(p->v);
    }
    g_array_unref(pairs);
}

/* A header value trimmed, inner runs of spaces folded to one. */
static void header_value(GString *o, const char *v)
{
    while (*v == ' ' || *v == '\t')
        v++;
    gsize start = o->len;
    bool space = false;
    for (; *v; v++) {
        if (*v == ' ' || *v == '\t') {
            space = true;
            continue;
        }
        if (space && o->len > start)
            g_string_append_c(o, ' ');
        space = false;
        g_string_append_c(o, *v);
    }
}

static char *hex_sha256(const char *data, gsize n)
{
    return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, n);
}

static void hmac(const guint8 *key, gsize kn, const char *msg, guint8 out[32])
{
    GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, key, kn);
    g_hmac_update(h, (const guchar *)msg, (gssize)strlen(msg));
    gsize n = 32;
    g_hmac_get_digest(h, out, &n);
    g_hmac_unref(h);
}

char *sigv4_signature(const sigv4_request *r, const sigv4_auth *a, const char *secret, bool s3,
                      char **canonical)
{
    GString *c = g_string_new(r->method);
    g_string_append_c(c, '\n');
    const char *path = r->path && *r->path ? r->path : "/";
    if (s3)
        g_string_append(c, path);
    else {
        g_autofree char *norm = normalise(path);
        encode(c, norm, strlen(norm), true);
    }
    g_string_append_c(c, '\n');
    canonical_query(c, r->query);
    g_string_append_c(c, '\n');
    g_auto(GStrv) names = g_strsplit(a->signed_headers, ";", 0);
    for (char **n = names; *n; n++) {
        g_autofree char *lower = g_ascii_strdown(*n, -1);
        g_string_append_printf(c, "%s:", lower);
        bool first = true;
        for (gsize i = 0; i < r->n_headers; i++) {
            if (g_ascii_strcasecmp(r->headers[i].name, lower) != 0)
                continue;
            if (!first)
                g_string_append_c(c, ',');
            header_value(c, r->headers[i].value);
            first = false;
        }
        g_string_append_c(c, '\n');
    }
    g_string_append_printf(c, "\n%s\n", a->signed_headers);
    const char *sent = sigv4_header_value(r, "x-amz-content-sha256");
    if (sent)
        g_string_append(c, sent);
    else {
        g_autofree char *h = hex_sha256(r->body ? r->body : "", r->body_len);
        g_string_append(c, h);
    }
    g_autofree char *creq_hash = hex_sha256(c->str, c->len);
    g_autofree char *sts = g_strdup_printf("AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s",
                                           a->amz_date, a->date, a->region, a->service, creq_hash);
    g_autofree char *k0 = g_strconcat("AWS4", secret, NULL);
    guint8 k1[32], k2[32], k3[32], k4[32], sig[32];
    hmac((const guint8 *)k0, strlen(k0), a->date, k1);
    hmac(k1, 32, a->region, k2);
    hmac(k2, 32, a->service, k3);
    hmac(k3, 32, "aws4_request", k4);
    hmac(k4, 32, sts, sig);
    char *hex = g_malloc(65);
    for (int i = 0; i < 32; i++)
        g_snprintf(hex + 2 * i, 3, "%02x", sig[i]);
    if (canonical)
        *canonical = g_string_free(c, FALSE);
    else
        g_string_free(c, TRUE);
    return hex;
}

bool sigv4_equal(const char *a, const char *b)
{
    gsize n = strlen(a), m = strlen(b);
    unsigned char d = n != m;
    for (gsize i = 0; i < n && i < m; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}
