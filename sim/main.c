/* sim/main.c: the command line.  Thin: each command parses its options and
 * calls into the library; only here does anything exit.
 *
 *   crossim run SCENARIO [--out DIR] [--force] [--seed N] [--s3-layout] [--speed N] [--quiet]
 *   crossim serve SCENARIO [--listen 127.0.0.1:PORT] [--out DIR] [--force] [--speed N] [--no-actors] [--quiet]
 *   crossim check SCENARIO...
 *   crossim explain SCENARIO --as ARN --action A --resource R [--context k=v]... [--at T] [--json]
 *   crossim bench [engine|hold|phold|iam|pipelines|calls|scale|serve|sweep|all] [--quick]
 *   crossim sweep plan|run-one|merge|local ...   (sim/sweep.h)
 *
 * Exit status: 0 success and every expectation held; 1 an expectation failed;
 * 2 bad usage or a bad scenario (nothing written); 3 an output error. */
#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "model/api.h"
#include "sim/bench.h"
#include "sim/explain.h"
#include "sim/jsonpos.h"
#include "sim/outdir.h"
#include "sim/run.h"
#include "sim/diff.h"
#include "sim/scenario.h"
#include "sim/serve.h"
#include "sim/summary.h"
#include "sim/sweep.h"

static int usage(FILE *out)
{
    fputs("usage:\n"
          "  crossim run SCENARIO [--out DIR] [--force] [--seed N] [--s3-layout] [--speed N] [--quiet]\n"
          "  crossim check SCENARIO...\n"
          "  crossim explain SCENARIO --as ARN --action ACTION --resource ARN\n"
          "                [--resource-account ID] [--context KEY=VALUE]... [--at DURATION]\n"
          "                [--encryption-context KEY=VALUE]... [--json]\n"
          "  crossim serve SCENARIO [--listen 127.0.0.1:PORT] [--out DIR] [--force] [--speed N]\n"
          "                [--no-actors] [--quiet]\n"
          "  crossim diff RUN_A RUN_B\n"
          "  crossim sweep plan SWEEP --out DIR [--force]\n"
          "  crossim sweep run-one DIR INDEX [--quiet]\n"
          "  crossim sweep merge DIR\n"
          "  crossim sweep local SWEEP [-j N] --out DIR [--force]\n"
          "  crossim ops\n"
          "  crossim bench [engine|hold|phold|iam|pipelines|calls|scale|serve|sweep|all] [--quick]\n", out);
    return 2;
}

static bool parse_seed(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    guint64 v = g_ascii_strtoull(text, &end, 10);
    if (errno || end == text || *end)
        return false;
    *out = v;
    return true;
}

/* The progress line of long runs (S3): on a terminal only, from
 * PROGRESS_AFTER_US of wall time on (CROSSIM_PROGRESS_AFTER_MS overrides it,
 * for tests), at most every 250 ms, one line rewritten in place.  The wall
 * clock is read here only; nothing it gives reaches the run's outputs. */
#define PROGRESS_AFTER_US (2 * G_USEC_PER_SEC)

typedef struct progress {
    FILE   *out;
    const scenario *s;
    gint64  start, after, last;
    bool    shown;
} progress;

static void progress_tick(void *user, const run_progress *p)
{
    progress *g = user;
    gint64 now = g_get_monotonic_time();
    if (p->done) {
        if (g->shown)
            fputc('\n', g->out);
        return;
    }
    if (now - g->start < g->after || now - g->last < 250000)
        return;
    g->last = now;
    g->shown = true;
    char t[21];
    world_iso_time(g->s->world, p->now_us, t);
    double el = (double)(now - g->start) / 1e6;
    fprintf(g->out, "\rcrossim: %s  %" G_GUINT64_FORMAT " events  %" G_GUINT64_FORMAT " calls  %"
            G_GUINT64_FORMAT " records  %.0f events/s  %.1f s ", t, p->events, p->calls,
            p->records, (double)p->events / el, el);
    fflush(g->out);
}

