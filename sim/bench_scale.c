/* sim/bench_scale.c: recorded calls per second against writing and hashing
 * the same records, and the cost of a sharing storm as accounts grow.
 *
 * `bench calls` replays three workloads through the whole call path (input
 * validation, IAM evaluation, handler, CloudTrail record, delivery, JSON
 * Lines sink): sts:GetCallerIdentity, DescribeModelCard on an own card, and
 * DescribeModelCard on a card shared through RAM from another account (two
 * records a call).  The floor, measured in the same process on the bytes the
 * run wrote, is writing each account's log to a fresh folder and SHA-256
 * hashing it: what a call would cost if it did nothing but produce its
 * records.  `bench scale` runs the invitation storm (one owner shares a
 * card with N accounts; each waits, accepts and reads) at 1k, 10k and 100k
 * accounts, each in a child process so that its peak RSS is its own.  The
 * wall clock is read only here, around the runs. */
#include "sim/bench.h"
#include "sim/wfile.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/run.h"
#include "sim/sha256.h"
#include "sim/scenario.h"

static const char *const READER =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
    "[\"sagemaker:DescribeModelCard\",\"sagemaker:CreateModelCard\",\"sts:GetCallerIdentity\","
    "\"ram:AcceptResourceShareInvitation\"],\"Resource\":\"*\"}]}";

/* The invitation storm of scenarios/ram-storm-1000.json, for n partners
 * each reading `reads` times.  A new string. */
char *bench_storm_scenario(unsigned n, unsigned reads)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s,
        "{\"scenario\":\"storm-%u\",\"seed\":%u,\"start\":\"2026-01-05T09:00:00Z\","
        "\"region\":\"us-east-1\",\"accounts\":{\"111111111111\":{\"alias\":\"owner\","
        "\"roles\":{\"Admin\":{\"policies\":[{\"Version\":\"2012-10-17\",\"Statement\":"
        "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}]}},"
        "\"quotas\":{\"ram:pending-invitations\":%u,\"ram:resource-shares\":%u}}},"
        "\"account_sets\":[{\"count\":%u,\"first_id\":\"300000000000\",\"alias\":\"partner-${i}\","
        "\"account\":{\"roles\":{\"Reader\":{\"policies\":[%s]}}}}],"
        "\"actors\":[{\"name\":\"owner\",\"as\":{\"account\":\"owner\",\"role\":\"Admin\"},"
        "\"script\":[{\"at\":\"0s\",\"call\":\"sagemaker:CreateModelCard\",\"save\":\"card\","
        "\"expect\":\"ok\",\"input\":{\"ModelCardName\":\"shared\",\"ModelCardStatus\":\"Approved\","
        "\"Content\":\"{}\"}}]},"
        "{\"name\":\"share\",\"count\":%u,\"as\":{\"account\":\"owner\",\"role\":\"Admin\"},"
        "\"script\":[{\"at\":\"1m\",\"call\":\"ram:CreateResourceShare\",\"expect\":\"ok\","
        "\"input\":{\"name\":\"storm-${i}\",\"resourceArns\":[\"${card.ModelCardArn}\"],"
        "\"principals\":[\"${accounts.partner-${i}}\"]}}]},"
        "{\"name\":\"partner\",\"count\":%u,"
        "\"as\":\"arn:aws:iam::${accounts.partner-${i}}:role/Reader\",\"script\":["
        "{\"wait\":\"ram:invitation\",\"timeout\":\"2h\",\"save\":\"inv-${i}\",\"expect\":\"ok\"},"
        "{\"after\":\"5m\",\"call\":\"ram:AcceptResourceShareInvitation\",\"expect\":\"ok\","
        "\"input\":{\"resourceShareInvitationArn\":\"${inv-${i}.resourceShareInvitationArn}\"}}",
        n, n, n + 1, n + 1, n, READER, n, n);
    for (guint k = 0; k < reads; k++)
        g_string_append(s, ",{\"after\":\"1m\",\"call\":\"sagemaker:DescribeModelCard\","
                           "\"expect\":\"ok\",\"input\":{\"ModelCardName\":"
                           "\"arn:aws:sagemaker:us-east-1:111111111111:model-card/shared\"}}");
    g_string_append(s, "]}]}");
    return g_string_free(s, FALSE);
}

/* n accounts, each with one actor making `calls` calls of one kind:
 * "gci" (sts:GetCallerIdentity) or "own" (DescribeModelCard on its card). */
