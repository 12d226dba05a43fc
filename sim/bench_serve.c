/* sim/bench_serve.c: signed requests per second that `crossim serve`
 * answers, beside an evhttp handler returning a fixed body, both driven by
 * wrk on loopback in the same run (and moto's server on the same request,
 * where moto is installed).
 *
 * The request is a DescribeModelCard on the caller's own card, signed with
 * SigV4 for its profile's session credentials: the server checks the
 * signature, decodes the JSON protocol, validates, authorises, runs the
 * handler and records the call, as for any client.  wrk repeats it (one
 * signature, valid for the five minutes AWS allows) over 16 connections for
 * a few seconds; the servers run in child processes on port 0 and stop when
 * the figure is taken.  Nothing here is a timed test. */
#include "sim/bench.h"
#include "sim/wfile.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/socket.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/sigv4.h"
#include "sim/serve.h"

static const char *const SCENARIO =
    "{\"scenario\":\"bench-serve\",\"seed\":1,\"start\":\"2026-01-05T09:00:00Z\","
    "\"region\":\"us-east-1\",\"accounts\":{\"111111111111\":{\"alias\":\"bench\",\"roles\":{"
    "\"Reader\":{\"policies\":[{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
    "\"Action\":[\"sagemaker:CreateModelCard\",\"sagemaker:DescribeModelCard\"],"
    "\"Resource\":\"*\"}]}]}}}},\"actors\":[{\"name\":\"a\",\"as\":{\"account\":\"bench\","
    "\"role\":\"Reader\"},\"script\":[{\"at\":\"0s\",\"call\":\"sagemaker:CreateModelCard\","
    "\"expect\":\"ok\",\"input\":{\"ModelCardName\":\"mine\",\"ModelCardStatus\":\"Draft\","
    "\"Content\":\"{}\"}}]}]}";

static const char *const BODY = "{\"ModelCardName\":\"mine\"}";
static const char *const TARGET = "SageMaker.DescribeModelCard";

/* ---- the baseline: evhttp answering a fixed body ----------------------------- */

static void fixed_answer(struct evhttp_request *req, void *arg)
{
    (void)arg;
    struct evbuffer *b = evbuffer_new();
    evbuffer_add_printf(b, "{\"ModelCardName\":\"mine\",\"ModelCardStatus\":\"Draft\"}");
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
                      "application/x-amz-json-1.1");
    evhttp_send_reply(req, 200, "OK", b);
    evbuffer_free(b);
}

/* Runs in a child: prints the bound port on fd, serves until killed. */
static void fixed_server(int fd)
{
    struct event_base *base = event_base_new();
    struct evhttp *http = evhttp_new(base);
    evhttp_set_gencb(http, fixed_answer, NULL);
    struct evhttp_bound_socket *bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    int port = bs && getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&sa, &len) == 0
               ? ntohs(sa.sin_port) : 0;
    dprintf(fd, "crossim serve: listening on http://127.0.0.1:%d\n", port);
    close(fd);
    event_base_dispatch(base);
    _exit(0);
}

/* Starts a child server; its first stdout line names the port. */
static pid_t start(const char *scenario, const char *out, int *port)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        if (!scenario)
            fixed_server(fds[1]);
        dup2(fds[1], 1);
        close(fds[1]);
        char *argv[] = { "serve", (char *)scenario, "--listen", "127.0.0.1:0", "--out",
                         (char *)out, "--quiet", NULL };
        _exit(serve_main(7, argv));
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[256] = "";
    *port = 0;
    if (f && fgets(line, sizeof line, f))
        sscanf(line, "crossim serve: listening on http://127.0.0.1:%d", port);
    if (f)
        fclose(f);
    return pid;
}

static void stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    int st;
    waitpid(pid, &st, 0);
}

/* A profile's key, secret and token from a credentials file. */
static bool profile_keys(const char *path, const char *profile, char **key, char **secret,
                         char **token)
{
    g_autoptr(GKeyFile) kf = g_key_file_new();
    if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
        return false;
    *key = g_key_file_get_string(kf, profile, "aws_access_key_id", NULL);
    *secret = g_key_file_get_string(kf, profile, "aws_secret_access_key", NULL);
    *token = g_key_file_get_string(kf, profile, "aws_session_token", NULL);
    if (*key)
        g_strstrip(*key);
    if (*secret)
        g_strstrip(*secret);
    if (*token)
        g_strstrip(*token);
    return *key && *secret;
}

