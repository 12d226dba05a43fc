/* tests/fuzz/fuzz-wire.c: what `crossim serve` does with a request before
 * any handler, on any bytes: the input is split at its first four newlines
 * into method, path, query and signing service, then "Name: value" header
 * lines up to an empty line, then the body.  SigV4 parsing and signing,
 * routing and decoding in every protocol, and an answer and an error in the
 * protocol found must not crash, leak or hang. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "model/sigv4.h"
#include "model/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *next_line(char **p)
{
    char *s = *p, *nl = s ? strchr(s, '\n') : NULL;
    if (!s)
        return NULL;
    if (nl) {
        *nl = '\0';
        *p = nl + 1;
    } else
        *p = NULL;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    g_autofree char *text = g_strndup((const char *)data, size);
    char *p = text;
    const char *method = next_line(&p), *path = next_line(&p), *query = next_line(&p),
               *signing = next_line(&p);
    GArray *hs = g_array_new(FALSE, FALSE, sizeof(sigv4_header));
    char *line;
    while (p && (line = next_line(&p)) && *line) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        sigv4_header h = { line, colon[1] == ' ' ? colon + 2 : colon + 1 };
        g_array_append_val(hs, h);
    }
    const char *body = p ? p : "";
    sigv4_request r = { method ? method : "POST", path && *path ? path : "/",
                        query && *query ? query : NULL, (const sigv4_header *)(void *)hs->data,
                        hs->len, body, strlen(body) };
    sigv4_auth a;
    char *why = NULL;
    if (sigv4_parse(&r, &a, &why) == SIGV4_PARSED) {
        char *canon = NULL;
        g_free(sigv4_signature(&r, &a, "secret", false, &canon));
        g_free(canon);
        g_free(sigv4_signature(&r, &a, "secret", true, NULL));
    }
    g_free(why);
    sigv4_auth_clear(&a);
    wire_call c;
    const char *code = NULL;
    char *message = NULL;
    wire_reply rep;
    wire_reply_init(&rep);
    if (wire_decode(&r, signing && *signing ? signing : NULL, &c, &code, &message))
        wire_answer(c.prefix, c.op, c.input, "00000000-0000-0000-0000-000000000000", &rep);
    else
        wire_error(c.prefix, code, message, "00000000-0000-0000-0000-000000000000", &rep);
    (void)wire_payload_hash_ok(c.prefix, &r);
    wire_reply_clear(&rep);
    g_free(message);
    wire_call_clear(&c);
    g_array_unref(hs);
    return 0;
}
