/* The .NET CLR pack (conf/packs/dotnet-clr.conf) through pack_test.h: its
 * own queries, served from the samples below, cooked with its own Results,
 * every value worked out by hand.
 *
 * The services wrapper ignores WHERE, so the memory recording holds the
 * objects clr_memory's and clr_memory_by_name's WHERE selects on Windows:
 * every process but _Global_.
 *
 * CounterTypes: PERF_COUNTER_RAWCOUNT for counts and sizes,
 * PERF_COUNTER_COUNTER for "/sec", PERF_RAW_FRACTION over PERF_RAW_BASE for
 * % Time in GC, as .NET's counter sets define them (the pack's header says
 * where from); AllocatedBytesPersec is PERF_COUNTER_BULK_COUNT here, as its
 * recorded values pass 2^32 (a 64-bit counter; both cook alike). */
#include "unit.h"

#include "pack_test.h"
#include "perf_rows.h"

#include <math.h>

/* ---- Win32_PerfRawData_NETFramework_NETCLRMemory ----
 * Run 0: the numbers of six processes of one real host, as its Checkmk
 * agent recorded them (one sample, Frequency_PerfTime 2734511,
 * Timestamp_PerfTime 12303331941741): Checkmk/checkmk,
 * tests/unit/cmk/base/legacy_checks/test_dotnet_clrmemory.py at commit
 * 0593aaaad2c3df018b5ffbe54f50ef60cda4c1d3 (GPLv2; its numbers are used
 * here as facts, rows written anew with only the properties the pack
 * selects). Its _Global_ row is left out (clr_memory's WHERE). The agent
 * printed SQLAGENT's PercentTimeinGC_Base as -1832862225, a uint32 read as
 * signed: 2462105071 here, which the wrapper sends as WMI does (VT_I4,
 * negative). AllocatedBytesPersec passes 2^32 (297254747960), so 64-bit.
 * Run 1, constructed, 10 s later (Timestamp_PerfTime + 27345110):
 * MonitoringHost#1 (33276) has exited, so Windows renamed
 * MonitoringHost#2 (28536) to MonitoringHost#1 and MonitoringHost#3
 * (19124) to MonitoringHost#2; MonitoringHost (16060) allocated 5242880
 * bytes and ran one generation 0 collection that took 1200 of 60000 ticks
 * since the one before; SQLAGENT allocated nothing; WmiPrvSE 40000000
 * bytes; the renamed ones allocated 1000000 and 123456789 bytes; a new
 * MonitoringHost (41000) has started, as MonitoringHost#3. */
#define CLR(id, name, pid, gc, gc_base, heaps, committed, gen0, gen1, gen2,    \
            induced, allocated, perf_time)                                     \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U32("ProcessID", pid),                                                   \
      U32("PercentTimeinGC", gc),                                              \
      U32("PercentTimeinGC_Base", gc_base),                                    \
      U32("NumberBytesinallHeaps", heaps),                                     \
      U32("NumberTotalcommittedBytes", committed),                             \
      U32("NumberGen0Collections", gen0),                                      \
      U32("NumberGen1Collections", gen1),                                      \
      U32("NumberGen2Collections", gen2),                                      \
      U32("NumberInducedGC", induced),                                         \
      U64("AllocatedBytesPersec", allocated),                                  \
      U64("Timestamp_PerfTime", perf_time),                                    \
      U64("Frequency_PerfTime", "2734511"),                                    \
  }

#define T0 "12303331941741"
#define T1 "12303359286851"
CLR(mem0_mh, "MonitoringHost", "16060", "2", "38453536", "199136", "401408",
    "16", "16", "16", "16", "661680", T0);
CLR(mem0_mh1, "MonitoringHost#1", "33276", "45", "38453511", "3304856",
    "28057600", "18", "16", "16", "16", "60848840", T0);
CLR(mem0_mh2, "MonitoringHost#2", "28536", "66761", "308982", "9183120",
    "40366080", "136", "68", "52", "18", "2187714616", T0);
CLR(mem0_mh3, "MonitoringHost#3", "19124", "167213", "695370", "34898632",
    "92631040", "9101", "3366", "2166", "17", "297254747960", T0);
CLR(mem0_sql, "SQLAGENT", "30168", "4609", "2462105071", "948560", "5337088",
    "512", "256", "256", "0", "2935446472", T0);
CLR(mem0_wmi, "WmiPrvSE", "8016", "13", "114325298", "45302872", "49672192",
    "3154", "297", "34", "0", "13492140976", T0);
