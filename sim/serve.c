/* sim/serve.c: `crossim serve` (see serve.h).
 *
 * One libevent loop: the HTTP server, a 100 ms tick that moves simulated
 * time on and flushes the logs, and the signals that end the run.  The wall
 * clock is read here: to pace simulated time, and to check a request's
 * signing time as AWS does (a live front is not a replay; `run` stays free
 * of it).  Nothing here knows an AWS rule: the keyring, SigV4 and the wire
 * protocols are the model's. */
#include "sim/serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include "model/api.h"
#include "model/base/duration.h"
#include "model/creds.h"
#include "model/sigv4.h"
#include "model/wire.h"
#include "sim/outdir.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/summary.h"
#include "sim/wfile.h"

#define MAX_BODY   (8 * 1024 * 1024)     /* larger requests get 413 from evhttp */
#define TICK_US    100000
#define CONTROL    "/_crossim/"

typedef struct server {
    scenario          *s;
    run_session       *run;
    run_opts           opts;
    struct event_base *base;
    struct evhttp     *http;
    double             speed;
    gint64             wall0;            /* monotonic us at the start */
    int64_t            jumped_us;        /* simulated time added by /advance */
    rng                ids;              /* request ids */
    guint64            served;
    bool               quiet, no_actors;
    const char        *path;             /* the scenario file, for reset */
    GError            *io_error;
} server;

/* Simulated time now: the start, plus wall time at --speed, plus the jumps. */
static int64_t sim_now(const server *sv)
{
    double wall = (double)(g_get_monotonic_time() - sv->wall0);
    int64_t t = (int64_t)(wall * sv->speed) + sv->jumped_us;
    return MAX(t, run_now(sv->run));
}

static void catch_up(server *sv)
{
    run_advance(sv->run, sim_now(sv));
    if (!sv->io_error)
        run_flush(sv->run, &sv->io_error);
    if (sv->io_error)
        event_base_loopbreak(sv->base);
}

static void on_tick(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    catch_up(arg);
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    event_base_loopbreak(((server *)arg)->base);
}

static const char *method_name(enum evhttp_cmd_type m)
{
    switch (m) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_HEAD: return "HEAD";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_OPTIONS: return "OPTIONS";
    case EVHTTP_REQ_PATCH: return "PATCH";
    default: return "OTHER";
    }
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    default: return status < 400 ? "OK" : "Error";
    }
}

static void send_reply(struct evhttp_request *req, const wire_reply *rep)
{
    struct evkeyvalq *oh = evhttp_request_get_output_headers(req);
    if (rep->content_type)          /* NULL: a header line carries it */
        evhttp_add_header(oh, "Content-Type", rep->content_type);
    g_auto(GStrv) lines = g_strsplit(rep->headers->str, "\n", 0);
    for (char **l = lines; *l; l++) {
        char *colon = strstr(*l, ": ");
        if (!colon)
            continue;
        *colon = '\0';
        evhttp_add_header(oh, *l, colon + 2);
    }
    struct evbuffer *b = evbuffer_new();
    evbuffer_add(b, rep->body->str, rep->body->len);
    evhttp_send_reply(req, rep->status, reason(rep->status), b);
    evbuffer_free(b);
}

static void send_json(struct evhttp_request *req, int status, cJSON *body /* taken */)
{
    wire_reply rep;
    wire_reply_init(&rep);
    rep.status = status;
    rep.content_type = "application/json";
    char *t = cJSON_PrintUnformatted(body);
    g_string_assign(rep.body, t);
    g_string_append_c(rep.body, '\n');
    cJSON_free(t);
    cJSON_Delete(body);
    send_reply(req, &rep);
    wire_reply_clear(&rep);
}

static void control_error(struct evhttp_request *req, int status, const char *message)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "error", message);
    send_json(req, status, b);
}

static cJSON *state_of(server *sv)
{
    run_progress p;
    run_counts(sv->run, &p);
    char iso[21];
    world_iso_time(sv->s->world, p.now_us, iso);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "now", iso);
    cJSON_AddNumberToObject(b, "nowSeconds", (double)(p.now_us / 1000000));
    cJSON_AddNumberToObject(b, "events", (double)p.events);
    cJSON_AddNumberToObject(b, "calls", (double)p.calls);
    cJSON_AddNumberToObject(b, "recordsDelivered", (double)p.records);
    cJSON_AddNumberToObject(b, "requestsServed", (double)sv->served);
    cJSON_AddNumberToObject(b, "credentials", creds_count(sv->s->world));
    return b;
}

/* Loads the scenario again and opens a run of it: the world, the keys
 * (the same seed gives the same credentials file) and the clock at its start. */
