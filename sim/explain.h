/* sim/explain.h: `crossim explain`, one authorisation decision with its trace. */
#ifndef CROSSIM_EXPLAIN_H
#define CROSSIM_EXPLAIN_H

/* argv[0] is "explain".  Exit status: 0 allowed, 1 denied, 2 bad usage or
 * a bad scenario. */
int explain_main(int argc, char **argv);

#endif
