/* The Active Directory pack (conf/packs/ad.conf) through pack_test.h: its
 * three queries served from recorded samples of the NTDS object, cooked
 * with the pack's own Results, every value worked out by hand below. */
#include "unit.h"

#include "pack_test.h"
#include "perf_rows.h"

#include <math.h>

/* ---- Win32_PerfRawData_DirectoryServices_DirectoryServices ----
 * Constructed: no public recording of this class was found. The one
 * object is named "NTDS" (windows_exporter v0.14.0 collector/ad.go reads
 * the class's first object; Performance Monitor's object is NTDS); the
 * property names are that file's; the CounterTypes are those the pack's
 * header names. The clock is a 10 MHz Timestamp_PerfTime, as on current
 * Windows; uint32 counters past 2^31 arrive as negative VT_I4, as from
 * WMI.
 *   run 1, 15 s after run 0: a busy domain controller; the outbound
 *     replication bytes cross 2^31; directory reads sit above 2^31;
 *   run 2, 10 s later: LDAPSearchesPersec, a 32-bit counter, wrapped past
 *     2^32 (at 350 searches a second, every 142 days); all else goes on. */
#define NTDS(id, stamp, searches, writes, binds, conns, sessions, threads,     \
             bind_ms, negotiate, ntlm, simple, fast, ds_client, ds_server,     \
             in_bytes, out_bytes, in_objects, out_objects, pending_sync,       \
             pending_ops, sync_made, sync_ok, reads, ds_writes, ds_searches,   \
             ds_threads, atq_queued, atq_delay)                                \
  static const perf_property_t id[] = {                                        \
      STR("Name", "NTDS"),                                                     \
      U64("Timestamp_PerfTime", stamp),                                        \
      U64("Frequency_PerfTime", "10000000"),                                   \
      U32("LDAPSearchesPersec", searches),                                     \
      U32("LDAPWritesPersec", writes),                                         \
      U32("LDAPSuccessfulBindsPersec", binds),                                 \
      U32("LDAPNewConnectionsPersec", conns),                                  \
      U32("LDAPClientSessions", sessions),                                     \
      U32("LDAPActiveThreads", threads),                                       \
      U32("LDAPBindTime", bind_ms),                                            \
      U32("NegotiatedBindsPersec", negotiate),                                 \
      U32("NTLMBindsPersec", ntlm),                                            \
      U32("SimpleBindsPersec", simple),                                        \
      U32("DigestBindsPersec", "0"),                                           \
      U32("ExternalBindsPersec", "42"),                                        \
      U32("FastBindsPersec", fast),                                            \
      U32("DSClientBindsPersec", ds_client),                                   \
      U32("DSServerBindsPersec", ds_server),                                   \
      U32("DRAInboundBytesTotalPersec", in_bytes),                             \
      U32("DRAOutboundBytesTotalPersec", out_bytes),                           \
      U32("DRAInboundObjectsPersec", in_objects),                              \
      U32("DRAOutboundObjectsPersec", out_objects),                            \
      U32("DRAPendingReplicationSynchronizations", pending_sync),              \
      U32("DRAPendingReplicationOperations", pending_ops),                     \
      U32("DRASyncRequestsMade", sync_made),                                   \
      U32("DRASyncRequestsSuccessful", sync_ok),                               \
      U32("DSDirectoryReadsPersec", reads),                                    \
      U32("DSDirectoryWritesPersec", ds_writes),                               \
      U32("DSDirectorySearchesPersec", ds_searches),                           \
      U32("DSThreadsinUse", ds_threads),                                       \
      U32("ATQOutstandingQueuedRequests", atq_queued),                         \
      U32("ATQEstimatedQueueDelay", atq_delay),                                \
  }

NTDS(ntds0, "3245120000000", "4294900000", "1203040", "9120334", "2210450",
     "398", "1", "12", "7000000", "1500000", "300000", "12000", "5110", "80000",
     "812345678", "2147483000", "1534000", "3068000", "0", "0", "15230",
     "15101", "3000000000", "2401000", "51200000", "2", "0", "0");
NTDS(ntds1, "3245270000000", "4294905250", "1203085", "9121234", "2210630",
     "412", "3", "16", "7000750", "1500090", "300030", "12015", "5125", "80015",
     "813083678", "2148959000", "1534300", "3068600", "2", "5", "15236",
     "15107", "3000004500", "2401150", "51206000", "5", "4", "37");
NTDS(ntds2, "3245370000000", "3000", "1203115", "9121834", "2210750", "405",
     "0", "0", "7001250", "1500150", "300050", "12025", "5135", "80025",
     "813083678", "2149943000", "1534300", "3069000", "0", "1", "15240",
     "15110", "3000007500", "2401250", "51210000", "1", "0", "0");