static bool begin(server *sv, GError **error)
{
    if (!sv->s) {
        sv->s = scen_load(sv->path, NULL, error);
        if (!sv->s)
            return false;
    }
    if (sv->no_actors) {
        g_ptr_array_set_size(sv->s->actors, 0);
        g_ptr_array_set_size(sv->s->expects, 0);
    }
    sv->run = run_open(sv->s, &sv->opts, error);
    if (!sv->run)
        return false;
    creds_issue(sv->s->world);
    g_autofree char *text = creds_file_text(sv->s->world);
    g_autofree char *path = g_build_filename(sv->opts.out_dir, "credentials", NULL);
    if (!wfile_write(path, text, strlen(text), error))
        return false;
    g_chmod(path, 0600);
    sv->wall0 = g_get_monotonic_time();
    sv->jumped_us = 0;
    return true;
}

/* POST /_crossim/reset: the run so far is dropped (its outputs removed as
 * --force removes them, crossim's own files only) and the scenario starts
 * again from its start. */
static bool reset(server *sv, GError **error)
{
    run_result r;
    bool ok = run_close(sv->run, &r, error);
    run_result_clear(&r);
    sv->run = NULL;
    scen_free(sv->s);
    sv->s = NULL;
    return ok && outdir_prepare(sv->opts.out_dir, true, error) && begin(sv, error);
}

static void end_after_reply(struct evhttp_request *req, void *arg)
{
    (void)req;
    event_base_loopexit(((server *)arg)->base, NULL);
}

/* /_crossim/advance?by=20m, /_crossim/state, /_crossim/shutdown. */
static void control(server *sv, struct evhttp_request *req, const char *path, const char *query)
{
    enum evhttp_cmd_type m = evhttp_request_get_command(req);
    const char *what = path + strlen(CONTROL);
    if (strcmp(what, "state") == 0 && m == EVHTTP_REQ_GET) {
        catch_up(sv);
        send_json(req, 200, state_of(sv));
        return;
    }
    if (strcmp(what, "advance") == 0 && m == EVHTTP_REQ_POST) {
        struct evkeyvalq q;
        TAILQ_INIT(&q);
        evhttp_parse_query_str(query ? query : "", &q);
        const char *by = evhttp_find_header(&q, "by");
        int64_t us;
        if (!by || !dur_parse(by, &us) || us < 0) {
            control_error(req, 400, "advance needs by=DURATION (a scenario duration: 90s, 20m, 1h)");
            evhttp_clear_headers(&q);
            return;
        }
        evhttp_clear_headers(&q);
        catch_up(sv);
        sv->jumped_us += us;
        catch_up(sv);
        send_json(req, 200, state_of(sv));
        return;
    }
    if (strcmp(what, "reset") == 0 && m == EVHTTP_REQ_POST) {
        GError *e = NULL;
        if (!reset(sv, &e)) {
            /* Nothing to serve from: the loop ends and serve exits 3. */
            control_error(req, 500, e ? e->message : "reset failed");
            sv->io_error = e ? e : g_error_new_literal(G_FILE_ERROR, G_FILE_ERROR_FAILED, "reset failed");
            event_base_loopbreak(sv->base);
            return;
        }
        send_json(req, 200, state_of(sv));
        return;
    }
    if (strcmp(what, "shutdown") == 0 && m == EVHTTP_REQ_POST) {
        catch_up(sv);
        /* The loop ends once the answer has been written out. */
        evhttp_request_set_on_complete_cb(req, end_after_reply, sv);
        send_json(req, 200, state_of(sv));
        return;
    }
    control_error(req, 404, "control endpoints: GET /_crossim/state, POST /_crossim/advance?by=DURATION, "
                            "POST /_crossim/reset, POST /_crossim/shutdown");
}

static void fail(struct evhttp_request *req, const char *prefix, const char *code, char *message,
                 const char *request_id)
{
    wire_reply rep;
    wire_reply_init(&rep);
    wire_error(prefix, code, message, request_id, &rep);
    send_reply(req, &rep);
    wire_reply_clear(&rep);
    g_free(message);
}

static void auth_fail(struct evhttp_request *req, const char *prefix, wire_auth_failure f,
                      const char *detail, const char *request_id)
{
    const char *code;
    char *message;
    wire_auth_error(prefix, f, detail, &code, &message);
    fail(req, prefix, code, message, request_id);
}

static void format_amz(gint64 unix_s, char out[17])
{
    GDateTime *t = g_date_time_new_from_unix_utc(unix_s);
    g_autofree char *s = g_date_time_format(t, "%Y%m%dT%H%M%SZ");
    g_strlcpy(out, s, 17);
    g_date_time_unref(t);
}

