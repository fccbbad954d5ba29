/* The failover clustering pack (conf/packs/failover-cluster.conf) through
 * pack_test.h: its Cluster Shared Volume query and its three state
 * queries, served from the samples below through its own Results, every
 * value worked out by hand.
 *
 * Its MSCluster_* queries (cluster_node, cluster_group, cluster_resource)
 * name Namespace "root\\MSCluster", which Wine's WMI does not have:
 * pack_test.h connects them to root\cimv2 underneath (the case's
 * `namespaces`), so the wrapper serves their classes' recordings too.
 *
 * CounterTypes, inferred from the properties' names, widths and _Base
 * companions as the pack's header says (not read from a Windows host):
 * ReadBytesPersec and WriteBytesPersec PERF_COUNTER_BULK_COUNT, AvgsecPerRead
 * and AvgsecPerWrite PERF_AVERAGE_TIMER over PERF_AVERAGE_BASE,
 * CurrentReadQueueLength and CurrentWriteQueueLength
 * PERF_COUNTER_LARGE_RAWCOUNT. */
#include "unit.h"

#include "pack_test.h"
#include "perf_rows.h"

#include <math.h>

/* ---- Win32_PerfRawData_CsvFsPerfProvider_ClusterCSVFS ----
 * Constructed, all of it: no public raw sample of this class was found,
 * and the instance names (one per volume) are made up. Frequency_PerfTime
 * 10000000 (Windows 10 and later report that); runs 10 s apart
 * (100,000,000 ticks).
 *   run 1: Volume1 read 104857600 bytes in 4 reads that took 20000 ticks
 *     in all, wrote nothing (its write base did not move); Volume2 is new
 *     (a volume added). */
#define CSV(id, name, rbytes, wbytes, rsec, reads, wsec, writes, rqueue,       \
            wqueue, perf_time)                                                 \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U64("ReadBytesPersec", rbytes),                                          \
      U64("WriteBytesPersec", wbytes),                                         \
      U32("AvgsecPerRead", rsec),                                              \
      U32("AvgsecPerRead_Base", reads),                                        \
      U32("AvgsecPerWrite", wsec),                                             \
      U32("AvgsecPerWrite_Base", writes),                                      \
      U64("CurrentReadQueueLength", rqueue),                                   \
      U64("CurrentWriteQueueLength", wqueue),                                  \
      U64("Timestamp_PerfTime", perf_time),                                    \
      U64("Frequency_PerfTime", "10000000"),                                   \
  }

#define T0 "1000000000000"
#define T1 "1000100000000"
CSV(csv0_v1, "Volume1", "50000000000", "20000000000", "123456789", "1000000",
    "555555", "40000", "2", "0", T0);
CSV(csv1_v1, "Volume1", "50104857600", "20000000000", "123476789", "1000004",
    "555555", "40000", "5", "1", T1);
CSV(csv1_v2, "Volume2", "7000", "0", "300", "2", "0", "0", "0", "0", T1);

static const perf_object_t csv_run0[] = {OBJECT(csv0_v1)};
static const perf_object_t csv_run1[] = {OBJECT(csv1_v1), OBJECT(csv1_v2)};
static const perf_run_t csv_runs[] = {RUN(csv_run0), RUN(csv_run1)};
static const perf_qualifier_t csv_qualifiers[] = {
    {"ReadBytesPersec", PERF_COUNTER_BULK_COUNT},
    {"WriteBytesPersec", PERF_COUNTER_BULK_COUNT},
    {"AvgsecPerRead", PERF_AVERAGE_TIMER},
    {"AvgsecPerRead_Base", PERF_AVERAGE_BASE},
    {"AvgsecPerWrite", PERF_AVERAGE_TIMER},
    {"AvgsecPerWrite_Base", PERF_AVERAGE_BASE},
    {"CurrentReadQueueLength", PERF_COUNTER_LARGE_RAWCOUNT},
    {"CurrentWriteQueueLength", PERF_COUNTER_LARGE_RAWCOUNT},
};
static const perf_recording_t cluster_csvfs = {
    "Win32_PerfRawData_CsvFsPerfProvider_ClusterCSVFS",
    csv_qualifiers,
    COUNT(csv_qualifiers),
    csv_runs,
    COUNT(csv_runs),
    0,
};

static const pack_expect_t expected[] = {
    {"cluster_csv", 0, "gauge", "read_bytes_per_second-Volume1", NAN,
     "first run: nothing to cook against", 0},
    {"cluster_csv", 0, "queue_length", "read-Volume1", 2.0, "raw count", 0},
    {"cluster_csv", 1, "gauge", "read_bytes_per_second-Volume1", 10485760.0,
     "50104857600 - 50000000000 = 104857600 bytes in 10 s", 0},
    {"cluster_csv", 1, "gauge", "write_bytes_per_second-Volume1", 0.0,
     "nothing written: 0", 0},
    {"cluster_csv", 1, "latency", "read-Volume1", 0.0005,
     "(123476789 - 123456789) / 10000000 / (1000004 - 1000000) = 20000 ticks "
     "/ 10 MHz / 4 reads = 0.5 ms",
     0},
    {"cluster_csv", 1, "latency", "write-Volume1", NAN,
     "no writes in the interval (base unchanged): no value", 0},
    {"cluster_csv", 1, "queue_length", "read-Volume1", 5.0, "raw count", 0},
    {"cluster_csv", 1, "queue_length", "write-Volume1", 1.0, "raw count", 0},
    {"cluster_csv", 1, "gauge", "read_bytes_per_second-Volume2", NAN,
     "a new volume: no value yet", 0},
    {"cluster_csv", 1, "queue_length", "read-Volume2", 0.0, "raw count", 0},
};