CLR(mem1_mh, "MonitoringHost", "16060", "1200", "60000", "204800", "401408",
    "17", "16", "16", "16", "5904560", T1);
CLR(mem1_mh1, "MonitoringHost#1", "28536", "66761", "308982", "9183120",
    "40366080", "136", "68", "52", "18", "2188714616", T1);
CLR(mem1_mh2, "MonitoringHost#2", "19124", "167213", "695370", "34898632",
    "92631040", "9102", "3366", "2166", "17", "297378204749", T1);
CLR(mem1_mh3, "MonitoringHost#3", "41000", "0", "0", "1000000", "2000000", "1",
    "0", "0", "0", "5000000", T1);
CLR(mem1_sql, "SQLAGENT", "30168", "4609", "2462105071", "948560", "5337088",
    "512", "256", "256", "0", "2935446472", T1);
CLR(mem1_wmi, "WmiPrvSE", "8016", "13", "114325298", "45302872", "49672192",
    "3154", "297", "34", "0", "13532140976", T1);

static const perf_object_t mem_run0[] = {
    OBJECT(mem0_mh),  OBJECT(mem0_mh1), OBJECT(mem0_mh2),
    OBJECT(mem0_mh3), OBJECT(mem0_sql), OBJECT(mem0_wmi),
};
static const perf_object_t mem_run1[] = {
    OBJECT(mem1_mh),  OBJECT(mem1_mh1), OBJECT(mem1_mh2),
    OBJECT(mem1_mh3), OBJECT(mem1_sql), OBJECT(mem1_wmi),
};
static const perf_run_t mem_runs[] = {RUN(mem_run0), RUN(mem_run1)};
static const perf_qualifier_t mem_qualifiers[] = {
    {"ProcessID", PERF_COUNTER_RAWCOUNT},
    {"PercentTimeinGC", PERF_RAW_FRACTION},
    {"PercentTimeinGC_Base", PERF_RAW_BASE},
    {"NumberBytesinallHeaps", PERF_COUNTER_RAWCOUNT},
    {"NumberTotalcommittedBytes", PERF_COUNTER_RAWCOUNT},
    {"NumberGen0Collections", PERF_COUNTER_RAWCOUNT},
    {"NumberGen1Collections", PERF_COUNTER_RAWCOUNT},
    {"NumberGen2Collections", PERF_COUNTER_RAWCOUNT},
    {"NumberInducedGC", PERF_COUNTER_RAWCOUNT},
    {"AllocatedBytesPersec", PERF_COUNTER_BULK_COUNT},
};
static const perf_recording_t clr_memory = {
    "Win32_PerfRawData_NETFramework_NETCLRMemory",
    mem_qualifiers,
    COUNT(mem_qualifiers),
    mem_runs,
    COUNT(mem_runs),
    0,
};

/* ---- Win32_PerfRawData_NETFramework_NETCLRExceptions ----
 * Constructed, all of it (no public raw sample of this class was found),
 * on the clocks of the host above, runs 10 s apart: two IIS worker
 * processes, w3wp and w3wp#1, and _Global_ (their sums and other
 * processes'); in run 2 a third worker process, w3wp#2, has started. */
#define EXC(id, name, thrown, filters, finallys, perf_time)                    \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U32("NumberofExcepsThrownPersec", thrown),                               \
      U32("NumberofFiltersPersec", filters),                                   \
      U32("NumberofFinallysPersec", finallys),                                 \
      U64("Timestamp_PerfTime", perf_time),                                    \
      U64("Frequency_PerfTime", "2734511"),                                    \
  }

#define T2 "12303386631961"
EXC(exc0_global, "_Global_", "1500", "20", "90000", T0);
EXC(exc0_a, "w3wp", "1000", "4", "50000", T0);
EXC(exc0_b, "w3wp#1", "400", "0", "20000", T0);
EXC(exc1_global, "_Global_", "1750", "20", "102345", T1);
EXC(exc1_a, "w3wp", "1100", "4", "51000", T1);
EXC(exc1_b, "w3wp#1", "450", "2", "20500", T1);
EXC(exc2_global, "_Global_", "2000", "22", "103000", T2);
EXC(exc2_a, "w3wp", "1150", "4", "51500", T2);
EXC(exc2_b, "w3wp#1", "460", "2", "20600", T2);
EXC(exc2_c, "w3wp#2", "5", "0", "10", T2);
static const perf_object_t exc_run0[] = {OBJECT(exc0_global), OBJECT(exc0_a),
                                         OBJECT(exc0_b)};
