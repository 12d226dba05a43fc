/* tests/fuzz/fuzz-request.c: every operation's handler on any input.  The
 * first line picks the operation ("ram:CreateResourceShare", or any bytes,
 * hashed onto the simulated operations); the rest, parsed as JSON, is its
 * input, called by an all-powerful role of a two-account world.  Bad input
 * gets an AWS error, recorded like any call; nothing crashes or leaks. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "model/api.h"
#include "model/base/json.h"
#include "sim/scenario.h"
#include "tests/unit/host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const SCENARIO =
    "{\"scenario\":\"fuzz\",\"seed\":1,\"accounts\":{"
    "\"111111111111\":{\"alias\":\"a\",\"roles\":{\"Admin\":{\"policies\":[{\"Version\":\"2012-10-17\","
    "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}]}}},"
    "\"222222222222\":{\"alias\":\"b\",\"roles\":{\"Admin\":{\"policies\":[{\"Version\":\"2012-10-17\","
    "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}]}}}}}";

static guint n_actions(void)
{
    static guint n;
    while (!n || api_action(n))
        n++;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16 * 1024)
        return 0;
    const char *nl = memchr(data, '\n', size);
    gsize head = nl ? (gsize)(nl - (const char *)data) : size;
    g_autofree char *name = g_strndup((const char *)data, head);
    const char *action = api_lookup(name) ? name
                       : api_action(g_str_hash(name) % n_actions());
    if (!nl)
        return 0;
    g_autoptr(cJSON) input = cJSON_ParseWithLength(nl + 1, size - head - 1);
    if (!input)
        return 0;
    GError *e = NULL;
    scenario *s = scen_parse("fuzz.json", SCENARIO, strlen(SCENARIO), &e);
    if (!s)
        __builtin_trap();
    test_host h;
    test_host_init(&h, s->world);
    principal *p = world_principal_for(s->world, "arn:aws:iam::111111111111:role/Admin", "f", NULL);
    cJSON *out = NULL;
    api_error err = { 0 };
    api_invoke(s->world, p, action, input, NULL, &out, &err);
    test_host_advance(&h, 2 * 86400);      /* what the call scheduled runs too */
    cJSON_Delete(out);
    api_error_clear(&err);
    principal_free(p);
    test_host_clear(&h);
    scen_free(s);
    return 0;
}