/* The wrk script of one signed request (new string). */
static char *signed_script(int port, const char *key, const char *secret, const char *token)
{
    char amz[17];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(amz, sizeof amz, "%Y%m%dT%H%M%SZ", &tm);
    g_autofree char *host = g_strdup_printf("127.0.0.1:%d", port);
    sigv4_header h[] = {
        { "Host", host }, { "Content-Type", "application/x-amz-json-1.1" },
        { "X-Amz-Date", amz }, { "X-Amz-Target", TARGET }, { "X-Amz-Security-Token", token },
    };
    g_autofree char *scope = g_strndup(amz, 8);
    sigv4_auth a = { .key = (char *)key, .date = scope, .region = "us-east-1",
                     .service = "sagemaker",
                     .signed_headers = "content-type;host;x-amz-date;x-amz-security-token;x-amz-target",
                     .amz_date = amz };
    sigv4_request r = { "POST", "/", NULL, h, G_N_ELEMENTS(h), BODY, strlen(BODY) };
    g_autofree char *sig = sigv4_signature(&r, &a, secret, false, NULL);
    return g_strdup_printf(
        "wrk.method = \"POST\"\nwrk.body = '%s'\n"
        "wrk.headers[\"Content-Type\"] = \"application/x-amz-json-1.1\"\n"
        "wrk.headers[\"X-Amz-Date\"] = \"%s\"\nwrk.headers[\"X-Amz-Target\"] = \"%s\"\n"
        "wrk.headers[\"X-Amz-Security-Token\"] = \"%s\"\n"
        "wrk.headers[\"Authorization\"] = \"AWS4-HMAC-SHA256 Credential=%s/%s/us-east-1/sagemaker/"
        "aws4_request, SignedHeaders=%s, Signature=%s\"\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format(\"crossim-bench %%d %%d %%d\\n\", summary.requests, "
        "summary.errors.status + summary.errors.connect + summary.errors.read + "
        "summary.errors.write + summary.errors.timeout, summary.duration))\nend\n",
        BODY, amz, TARGET, token, key, scope, a.signed_headers, sig);
}

typedef struct wrk_result { double rate; guint64 requests, errors; bool ok; } wrk_result;

/* wrk against port for `seconds`, the script's done() printing the counts. */
static wrk_result run_wrk(int port, const char *script, int seconds)
{
    wrk_result w = { 0 };
    g_autofree char *url = g_strdup_printf("http://127.0.0.1:%d/", port);
    g_autofree char *dur = g_strdup_printf("%ds", seconds);
    const char *argv[] = { "wrk", "-t1", "-c16", "-d", dur, "-s", script, url, NULL };
    g_autofree char *out = NULL;
    int st = 0;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &out, NULL, &st, NULL) || !out)
        return w;
    const char *p = strstr(out, "crossim-bench ");
    guint64 us = 0;
    if (p && sscanf(p, "crossim-bench %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %"
                    G_GUINT64_FORMAT, &w.requests, &w.errors, &us) == 3 && us > 0) {
        w.rate = (double)w.requests / ((double)us / 1e6);
        w.ok = true;
    }
    return w;
}

/* A free loopback port (bound and released), or 0. */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof sa;
    int port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* moto's server (a third-party AWS emulator, not a dependency) on the same
 * request, where it is installed: it answers without checking signatures,
 * recording nothing.  The card is made first with boto3 (moto needs it). */
