/* The failover clustering pack (conf/packs/failover-cluster.conf) through
 * pack_test.h: its Cluster Shared Volume query, served from the samples
 * below, cooked with its own Results, every value worked out by hand.
 *
 * Its MSCluster_* queries (cluster_node, cluster_group, cluster_resource)
 * are not served: they name Namespace "root\\MSCluster", which Wine's WMI
 * does not have, so connecting fails before the services wrapper (which
 * wraps a connected namespace) could answer for their classes.
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

int main(void) { return pack_test_main(&cluster, 1, "pack_failover_cluster"); }