static int cmd_run(int argc, char **argv)
{
    g_autofree char *out_dir = NULL, *seed_text = NULL, *sqlite = NULL;
    gboolean s3 = FALSE, quiet = FALSE, force = FALSE;
    double speed = 0;
    GOptionEntry entries[] = {
        { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "write logs and summary under DIR (default out)", "DIR" },
        { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, "override the scenario's seed", "N" },
        { "s3-layout", 0, 0, G_OPTION_ARG_NONE, &s3, "also write the CloudTrail S3 layout (.json.gz)", NULL },
        { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed, "pace: N simulated seconds per wall second, printing records", "N" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "print nothing but errors", NULL },
        { "force", 'f', 0, G_OPTION_ARG_NONE, &force, "replace an earlier run in DIR (its files only)", NULL },
        { "sqlite", 0, 0, G_OPTION_ARG_FILENAME, &sqlite, "also write every record into FILE, a SQLite table \"trail\"", "FILE" },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autoptr(GOptionContext) ctx = g_option_context_new("SCENARIO - replay a scenario");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *e = NULL;
    if (!g_option_context_parse(ctx, &argc, &argv, &e) || argc != 2) {
        fprintf(stderr, "crossim run: %s\n", e ? e->message : "give one scenario file");
        g_clear_error(&e);
        return usage(stderr);
    }
    uint64_t seed;
    if (seed_text && !parse_seed(seed_text, &seed)) {
        fprintf(stderr, "crossim run: --seed %s is not a whole number\n", seed_text);
        return 2;
    }
    if (speed < 0) {
        fprintf(stderr, "crossim run: --speed must be positive\n");
        return 2;
    }
    g_autoptr(scenario) s = scen_load(argv[1], seed_text ? &seed : NULL, &e);
    if (!s) {
        fprintf(stderr, "%s\n", e->message);
        g_error_free(e);
        return 2;
    }
    if ((sqlite && !outdir_claim_file(sqlite, force, &e)) ||
        !outdir_prepare(out_dir ? out_dir : "out", force, &e)) {
        fprintf(stderr, "crossim run: %s\n", e->message);
        int st = g_error_matches(e, G_FILE_ERROR, G_FILE_ERROR_EXIST) ? 2 : 3;
        g_error_free(e);
        return st;
    }
    run_opts o = { .out_dir = out_dir ? out_dir : "out", .s3_layout = s3, .speed = speed,
                   .live = speed > 0 && !quiet ? stdout : NULL, .sqlite = sqlite,
                   .exiting = true };
    const char *after = g_getenv("CROSSIM_PROGRESS_AFTER_MS");
    progress pg = { .out = stderr, .s = s, .start = g_get_monotonic_time(),
                    .after = after ? g_ascii_strtoll(after, NULL, 10) * 1000 : PROGRESS_AFTER_US };
    if (!quiet && speed == 0 && isatty(fileno(stderr))) {
        o.tick = progress_tick;
        o.tick_user = &pg;
    }
    run_result r;
    bool ok = run_scenario(s, &o, &r, &e);
    if (!ok) {
        fprintf(stderr, "crossim run: %s\n", e ? e->message : "output error");
        g_clear_error(&e);
        run_result_clear(&r);
        return 3;
    }
    if (!quiet)
        summary_print(stdout, s, &o, &r);
    int rc = r.failed ? 1 : 0;
    if (run_keep_heap()) {
        fflush(NULL);
        exit(rc);             /* the scenario and the result go with the process */
    }
    run_result_clear(&r);
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        GError *e = NULL;
        scenario *s = scen_load(argv[i], NULL, &e);
        if (!s) {
            fprintf(stderr, "%s\n", e->message);
            g_error_free(e);
            rc = 2;
            continue;
        }
        for (guint k = 0; k < s->warnings->len; k++) {
            g_autofree char *w = jdoc_printable(s->warnings->pdata[k]);
            fprintf(stderr, "%s: warning: %s\n", argv[i], w);
        }
        printf("%s: ok (%u actors, %u expectations)\n", argv[i], s->actors->len, s->expects->len);
        scen_free(s);
    }
    return rc;
}

static int cmd_bench(int argc, char **argv)
{
    const char *which = "all";
    int quick = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else
            which = argv[i];
    }
    int rc = 0;
    /* The storm's children run first, while this process is small: a child's
     * peak RSS counts the pages it inherits. */
    if (strcmp(which, "all") == 0 || strcmp(which, "scale") == 0)
        rc |= bench_scale(stdout, quick);
    if (strcmp(which, "scale") == 0)
        return rc;
    if (strcmp(which, "all") == 0 || strcmp(which, "engine") == 0) {
        rc |= bench_engine(stdout, "engine", quick);
    } else if (strcmp(which, "hold") == 0 || strcmp(which, "phold") == 0) {
        rc |= bench_engine(stdout, which, quick);
    } else if (strcmp(which, "iam") != 0 && strcmp(which, "pipelines") != 0 &&
               strcmp(which, "calls") != 0 && strcmp(which, "scale") != 0 &&
               strcmp(which, "serve") != 0 && strcmp(which, "sweep") != 0) {
        fprintf(stderr, "crossim bench: unknown benchmark %s\n", which);
        return 2;
    }
    if (strcmp(which, "all") == 0 || strcmp(which, "iam") == 0)
        rc |= bench_iam(stdout, quick);
    if (strcmp(which, "all") == 0 || strcmp(which, "pipelines") == 0)
        rc |= bench_pipelines(stdout, quick);
    if (strcmp(which, "all") == 0 || strcmp(which, "calls") == 0)
        rc |= bench_calls(stdout, quick);
    if (strcmp(which, "all") == 0 || strcmp(which, "serve") == 0)
        rc |= bench_serve(stdout, quick);
    if (strcmp(which, "all") == 0 || strcmp(which, "sweep") == 0)
        rc |= bench_sweep(stdout, quick);
    return rc;
}

