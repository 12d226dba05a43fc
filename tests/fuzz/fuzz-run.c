/* tests/fuzz/fuzz-run.c: a whole run of any scenario that loads, bounded in
 * size: at most 64 actor copies, 10,000 step runs and a simulated hour,
 * records kept in memory.  Loading, every call path, the recorder and the expectations
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
    /* Bounded: at most 64 actor copies and 10,000 step runs in all (a large
     * but legitimate scenario would only make the fuzzer run out of memory,
     * records being kept in memory here). */
    int64_t copies = 0, runs = 0;
    for (guint i = 0; i < s->actors->len; i++) {
        const scen_actor *a = s->actors->pdata[i];
        copies += a->count;
        for (guint k = 0; k < a->steps->len; k++) {
            const scen_step *st = a->steps->pdata[k];
            int64_t n = st->repeat;
            if (st->kind == STEP_WAIT_POLL && st->every_us > 0)
                n += st->timeout_us / st->every_us;     /* polls until it gives up */
            runs += (int64_t)a->count * n;
        }
    }
    if (copies <= 64 && runs <= 10000) {
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