static const perf_object_t exc_run1[] = {OBJECT(exc1_a), OBJECT(exc1_global),
                                         OBJECT(exc1_b)};
static const perf_object_t exc_run2[] = {OBJECT(exc2_global), OBJECT(exc2_a),
                                         OBJECT(exc2_b), OBJECT(exc2_c)};
static const perf_run_t exc_runs[] = {RUN(exc_run0), RUN(exc_run1),
                                      RUN(exc_run2)};
static const perf_qualifier_t exc_qualifiers[] = {
    {"NumberofExcepsThrownPersec", PERF_COUNTER_COUNTER},
    {"NumberofFiltersPersec", PERF_COUNTER_COUNTER},
    {"NumberofFinallysPersec", PERF_COUNTER_COUNTER},
};
static const perf_recording_t clr_exceptions = {
    "Win32_PerfRawData_NETFramework_NETCLRExceptions",
    exc_qualifiers,
    COUNT(exc_qualifiers),
    exc_runs,
    COUNT(exc_runs),
    0,
};

/* ---- Win32_PerfRawData_NETFramework_NETCLRLocksAndThreads ----
 * Constructed, all of it, 10 s apart: _Global_ and two IIS worker
 * processes. Run 1: _Global_ 300 contentions more, 1 thread waiting for a
 * lock (3 before), 2 managed threads fewer; w3wp 100 and w3wp#1 20
 * contentions more. */
#define LOCKS(id, name, contentions, queue, logical, physical, perf_time)      \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U32("ContentionRatePersec", contentions),                                \
      U32("CurrentQueueLength", queue),                                        \
      U32("NumberofcurrentlogicalThreads", logical),                           \
      U32("NumberofcurrentphysicalThreads", physical),                         \
      U64("Timestamp_PerfTime", perf_time),                                    \
      U64("Frequency_PerfTime", "2734511"),                                    \
  }

LOCKS(locks0, "_Global_", "5000", "3", "120", "80", T0);
LOCKS(locks0_a, "w3wp", "3000", "2", "60", "40", T0);
LOCKS(locks0_b, "w3wp#1", "1000", "0", "30", "20", T0);
LOCKS(locks1, "_Global_", "5300", "1", "118", "78", T1);
LOCKS(locks1_a, "w3wp", "3100", "1", "59", "39", T1);
LOCKS(locks1_b, "w3wp#1", "1020", "0", "30", "20", T1);
static const perf_object_t locks_run0[] = {OBJECT(locks0), OBJECT(locks0_a),
                                           OBJECT(locks0_b)};
static const perf_object_t locks_run1[] = {OBJECT(locks1), OBJECT(locks1_a),
                                           OBJECT(locks1_b)};
static const perf_run_t locks_runs[] = {RUN(locks_run0), RUN(locks_run1)};
static const perf_qualifier_t locks_qualifiers[] = {
    {"ContentionRatePersec", PERF_COUNTER_COUNTER},
    {"CurrentQueueLength", PERF_COUNTER_RAWCOUNT},
    {"NumberofcurrentlogicalThreads", PERF_COUNTER_RAWCOUNT},
    {"NumberofcurrentphysicalThreads", PERF_COUNTER_RAWCOUNT},
};
static const perf_recording_t clr_locks = {
    "Win32_PerfRawData_NETFramework_NETCLRLocksAndThreads",
    locks_qualifiers,
    COUNT(locks_qualifiers),
    locks_runs,
    COUNT(locks_runs),
    0,
};

