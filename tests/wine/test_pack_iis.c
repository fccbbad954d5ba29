/* The IIS pack (conf/packs/iis.conf) through pack_test.h: its site, pool,
 * worker process and ASP.NET queries served from recorded samples of the
 * five IIS classes, cooked by the pack's own Results. Every expected value
 * is worked out by hand below from the samples. The wrapper ignores WHERE,
 * so each recording holds only the objects the query's condition lets
 * through (no "_Total", "__Total__"; for the worker processes only
 * DefaultAppPool's, which both worker queries read). */
#include "unit.h"

#include "pack_test.h"
#include "perf_rows.h"

#include <math.h>

/* ---- Win32_PerfRawData_W3SVC_WebService ----
 * Published, run 0: the "Default Web Site" and "Exchange Back End" rows of
 * an Exchange server's IIS recorded by Checkmk (github.com/Checkmk/checkmk
 * 00634e057b880174400083fdc61b81399a6f9018, tests/unit/checks/
 * generictests/datasets/wmi_webservices_server_windows_exchange_1_
 * regression.py; GPLv2: its numbers are used as facts, the rows are not
 * copied): Timestamp_PerfTime 6743176430643, Frequency_PerfTime 1953125,
 * and each counter named below with the value it has there.
 * Constructed: runs 1 and 2, and the CIM types: uint32 for the request,
 * connection and user counters (windows_exporter v0.14.0 reads their
 * Total* twins as uint32), uint64 for the byte counters (Checkmk prints
 * BytesSentPersec 3109860488 unsigned, where it prints a uint32 past 2^31
 * negative). CounterTypes as the class is known to give them, not read
 * from a host.
 *   run 1, 10 s later (19,531,250 ticks): traffic on both sites;
 *   run 2, 5 s later (9,765,625 ticks): "Exchange Back End"'s counters
 *     started again from low values (the site was restarted); "Shop" is a
 *     new site. */
#define SITE(id, name, get, post, head, other, all, rx, tx, attempts, nf,      \
             conns, anon, nonanon, stamp)                                      \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U32("GetRequestsPersec", get),                                           \
      U32("PostRequestsPersec", post),                                         \
      U32("HeadRequestsPersec", head),                                         \
      U32("PutRequestsPersec", "0"),                                           \
      U32("DeleteRequestsPersec", "0"),                                        \
      U32("OptionsRequestsPersec", "0"),                                       \
      U32("OtherRequestMethodsPersec", other),                                 \
      U32("TotalMethodRequestsPersec", all),                                   \
      U64("BytesReceivedPersec", rx),                                          \
      U64("BytesSentPersec", tx),                                              \
      U32("ConnectionAttemptsPersec", attempts),                               \
      U32("NotFoundErrorsPersec", nf),                                         \
      U32("CurrentConnections", conns),                                        \
      U32("CurrentAnonymousUsers", anon),                                      \
      U32("CurrentNonAnonymousUsers", nonanon),                                \
      U64("Timestamp_PerfTime", stamp),                                        \
      U64("Frequency_PerfTime", "1953125"),                                    \
  }

#define DWS "Default_Web_Site"
#define EBE "Exchange_Back_End"

SITE(site0_dws, "Default Web Site", "137000", "60246", "0", "28836", "226086",
     "388339380", "3109860488", "141001", "8", "0", "0", "0", "6743176430643");
SITE(site0_ebe, "Exchange Back End", "138760", "718925", "0", "462279",
     "1319970", "1646161369", "3274082244", "680013", "0", "11", "0", "8",
     "6743176430643");
SITE(site1_dws, "Default Web Site", "137250", "60286", "5", "28846", "226391",
     "388390580", "3113956488", "141121", "11", "4", "4", "0", "6743195961893");
SITE(site1_ebe, "Exchange Back End", "138860", "719825", "0", "462779",
     "1321470", "1647209945", "3276179396", "680163", "0", "12", "0", "9",
     "6743195961893");
SITE(site2_dws, "Default Web Site", "137350", "60296", "5", "28846", "226497",
     "388400820", "3114980488", "141171", "11", "3", "3", "0", "6743205727518");
SITE(site2_ebe, "Exchange Back End", "20", "30", "0", "1", "51", "9000",
     "120000", "12", "0", "2", "0", "2", "6743205727518");
SITE(site2_shop, "Shop", "7", "1", "0", "0", "8", "1200", "64000", "2", "0",
     "1", "1", "0", "6743205727518");