static char *own_scenario(const char *kind, guint n, guint calls)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s,
        "{\"scenario\":\"calls-%s\",\"seed\":1,\"start\":\"2026-01-05T09:00:00Z\","
        "\"region\":\"us-east-1\",\"accounts\":{},\"account_sets\":[{\"count\":%u,"
        "\"first_id\":\"300000000000\",\"alias\":\"a-${i}\",\"account\":{\"roles\":"
        "{\"Reader\":{\"policies\":[%s]}}}}],\"actors\":[{\"name\":\"c\",\"count\":%u,"
        "\"as\":\"arn:aws:iam::${accounts.a-${i}}:role/Reader\",\"script\":[", kind, n, READER, n);
    bool own = strcmp(kind, "own") == 0;
    if (own)
        g_string_append(s, "{\"at\":\"1s\",\"call\":\"sagemaker:CreateModelCard\",\"expect\":\"ok\","
                           "\"input\":{\"ModelCardName\":\"mine\",\"ModelCardStatus\":\"Draft\","
                           "\"Content\":\"{}\"}},");
    for (guint k = 0; k < calls; k++) {
        if (k)
            g_string_append_c(s, ',');
        if (own)
            g_string_append(s, "{\"after\":\"1s\",\"call\":\"sagemaker:DescribeModelCard\","
                               "\"expect\":\"ok\",\"input\":{\"ModelCardName\":\"mine\"}}");
        else
            g_string_append(s, "{\"after\":\"1s\",\"call\":\"sts:GetCallerIdentity\","
                               "\"expect\":\"ok\",\"input\":{}}");
    }
    g_string_append(s, "]}]}");
    return g_string_free(s, FALSE);
}

typedef struct measured {
    double   run_s;           /* the replay, loading excluded */
    guint64  calls, records, bytes;
    double   floor_s;         /* writing and hashing the same bytes */
    bool     ok;
} measured;

static guint64 sum_of(const cJSON *accounts, const char *k)
{
    guint64 n = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, accounts)
        n += (guint64)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(a, k));
    return n;
}

/* Writes every account's log of dir/trail again, under dir/floor, and hashes it. */
static double floor_of(const char *dir, guint64 *bytes)
{
    g_autofree char *trail = g_build_filename(dir, "trail", NULL);
    g_autofree char *to = g_build_filename(dir, "floor", NULL);
    g_mkdir_with_parents(to, 0755);
    GDir *d = g_dir_open(trail, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *texts = g_ptr_array_new_with_free_func(g_free);
    GArray *lens = g_array_new(FALSE, FALSE, sizeof(gsize));
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(trail, name, NULL);
        char *text;
        gsize len;
        if (!g_file_get_contents(p, &text, &len, NULL))
            continue;
        g_ptr_array_add(names, g_build_filename(to, name, NULL));
        g_ptr_array_add(texts, text);
        g_array_append_val(lens, len);
        *bytes += len;
    }
    if (d)
        g_dir_close(d);
    gint64 t0 = g_get_monotonic_time();
    sha256 c;
    sha256_init(&c);
    for (guint i = 0; i < texts->len; i++) {
        gsize len = g_array_index(lens, gsize, i);
        sha256_update(&c, texts->pdata[i], len);
        int fd = open(names->pdata[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd >= 0) {
            const char *p = texts->pdata[i];
            while (len > 0) {
                ssize_t w = write(fd, p, len);
                if (w <= 0)
                    break;
                p += w;
                len -= (gsize)w;
            }
            close(fd);
        }
    }
    char hex[65];
    sha256_hex(&c, hex);     /* the floor finishes its digest as a run does */
    gint64 t1 = g_get_monotonic_time();
    g_ptr_array_unref(names);
    g_ptr_array_unref(texts);
    g_array_unref(lens);
    return (double)(t1 - t0) / 1e6;
}

/* Loads text as a scenario and runs it into a temporary folder. */
static measured measure(const char *text, bool with_floor, bool exiting)
{
    measured m = { 0 };
    g_autofree char *dir = g_dir_make_tmp("crossim-bench-XXXXXX", NULL);
    if (!dir)
        return m;
    g_autofree char *file = g_build_filename(dir, "scenario.json", NULL);
    g_autofree char *out = g_build_filename(dir, "out", NULL);
    GError *e = NULL;
    scenario *s = NULL;
    if (g_file_set_contents(file, text, -1, &e))
        s = scen_load(file, NULL, &e);
    if (!s) {
        fprintf(stderr, "crossim bench: %s\n", e ? e->message : "cannot load");
        g_clear_error(&e);
        wfile_remove_tree(dir);
        return m;
    }
    run_opts o = { .out_dir = out, .exiting = exiting };
    run_result r;
    gint64 t0 = g_get_monotonic_time();
    bool ok = run_scenario(s, &o, &r, &e);
    gint64 t1 = g_get_monotonic_time();
    m.run_s = (double)(t1 - t0) / 1e6;
    const cJSON *accs = cJSON_GetObjectItemCaseSensitive(r.summary, "accounts");
    m.calls = sum_of(accs, "callsMade");
    m.records = sum_of(accs, "recordsReceived");
    m.ok = ok && r.failed == 0;
    if (!m.ok)
        fprintf(stderr, "crossim bench: the workload failed (%u expectations failed)%s%s\n",
                r.failed, e ? ": " : "", e ? e->message : "");
    g_clear_error(&e);
    if (!exiting || !run_keep_heap()) {
        run_result_clear(&r);
        scen_free(s);
    }
    if (with_floor && m.ok)     /* best of 3: the first write of a file costs most */
        for (int i = 0; i < 3; i++) {
            guint64 bytes = 0;
            double f = floor_of(out, &bytes);
            if (i == 0 || f < m.floor_s)
                m.floor_s = f;
            m.bytes = bytes;
        }
    wfile_remove_tree(dir);
    return m;
}

int bench_calls(FILE *out, int quick)
{
    guint n = quick ? 20 : 200, calls = quick ? 20 : 250;
    fprintf(out, "recorded calls: the whole call path into the JSON Lines sink, beside writing and "
                 "SHA-256 hashing the same records (the floor), in the same process\n");
    fprintf(out, "  %-26s %8s %9s %11s %11s %11s %7s\n", "call", "calls", "records", "calls/s",
            "floor/s", "bytes/rec", "ratio");
    const char *names[] = { "sts:GetCallerIdentity", "DescribeModelCard (own)",
                            "DescribeModelCard (RAM)" };
    for (int w = 0; w < 3; w++) {
        g_autofree char *text = w == 0 ? own_scenario("gci", n, calls)
                              : w == 1 ? own_scenario("own", n, calls)
                              : bench_storm_scenario(n, calls);
        measured m = measure(text, true, false);
        if (!m.ok)
            return 1;
        double rate = (double)m.calls / m.run_s;
        double floor_rate = (double)m.calls / (m.floor_s > 0 ? m.floor_s : 1e-9);
        fprintf(out, "  %-26s %8" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT " %11.0f %11.0f %11"
                G_GUINT64_FORMAT " %7.2f  (target >= 0.5: %s; aim 250000 calls/s)\n", names[w],
                m.calls, m.records, rate, floor_rate, m.records ? m.bytes / m.records : 0,
                rate / floor_rate, rate / floor_rate >= 0.5 ? "met" : "missed");
    }
    return 0;
}

typedef struct scale_row { double wall_s, user_s, sys_s; long rss_kb; bool ok; } scale_row;

/* Runs the storm for n accounts in a child; its wall time comes back
 * through a pipe and its own peak RSS from wait4. */
static scale_row scale_child(guint n)
{
    scale_row row = { 0 };
    int fds[2];
    if (pipe(fds) != 0)
        return row;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        g_autofree char *text = bench_storm_scenario(n, 1);
        measured m = measure(text, false, true);   /* the child exits after: as `crossim run` */
        double v[2] = { m.run_s, m.ok ? 1 : 0 };
        ssize_t w = write(fds[1], v, sizeof v);
        _exit(w == (ssize_t)sizeof v ? 0 : 1);
    }
    close(fds[1]);
    double v[2] = { 0, 0 };
    ssize_t got = read(fds[0], v, sizeof v);
    close(fds[0]);
    struct rusage ru;
    int st;
    if (pid > 0 && wait4(pid, &st, 0, &ru) == pid && got == (ssize_t)sizeof v) {
        row.wall_s = v[0];
        row.ok = v[1] > 0;
        row.rss_kb = ru.ru_maxrss;
        row.user_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
        row.sys_s = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    }
    return row;
}

