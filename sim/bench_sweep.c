/* sim/bench_sweep.c: what a sweep's planning, spawning and merging cost.
 *
 * The same runs (a 200-account storm, one seed each) twice: one after
 * another in this process, then as `crossim sweep local -j 2` (GNU parallel
 * when installed, else the process pool), planning and merging included.
 * The ratio of runs per second is the sweep's gain on this machine's cores
 * less its overhead. */
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/bench.h"
#include "sim/run.h"
#include "sim/scenario.h"
#include "sim/wfile.h"

int bench_sweep(FILE *out, int quick)
{
    guint runs = quick ? 4 : 20, accounts = quick ? 20 : 200;
    g_autofree char *dir = g_dir_make_tmp("crossim-bench-sweep-XXXXXX", NULL);
    if (!dir)
        return 1;
    g_autofree char *scen = g_build_filename(dir, "storm.json", NULL);
    g_autofree char *sweep = g_build_filename(dir, "sweep.json", NULL);
    g_autofree char *text = bench_storm_scenario(accounts, 1);
    g_autofree char *stext = g_strdup_printf(
        "{\"sweep\":\"bench\",\"scenario\":\"storm.json\",\"seeds\":{\"from\":1,\"count\":%u},"
        "\"metrics\":{\"failed\":{\"summary\":\"/expectations/failed\"}}}", runs);
    if (!g_file_set_contents(scen, text, -1, NULL) || !g_file_set_contents(sweep, stext, -1, NULL)) {
        wfile_remove_tree(dir);
        return 1;
    }
    /* One after another, in this process. */
    gint64 t0 = g_get_monotonic_time();
    bool ok = true;
    for (guint i = 0; ok && i < runs; i++) {
        uint64_t seed = 1 + i;
        GError *e = NULL;
        scenario *s = scen_load(scen, &seed, &e);
        g_autofree char *name = g_strdup_printf("seq-%u", i);
        g_autofree char *o = g_build_filename(dir, name, NULL);
        run_opts opts = { .out_dir = o };
        run_result r;
        ok = s && run_scenario(s, &opts, &r, &e);
        if (s)
            run_result_clear(&r);
        scen_free(s);
        g_clear_error(&e);
    }
    double seq_s = (double)(g_get_monotonic_time() - t0) / 1e6;
    /* Through the sweep. */
    g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
    g_autofree char *sdir = g_build_filename(dir, "sweep", NULL);
    gint64 t1 = g_get_monotonic_time();
    fflush(NULL);
    pid_t pid = ok && exe ? fork() : -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);     /* the tasks' own lines */
        if (null >= 0)
            dup2(null, STDOUT_FILENO);
        execl(exe, exe, "sweep", "local", sweep, "-j", "2", "--out", sdir, "--quiet", (char *)NULL);
        _exit(127);
    }
    int st = 0;
    ok = ok && pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
    double sw_s = (double)(g_get_monotonic_time() - t1) / 1e6;
    g_autofree char *parallel = g_find_program_in_path("parallel");
    fprintf(out, "sweep: %u runs of a %u-account storm, one after another in one process, then "
                 "`crossim sweep local -j 2` (%s; plan and merge included)\n", runs, accounts,
            parallel ? "GNU parallel" : "process pool");
    if (!ok) {
        fprintf(out, "  the workload failed\n");
        wfile_remove_tree(dir);
        return 1;
    }
    fprintf(out, "  %-28s %8s %10s %8s\n", "runner", "wall s", "runs/s", "ratio");
    fprintf(out, "  %-28s %8.2f %10.2f %8.2f\n", "sequential, in process", seq_s, runs / seq_s, 1.0);
    fprintf(out, "  %-28s %8.2f %10.2f %8.2f  (%u CPUs)\n", "sweep local -j 2", sw_s, runs / sw_s,
            seq_s / sw_s, g_get_num_processors());
    wfile_remove_tree(dir);
    return 0;
}
