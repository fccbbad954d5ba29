/* The OS-extras pack (conf/packs/os-extras.conf) through pack_test.h: its
 * os_process, os_memory and os_tcpv4 queries served from recorded samples,
 * with the pack's own Results and the counter types the recordings'
 * CounterType qualifiers give (CounterType "auto"). os_process is the
 * point: perflib renumbers "svchost#n" between runs, and the per-name sums
 * (StripInstanceNumber, ObjectsFrom "IDProcess", Duplicates "sum") must
 * have a value in every run after the first. Every expected value is
 * worked out by hand below, its arithmetic in its `why`. */
#include "unit.h"

#include "pack_test.h"
#include "perf_rows.h"

#include <math.h>

/* The clocks of every recording: runs 10 s apart, Timestamp_Sys100NS in
 * 100 ns units (run 0 at the Process object's PerfTime of the real perflib
 * dump quoted in netdata/netdata, src/collectors/apps.plugin/
 * apps_os_windows.c, as tests/wine/fakes/perf_recordings.c uses it) and
 * Timestamp_PerfTime at a 10 MHz Frequency_PerfTime (that of the real
 * network samples in perf_recordings.c). */
#define SYS_T0 "133716612800215149"
#define SYS_T1 "133716612900215149"
#define SYS_T2 "133716613000215149"
#define PERF_T0 "3456789012345"
#define PERF_T1 "3456889012345"
#define PERF_T2 "3456989012345"
#define CLOCKS(sys, perf)                                                      \
  U64("Timestamp_Sys100NS", sys), U64("Frequency_Sys100NS", "10000000"),       \
      U64("Timestamp_PerfTime", perf), U64("Frequency_PerfTime", "10000000")

/* ---- Win32_PerfRawData_PerfProc_Process ----
 * Constructed, all of it: no public recording has two consecutive samples
 * of this class (perf_recordings.c's process recording has one real row,
 * Idle). As WMI answers the pack's WHERE condition: no "_Total", no "Idle"
 * (the wrapper ignores WHERE, so they are left out here). Names as perflib
 * gives them: the image name without ".exe", repeats numbered "#1", "#2"
 * in no particular order of IDProcess.
 *   run 0: svchost 1204, svchost#1 2268, svchost#2 3312, lsass 640;
 *   run 1 (10 s later): the same four processes;
 *   run 2 (10 s later): 2268 has exited, so perflib renumbers: 3312 is
 *     now "svchost#1", and a new process 4100 is "svchost#2" (its
 *     counters hold its whole lifetime: 25 s of CPU); objects in another
 *     order (lsass first). */
#define PROC(id, name, pid, busy, read, write, sys, perf)                      \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U32("IDProcess", pid),                                                   \
      U64("PercentProcessorTime", busy),                                       \
      U64("IOReadBytesPersec", read),                                          \
      U64("IOWriteBytesPersec", write),                                        \
      CLOCKS(sys, perf),                                                       \
  }

PROC(p0_svc, "svchost", "1204", "78125000", "1048576000", "2097152", SYS_T0,
     PERF_T0);
PROC(p0_svc1, "svchost#1", "2268", "1562500000", "524288000", "1048576", SYS_T0,
     PERF_T0);
PROC(p0_svc2, "svchost#2", "3312", "3125000", "10485760", "0", SYS_T0, PERF_T0);
PROC(p0_lsass, "lsass", "640", "2343750000", "209715200", "4194304", SYS_T0,
     PERF_T0);
PROC(p1_svc, "svchost", "1204", "83125000", "1059061760", "3097152", SYS_T1,
     PERF_T1);
PROC(p1_svc1, "svchost#1", "2268", "1582500000", "545259520", "4048576", SYS_T1,
     PERF_T1);
PROC(p1_svc2, "svchost#2", "3312", "4125000", "10485760", "0", SYS_T1, PERF_T1);
PROC(p1_lsass, "lsass", "640", "2346250000", "214958080", "6194304", SYS_T1,
     PERF_T1);
PROC(p2_lsass, "lsass", "640", "2347750000", "214958080", "6194304", SYS_T2,
     PERF_T2);
PROC(p2_svc2, "svchost#2", "4100", "250000000", "7340032", "9999999", SYS_T2,
     PERF_T2);
