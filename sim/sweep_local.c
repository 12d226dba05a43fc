/* sim/sweep_local.c: a sweep on this machine (SW1): plan, run every task,
 * merge.
 *
 * The runner is GNU parallel reading DIR/tasks.txt, the same list a user
 * hands it across hosts, when `parallel` is on PATH; else a pool of
 * `crossim sweep run-one` processes, `jobs` at a time.  CROSSIM_SWEEP_RUNNER
 * (parallel or pool) chooses.  A failed task does not stop the others: the
 * merge lists it as missing. */
#include "sim/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static bool spawn_failed(GError **error, const char *what)
{
    g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_IO, "cannot start %s: %s", what, g_strerror(errno));
    return false;
}

/* GNU parallel over tasks.txt; its own progress bar on a terminal. */
static bool run_parallel(const char *parallel, const char *dir, int jobs, GError **error)
{
    g_autofree char *list = g_build_filename(dir, "tasks.txt", NULL);
    g_autofree char *j = g_strdup_printf("%d", jobs);
    bool tty = isatty(STDERR_FILENO);
    const char *argv[] = { parallel, "--will-cite", "-j", j, "--halt", "never",
                           tty ? "--bar" : NULL, NULL };
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return spawn_failed(error, parallel);
    if (pid == 0) {
        int in = open(list, O_RDONLY | O_CLOEXEC);
        if (in < 0 || dup2(in, STDIN_FILENO) < 0)
            _exit(127);
        if (tty) {                    /* the bar alone on a terminal: task lines go */
            int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
            if (null >= 0)
                dup2(null, STDOUT_FILENO);
        }
        execv(parallel, (char **)argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_IO, "%s could not be run", parallel);
        return false;
    }
    return true;      /* failed tasks show as missing in the merge */
}

/* `jobs` crossim processes at a time, one task each. */
static bool run_pool(const char *exe, const char *dir, guint tasks, int jobs, GError **error)
{
    bool tty = isatty(STDERR_FILENO);
    guint next = 0, finished = 0, running = 0, failed = 0;
    fflush(NULL);
    while (finished < tasks) {
        while (running < (guint)jobs && next < tasks) {
            char idx[16];
            g_snprintf(idx, sizeof idx, "%u", next);
            pid_t pid = fork();
            if (pid < 0)
                return spawn_failed(error, exe);
            if (pid == 0) {
                if (tty) {
                    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
                    if (null >= 0)
                        dup2(null, STDOUT_FILENO);
                }
                execl(exe, exe, "sweep", "run-one", dir, idx, (char *)NULL);
                _exit(127);
            }
            next++;
            running++;
        }
        int st;
        pid_t got = wait(&st);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        running--;
        finished++;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            failed++;
        if (tty)
            fprintf(stderr, "\rsweep: %u of %u tasks done%s%u failed", finished, tasks,
                    failed ? ", " : "", failed);
    }
    if (tty)
        fprintf(stderr, "\n");
    return true;
}

bool sweep_local(const char *sweep_path, const char *dir, const char *exe, int jobs, bool force,
                 FILE *out, guint *missing, GError **error)
{
    guint tasks = 0;
    if (!sweep_plan_write(sweep_path, dir, exe, force, &tasks, out, error))
        return false;
    g_autofree char *abs = g_canonicalize_filename(dir, NULL);
    const char *choice = g_getenv("CROSSIM_SWEEP_RUNNER");
    g_autofree char *parallel = g_strcmp0(choice, "pool") == 0 ? NULL : g_find_program_in_path("parallel");
    if (g_strcmp0(choice, "parallel") == 0 && !parallel) {
        g_set_error(error, SWEEP_ERROR, SWEEP_ERROR_INPUT,
                    "CROSSIM_SWEEP_RUNNER=parallel, but GNU parallel is not on PATH");
        return false;
    }
    if (out)
        fprintf(out, "running %u tasks, %d at a time, through %s\n", tasks, jobs,
                parallel ? "GNU parallel" : "a pool of crossim processes");
    fflush(out);
    bool ok = parallel ? run_parallel(parallel, abs, jobs, error) : run_pool(exe, abs, tasks, jobs, error);
    return ok && sweep_merge(abs, out, missing, error);
}