/* The exit status of a sweep error: 2 bad input, 3 an output failure. */
static int sweep_fail(const char *what, GError *e)
{
    fprintf(stderr, "crossim sweep %s: %s\n", what, e ? e->message : "failed");
    int st = e && e->domain == SWEEP_ERROR && e->code == SWEEP_ERROR_INPUT ? 2 : 3;
    if (e && e->domain != SWEEP_ERROR)
        st = 3;
    g_clear_error(&e);
    return st;
}

/* This crossim's absolute path: what the task lines run. */
static char *self_exe(const char *argv0)
{
    char *link = g_file_read_link("/proc/self/exe", NULL);
    return link ? link : g_canonicalize_filename(argv0, NULL);
}

static int cmd_sweep(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr);
    const char *sub = argv[1];
    g_autofree char *out_dir = NULL;
    gboolean force = FALSE, quiet = FALSE;
    gint jobs = 0;
    GOptionEntry entries[] = {
        { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "the sweep's folder", "DIR" },
        { "force", 'f', 0, G_OPTION_ARG_NONE, &force, "replace another plan in DIR", NULL },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "tasks at a time (default: the CPUs)", "N" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "print nothing but errors", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };
    g_autofree char *what = g_strdup_printf("%s - a sweep's %s", sub, sub);
    g_autoptr(GOptionContext) ctx = g_option_context_new(what);
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *e = NULL;
    int n = argc - 1;
    char **args = argv + 1;
    if (!g_option_context_parse(ctx, &n, &args, &e)) {
        fprintf(stderr, "crossim sweep: %s\n", e->message);
        g_error_free(e);
        return usage(stderr);
    }
    g_autofree char *exe = self_exe(argv[0]);
    bool plan = strcmp(sub, "plan") == 0, local = strcmp(sub, "local") == 0;
    if (plan || local) {
        if (n != 2 || !out_dir) {
            fprintf(stderr, "crossim sweep %s: give one sweep file and --out DIR\n", sub);
            return usage(stderr);
        }
        if (jobs < 0 || jobs > 1024) {
            fprintf(stderr, "crossim sweep %s: -j takes 1 to 1024\n", sub);
            return 2;
        }
        guint tasks, missing = 0;
        bool ok = plan ? sweep_plan_write(args[1], out_dir, exe, force, &tasks, quiet ? NULL : stdout, &e)
                       : sweep_local(args[1], out_dir, exe, jobs ? jobs : (int)g_get_num_processors(),
                                     force, quiet ? NULL : stdout, &missing, &e);
        if (!ok)
            return sweep_fail(sub, e);
        return missing ? 1 : 0;
    }
    if (strcmp(sub, "run-one") == 0) {
        guint64 index;
        if (n != 3 || !g_ascii_string_to_unsigned(args[2], 10, 0, G_MAXUINT32 - 1, &index, NULL)) {
            fprintf(stderr, "crossim sweep run-one: give the plan's folder and a task index\n");
            return usage(stderr);
        }
        bool skipped;
        if (!sweep_run_one(args[1], (guint)index, quiet ? NULL : stdout, &skipped, &e))
            return sweep_fail(sub, e);
        return 0;
    }
    if (strcmp(sub, "merge") == 0) {
        if (n != 2) {
            fprintf(stderr, "crossim sweep merge: give the plan's folder\n");
            return usage(stderr);
        }
        guint missing;
        if (!sweep_merge(args[1], quiet ? NULL : stdout, &missing, &e))
            return sweep_fail(sub, e);
        return missing ? 1 : 0;
    }
    fprintf(stderr, "crossim sweep: unknown step %s (plan, run-one, merge, local)\n", sub);
    return usage(stderr);
}

/* `crossim ops`: every operation crossim simulates, one a line, with
 * whether CloudTrail calls it read-only, in the services' table order. */
static int cmd_ops(int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return usage(stderr);
    const char *action;
    for (guint i = 0; (action = api_action(i)); i++)
        printf("%s\t%s\n", action, api_lookup(action)->read_only ? "read" : "write");
    return 0;
}

int main(int argc, char **argv)
{
    /* A file-size limit then fails a write (EFBIG), as a full disk does,
     * instead of killing the run mid-record. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2)
        return usage(stderr);
    const char *cmd = argv[1];
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "explain") == 0)
        return explain_main(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0)
        return cmd_bench(argc - 1, argv + 1);
    if (strcmp(cmd, "serve") == 0)
        return serve_main(argc - 1, argv + 1);
    if (strcmp(cmd, "diff") == 0)
        return diff_main(argc - 1, argv + 1);
    if (strcmp(cmd, "sweep") == 0)
        return cmd_sweep(argc - 1, argv + 1);
    if (strcmp(cmd, "ops") == 0)
        return cmd_ops(argc - 1, argv + 1);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "crossim: unknown command %s\n", cmd);
    return usage(stderr);
}