static const perf_object_t site_run0[] = {OBJECT(site0_dws), OBJECT(site0_ebe)};
static const perf_object_t site_run1[] = {OBJECT(site1_dws), OBJECT(site1_ebe)};
static const perf_object_t site_run2[] = {OBJECT(site2_dws), OBJECT(site2_ebe),
                                          OBJECT(site2_shop)};
static const perf_run_t site_runs[] = {RUN(site_run0), RUN(site_run1),
                                       RUN(site_run2)};
static const perf_qualifier_t site_qualifiers[] = {
    {"GetRequestsPersec", PERF_COUNTER_COUNTER},
    {"PostRequestsPersec", PERF_COUNTER_COUNTER},
    {"HeadRequestsPersec", PERF_COUNTER_COUNTER},
    {"PutRequestsPersec", PERF_COUNTER_COUNTER},
    {"DeleteRequestsPersec", PERF_COUNTER_COUNTER},
    {"OptionsRequestsPersec", PERF_COUNTER_COUNTER},
    {"OtherRequestMethodsPersec", PERF_COUNTER_COUNTER},
    {"TotalMethodRequestsPersec", PERF_COUNTER_COUNTER},
    {"BytesReceivedPersec", PERF_COUNTER_BULK_COUNT},
    {"BytesSentPersec", PERF_COUNTER_BULK_COUNT},
    {"ConnectionAttemptsPersec", PERF_COUNTER_COUNTER},
    {"NotFoundErrorsPersec", PERF_COUNTER_COUNTER},
    {"CurrentConnections", PERF_COUNTER_RAWCOUNT},
    {"CurrentAnonymousUsers", PERF_COUNTER_RAWCOUNT},
    {"CurrentNonAnonymousUsers", PERF_COUNTER_RAWCOUNT},
};
static const perf_recording_t web_service = {
    "Win32_PerfRawData_W3SVC_WebService",
    site_qualifiers,
    COUNT(site_qualifiers),
    site_runs,
    COUNT(site_runs),
    0,
};

/* ---- Win32_PerfRawData_APPPOOLCountersProvider_APPPOOLWAS ----
 * Constructed, all of it: no public recording of this class was found.
 * Property names of windows_exporter v0.14.0 collector/iis.go, its types
 * (uint64 uptime, uint32 counts), its state numbers (3 Running, 5
 * Disabled), and its reading of CurrentApplicationPoolUptime as a FILETIME
 * start over Frequency_Object (PERF_ELAPSED_TIME). Timestamp_Object is a
 * FILETIME (100 ns since 1601), Frequency_Object 10,000,000.
 *   run 0: DefaultAppPool started 3600 s ago, recycled twice; Shop is
 *     disabled, its last start 86400 s ago;
 *   run 1, 10 s later: DefaultAppPool recycled 5 s ago (a new worker
 *     process: one more created, one more recycle). */
#define POOL(id, name, state, workers, start, recycles, created, failures,     \
             stamp)                                                            \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U32("CurrentApplicationPoolState", state),                               \
      U32("CurrentWorkerProcesses", workers),                                  \
      U64("CurrentApplicationPoolUptime", start),                              \
      U32("TotalApplicationPoolRecycles", recycles),                           \
      U32("TotalWorkerProcessesCreated", created),                             \
      U32("TotalWorkerProcessFailures", failures),                             \
      U32("TotalWorkerProcessStartupFailures", "0"),                           \
      U32("TotalWorkerProcessPingFailures", "1"),                              \
      U64("Timestamp_Object", stamp),                                          \
      U64("Frequency_Object", "10000000"),                                     \
  }

POOL(pool0_default, "DefaultAppPool", "3", "1", "133479964000000000", "2", "3",
     "0", "133480000000000000");
POOL(pool0_shop, "Shop", "5", "0", "133479136000000000", "0", "1", "2",
     "133480000000000000");
POOL(pool1_default, "DefaultAppPool", "3", "1", "133480000050000000", "3", "4",
     "0", "133480000100000000");
POOL(pool1_shop, "Shop", "5", "0", "133479136000000000", "0", "1", "2",
     "133480000100000000");

static const perf_object_t pool_run0[] = {OBJECT(pool0_default),
                                          OBJECT(pool0_shop)};
static const perf_object_t pool_run1[] = {OBJECT(pool1_default),
                                          OBJECT(pool1_shop)};