static const perf_object_t ntds_run0[] = {OBJECT(ntds0)};
static const perf_object_t ntds_run1[] = {OBJECT(ntds1)};
static const perf_object_t ntds_run2[] = {OBJECT(ntds2)};
static const perf_run_t ntds_runs[] = {RUN(ntds_run0), RUN(ntds_run1),
                                       RUN(ntds_run2)};

static const perf_qualifier_t ntds_qualifiers[] = {
    {"LDAPSearchesPersec", PERF_COUNTER_COUNTER},
    {"LDAPWritesPersec", PERF_COUNTER_COUNTER},
    {"LDAPSuccessfulBindsPersec", PERF_COUNTER_COUNTER},
    {"LDAPNewConnectionsPersec", PERF_COUNTER_COUNTER},
    {"LDAPClientSessions", PERF_COUNTER_RAWCOUNT},
    {"LDAPActiveThreads", PERF_COUNTER_RAWCOUNT},
    {"LDAPBindTime", PERF_COUNTER_RAWCOUNT},
    {"NegotiatedBindsPersec", PERF_COUNTER_COUNTER},
    {"NTLMBindsPersec", PERF_COUNTER_COUNTER},
    {"SimpleBindsPersec", PERF_COUNTER_COUNTER},
    {"DigestBindsPersec", PERF_COUNTER_COUNTER},
    {"ExternalBindsPersec", PERF_COUNTER_COUNTER},
    {"FastBindsPersec", PERF_COUNTER_COUNTER},
    {"DSClientBindsPersec", PERF_COUNTER_COUNTER},
    {"DSServerBindsPersec", PERF_COUNTER_COUNTER},
    {"DRAInboundBytesTotalPersec", PERF_COUNTER_COUNTER},
    {"DRAOutboundBytesTotalPersec", PERF_COUNTER_COUNTER},
    {"DRAInboundObjectsPersec", PERF_COUNTER_COUNTER},
    {"DRAOutboundObjectsPersec", PERF_COUNTER_COUNTER},
    {"DRAPendingReplicationSynchronizations", PERF_COUNTER_RAWCOUNT},
    {"DRAPendingReplicationOperations", PERF_COUNTER_RAWCOUNT},
    {"DRASyncRequestsMade", PERF_COUNTER_RAWCOUNT},
    {"DRASyncRequestsSuccessful", PERF_COUNTER_RAWCOUNT},
    {"DSDirectoryReadsPersec", PERF_COUNTER_COUNTER},
    {"DSDirectoryWritesPersec", PERF_COUNTER_COUNTER},
    {"DSDirectorySearchesPersec", PERF_COUNTER_COUNTER},
    {"DSThreadsinUse", PERF_COUNTER_RAWCOUNT},
    {"ATQOutstandingQueuedRequests", PERF_COUNTER_RAWCOUNT},
    {"ATQEstimatedQueueDelay", PERF_COUNTER_RAWCOUNT},
};

static const perf_recording_t ntds = {
    "Win32_PerfRawData_DirectoryServices_DirectoryServices",
    ntds_qualifiers,
    COUNT(ntds_qualifiers),
    ntds_runs,
    COUNT(ntds_runs),
    0,
};

static const char *const queries[] = {"ad_ldap", "ad_replication",
                                      "ad_directory", NULL};
static const perf_recording_t *const recordings[] = {&ntds};

#define OPS "operations_per_second"

/* PERF_COUNTER_COUNTER: (N1 - N0) * 10,000,000 / (D1 - D0), where
 * D1 - D0 = 150,000,000 ticks (15 s) from run 0 to 1 and 100,000,000
 * (10 s) from run 1 to 2. PERF_COUNTER_RAWCOUNT: N1, from the first run. */
