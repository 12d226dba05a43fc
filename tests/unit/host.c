/* tests/unit/host.c: the unit tests' world host (see host.h). */
#include "tests/unit/host.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct pend {
    int64_t        at;
    uint64_t       seq;
    world_fire_fn  fn;
    void          *data;
    GDestroyNotify free_data;
} pend;

static void pend_free(pend *p)
{
    if (p->free_data)
        p->free_data(p->data);
    g_free(p);
}

static int64_t h_now(void *self)
{
    return ((test_host *)self)->now;
}

static uint64_t h_schedule(void *self, int64_t at, world_fire_fn fn, void *data,
                           GDestroyNotify free_data)
{
    test_host *h = self;
    pend *p = g_new0(pend, 1);
    p->at = MAX(at, h->now);
    p->seq = ++h->seq;
    p->fn = fn;
    p->data = data;
    p->free_data = free_data;
    g_ptr_array_add(h->queue, p);
    return p->seq;
}

static bool h_cancel(void *self, uint64_t id)
{
    test_host *h = self;
    for (guint i = 0; i < h->queue->len; i++) {
        pend *p = h->queue->pdata[i];
        if (p->seq == id) {
            g_ptr_array_remove_index(h->queue, i);
            pend_free(p);
            return true;
        }
    }
    return false;
}

static void h_emit(void *self, trail_event *ev)
{
    g_ptr_array_add(((test_host *)self)->events, ev);
}

static void h_notify(void *self, const char *account, const char *kind, const cJSON *payload)
{
    cJSON *n = cJSON_CreateObject();
    cJSON_AddStringToObject(n, "account", account);
    cJSON_AddStringToObject(n, "kind", kind);
    cJSON_AddItemToObject(n, "payload", cJSON_Duplicate(payload, 1));
    g_ptr_array_add(((test_host *)self)->notes, n);
}

void test_host_init(test_host *h, world *w)
{
    *h = (test_host){ .w = w };
    h->queue = g_ptr_array_new();
    h->events = g_ptr_array_new_with_free_func((GDestroyNotify)trail_event_free);
    h->notes = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
    world_host wh = { .self = h, .now = h_now, .schedule = h_schedule, .cancel = h_cancel,
                      .emit = h_emit, .notify = h_notify };
    world_set_host(w, &wh);
}

char *test_identity_member(const trail_event *ev, const char *member)
{
    if (!ev || !ev->user_identity)
        return NULL;
    g_autoptr(cJSON) u = cJSON_Parse(ev->user_identity);
    g_assert_nonnull(u);
    return g_strdup(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(u, member)));
}

void test_host_clear(test_host *h)
{
    for (guint i = 0; h->queue && i < h->queue->len; i++)
        pend_free(h->queue->pdata[i]);
    g_clear_pointer(&h->queue, g_ptr_array_unref);
    g_clear_pointer(&h->events, g_ptr_array_unref);
    g_clear_pointer(&h->notes, g_ptr_array_unref);
}

void test_host_run_until(test_host *h, int64_t until)
{
    for (;;) {
        pend *best = NULL;
        guint at = 0;
        for (guint i = 0; i < h->queue->len; i++) {
            pend *p = h->queue->pdata[i];
            if (p->at <= until &&
                (!best || p->at < best->at || (p->at == best->at && p->seq < best->seq))) {
                best = p;
                at = i;
            }
        }
        if (!best)
            break;
        g_ptr_array_remove_index(h->queue, at);
        h->now = MAX(h->now, best->at);
        best->fn(h->w, best->data);
        pend_free(best);
    }
    h->now = MAX(h->now, until);
}

void test_host_advance(test_host *h, int64_t seconds)
{
    test_host_run_until(h, h->now + seconds * 1000000);
}

/* One line per call, "action<TAB>ok|code", appended to the file that
 * CROSSIM_TEST_OPLOG names: tests/scenarios/coverage.t gathers these to
 * check that every operation is called, with success and with an error. */
static void oplog(const char *action, const api_error *err)
{
    static FILE *f;
    static bool tried;
    if (!tried) {
        tried = true;
        const char *path = g_getenv("CROSSIM_TEST_OPLOG");
        if (path && *path)
            f = fopen(path, "a");
    }
    if (f) {
        fprintf(f, "%s\t%s\n", action, err->code ? err->code : "ok");
        fflush(f);
    }
}

const char *test_call(world *w, const principal *p, const char *action, const cJSON *in,
                      cJSON **out, api_error *err)
{
    g_clear_pointer(out, cJSON_Delete);
    api_error_clear(err);
    api_invoke(w, p, action, in, NULL, out, err);
    oplog(action, err);
    if (err->code)
        g_test_message("%s -> %s: %s", action, err->code, err->message);
    return err->code;
}

const char *test_host_vcall(test_host *h, const principal *p, const char *action, cJSON **out,
                            api_error *err, const char *fmt, va_list ap)
{
    g_autofree char *text = g_strdup_vprintf(fmt, ap);
    g_autoptr(cJSON) in = cJSON_Parse(text);
    g_assert_nonnull(in);
    return test_call(h->w, p, action, in, out, err);
}

const char *test_host_call(test_host *h, const principal *p, const char *action, cJSON **out,
                           api_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *code = test_host_vcall(h, p, action, out, err, fmt, ap);
    va_end(ap);
    return code;
}

const cJSON *test_path(const cJSON *v, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, ".", -1);
    for (int i = 0; parts[i] && v; i++)
        v = cJSON_IsArray(v) && g_ascii_isdigit(parts[i][0])
            ? cJSON_GetArrayItem(v, atoi(parts[i]))
            : cJSON_GetObjectItemCaseSensitive(v, parts[i]);
    return v;
}

const char *test_str(const cJSON *v, const char *path)
{
    return cJSON_GetStringValue(test_path(v, path));
}