static const perf_run_t pool_runs[] = {RUN(pool_run0), RUN(pool_run1)};
static const perf_qualifier_t pool_qualifiers[] = {
    {"CurrentApplicationPoolState", PERF_COUNTER_RAWCOUNT},
    {"CurrentWorkerProcesses", PERF_COUNTER_RAWCOUNT},
    {"CurrentApplicationPoolUptime", PERF_ELAPSED_TIME},
    {"TotalApplicationPoolRecycles", PERF_COUNTER_RAWCOUNT},
    {"TotalWorkerProcessesCreated", PERF_COUNTER_RAWCOUNT},
    {"TotalWorkerProcessFailures", PERF_COUNTER_RAWCOUNT},
    {"TotalWorkerProcessStartupFailures", PERF_COUNTER_RAWCOUNT},
    {"TotalWorkerProcessPingFailures", PERF_COUNTER_RAWCOUNT},
};
static const perf_recording_t app_pool = {
    "Win32_PerfRawData_APPPOOLCountersProvider_APPPOOLWAS",
    pool_qualifiers,
    COUNT(pool_qualifiers),
    pool_runs,
    COUNT(pool_runs),
    0,
};

/* ---- Win32_PerfRawData_W3SVCW3WPCounterProvider_W3SVCW3WP ----
 * Constructed, all of it. Names as windows_exporter v0.14.0 reads them:
 * "<process ID>_<pool>", uint64 counters. DefaultAppPool as a web garden
 * of two worker processes, 1234 and 5678; run 1 is 10 s later. */
#define WORKER(id, name, active, threads, served)                              \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U64("ActiveRequests", active),                                           \
      U64("ActiveThreadsCount", threads),                                      \
      U64("TotalHTTPRequestsServed", served),                                  \
  }

WORKER(w0_a, "1234_DefaultAppPool", "3", "5", "10230");
WORKER(w0_b, "5678_DefaultAppPool", "1", "2", "8800");
WORKER(w1_a, "1234_DefaultAppPool", "2", "4", "10480");
WORKER(w1_b, "5678_DefaultAppPool", "4", "6", "9010");

static const perf_object_t worker_run0[] = {OBJECT(w0_a), OBJECT(w0_b)};
static const perf_object_t worker_run1[] = {OBJECT(w1_a), OBJECT(w1_b)};
static const perf_run_t worker_runs[] = {RUN(worker_run0), RUN(worker_run1)};
static const perf_qualifier_t worker_qualifiers[] = {
    {"ActiveRequests", PERF_COUNTER_RAWCOUNT},
    {"ActiveThreadsCount", PERF_COUNTER_RAWCOUNT},
    {"TotalHTTPRequestsServed", PERF_COUNTER_RAWCOUNT},
};
static const perf_recording_t worker = {
    "Win32_PerfRawData_W3SVCW3WPCounterProvider_W3SVCW3WP",
    worker_qualifiers,
    COUNT(worker_qualifiers),
    worker_runs,
    COUNT(worker_runs),
    0,
};

/* ---- Win32_PerfRawData_ASPNET_ASPNET ----
 * Constructed, all of it. Property names and uint32 types of the class as
 * RRUZ/delphi-wmi-class-generator's unit has them; one object. Run 1 is
 * 10 s later: 3 more requests rejected, one application restarted. */
#define ASPNET(id, queued, current, wait, rejected, restarts)                  \
  static const perf_property_t id[] = {                                        \
      U32("RequestsQueued", queued),        U32("RequestsCurrent", current),   \
      U32("RequestWaitTime", wait),         U32("RequestsRejected", rejected), \
      U32("ApplicationRestarts", restarts), U32("WorkerProcessRestarts", "1"), \
  }

ASPNET(aspnet0, "0", "4", "0", "12", "6");
ASPNET(aspnet1, "17", "40", "250", "15", "7");