static const pack_expect_t expected[] = {
    {"ad_ldap", 0, OPS, "searches", NAN, "first run: nothing to cook against",
     0},
    {"ad_ldap", 0, "current_sessions", "clients", 398,
     "a raw count has a value from the first run", 0},
    {"ad_ldap", 0, "response_time", "last_bind", 0.012, "12 ms", 0},
    {"ad_ldap", 1, OPS, "searches", 350,
     "4294905250 - 4294900000 = 5250 in 15 s (both past 2^31)", 0},
    {"ad_ldap", 1, OPS, "writes", 3, "1203085 - 1203040 = 45 in 15 s", 0},
    {"ad_ldap", 1, OPS, "successful_binds", 60,
     "9121234 - 9120334 = 900 in 15 s", 0},
    {"ad_ldap", 1, "gauge", "new_connections_per_second", 12,
     "2210630 - 2210450 = 180 in 15 s", 0},
    {"ad_ldap", 1, "current_sessions", "clients", 412, "412 now", 0},
    {"ad_ldap", 1, "threads", "active", 3, "3 now", 0},
    {"ad_ldap", 1, "response_time", "last_bind", 0.016, "16 ms * 0.001", 0},
    {"ad_ldap", 1, OPS, "binds_negotiate", 50,
     "7000750 - 7000000 = 750 in 15 s", 0},
    {"ad_ldap", 1, OPS, "binds_ntlm", 6, "1500090 - 1500000 = 90 in 15 s", 0},
    {"ad_ldap", 1, OPS, "binds_simple", 2, "300030 - 300000 = 30 in 15 s", 0},
    {"ad_ldap", 1, OPS, "binds_digest", 0, "0 - 0", 0},
    {"ad_ldap", 1, OPS, "binds_external", 0, "42 - 42", 0},
    {"ad_ldap", 1, OPS, "binds_fast", 1, "12015 - 12000 = 15 in 15 s", 0},
    {"ad_ldap", 1, OPS, "binds_ds_client", 1, "5125 - 5110 = 15 in 15 s", 0},
    {"ad_ldap", 1, OPS, "binds_ds_server", 1, "80015 - 80000 = 15 in 15 s", 0},
    {"ad_ldap", 2, OPS, "searches", NAN,
     "3000 < 4294905250: the 32-bit counter wrapped, no value (never a "
     "spike)",
     0},
    {"ad_ldap", 2, OPS, "writes", 3, "1203115 - 1203085 = 30 in 10 s", 0},
    {"ad_ldap", 2, "response_time", "last_bind", 0, "0 ms", 0},
    {"ad_replication", 0, "gauge", "inbound_bytes_per_second", NAN, "first run",
     0},
    {"ad_replication", 0, "total_requests", "sync_made", 15230,
     "a derive is the raw count, from the first run", 0},
    {"ad_replication", 1, "gauge", "inbound_bytes_per_second", 49200,
     "813083678 - 812345678 = 738000 bytes in 15 s", 0},
    {"ad_replication", 1, "gauge", "outbound_bytes_per_second", 98400,
     "2148959000 - 2147483000 = 1476000 bytes in 15 s, across 2^31", 0},
    {"ad_replication", 1, "gauge", "inbound_objects_per_second", 20,
     "1534300 - 1534000 = 300 in 15 s", 0},
    {"ad_replication", 1, "gauge", "outbound_objects_per_second", 40,
     "3068600 - 3068000 = 600 in 15 s", 0},
    {"ad_replication", 1, "pending_operations", "synchronizations", 2, "2 now",
     0},
    {"ad_replication", 1, "pending_operations", "operations", 5, "5 now", 0},
    {"ad_replication", 1, "total_requests", "sync_made", 15236, "raw", 0},
    {"ad_replication", 1, "total_requests", "sync_successful", 15107, "raw", 0},
    {"ad_replication", 2, "gauge", "inbound_bytes_per_second", 0,
     "813083678 - 813083678: nothing replicated in", 0},
    {"ad_replication", 2, "gauge", "outbound_bytes_per_second", 98400,
     "2149943000 - 2148959000 = 984000 bytes in 10 s", 0},
    {"ad_directory", 1, OPS, "reads", 300,
     "3000004500 - 3000000000 = 4500 in 15 s (past 2^31: negative VT_I4)", 0},
    {"ad_directory", 1, OPS, "writes", 10, "2401150 - 2401000 = 150 in 15 s",
     0},
    {"ad_directory", 1, OPS, "searches", 400,
     "51206000 - 51200000 = 6000 in 15 s", 0},
    {"ad_directory", 1, "threads", "in_use", 5, "5 now", 0},
    {"ad_directory", 1, "queue_length", "atq_outstanding", 4, "4 now", 0},
    {"ad_directory", 1, "response_time", "atq_queue_delay", 0.037,
     "37 ms * 0.001", 0},
    {"ad_directory", 2, OPS, "reads", 300, "3000 in 10 s", 0},
};

/* The object's Name is no part of any series: one object, one series. */
static const char *const absent[] = {OPS "-searches-NTDS", "threads-NTDS",
                                     NULL};

static const pack_case_t ad = {
    .pack = "ad.conf",
    .queries = queries,
    .recordings = recordings,
    .recordings_num = 1,
    .runs = 3,
    .expected = expected,
    .expected_num = COUNT(expected),
    .absent = absent,
};

int main(void) { return pack_test_main(&ad, 1, "pack_ad"); }
