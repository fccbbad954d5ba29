/* The DNS Server pack (conf/packs/dns.conf) through pack_test.h: its three
 * queries served from recorded samples of the DNS object. The pack cooks
 * nothing: every value is the raw count, as a derive, from the first run
 * on, and the expected values below are the recording's. */
#include "unit.h"

#include "pack_test.h"
#include "perf_rows.h"

#include <math.h>

/* ---- Win32_PerfRawData_DNS_DNS ----
 * Constructed: no public recording of this class was found. One object,
 * the property names of windows_exporter v0.14.0 collector/dns.go (whose
 * struct has no Name). A busy resolver: UDP queries and responses past
 * 2^31, so they arrive as negative VT_I4, as a uint32 does from WMI. Run 1
 * is 10 s after run 0. The DNS object's CounterTypes are not needed: the
 * pack reads no qualifier. */
#define DNS(id, udp_q, tcp_q, udp_r, tcp_r, recursive, rec_fail, rec_timeout,  \
            ixfr_req, ixfr_ok, notify_sent, written, no_op, secure_rx, queued) \
  static const perf_property_t id[] = {                                        \
      U32("UDPQueryReceived", udp_q),                                          \
      U32("TCPQueryReceived", tcp_q),                                          \
      U32("UDPResponseSent", udp_r),                                           \
      U32("TCPResponseSent", tcp_r),                                           \
      U32("RecursiveQueries", recursive),                                      \
      U32("RecursiveQueryFailure", rec_fail),                                  \
      U32("RecursiveSendTimeOuts", rec_timeout),                               \
      U32("UnmatchedResponsesReceived", "17"),                                 \
      U32("AXFRRequestReceived", "12"),                                        \
      U32("AXFRSuccessSent", "12"),                                            \
      U32("IXFRRequestReceived", ixfr_req),                                    \
      U32("IXFRSuccessSent", ixfr_ok),                                         \
      U32("ZoneTransferFailure", "2"),                                         \
      U32("NotifySent", notify_sent),                                          \
      U32("AXFRRequestSent", "0"),                                             \
      U32("AXFRSuccessReceived", "0"),                                         \
      U32("IXFRRequestSent", "0"),                                             \
      U32("IXFRTCPSuccessReceived", "0"),                                      \
      U32("IXFRUDPSuccessReceived", "0"),                                      \
      U32("NotifyReceived", "0"),                                              \
      U32("DynamicUpdateWrittentoDatabase", written),                          \
      U32("DynamicUpdateNoOperation", no_op),                                  \
      U32("DynamicUpdateRejected", "3"),                                       \
      U32("DynamicUpdateTimeOuts", "0"),                                       \
      U32("SecureUpdateReceived", secure_rx),                                  \
      U32("SecureUpdateFailure", "9"),                                         \
      U32("DynamicUpdateQueued", queued),                                      \
  }

DNS(dns0, "3221225000", "20411", "3221224000", "20409", "1200345", "1021",
    "3310", "340", "338", "680", "50213", "120044", "50100", "0");
DNS(dns1, "3221229800", "20417", "3221228790", "20415", "1200675", "1023",
    "3316", "342", "340", "684", "50220", "120060", "50107", "2");

static const perf_object_t dns_run0[] = {OBJECT(dns0)};
static const perf_object_t dns_run1[] = {OBJECT(dns1)};
static const perf_run_t dns_runs[] = {RUN(dns_run0), RUN(dns_run1)};

static const perf_recording_t dns = {
    "Win32_PerfRawData_DNS_DNS", NULL, 0, dns_runs, COUNT(dns_runs), 0,
};

static const char *const queries[] = {"dns_queries", "dns_zone_transfers",
                                      "dns_updates", NULL};
static const perf_recording_t *const recordings[] = {&dns};

static const pack_expect_t expected[] = {
    {"dns_queries", 0, "dns_query", "udp", 3221225000.0,
     "a uint32 past 2^31 (a negative VT_I4) is its count, from the first run",
     0},
    {"dns_queries", 0, "dns_query", "tcp", 20411, "raw", 0},
    {"dns_queries", 1, "dns_query", "udp", 3221229800.0, "raw", 0},
    {"dns_queries", 1, "dns_response", "udp", 3221228790.0, "raw", 0},
    {"dns_queries", 1, "dns_response", "tcp", 20415, "raw", 0},
    {"dns_queries", 1, "dns_query", "recursive", 1200675, "raw", 0},
    {"dns_queries", 1, "dns_resolver", "recursive_failures", 1023, "raw", 0},
    {"dns_queries", 1, "dns_resolver", "recursive_timeouts", 3316, "raw", 0},
    {"dns_queries", 1, "dns_response", "unmatched", 17, "raw", 0},
    {"dns_zone_transfers", 0, "dns_transfer", "axfr_requests_received", 12,
     "raw", 0},
    {"dns_zone_transfers", 1, "dns_transfer", "ixfr_requests_received", 342,
     "raw", 0},
    {"dns_zone_transfers", 1, "dns_transfer", "ixfr_success_sent", 340, "raw",
     0},
    {"dns_zone_transfers", 1, "dns_transfer", "failures", 2, "raw", 0},
    {"dns_zone_transfers", 1, "dns_notify", "sent", 684, "raw", 0},
    {"dns_zone_transfers", 1, "dns_notify", "received", 0, "raw", 0},
    {"dns_zone_transfers", 1, "dns_transfer", "ixfr_udp_success_received", 0,
     "raw", 0},
    {"dns_updates", 0, "dns_update", "written", 50213, "raw", 0},
    {"dns_updates", 1, "dns_update", "written", 50220, "raw", 0},
    {"dns_updates", 1, "dns_update", "no_operation", 120060, "raw", 0},
    {"dns_updates", 1, "dns_update", "rejected", 3, "raw", 0},
    {"dns_updates", 1, "dns_update", "timeouts", 0, "raw", 0},
    {"dns_updates", 1, "dns_update", "secure_received", 50107, "raw", 0},
    {"dns_updates", 1, "dns_update", "secure_failures", 9, "raw", 0},
    {"dns_updates", 0, "queue_length", "updates", 0, "none waiting", 0},
    {"dns_updates", 1, "queue_length", "updates", 2, "2 waiting now", 0},
};

static const pack_case_t dns_case = {
    .pack = "dns.conf",
    .queries = queries,
    .recordings = recordings,
    .recordings_num = 1,
    .runs = 2,
    .expected = expected,
    .expected_num = COUNT(expected),
    .absent = NULL,
};

int main(void) { return pack_test_main(&dns_case, 1, "pack_dns"); }