PROC(p2_svc, "svchost", "1204", "86125000", "1063256064", "3597152", SYS_T2,
     PERF_T2);
PROC(p2_svc1, "svchost#1", "3312", "11125000", "11534336", "1500000", SYS_T2,
     PERF_T2);

static const perf_object_t proc_run0[] = {OBJECT(p0_svc), OBJECT(p0_svc1),
                                          OBJECT(p0_svc2), OBJECT(p0_lsass)};
static const perf_object_t proc_run1[] = {OBJECT(p1_svc), OBJECT(p1_svc1),
                                          OBJECT(p1_svc2), OBJECT(p1_lsass)};
static const perf_object_t proc_run2[] = {OBJECT(p2_lsass), OBJECT(p2_svc2),
                                          OBJECT(p2_svc), OBJECT(p2_svc1)};
static const perf_run_t proc_runs[] = {RUN(proc_run0), RUN(proc_run1),
                                       RUN(proc_run2)};
static const perf_qualifier_t proc_qualifiers[] = {
    {"IDProcess", PERF_COUNTER_RAWCOUNT},
    {"PercentProcessorTime", PERF_100NSEC_TIMER},
    {"IOReadBytesPersec", PERF_COUNTER_BULK_COUNT},
    {"IOWriteBytesPersec", PERF_COUNTER_BULK_COUNT},
};
static const perf_recording_t process = {
    "Win32_PerfRawData_PerfProc_Process",
    proc_qualifiers,
    COUNT(proc_qualifiers),
    proc_runs,
    COUNT(proc_runs),
    0,
};

/* ---- Win32_PerfRawData_PerfOS_Memory ----
 * Constructed: one object (the class has no Name), a host with 18 GiB of
 * commit limit. Run 1: 32 MiB moved from available to committed, 250
 * pages read or written in 10 s; run 2: no paging. */
#define MEMORY(id, available, committed, pages, sys, perf)                     \
  static const perf_property_t id[] = {                                        \
      U64("AvailableBytes", available),                                        \
      U64("CommittedBytes", committed),                                        \
      U64("CommitLimit", "19327352832"),                                       \
      U64("PoolPagedBytes", "536870912"),                                      \
      U64("PoolNonpagedBytes", "268435456"),                                   \
      U32("PagesPersec", pages),                                               \
      CLOCKS(sys, perf),                                                       \
  }

MEMORY(m0, "6442450944", "9663676416", "1234567", SYS_T0, PERF_T0);
MEMORY(m1, "6408896512", "9697230848", "1234817", SYS_T1, PERF_T1);
MEMORY(m2, "6408896512", "9697230848", "1234817", SYS_T2, PERF_T2);

static const perf_object_t memory_run0[] = {OBJECT(m0)};
static const perf_object_t memory_run1[] = {OBJECT(m1)};
static const perf_object_t memory_run2[] = {OBJECT(m2)};
static const perf_run_t memory_runs[] = {RUN(memory_run0), RUN(memory_run1),
                                         RUN(memory_run2)};
static const perf_qualifier_t memory_qualifiers[] = {
    {"AvailableBytes", PERF_COUNTER_LARGE_RAWCOUNT},
    {"CommittedBytes", PERF_COUNTER_LARGE_RAWCOUNT},
    {"CommitLimit", PERF_COUNTER_LARGE_RAWCOUNT},
    {"PoolPagedBytes", PERF_COUNTER_LARGE_RAWCOUNT},
    {"PoolNonpagedBytes", PERF_COUNTER_LARGE_RAWCOUNT},
    {"PagesPersec", PERF_COUNTER_COUNTER},
};
static const perf_recording_t memory = {
    "Win32_PerfRawData_PerfOS_Memory",
    memory_qualifiers,
    COUNT(memory_qualifiers),
    memory_runs,
    COUNT(memory_runs),
    0,
};

/* ---- Win32_PerfRawData_Tcpip_TCPv4 ----
 * Constructed: one object (no Name). A busy server whose uint32
 * SegmentsPersec is past 2^31, so it arrives as a negative VT_I4, as a
 * uint32 does from WMI. Run 1: 3 more connections, 2 failures, 3 resets,
 * 52,000 segments and 26 retransmits in 10 s; run 2: 5 connections fewer,
 * 31,000 segments, no retransmit. */