/* Checks the signature; on success *who is the caller. */
static bool authenticate(server *sv, struct evhttp_request *req, const sigv4_request *r,
                         const sigv4_auth *a, const char *prefix, const char *peer,
                         const char *request_id, principal **who)
{
    gint64 signed_at = sigv4_time(a->amz_date), wall = (gint64)time(NULL);
    if (strncmp(a->amz_date, a->date, 8) != 0) {
        auth_fail(req, prefix, WIRE_AUTH_SCOPE_DATE, a->amz_date, request_id);
        return false;
    }
    gint64 skew = wire_max_skew_s(prefix);
    if (signed_at < wall - skew || signed_at > wall + skew) {
        char now[17], edge[17];
        format_amz(wall, now);
        format_amz(signed_at < wall ? wall - skew : wall + skew, edge);
        g_autofree char *detail = g_strdup_printf(
            "%s is now %s than %s (%s %s %d min.)", a->amz_date,
            signed_at < wall ? "earlier" : "later", edge, now, signed_at < wall ? "-" : "+",
            (int)(skew / 60));
        auth_fail(req, prefix, WIRE_AUTH_SKEWED, detail, request_id);
        return false;
    }
    principal_origin origin = { .source_ip = peer,
                                .user_agent = sigv4_header_value(r, "user-agent") };
    const char *secret = NULL;
    switch (creds_lookup(sv->s->world, a->key, sigv4_header_value(r, "x-amz-security-token"),
                         run_now(sv->run), &origin, &secret, who)) {
    case CREDS_OK:
        break;
    case CREDS_EXPIRED:
        auth_fail(req, prefix, WIRE_AUTH_EXPIRED_TOKEN, NULL, request_id);
        return false;
    case CREDS_UNKNOWN:
    case CREDS_BAD_TOKEN:
        auth_fail(req, prefix, WIRE_AUTH_UNKNOWN_KEY, NULL, request_id);
        return false;
    }
    /* A global service (IAM) is signed for its own region, or, through a
     * custom endpoint as the aws CLI does it, for the client's. */
    const char *region = world_region(sv->s->world);
    const char *global = wire_signing_region(prefix, region);
    if (strcmp(a->region, region) != 0 && strcmp(a->region, global) != 0) {
        principal_free(*who);
        *who = NULL;
        g_autofree char *detail = g_strdup_printf("the region '%s' is wrong; expecting '%s'",
                                                  a->region, region);
        auth_fail(req, prefix, WIRE_AUTH_REGION, detail, request_id);
        return false;
    }
    bool s3 = g_strcmp0(wire_protocol(prefix), "rest-xml") == 0;
    g_autofree char *sig = sigv4_signature(r, a, secret, s3, NULL);
    if (!sigv4_equal(sig, a->signature)) {
        principal_free(*who);
        *who = NULL;
        auth_fail(req, prefix, WIRE_AUTH_BAD_SIGNATURE, NULL, request_id);
        return false;
    }
    if (!wire_payload_hash_ok(prefix, r)) {
        principal_free(*who);
        *who = NULL;
        auth_fail(req, prefix, WIRE_AUTH_PAYLOAD_HASH, NULL, request_id);
        return false;
    }
    return true;
}