/* Every interval below is 27345110 ticks of 2734511 Hz: 10 s. */
static const pack_expect_t expected_memory[] = {
    {"clr_memory", 0, "percent", "gc_time-MonitoringHost_2-28536",
     100.0 * 66761.0 / 308982.0,
     "PERF_RAW_FRACTION: 100 x 66761 / 308982 = 21.61 %", 0},
    {"clr_memory", 0, "percent", "gc_time-SQLAGENT-30168",
     100.0 * 4609.0 / 2462105071.0,
     "the base arrives as VT_I4 -1832862225, a uint32: 2462105071", 0},
    {"clr_memory", 0, "bytes", "heaps-MonitoringHost_3-19124", 34898632.0,
     "raw count", 0},
    {"clr_memory", 0, "bytes", "committed-WmiPrvSE-8016", 49672192.0,
     "raw count", 0},
    {"clr_memory", 0, "derive", "gen0_collections-MonitoringHost_3-19124",
     9101.0, "the count as recorded, uncooked", 0},
    {"clr_memory", 0, "derive", "gen2_collections-SQLAGENT-30168", 256.0,
     "the count as recorded, uncooked", 0},
    {"clr_memory", 0, "derive", "induced_gc-MonitoringHost_2-28536", 18.0,
     "the count as recorded, uncooked", 0},
    {"clr_memory", 0, "gauge",
     "allocated_bytes_per_second-MonitoringHost-16060", NAN,
     "first run: nothing to cook against", 0},
    {"clr_memory", 1, "gauge",
     "allocated_bytes_per_second-MonitoringHost-16060", 524288.0,
     "5904560 - 661680 = 5242880 bytes in 10 s", 0},
    {"clr_memory", 1, "gauge", "allocated_bytes_per_second-WmiPrvSE-8016",
     4000000.0, "13532140976 - 13492140976 = 40000000 bytes in 10 s", 0},
    {"clr_memory", 1, "gauge", "allocated_bytes_per_second-SQLAGENT-30168", 0.0,
     "nothing allocated: 0", 0},
    {"clr_memory", 1, "percent", "gc_time-MonitoringHost-16060", 2.0,
     "100 x 1200 / 60000", 0},
    {"clr_memory", 1, "derive", "gen0_collections-MonitoringHost-16060", 17.0,
     "one more collection", 0},
    {"clr_memory", 1, "gauge",
     "allocated_bytes_per_second-MonitoringHost_1-28536", NAN,
     "renamed from MonitoringHost#2: a new series, no rate yet", 0},
    {"clr_memory", 1, "gauge",
     "allocated_bytes_per_second-MonitoringHost_2-19124", NAN,
     "renamed from MonitoringHost#3: a new series, no rate yet", 0},
    {"clr_memory", 1, "percent", "gc_time-MonitoringHost_1-28536",
     100.0 * 66761.0 / 308982.0, "a fraction needs one sample only", 0},
    {"clr_memory", 1, "bytes", "heaps-MonitoringHost_2-19124", 34898632.0,
     "the same process under its new name", 0},
    {"clr_memory", 1, "gauge",
     "allocated_bytes_per_second-MonitoringHost_3-41000", NAN,
     "a new process: no rate yet", 0},
    {"clr_memory", 1, "bytes", "heaps-MonitoringHost_3-41000", 1000000.0,
     "raw count", 0},
};

/* Instances without the process ID, or none: the pack must not give them. */
static const char *const absent_memory[] = {
    "percent-gc_time-MonitoringHost_1",
    "gauge-allocated_bytes_per_second-MonitoringHost",
    "gauge-allocated_bytes_per_second",
    NULL,
};

static const char *const queries_memory[] = {"clr_memory", NULL};
static const perf_recording_t *const recordings_memory[] = {&clr_memory};

static const pack_expect_t expected_by_name[] = {
    /* clr_memory_by_name: MonitoringHost, #1, #2 and #3 are one name; each
     * process cooked against its own previous sample (by ProcessID), then
     * summed. In run 1, 33276 has gone: 16060, 28536 and 19124 add, and
     * the new 41000 adds its sizes but no rate. */
    {"clr_memory_by_name", 0, "bytes", "heaps-MonitoringHost", 47585744.0,
     "a raw count needs no previous sample: 199136 + 3304856 + 9183120 + "
     "34898632",
     0},
    {"clr_memory_by_name", 0, "gauge",
     "allocated_bytes_per_second-MonitoringHost", NAN,
     "first run: no process has a previous sample", 0},
    {"clr_memory_by_name", 1, "bytes", "heaps-MonitoringHost", 45286552.0,
     "204800 + 9183120 + 34898632 + 1000000 (41000, new: a size adds at once)",
     0},
    {"clr_memory_by_name", 1, "bytes", "committed-MonitoringHost", 135398528.0,
     "401408 + 40366080 + 92631040 + 2000000", 0},
    {"clr_memory_by_name", 1, "gauge",
     "allocated_bytes_per_second-MonitoringHost", 12969966.9,
     "(5242880 + 1000000 + 123456789) bytes in 10 s, though 28536 and 19124 "
     "were renamed; 41000 is new and adds no rate yet",
     0},
    {"clr_memory_by_name", 1, "gauge",
     "gen0_collections_per_second-MonitoringHost", 0.2,
     "(17 - 16) + (136 - 136) + (9102 - 9101) = 2 collections in 10 s", 0},
    {"clr_memory_by_name", 1, "gauge", "gen2_collections_per_second-SQLAGENT",
     0.0, "256 - 256 = 0", 0},
    {"clr_memory_by_name", 1, "bytes", "heaps-WmiPrvSE", 45302872.0,
     "one process: its raw count", 0},
};

