/* logs.h — the access log and the query log (logs.c). */
#ifndef LOOM_SERVER_LOGS_H
#define LOOM_SERVER_LOGS_H

#include "results.h"

#include <microhttpd.h>

int logs_open(void);   /* the files config names; -1 with a message when one cannot be */
int logs_reopen(void); /* SIGHUP: after logrotate moved them */
/* One access log line: method and url as received (NULL: "-"), the status
 * answered and the seconds it took. */
void log_access(struct MHD_Connection *conn, const char *method, const char *url, unsigned status,
                double seconds);
void log_query(const search_request *req, const char *format, unsigned long hits,
               const char *corrected, double seconds);

#endif
