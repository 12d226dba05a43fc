/* sim/sweep.h: sweeps, many seeds and variants of one scenario (SW1).
 *
 * crossim plans the runs and leaves running them to an existing engine:
 *
 *   sweep plan SWEEP --out DIR   validates the sweep file and writes DIR/plan.json,
 *                                DIR/variants/NNN.json (each variant's scenario),
 *                                DIR/tasks.txt (one command a line, for GNU parallel)
 *                                and DIR/sweep.sbatch (a Slurm array over those lines)
 *   sweep run-one DIR INDEX      runs task INDEX into DIR/tasks/NNNNNN/; a finished
 *                                task is skipped, a half-finished one redone
 *   sweep merge DIR              DIR/sweep.json and DIR/sweep.csv: per variant and
 *                                metric n, mean, p50, p90, p99, min, max; missing tasks
 *   sweep local SWEEP -j N --out DIR   plan, run through GNU parallel (or a process
 *                                pool without it), merge
 *
 * Task i is variant i / seeds, seed seeds[i % seeds]: the same plan gives the
 * same digest for task i on any machine.  Errors in a sweep file name its
 * file, line, column and JSON path, as scenario errors do. */
#ifndef CROSSIM_SWEEP_H
#define CROSSIM_SWEEP_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Error codes in SWEEP_ERROR: bad input (exit 2), or output failure (3). */
#define SWEEP_ERROR (sweep_error_quark())
GQuark sweep_error_quark(void);
enum { SWEEP_ERROR_INPUT, SWEEP_ERROR_IO };
/* Moves *error (another domain's, e.g. a scenario's) into SWEEP_ERROR with code. */
void sweep_error_as(GError **error, int code);
/* The value at an RFC 6901 pointer in root, or NULL when there is none. */
const cJSON *sweep_pointer_get(const cJSON *root, const char *ptr);

typedef enum sweep_metric_kind {
    METRIC_SUMMARY,   /* a number in summary.json, by JSON pointer */
    METRIC_COUNT,     /* records matching `of`, in one account or all */
    METRIC_BETWEEN    /* seconds from the first `from` record to the first `to` in each account */
} sweep_metric_kind;

typedef enum sweep_reduce { REDUCE_EACH, REDUCE_MAX, REDUCE_MIN, REDUCE_MEAN, REDUCE_SUM }
    sweep_reduce;

typedef struct sweep_metric {
    char             *name;
    sweep_metric_kind kind;
    char             *pointer;          /* METRIC_SUMMARY */
    char             *account;          /* METRIC_COUNT (NULL: every account), BETWEEN's `to` */
    cJSON            *of;               /* METRIC_COUNT's match, BETWEEN's `to` match */
    char             *from_account;     /* METRIC_BETWEEN */
    cJSON            *from;
    bool              from_delivered;   /* METRIC_BETWEEN: an end's time is when its record */
    bool              to_delivered;     /*   reached the log (crossimDeliveryTime), not eventTime */
    sweep_reduce      reduce;           /* METRIC_BETWEEN: one value per account, or one per run */
} sweep_metric;

typedef struct sweep_variant {
    char  *label;                       /* "" for a sweep without variants */
    cJSON *set;                         /* {"/json/pointer": value}, applied in order */
    char  *file;                        /* "variants/000.json", below the plan's folder */
} sweep_variant;

/* A plan as DIR/plan.json holds it. */
typedef struct sweep_plan {
    char      *dir;                     /* absolute */
    char      *name, *hash;             /* hash: SHA-256 hex of the plan, results carry it */
    GPtrArray *variants;                /* sweep_variant* */
    GArray    *seeds;                   /* uint64_t */
    GPtrArray *metrics;                 /* sweep_metric* */
    guint      tasks;
} sweep_plan;

void sweep_plan_free(sweep_plan *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sweep_plan, sweep_plan_free)

/* Reads DIR/plan.json (checked as a sweep file is).  NULL with *error. */
sweep_plan *sweep_plan_read(const char *dir, GError **error);
/* DIR/tasks/NNNNNN: task index's folder (a new string). */
char       *sweep_task_dir(const sweep_plan *p, guint index);

/* Validates the sweep file and writes the plan into dir (created).  A dir
 * that already holds the same plan keeps its finished tasks; another plan
 * there is refused unless force, which first removes that plan's files.
 * exe is the crossim the task lines run (absolute).  *tasks: the count. */
bool sweep_plan_write(const char *sweep_path, const char *dir, const char *exe, bool force,
                      guint *tasks, FILE *msg, GError **error);

/* Runs task index of the plan in dir, unless a finished result of this
 * plan is there (*skipped).  Another run-one of the same task waits for
 * this one.  One line about the task to msg, unless NULL. */
bool sweep_run_one(const char *dir, guint index, FILE *msg, bool *skipped, GError **error);

/* The metric values of one finished run: out_dir holds its trail/, summary
 * its summary.json tree; account ids as the scenario resolved them.  A new
 * cJSON array of numbers, with *unmatched the accounts a BETWEEN metric's
 * `to` never matched in. */
cJSON      *sweep_metric_values(const sweep_metric *m, const char *out_dir, const cJSON *summary,
                                const GPtrArray *accounts, const char *from_id, const char *to_id,
                                guint *unmatched, GError **error);

/* Gathers every finished task into dir/sweep.json and dir/sweep.csv and
 * prints the table to out.  *missing: the tasks without a result. */
bool sweep_merge(const char *dir, FILE *out, guint *missing, GError **error);

/* plan, run every task with `jobs` at a time (GNU parallel when it is on
 * PATH, else a pool of crossim processes; CROSSIM_SWEEP_RUNNER=pool or
 * parallel chooses), then merge. */
bool sweep_local(const char *sweep_path, const char *dir, const char *exe, int jobs, bool force,
                 FILE *out, guint *missing, GError **error);

#endif
