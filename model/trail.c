/* model/trail.c: trail events and API errors, the values the model hands on.
 *
 * A trail_event is everything the recorder needs to write the CloudTrail
 * records of one call or one service happening; it owns all its fields. */
#include "model/api.h"
#include "model/world_int.h"

#include <stdarg.h>
#include <string.h>

void api_error_set(api_error *e, const char *code, const char *fmt, ...)
{
    va_list ap;
    g_free(e->message);
    e->code = code;
    va_start(ap, fmt);
    e->message = g_strdup_vprintf(fmt, ap);
    va_end(ap);
}

void api_error_clear(api_error *e)
{
    g_clear_pointer(&e->message, g_free);
    e->code = NULL;
}

trail_outcome trail_outcome_of(const char *code)
{
    /* AccessDenied (query, rest-xml), AccessDeniedException (JSON), EC2's
     * UnauthorizedOperation; the throttles of every protocol and S3's SlowDown. */
    static const char *const throttles[] = { "ThrottlingException", "Throttling",
                                             "TooManyRequestsException", "RequestLimitExceeded",
                                             "SlowDown", NULL };
    if (!code)
        return TRAIL_OK;
    if (g_str_has_prefix(code, "AccessDenied") || strcmp(code, "UnauthorizedOperation") == 0)
        return TRAIL_DENIED;
    if (g_strv_contains(throttles, code))
        return TRAIL_THROTTLED;
    return TRAIL_FAILED;
}

trail_event *trail_event_new(trail_kind kind, const char *source, const char *name)
{
    trail_event *ev = g_new0(trail_event, 1);
    ev->kind = kind;
    ev->event_source = g_strdup(source);
    ev->event_name = g_strdup(name);
    ev->management = true;
    ev->recipients = g_ptr_array_new_with_free_func(g_free);
    return ev;
}

void trail_event_free(trail_event *ev)
{
    if (!ev)
        return;
    g_free(ev->event_source);
    g_free(ev->event_name);
    g_free(ev->region);
    g_free(ev->user_identity);
    g_free(ev->identity_arn);
    g_free(ev->invoked_by);
    g_free(ev->caller_account);
    g_free(ev->caller_principal_id);
    g_free(ev->source_ip);
    g_free(ev->user_agent);
    g_free(ev->vpc_endpoint_id);
    g_free(ev->tls_host);
    cJSON_Delete(ev->request_parameters);
    cJSON_Delete(ev->response_elements);
    cJSON_Delete(ev->additional_data);
    cJSON_Delete(ev->service_details);
    cJSON_Delete(ev->resources);
    g_free(ev->error_code);
    g_free(ev->error_message);
    g_free(ev->decision);
    g_ptr_array_unref(ev->recipients);
    g_free(ev);
}

void trail_event_set_identity(trail_event *ev, const world *w, const principal *p,
                              const char *invoked_by)
{
    /* Built in a buffer kept across calls, then copied to its size: a
     * fresh 1 KB GString per call made glibc consolidate its free lists. */
    static GString *scratch;
    if (!scratch)
        scratch = g_string_sized_new(1024);
    g_string_truncate(scratch, 0);
    world_user_identity_append(scratch, w, p, invoked_by);
    g_free(ev->user_identity);
    ev->user_identity = g_strndup(scratch->str, scratch->len);
    ev->identity_type = world_identity_type(p);
    g_free(ev->identity_arn);
    ev->identity_arn = p->kind == PRINCIPAL_SERVICE ? NULL : g_strdup(p->arn);
    g_free(ev->invoked_by);
    /* A service principal's own invokedBy comes first, as a reader of the
     * object finds it. */
    ev->invoked_by = g_strdup(p->kind == PRINCIPAL_SERVICE ? p->arn : invoked_by);
}

void trail_event_set_service_identity(trail_event *ev, const char *service)
{
    principal p = { .kind = PRINCIPAL_SERVICE, .arn = (char *)service };
    trail_event_set_identity(ev, NULL, &p, NULL);
}

void trail_event_set_error(trail_event *ev, const char *code, const char *message)
{
    g_free(ev->error_code);
    g_free(ev->error_message);
    ev->error_code = g_strdup(code);
    ev->error_message = g_strdup(message);
    ev->outcome = trail_outcome_of(code);
}

void trail_event_add_recipient(trail_event *ev, const char *account)
{
    /* Only real account ids receive logs: an ARN's account field is caller
     * input ("arn:aws:iam::../../x:role/r"), names no account that exists,
     * and must never become a file name. */
    if (!world_is_account_id(account))
        return;
    for (guint i = 0; i < ev->recipients->len; i++)
        if (g_strcmp0(ev->recipients->pdata[i], account) == 0)
            return;
    g_ptr_array_add(ev->recipients, g_strdup(account));
}