static const perf_object_t aspnet_run0[] = {OBJECT(aspnet0)};
static const perf_object_t aspnet_run1[] = {OBJECT(aspnet1)};
static const perf_run_t aspnet_runs[] = {RUN(aspnet_run0), RUN(aspnet_run1)};
static const perf_qualifier_t aspnet_qualifiers[] = {
    {"RequestsQueued", PERF_COUNTER_RAWCOUNT},
    {"RequestsCurrent", PERF_COUNTER_RAWCOUNT},
    {"RequestWaitTime", PERF_COUNTER_RAWCOUNT},
    {"RequestsRejected", PERF_COUNTER_RAWCOUNT},
    {"ApplicationRestarts", PERF_COUNTER_RAWCOUNT},
    {"WorkerProcessRestarts", PERF_COUNTER_RAWCOUNT},
};
static const perf_recording_t aspnet = {
    "Win32_PerfRawData_ASPNET_ASPNET",
    aspnet_qualifiers,
    COUNT(aspnet_qualifiers),
    aspnet_runs,
    COUNT(aspnet_runs),
    0,
};

/* ---- Win32_PerfRawData_ASPNET_ASPNETApplications ----
 * Constructed, all of it. Names as that unit has them; instance names as
 * ASP.NET gives them (the metabase path of the application with "/" as
 * "_": _LM_W3SVC_1_ROOT is site 1's root). Frequency_PerfTime 10 MHz; run 1
 * is 10 s (100,000,000 ticks) later. */
#define APP(id, name, requests, errors, executing, queued, stamp)              \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U32("RequestsPerSec", requests),                                         \
      U32("ErrorsTotalPerSec", errors),                                        \
      U32("RequestsExecuting", executing),                                     \
      U32("RequestsInApplicationQueue", queued),                               \
      U64("Timestamp_PerfTime", stamp),                                        \
      U64("Frequency_PerfTime", "10000000"),                                   \
  }

APP(app0_root, "_LM_W3SVC_1_ROOT", "50000", "12", "2", "0", "90000000000");
APP(app0_shop, "_LM_W3SVC_1_ROOT_shop", "700", "0", "0", "0", "90000000000");
APP(app1_root, "_LM_W3SVC_1_ROOT", "50420", "15", "3", "1", "90100000000");
APP(app1_shop, "_LM_W3SVC_1_ROOT_shop", "760", "0", "1", "0", "90100000000");

static const perf_object_t app_run0[] = {OBJECT(app0_root), OBJECT(app0_shop)};
static const perf_object_t app_run1[] = {OBJECT(app1_root), OBJECT(app1_shop)};
static const perf_run_t app_runs[] = {RUN(app_run0), RUN(app_run1)};
static const perf_qualifier_t app_qualifiers[] = {
    {"RequestsPerSec", PERF_COUNTER_COUNTER},
    {"ErrorsTotalPerSec", PERF_COUNTER_COUNTER},
    {"RequestsExecuting", PERF_COUNTER_RAWCOUNT},
    {"RequestsInApplicationQueue", PERF_COUNTER_RAWCOUNT},
};
static const perf_recording_t aspnet_apps = {
    "Win32_PerfRawData_ASPNET_ASPNETApplications",
    app_qualifiers,
    COUNT(app_qualifiers),
    app_runs,
    COUNT(app_runs),
    0,
};

static const char *const queries[] = {
    "iis_site",   "iis_apppool",    "iis_worker", "iis_worker_defaultapppool",
    "iis_aspnet", "iis_aspnet_app", NULL};
static const perf_recording_t *const recordings[] = {
    &web_service, &app_pool, &worker, &aspnet, &aspnet_apps};

/* iis_site: PERF_COUNTER_COUNTER and PERF_COUNTER_BULK_COUNT cook the same
 * way, (N1 - N0) * Frequency_PerfTime / (T1 - T0): run 1 is 19,531,250
 * ticks of 1,953,125 Hz after run 0 (10 s), run 2 9,765,625 after run 1
 * (5 s). PERF_COUNTER_RAWCOUNT gives the raw count from run 0 on. */
