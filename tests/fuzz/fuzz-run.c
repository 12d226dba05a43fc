/* tests/fuzz/fuzz-run.c: a whole run of any scenario that loads, bounded in
 * size: at most 64 actor copies and a simulated hour, records kept in
 * memory.  Loading, every call path, the recorder and the expectations
 * must neither crash nor leak. */
#include <glib.h>
#include <stdint.h>

#include "sim/run.h"
#include "sim/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    GError *e = NULL;
    scenario *s = scen_parse("fuzz.json", (const char *)data, size, &e);
    if (!s) {
        g_clear_error(&e);
        return 0;
    }
    int copies = 0;
    for (guint i = 0; i < s->actors->len; i++)
        copies += ((const scen_actor *)s->actors->pdata[i])->count;
    if (copies <= 64) {
        if (s->until_us > 3600LL * 1000000)
            s->until_us = 3600LL * 1000000;
        run_opts o = { 0 };
        run_result r;
        if (run_scenario(s, &o, &r, &e))
            run_result_clear(&r);
        else
            __builtin_trap();      /* without an out folder nothing can fail to write */
    }
    scen_free(s);
    return 0;
}
