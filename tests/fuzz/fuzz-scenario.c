/* tests/fuzz/fuzz-scenario.c: the scenario loader on any bytes.  Every
 * input either loads or is refused with a located message (file:line:col:
 * path: message); nothing crashes, leaks or hangs. */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "sim/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256 * 1024)
        return 0;
    GError *e = NULL;
    scenario *s = scen_parse("fuzz.json", (const char *)data, size, &e);
    if (s) {
        scen_free(s);
    } else {
        /* Every refusal names where: "fuzz.json:LINE:COL: ". */
        if (!e || !g_str_has_prefix(e->message, "fuzz.json:"))
            __builtin_trap();
        g_error_free(e);
    }
    return 0;
}