#define TCP(id, established, failures, resets, segments, retransmitted, sys,   \
            perf)                                                              \
  static const perf_property_t id[] = {                                        \
      U32("ConnectionsEstablished", established),                              \
      U32("ConnectionFailures", failures),                                     \
      U32("ConnectionsReset", resets),                                         \
      U32("SegmentsPersec", segments),                                         \
      U32("SegmentsRetransmittedPersec", retransmitted),                       \
      CLOCKS(sys, perf),                                                       \
  }

TCP(t0, "42", "1377", "20514", "4294000000", "12345", SYS_T0, PERF_T0);
TCP(t1, "45", "1379", "20517", "4294052000", "12371", SYS_T1, PERF_T1);
TCP(t2, "40", "1379", "20517", "4294083000", "12371", SYS_T2, PERF_T2);

static const perf_object_t tcp_run0[] = {OBJECT(t0)};
static const perf_object_t tcp_run1[] = {OBJECT(t1)};
static const perf_object_t tcp_run2[] = {OBJECT(t2)};
static const perf_run_t tcp_runs[] = {RUN(tcp_run0), RUN(tcp_run1),
                                      RUN(tcp_run2)};
static const perf_qualifier_t tcp_qualifiers[] = {
    {"ConnectionsEstablished", PERF_COUNTER_RAWCOUNT},
    {"ConnectionFailures", PERF_COUNTER_RAWCOUNT},
    {"ConnectionsReset", PERF_COUNTER_RAWCOUNT},
    {"SegmentsPersec", PERF_COUNTER_COUNTER},
    {"SegmentsRetransmittedPersec", PERF_COUNTER_COUNTER},
};
static const perf_recording_t tcpv4 = {
    "Win32_PerfRawData_Tcpip_TCPv4",
    tcp_qualifiers,
    COUNT(tcp_qualifiers),
    tcp_runs,
    COUNT(tcp_runs),
    0,
};

static const char *const queries[] = {"os_process", "os_memory", "os_tcpv4",
                                      NULL};
static const perf_recording_t *const recordings[] = {&process, &memory, &tcpv4};

#define CPU "cpu_percent-"
#define READ "io_read_bytes_per_second-"
#define WRITE "io_write_bytes_per_second-"

/* Processes: PERF_100NSEC_TIMER is 100 * dN / dD over Timestamp_Sys100NS,
 * dD = 100,000,000 (10 s); PERF_COUNTER_BULK_COUNT is dN * F / dD over
 * Timestamp_PerfTime, 100,000,000 ticks at F = 10 MHz: dN / 10 bytes per
 * second. Each process against its own previous run, then added up per
 * name. */