static void aws_request(server *sv, struct evhttp_request *req, const char *path, const char *query)
{
    char request_id[37];
    rng_uuid(&sv->ids, request_id);
    struct evkeyvalq *ih = evhttp_request_get_input_headers(req);
    GArray *hs = g_array_new(FALSE, FALSE, sizeof(sigv4_header));
    struct evkeyval *kv;
    TAILQ_FOREACH(kv, ih, next) {
        sigv4_header h = { kv->key, kv->value };
        g_array_append_val(hs, h);
    }
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    gsize n = evbuffer_get_length(in);
    const char *body = n ? (const char *)evbuffer_pullup(in, (ssize_t)n) : "";
    sigv4_request r = { method_name(evhttp_request_get_command(req)), path, query,
                        (const sigv4_header *)(void *)hs->data, hs->len, body, n };
    char peer[64] = "127.0.0.1";
    char *addr = NULL;              /* libevent 2.1's signature */
    ev_uint16_t port;
    evhttp_connection_get_peer(evhttp_request_get_connection(req), &addr, &port);
    if (addr)
        g_strlcpy(peer, addr, sizeof peer);

    sigv4_auth a;
    char *why = NULL;
    sigv4_parse_status ps = sigv4_parse(&r, &a, &why);
    /* The service, for the error's form, before the signature is trusted. */
    wire_call call;
    const char *code = NULL;
    char *message = NULL;
    bool decoded = wire_decode(&r, ps == SIGV4_PARSED ? a.service : NULL, &call, &code, &message);
    const char *prefix = call.prefix;
    principal *who = NULL;
    if (ps == SIGV4_MISSING)
        auth_fail(req, prefix, WIRE_AUTH_MISSING, NULL, request_id);
    else if (ps == SIGV4_MALFORMED)
        auth_fail(req, prefix, WIRE_AUTH_MALFORMED, why, request_id);
    else if (!authenticate(sv, req, &r, &a, prefix, peer, request_id, &who))
        ;
    else if (!decoded) {
        fail(req, prefix, code, message, request_id);
        message = NULL;
    } else {
        catch_up(sv);
        g_autofree char *action = g_strconcat(prefix, ":", call.op, NULL);
        cJSON *output = NULL;
        api_error err = { 0 };
        wire_reply rep;
        wire_reply_init(&rep);
        if (api_invoke_request(sv->s->world, who, action, call.input, request_id, &output, &err))
            wire_answer(prefix, call.op, output, request_id, &rep);
        else
            wire_error(prefix, err.code, err.message, request_id, &rep);
        send_reply(req, &rep);
        wire_reply_clear(&rep);
        cJSON_Delete(output);
        api_error_clear(&err);
        sv->served++;
        catch_up(sv);
    }
    principal_free(who);
    g_free(message);
    g_free(why);
    sigv4_auth_clear(&a);
    wire_call_clear(&call);
    g_array_unref(hs);
}

static void on_request(struct evhttp_request *req, void *arg)
{
    server *sv = arg;
    const char *uri = evhttp_request_get_uri(req);
    const char *q = strchr(uri, '?');
    g_autofree char *path = q ? g_strndup(uri, (gsize)(q - uri)) : g_strdup(uri);
    const char *query = q ? q + 1 : NULL;
    if (g_str_has_prefix(path, CONTROL))
        control(sv, req, path, query);
    else
        aws_request(sv, req, path, query);
}

/* "127.0.0.1:4566", "[::1]:4566", "localhost:0": loopback only. */
static bool parse_listen(const char *text, char **host, guint16 *port, GError **error)
{
    const char *colon = strrchr(text, ':');
    if (!colon) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--listen %s: give HOST:PORT (127.0.0.1:4566)", text);
        return false;
    }
    g_autofree char *h = g_strndup(text, (gsize)(colon - text));
    if (h[0] == '[' && h[strlen(h) - 1] == ']') {
        memmove(h, h + 1, strlen(h));
        h[strlen(h) - 1] = '\0';
    }
    char *end;
    guint64 p = g_ascii_strtoull(colon + 1, &end, 10);
    if (!colon[1] || *end || p > 65535) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--listen %s: bad port", text);
        return false;
    }
    if (strcmp(h, "localhost") == 0) {
        g_free(h);
        h = g_strdup("127.0.0.1");
    }
    struct in_addr v4;
    struct in6_addr v6;
    bool loop = (inet_pton(AF_INET, h, &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127) ||
                (inet_pton(AF_INET6, h, &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6));
    if (!loop) {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--listen %s: crossim serves on a loopback address only (127.0.0.0/8 or ::1)",
                    text);
        return false;
    }
    *host = g_steal_pointer(&h);
    *port = (guint16)p;
    return true;
}

static int bound_port(struct evhttp_bound_socket *bs)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss, &len) != 0)
        return -1;
    return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                          : ((struct sockaddr_in *)&ss)->sin_port);
}