int bench_scale(FILE *out, int quick)
{
    static const guint full[] = { 1000, 10000, 100000 };
    static const guint small[] = { 100, 1000 };
    const guint *sizes = quick ? small : full;
    gsize n_sizes = quick ? G_N_ELEMENTS(small) : G_N_ELEMENTS(full);
    fprintf(out, "scale: one owner shares a model card with N accounts; each waits for its "
                 "invitation, accepts and reads (3 calls and 4 records an account), each size in "
                 "its own process\n");
    fprintf(out, "  %8s %9s %7s %7s %11s %12s %9s %9s\n", "accounts", "wall s", "user s",
            "sys s", "peak RSS MB", "bytes/acct", "time x", "memory x");
    scale_row prev = { 0 };
    for (gsize i = 0; i < n_sizes; i++) {
        scale_row r = scale_child(sizes[i]);
        if (!r.ok) {
            fprintf(out, "  %8u  (failed)\n", sizes[i]);
            return 1;
        }
        char tx[16] = "", mx[16] = "";
        if (i) {
            double f = (double)sizes[i] / sizes[i - 1];
            g_snprintf(tx, sizeof tx, "%.1f/%.0f", r.wall_s / prev.wall_s, f);
            g_snprintf(mx, sizeof mx, "%.1f/%.0f", (double)r.rss_kb / (double)prev.rss_kb, f);
        }
        fprintf(out, "  %8u %9.2f %7.2f %7.2f %11.1f %12.0f %9s %9s\n", sizes[i], r.wall_s,
                r.user_s, r.sys_s, (double)r.rss_kb / 1024, (double)r.rss_kb * 1024 / sizes[i],
                tx, mx);
        prev = r;
    }
    fprintf(out, "  (user and sys: the child's CPU, scenario load and generation included; sys is "
                 "mostly the kernel creating one log file an account)\n");
    fprintf(out, "  target: 10x the accounts costs at most 11x the time and memory (S1); "
                 "100,000 accounts under 5 s\n");
    return 0;
}