static const pack_expect_t expected[] = {
    {"iis_site", 0, "gauge", "get_requests_per_second-" DWS, NAN,
     "first run: nothing to cook against", 0},
    {"iis_site", 0, "current_connections", EBE, 11,
     "raw count, as recorded (Checkmk)", 0},
    {"iis_site", 0, "users", "non_anonymous-" EBE, 8,
     "raw count, as recorded (Checkmk)", 0},
    {"iis_site", 0, "current_connections", DWS, 0, "raw count 0", 0},
    {"iis_site", 1, "gauge", "get_requests_per_second-" DWS, 25,
     "137250 - 137000 = 250 GETs in 10 s", 0},
    {"iis_site", 1, "gauge", "post_requests_per_second-" DWS, 4,
     "60286 - 60246 = 40 in 10 s", 0},
    {"iis_site", 1, "gauge", "head_requests_per_second-" DWS, 0.5,
     "5 - 0 = 5 in 10 s", 0},
    {"iis_site", 1, "gauge", "put_requests_per_second-" DWS, 0, "0 - 0: none",
     0},
    {"iis_site", 1, "gauge", "other_requests_per_second-" DWS, 1,
     "28846 - 28836 = 10 in 10 s", 0},
    {"iis_site", 1, "gauge", "all_requests_per_second-" DWS, 30.5,
     "226391 - 226086 = 305 in 10 s", 0},
    {"iis_site", 1, "gauge", "rx_bytes_per_second-" DWS, 5120,
     "388390580 - 388339380 = 51,200 bytes in 10 s", 0},
    {"iis_site", 1, "gauge", "tx_bytes_per_second-" DWS, 409600,
     "3113956488 - 3109860488 = 4,096,000 bytes in 10 s", 0},
    {"iis_site", 1, "gauge", "connection_attempts_per_second-" DWS, 12,
     "141121 - 141001 = 120 in 10 s", 0},
    {"iis_site", 1, "gauge", "not_found_errors_per_second-" DWS, 0.3,
     "11 - 8 = 3 in 10 s", 0},
    {"iis_site", 1, "current_connections", DWS, 4, "raw count", 0},
    {"iis_site", 1, "users", "anonymous-" DWS, 4, "raw count", 0},
    {"iis_site", 1, "gauge", "post_requests_per_second-" EBE, 90,
     "719825 - 718925 = 900 in 10 s", 0},
    {"iis_site", 1, "gauge", "all_requests_per_second-" EBE, 150,
     "1321470 - 1319970 = 1500 in 10 s", 0},
    {"iis_site", 1, "gauge", "rx_bytes_per_second-" EBE, 104857.6,
     "1647209945 - 1646161369 = 1,048,576 bytes in 10 s", 0},
    {"iis_site", 1, "gauge", "tx_bytes_per_second-" EBE, 209715.2,
     "3276179396 - 3274082244 = 2,097,152 bytes in 10 s", 0},
    {"iis_site", 1, "current_connections", EBE, 12, "raw count", 0},
    {"iis_site", 2, "gauge", "get_requests_per_second-" DWS, 20,
     "137350 - 137250 = 100 in 9,765,625 ticks (5 s)", 0},
    {"iis_site", 2, "gauge", "all_requests_per_second-" DWS, 21.2,
     "226497 - 226391 = 106 in 5 s", 0},
    {"iis_site", 2, "gauge", "tx_bytes_per_second-" DWS, 204800,
     "3114980488 - 3113956488 = 1,024,000 bytes in 5 s", 0},
    {"iis_site", 2, "gauge", "get_requests_per_second-" EBE, NAN,
     "138860 to 20: went backwards (site restarted), no value", 0},
    {"iis_site", 2, "current_connections", EBE, 2,
     "a raw count has a value after the restart too", 0},
    {"iis_site", 2, "gauge", "get_requests_per_second-Shop", NAN,
     "a new site: nothing to cook against", 0},
    {"iis_site", 2, "current_connections", "Shop", 1,
     "a new site's raw count, at once", 0},
    /* iis_apppool: PERF_ELAPSED_TIME (Timestamp_Object - raw) /
     * Frequency_Object from the first run; raw counts; derives as raw. */
    {"iis_apppool", 0, "gauge", "state-DefaultAppPool", 3, "3 Running", 0},
    {"iis_apppool", 0, "gauge", "state-Shop", 5, "5 Disabled", 0},
    {"iis_apppool", 0, "count", "worker_processes-DefaultAppPool", 1,
     "raw count", 0},
    {"iis_apppool", 0, "uptime", "DefaultAppPool", 3600,
     "133480000000000000 - 133479964000000000 = 36,000,000,000 x 100 ns", 0},
    {"iis_apppool", 0, "uptime", "Shop", 86400,
     "133480000000000000 - 133479136000000000 = 864,000,000,000 x 100 ns", 0},
    {"iis_apppool", 0, "derive", "recycles-DefaultAppPool", 2, "raw total", 0},
    {"iis_apppool", 0, "errors", "worker_process_failures-Shop", 2, "raw total",
     0},
    {"iis_apppool", 0, "errors", "worker_process_ping_failures-Shop", 1,
     "raw total", 0},
    {"iis_apppool", 1, "uptime", "DefaultAppPool", 5,
     "133480000100000000 - 133480000050000000: recycled 5 s ago", 0},
    {"iis_apppool", 1, "uptime", "Shop", 86410, "10 s more", 0},
    {"iis_apppool", 1, "derive", "recycles-DefaultAppPool", 3,
     "one more recycle", 0},
    {"iis_apppool", 1, "derive", "worker_processes_created-DefaultAppPool", 4,
     "one more worker process", 0},
    {"iis_apppool", 1, "errors", "worker_process_startup_failures-Shop", 0,
     "raw total 0", 0},
    /* iis_worker: one series per worker process, by its Name. */
    {"iis_worker", 0, "requests", "active-1234_DefaultAppPool", 3, "raw", 0},
    {"iis_worker", 0, "threads", "active-5678_DefaultAppPool", 2, "raw", 0},
    {"iis_worker", 0, "http_requests", "served-1234_DefaultAppPool", 10230,
     "raw total", 0},
    {"iis_worker", 1, "requests", "active-5678_DefaultAppPool", 4, "raw", 0},
    {"iis_worker", 1, "http_requests", "served-5678_DefaultAppPool", 9010,
     "raw total", 0},
    /* iis_worker_defaultapppool: both worker processes summed. */
    {"iis_worker_defaultapppool", 0, "requests", "active", 4, "3 + 1", 0},
    {"iis_worker_defaultapppool", 0, "threads", "active", 7, "5 + 2", 0},
    {"iis_worker_defaultapppool", 1, "requests", "active", 6, "2 + 4", 0},
    {"iis_worker_defaultapppool", 1, "threads", "active", 10, "4 + 6", 0},
    /* iis_aspnet: raw counts; RequestWaitTime in ms, Scale 0.001. */
    {"iis_aspnet", 0, "requests", "queued", 0, "raw", 0},
    {"iis_aspnet", 0, "requests", "current", 4, "raw", 0},
    {"iis_aspnet", 0, "errors", "requests_rejected", 12, "raw total", 0},
    {"iis_aspnet", 1, "requests", "queued", 17, "raw", 0},
    {"iis_aspnet", 1, "duration", "request_wait", 0.25, "250 ms x 0.001", 0},
    {"iis_aspnet", 1, "errors", "requests_rejected", 15, "raw total", 0},
    {"iis_aspnet", 1, "derive", "application_restarts", 7, "raw total", 0},
    {"iis_aspnet", 1, "derive", "worker_process_restarts", 1, "raw total", 0},
    /* iis_aspnet_app: PERF_COUNTER_COUNTER over 100,000,000 ticks of
     * 10 MHz (10 s). */
    {"iis_aspnet_app", 0, "gauge", "requests_per_second-_LM_W3SVC_1_ROOT", NAN,
     "first run", 0},
    {"iis_aspnet_app", 0, "requests", "executing-_LM_W3SVC_1_ROOT", 2, "raw",
     0},
    {"iis_aspnet_app", 1, "gauge", "requests_per_second-_LM_W3SVC_1_ROOT", 42,
     "50420 - 50000 = 420 in 10 s", 0},
    {"iis_aspnet_app", 1, "gauge", "errors_per_second-_LM_W3SVC_1_ROOT", 0.3,
     "15 - 12 = 3 in 10 s", 0},
    {"iis_aspnet_app", 1, "gauge", "requests_per_second-_LM_W3SVC_1_ROOT_shop",
     6, "760 - 700 = 60 in 10 s", 0},
    {"iis_aspnet_app", 1, "requests", "queued-_LM_W3SVC_1_ROOT", 1, "raw", 0},
};

/* No instance unsanitized ("Default Web Site"), none without its prefix,
 * and no sum of requests served (the pack leaves it out: it would fall
 * when a worker process exits). */
static const char *const absent[] = {
    "gauge-get_requests_per_second-Default Web Site", "users-" DWS,
    "http_requests-served", NULL};

static const pack_case_t iis = {
    .pack = "iis.conf",
    .queries = queries,
    .recordings = recordings,
    .recordings_num = COUNT(recordings),
    .runs = 3,
    .expected = expected,
    .expected_num = COUNT(expected),
    .absent = absent,
};

int main(void) { return pack_test_main(&iis, 1, "pack_iis"); }