int serve_main(int argc, char **argv)
{
    g_autofree char *out_dir = NULL, *listen = NULL, *sqlite = NULL;
    double speed = 1;
    gboolean quiet = FALSE, no_actors = FALSE, force = FALSE;
    GOptionEntry entries[] = {
        { "force", 'f', 0, G_OPTION_ARG_NONE, &force, "replace an earlier run in DIR (its files only)", NULL },
        { "no-actors", 0, 0, G_OPTION_ARG_NONE, &no_actors, "serve the scenario's world only: its actors and expectations are left out", NULL },
        { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, "loopback HOST:PORT (default 127.0.0.1:4566; port 0: any free one)", "HOST:PORT" },
        { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "write logs, credentials and summary under DIR (default out)", "DIR" },
        { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed, "simulated seconds per wall second (default 1)", "N" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "print only the endpoint line and errors", NULL },
        { "sqlite", 0, 0, G_OPTION_ARG_FILENAME, &sqlite, "also write every record into FILE, a SQLite table \"trail\" (replaced on reset)", "FILE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO - answer AWS requests for a scenario's world");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *e = NULL;
    g_autofree char *host = NULL;
    guint16 port = 0;
    if (!g_option_context_parse(ctx, &argc, &argv, &e) || argc != 2 ||
        !parse_listen(listen ? listen : "127.0.0.1:4566", &host, &port, &e)) {
        fprintf(stderr, "crossim serve: %s\n", e ? e->message : "give one scenario file");
        g_clear_error(&e);
        return 2;
    }
    if (speed <= 0) {
        fprintf(stderr, "crossim serve: --speed must be positive\n");
        return 2;
    }
    server sv = { .speed = speed, .quiet = quiet, .no_actors = no_actors, .path = argv[1] };
    sv.s = scen_load(argv[1], NULL, &e);
    if (!sv.s) {
        fprintf(stderr, "%s\n", e->message);
        g_error_free(e);
        return 2;
    }
    if ((sqlite && !outdir_claim_file(sqlite, force, &e)) ||
        !outdir_prepare(out_dir ? out_dir : "out", force, &e)) {
        fprintf(stderr, "crossim serve: %s\n", e->message);
        int st = g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_EXIST) ? 2 : 3;
        g_error_free(e);
        scen_free(sv.s);
        return st;
    }
    sv.opts = (run_opts){ .out_dir = out_dir ? out_dir : "out", .sqlite = sqlite };
    rng_init(&sv.ids, world_seed(sv.s->world), "serve/request-ids");
    sv.base = event_base_new();
    sv.http = evhttp_new(sv.base);
    evhttp_set_max_body_size(sv.http, MAX_BODY);
    evhttp_set_timeout(sv.http, 30);           /* a slow client is dropped */
    evhttp_set_allowed_methods(sv.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                        EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH | EVHTTP_REQ_HEAD);
    evhttp_set_gencb(sv.http, on_request, &sv);
    struct evhttp_bound_socket *bs = evhttp_bind_socket_with_handle(sv.http, host, port);
    if (!bs) {
        fprintf(stderr, "crossim serve: cannot listen on %s:%u: %s\n", host, port, g_strerror(errno));
        evhttp_free(sv.http);
        event_base_free(sv.base);
        scen_free(sv.s);
        return 2;
    }
    if (!begin(&sv, &e)) {
        fprintf(stderr, "crossim serve: %s\n", e->message);
        g_error_free(e);
        if (sv.run) {
            run_result r;
            run_close(sv.run, &r, NULL);
            run_result_clear(&r);
        }
        evhttp_free(sv.http);
        event_base_free(sv.base);
        scen_free(sv.s);
        return 3;
    }
    g_autofree char *cred_path = g_build_filename(sv.opts.out_dir, "credentials", NULL);
    bool v6 = strchr(host, ':') != NULL;
    printf("crossim serve: listening on http://%s%s%s:%d\n", v6 ? "[" : "", host, v6 ? "]" : "",
           bound_port(bs));
    if (!quiet)
        printf("  credentials: %s (AWS_SHARED_CREDENTIALS_FILE; profiles <alias>-<Role>, "
               "<alias>-user-<User>, <alias>-root)\n  control: GET /_crossim/state, POST "
               "/_crossim/advance?by=DURATION, POST /_crossim/reset, POST /_crossim/shutdown; SIGINT "
               "ends the run\n",
               cred_path);
    fflush(stdout);

    struct event *tick = event_new(sv.base, -1, EV_PERSIST, on_tick, &sv);
    struct timeval tv = { 0, TICK_US };
    event_add(tick, &tv);
    struct event *sigint = evsignal_new(sv.base, SIGINT, on_signal, &sv);
    struct event *sigterm = evsignal_new(sv.base, SIGTERM, on_signal, &sv);
    event_add(sigint, NULL);
    event_add(sigterm, NULL);
    event_base_dispatch(sv.base);

    event_free(tick);
    event_free(sigint);
    event_free(sigterm);
    evhttp_free(sv.http);
    event_base_free(sv.base);
    run_result r = { 0 };
    bool ok = sv.run && run_close(sv.run, &r, &e) && !sv.io_error;
    if (!ok) {
        fprintf(stderr, "crossim serve: %s\n", sv.io_error ? sv.io_error->message
                                                           : e ? e->message : "output error");
        g_clear_error(&sv.io_error);
        g_clear_error(&e);
        run_result_clear(&r);
        scen_free(sv.s);
        return 3;
    }
    if (!quiet)
        summary_print(stdout, sv.s, &sv.opts, &r);
    int rc = r.failed ? 1 : 0;
    run_result_clear(&r);
    scen_free(sv.s);
    return rc;
}