static const pack_expect_t expected[] = {
    {"os_process", 0, "gauge", CPU "svchost", NAN,
     "run 0: no process has a previous sample", 0},
    {"os_process", 0, "gauge", READ "lsass", NAN,
     "run 0: no process has a previous sample", 0},
    {"os_process", 1, "gauge", CPU "svchost", 26.0,
     "run 1, svchost CPU: 1204 +5,000,000, 2268 +20,000,000, 3312 "
     "+1,000,000 ticks of 100,000,000: 5 + 20 + 1 = 26 %",
     0},
    {"os_process", 1, "gauge", READ "svchost", 3145728.0,
     "run 1, svchost read: (10,485,760 + 20,971,520 + 0) bytes / 10 s = "
     "3,145,728 B/s",
     0},
    {"os_process", 1, "gauge", WRITE "svchost", 400000.0,
     "run 1, svchost write: (1,000,000 + 3,000,000 + 0) / 10 s", 0},
    {"os_process", 1, "gauge", CPU "lsass", 2.5,
     "run 1, lsass CPU: 2,500,000 of 100,000,000 ticks = 2.5 %", 0},
    {"os_process", 1, "gauge", READ "lsass", 524288.0,
     "run 1, lsass read: 5,242,880 bytes / 10 s", 0},
    {"os_process", 1, "gauge", WRITE "lsass", 200000.0,
     "run 1, lsass write: 2,000,000 bytes / 10 s", 0},
    {"os_process", 2, "gauge", CPU "svchost", 10.0,
     "run 2, renumbered: 1204 +3,000,000 (3 %), 3312 (svchost#2 -> #1) "
     "11,125,000 - 4,125,000 = 7,000,000 (7 %), 4100 new: nothing; 3 + 7 "
     "= 10 %. Summed raw, 3 objects' sum would fall from 1,669,750,000 to "
     "347,250,000: no value",
     0},
    {"os_process", 2, "gauge", READ "svchost", 524288.0,
     "run 2, svchost read: (4,194,304 + 1,048,576) / 10 s = 419,430.4 + "
     "104,857.6",
     0},
    {"os_process", 2, "gauge", WRITE "svchost", 200000.0,
     "run 2, svchost write: (500,000 + 1,500,000) / 10 s; 4100's "
     "9,999,999 is its lifetime, not this interval's",
     0},
    {"os_process", 2, "gauge", CPU "lsass", 1.5,
     "run 2, lsass CPU: 1,500,000 of 100,000,000 ticks", 0},
    {"os_process", 2, "gauge", READ "lsass", 0.0,
     "run 2, lsass read nothing: 0, a value", 0},
    /* Memory: raw counts from run 0 on; PagesPersec a rate. */
    {"os_memory", 0, "memory", "available", 6442450944.0,
     "PERF_COUNTER_LARGE_RAWCOUNT: the raw 6 GiB, from the first run", 0},
    {"os_memory", 1, "memory", "available", 6408896512.0, "6 GiB - 32 MiB", 0},
    {"os_memory", 1, "memory", "committed", 9697230848.0, "9 GiB + 32 MiB", 0},
    {"os_memory", 0, "memory", "commit_limit", 19327352832.0, "18 GiB", 0},
    {"os_memory", 0, "memory", "pool_paged", 536870912.0, "512 MiB", 0},
    {"os_memory", 0, "memory", "pool_nonpaged", 268435456.0, "256 MiB", 0},
    {"os_memory", 0, "gauge", "pages_per_second", NAN,
     "PERF_COUNTER_COUNTER: nothing to cook against in run 0", 0},
    {"os_memory", 1, "gauge", "pages_per_second", 25.0,
     "(1,234,817 - 1,234,567) * 10,000,000 / 100,000,000 = 25 pages/s", 0},
    {"os_memory", 2, "gauge", "pages_per_second", 0.0,
     "no paging in run 2: 0 pages/s", 0},
    /* TCPv4: established raw; failures and resets raw derives; segments
     * rates. */
    {"os_tcpv4", 0, "tcp_connections", "established", 42.0,
     "PERF_COUNTER_RAWCOUNT: 42 now", 0},
    {"os_tcpv4", 2, "tcp_connections", "established", 40.0, "40 now", 0},
    {"os_tcpv4", 0, "derive", "connection_failures", 1377.0,
     "the raw total, uncooked, as a derive", 0},
    {"os_tcpv4", 1, "derive", "connection_failures", 1379.0, "2 more failures",
     0},
    {"os_tcpv4", 1, "derive", "connections_reset", 20517.0, "3 more resets", 0},
    {"os_tcpv4", 0, "gauge", "segments_per_second", NAN,
     "nothing to cook against in run 0", 0},
    {"os_tcpv4", 1, "gauge", "segments_per_second", 5200.0,
     "uint32 past 2^31 (a negative VT_I4): 4,294,052,000 - 4,294,000,000 "
     "= 52,000 in 10 s",
     0},
    {"os_tcpv4", 2, "gauge", "segments_per_second", 3100.0,
     "31,000 segments in 10 s", 0},
    {"os_tcpv4", 1, "gauge", "segments_retransmitted_per_second", 2.6,
     "26 retransmits in 10 s", 0},
    {"os_tcpv4", 2, "gauge", "segments_retransmitted_per_second", 0.0,
     "none in run 2", 0},
};

/* No series per "#n" or per process: the names are stripped. */
static const char *const absent[] = {
    "gauge-" CPU "svchost_1",      "gauge-" CPU "svchost_2",
    "gauge-" READ "svchost_1",     "gauge-" CPU "svchost-1204",
    "gauge-" CPU "svchost_1-3312", NULL};

static const pack_case_t os_extras = {
    .pack = "os-extras.conf",
    .queries = queries,
    .recordings = recordings,
    .recordings_num = COUNT(recordings),
    .runs = 3,
    .expected = expected,
    .expected_num = COUNT(expected),
    .absent = absent,
};

int main(void) { return pack_test_main(&os_extras, 1, "pack_os_extras"); }