/* Each Result has an InstancePrefix: no bare type or volume instance. */
static const char *const absent[] = {"latency-Volume1", "gauge-Volume1", NULL};

static const char *const queries[] = {"cluster_csv", NULL};
static const perf_recording_t *const recordings[] = {&cluster_csvfs};

static const pack_case_t cluster = {
    .pack = "failover-cluster.conf",
    .queries = queries,
    .recordings = recordings,
    .recordings_num = COUNT(recordings),
    .runs = 2,
    .expected = expected,
    .expected_num = COUNT(expected),
    .absent = absent,
};

/* ---- MSCluster_Node, MSCluster_ResourceGroup, MSCluster_Resource ----
 * Constructed, all of it (no public recording of these classes was
 * found): a three-node cluster's names and states, one run each (later
 * runs repeat it). State is a uint32: "unknown" (-1 in Microsoft's
 * enumerations) is 4294967295, which the wrapper sends as WMI does
 * (VT_I4, negative). */
#define STATE(id, name, state)                                                 \
  static const perf_property_t id[] = {STR("Name", name), U32("State", state)}

STATE(node1, "NODE1", "0");
STATE(node2, "NODE2", "2");
STATE(node3, "NODE3", "4294967295");
STATE(group_core, "Cluster Group", "0");
STATE(group_storage, "Available Storage", "1");
STATE(group_sql, "SQL Server (MSSQLSERVER)", "2");
STATE(resource_ip, "Cluster IP Address", "2");
STATE(resource_disk, "Cluster Disk 1", "4");
STATE(resource_sql, "SQL Server", "129");

static const perf_object_t node_run[] = {OBJECT(node1), OBJECT(node2),
                                         OBJECT(node3)};
static const perf_object_t group_run[] = {
    OBJECT(group_core), OBJECT(group_storage), OBJECT(group_sql)};
static const perf_object_t resource_run[] = {
    OBJECT(resource_ip), OBJECT(resource_disk), OBJECT(resource_sql)};
static const perf_run_t node_runs[] = {RUN(node_run)};
static const perf_run_t group_runs[] = {RUN(group_run)};
static const perf_run_t resource_runs[] = {RUN(resource_run)};
static const perf_recording_t nodes = {
    "MSCluster_Node", NULL, 0, node_runs, COUNT(node_runs), 0,
};
static const perf_recording_t groups = {
    "MSCluster_ResourceGroup", NULL, 0, group_runs, COUNT(group_runs), 0,
};
static const perf_recording_t resources = {
    "MSCluster_Resource", NULL, 0, resource_runs, COUNT(resource_runs), 0,
};

/* States as Windows gives them, on every run (not performance counters). */
static const pack_expect_t expected_states[] = {
    {"cluster_node", 0, "gauge", "state-NODE1", 0.0, "0: up", 0},
    {"cluster_node", 0, "gauge", "state-NODE2", 2.0, "2: paused", 0},
    {"cluster_node", 0, "gauge", "state-NODE3", 4294967295.0,
     "-1 (unknown) in a uint32: 2^32 - 1", 0},
    {"cluster_node", 1, "gauge", "state-NODE2", 2.0, "every run", 0},
    {"cluster_group", 0, "gauge", "state-Cluster_Group", 0.0, "0: online", 0},
    {"cluster_group", 0, "gauge", "state-Available_Storage", 1.0, "1: offline",
     0},
    {"cluster_group", 1, "gauge", "state-SQL_Server__MSSQLSERVER_", 2.0,
     "2: failed", 0},
    {"cluster_resource", 0, "gauge", "state-Cluster_IP_Address", 2.0,
     "2: online", 0},
    {"cluster_resource", 0, "gauge", "state-Cluster_Disk_1", 4.0, "4: failed",
     0},
    {"cluster_resource", 1, "gauge", "state-SQL_Server", 129.0,
     "129: online pending", 0},
};

/* No bare state without the object's name. */
static const char *const absent_states[] = {"gauge-state", NULL};

static const char *const queries_states[] = {"cluster_node", "cluster_group",
                                             "cluster_resource", NULL};
static const perf_recording_t *const recordings_states[] = {&nodes, &groups,
                                                            &resources};
static const char *const namespaces[] = {"root\\MSCluster", NULL};

static const pack_case_t states = {
    .pack = "failover-cluster.conf",
    .queries = queries_states,
    .recordings = recordings_states,
    .recordings_num = COUNT(recordings_states),
    .runs = 2,
    .expected = expected_states,
    .expected_num = COUNT(expected_states),
    .absent = absent_states,
    .namespaces = namespaces,
};

int main(void) {
  const pack_case_t cases[] = {cluster, states};
  return pack_test_main(cases, COUNT(cases), "pack_failover_cluster");
}
