/* sim/serve.h: `crossim serve`, the live HTTP front (issue 16, SV1-SV3).
 *
 *   crossim serve SCENARIO [--listen 127.0.0.1:PORT] [--out DIR] [--force] [--speed N] [--no-actors] [--quiet]
 *
 * Loads the scenario's world, starts its actors, and answers AWS requests on
 * a loopback address (libevent's evhttp) through the same call path as
 * `run`: the SigV4 signature checked against the keyring (model/creds.h),
 * the request decoded from its wire protocol (model/wire.h), the input
 * validated, authorised and run by the handler, the record delivered to the
 * account logs.  Simulated time runs at --speed simulated seconds a wall
 * second from the scenario's start; POST /_crossim/advance?by=DURATION
 * jumps it ahead.  Delivered records are flushed after each request and
 * every 100 ms; SIGINT, SIGTERM or POST /_crossim/shutdown finish the run
 * (expectations, summary.json, timeline.html) as `run` does. */
#ifndef CROSSIM_SERVE_H
#define CROSSIM_SERVE_H

int serve_main(int argc, char **argv);

#endif