/* One series per name: never one per "#n" or per process. */
static const char *const absent_by_name[] = {
    "bytes-heaps-MonitoringHost_1",
    "bytes-heaps-MonitoringHost_2",
    "bytes-heaps-MonitoringHost-16060",
    NULL,
};

static const char *const queries_by_name[] = {"clr_memory_by_name", NULL};

/* Per name, "#n" stripped, summed, then cooked. */
static const pack_expect_t expected_names[] = {
    {"clr_exceptions", 0, "gauge", "thrown_per_second-w3wp", NAN, "first run",
     0},
    {"clr_exceptions", 1, "gauge", "thrown_per_second-w3wp", 15.0,
     "(1100 + 450) - (1000 + 400) = 150 in 10 s", 0},
    {"clr_exceptions", 1, "gauge", "filters_per_second-w3wp", 0.2,
     "(4 + 2) - (4 + 0) = 2 in 10 s", 0},
    {"clr_exceptions", 1, "gauge", "finallys_per_second-w3wp", 150.0,
     "(51000 + 20500) - (50000 + 20000) = 1500 in 10 s", 0},
    {"clr_exceptions", 2, "gauge", "thrown_per_second-w3wp", NAN,
     "three processes now, two before: the sums are not cooked", 0},
    {"clr_exceptions", 1, "gauge", "thrown_per_second-_Global_", 25.0,
     "1750 - 1500 = 250 in 10 s", 0},
    {"clr_exceptions", 1, "gauge", "filters_per_second-_Global_", 0.0,
     "20 - 20 = 0", 0},
    {"clr_exceptions", 1, "gauge", "finallys_per_second-_Global_", 1234.5,
     "102345 - 90000 = 12345 in 10 s", 0},
    {"clr_exceptions", 2, "gauge", "thrown_per_second-_Global_", 25.0,
     "2000 - 1750 = 250 in 10 s", 0},
    {"clr_locks", 1, "gauge", "contentions_per_second-_Global_", 30.0,
     "5300 - 5000 = 300 in 10 s", 0},
    {"clr_locks", 1, "gauge", "contentions_per_second-w3wp", 12.0,
     "(3100 + 1020) - (3000 + 1000) = 120 in 10 s", 0},
    {"clr_locks", 1, "queue_length", "lock_waiters-_Global_", 1.0, "raw count",
     0},
    {"clr_locks", 1, "queue_length", "lock_waiters-w3wp", 1.0,
     "raw counts 1 + 0", 0},
    {"clr_locks", 1, "threads", "logical-_Global_", 118.0, "raw count", 0},
    {"clr_locks", 1, "threads", "logical-w3wp", 89.0, "raw counts 59 + 30", 0},
    {"clr_locks", 1, "threads", "physical-w3wp", 59.0, "raw counts 39 + 20", 0},
};

/* One series per name: never one per "#n". */
static const char *const absent_names[] = {
    "gauge-thrown_per_second-w3wp_1",
    "gauge-thrown_per_second-w3wp_2",
    "threads-logical-w3wp_1",
    "gauge-thrown_per_second",
    NULL,
};

static const char *const queries_names[] = {"clr_exceptions", "clr_locks",
                                            NULL};
static const perf_recording_t *const recordings_names[] = {&clr_exceptions,
                                                           &clr_locks};

static const pack_case_t cases[] = {
    {
        .pack = "dotnet-clr.conf",
        .queries = queries_memory,
        .recordings = recordings_memory,
        .recordings_num = COUNT(recordings_memory),
        .runs = 2,
        .expected = expected_memory,
        .expected_num = COUNT(expected_memory),
        .absent = absent_memory,
    },
    {
        .pack = "dotnet-clr.conf",
        .queries = queries_by_name,
        .recordings = recordings_memory,
        .recordings_num = COUNT(recordings_memory),
        .runs = 2,
        .expected = expected_by_name,
        .expected_num = COUNT(expected_by_name),
        .absent = absent_by_name,
    },
    {
        .pack = "dotnet-clr.conf",
        .queries = queries_names,
        .recordings = recordings_names,
        .recordings_num = COUNT(recordings_names),
        .runs = 3,
        .expected = expected_names,
        .expected_num = COUNT(expected_names),
        .absent = absent_names,
    },
};

int main(void) {
  return pack_test_main(cases, COUNT(cases), "pack_dotnet_clr");
}