static void measure_moto(FILE *out, const char *script, int seconds, double baseline)
{
    const char *probe[] = { "python3", "-c", "import moto, boto3", NULL };
    int st = 1;
    if (!g_spawn_sync(NULL, (char **)probe, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                      G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &st, NULL) || st != 0) {
        fprintf(out, "  %-34s %12s  (moto is not installed here)\n", "moto server", "-");
        return;
    }
    int port = free_port();
    g_autofree char *ps = g_strdup_printf("%d", port);
    const char *argv[] = { "python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", ps, NULL };
    GPid pid;
    if (!port || !g_spawn_async(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH |
                                G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL |
                                G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL))
        return;
    g_autofree char *make = g_strdup_printf(
        "import boto3, time\nfor i in range(100):\n  try:\n"
        "    boto3.client('sagemaker', endpoint_url='http://127.0.0.1:%d', region_name='us-east-1',"
        " aws_access_key_id='AKIDEXAMPLE', aws_secret_access_key='x').create_model_card("
        "ModelCardName='mine', ModelCardStatus='Draft', Content='{}')\n    break\n"
        "  except Exception:\n    time.sleep(0.1)\n", port);
    const char *mk[] = { "python3", "-c", make, NULL };
    wrk_result m = { 0 };
    if (g_spawn_sync(NULL, (char **)mk, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &st,
                     NULL) && st == 0)
        m = run_wrk(port, script, seconds);
    kill(pid, SIGTERM);
    waitpid(pid, &st, 0);
    if (m.ok)
        fprintf(out, "  %-34s %12.0f %10" G_GUINT64_FORMAT " %8.2f  (no signature check, nothing "
                "recorded)\n", "moto server (same request)", m.rate, m.errors, m.rate / baseline);
    else
        fprintf(out, "  %-34s %12s  (moto gave no figure)\n", "moto server", "-");
}

/* Both servers measured from dir; 0 when the figure was taken. */
static int measure(FILE *out, const char *dir, int seconds)
{
    g_autofree char *scen = g_build_filename(dir, "scenario.json", NULL);
    g_autofree char *outdir = g_build_filename(dir, "out", NULL);
    g_autofree char *creds = g_build_filename(outdir, "credentials", NULL);
    g_autofree char *script = g_build_filename(dir, "request.lua", NULL);
    if (!g_file_set_contents(scen, SCENARIO, -1, NULL))
        return 1;
    int port = 0, base_port = 0;
    pid_t srv = start(scen, outdir, &port);
    g_autofree char *key = NULL, *secret = NULL, *token = NULL;
    if (port <= 0 || !profile_keys(creds, "bench-Reader", &key, &secret, &token)) {
        fprintf(out, "  (the server did not start)\n");
        stop(srv);
        return 1;
    }
    g_autofree char *lua = signed_script(port, key, secret, token ? token : "");
    if (!g_file_set_contents(script, lua, -1, NULL)) {
        stop(srv);
        return 1;
    }
    wrk_result s = run_wrk(port, script, seconds);
    stop(srv);
    pid_t fixed = start(NULL, NULL, &base_port);
    wrk_result b = base_port > 0 ? run_wrk(base_port, script, seconds) : (wrk_result){ 0 };
    stop(fixed);
    if (!s.ok || !b.ok) {
        fprintf(out, "  (wrk gave no figure)\n");
        return 1;
    }
    fprintf(out, "  %-34s %12s %10s %8s\n", "server", "requests/s", "non-2xx", "ratio");
    fprintf(out, "  %-34s %12.0f %10" G_GUINT64_FORMAT " %8s\n", "evhttp, fixed body (baseline)",
            b.rate, b.errors, "1.00");
    fprintf(out, "  %-34s %12.0f %10" G_GUINT64_FORMAT " %8.2f  (aim: 10000 signed requests/s on "
            "one core: %s)\n", "crossim serve", s.rate, s.errors, s.rate / b.rate,
            s.rate >= 10000 ? "met" : "missed");
    measure_moto(out, script, seconds, b.rate);
    return s.errors ? 1 : 0;
}

int bench_serve(FILE *out, int quick)
{
    int seconds = quick ? 1 : 5;
    fprintf(out, "serve: signed sagemaker:DescribeModelCard requests answered per second (wrk, "
                 "16 connections, loopback, %d s), SigV4 checked, authorised and recorded, beside "
                 "an evhttp handler returning a fixed body\n", seconds);
    g_autofree char *wrk = g_find_program_in_path("wrk");
    if (!wrk) {
        fprintf(out, "  (wrk is not installed: make deps installs it; no figure)\n");
        return 1;
    }
    g_autofree char *dir = g_dir_make_tmp("crossim-bench-serve-XXXXXX", NULL);
    if (!dir)
        return 1;
    int rc = measure(out, dir, seconds);
    wfile_remove_tree(dir);
    return rc;
}
