/* Raw samples, as WMI returns them (uint64 as text, uint32 as decimal).
 * Sources are given per class. "Published" values are copied from the
 * source; "constructed" ones were made up here to sit plausibly next to
 * them (same clocks, same magnitudes), because nothing public had two
 * consecutive samples of the class; each construction says so.
 *
 * CounterType values are winperf.h's, as the WMI class definitions carry
 * them (their CounterType qualifiers). Property names are spelled as in
 * the MOF (AvgDisksecPerRead, DiskReadBytesPersec); WMI matches them
 * case-insensitively, so does the wrapper. */
#include "perf_recordings.h"
#include "perf_rows.h"

/* ---- Win32_PerfRawData_PerfOS_Processor ----
 * Published: the _Total instance of run 0, Name|PercentProcessorTime|
 * Timestamp_Sys100NS = _Total|2530739524720|129476821059431200, in the
 * wmic output quoted by check_wmi_plus (Matthew Jurgens), e.g.
 * peterhoeg/checkwmiplus, check_wmi_plus.pl (comment above the parser
 * of wmic's "CLASS:" output).
 * Constructed: everything else. Two CPUs "0" and "1" whose raw values
 * average to _Total's (as Processor's _Total does); PercentIdleTime a
 * little below PercentProcessorTime (both count idle time; PercentIdle
 * leaves out time in C-states it does not see); Frequency_Sys100NS
 * 10000000 as on every host.
 *   run 1 (1 s later): the instances come in another order (pairing
 *     must go by Name); CPU 0 60 % idle, CPU 1 90 % idle;
 *   run 2 (1 s later): CPU "1"'s counters went backwards (a restart);
 *     CPU "2" is new (hot-added). */
#define CPU(id, name, busy_inv, idle, stamp)                                   \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U64("PercentProcessorTime", busy_inv),                                   \
      U64("PercentIdleTime", idle),                                            \
      U64("Timestamp_Sys100NS", stamp),                                        \
      U64("Frequency_Sys100NS", "10000000"),                                   \
  }

CPU(cpu0_0, "0", "2530391125000", "2530318400000", "129476821059431200");
CPU(cpu0_1, "1", "2531087924440", "2531014102210", "129476821059431200");
CPU(cpu0_t, "_Total", "2530739524720", "2530666251105", "129476821059431200");
CPU(cpu1_1, "1", "2531096924440", "2531023052210", "129476821069431200");
CPU(cpu1_t, "_Total", "2530747024720", "2530673626105", "129476821069431200");
CPU(cpu1_0, "0", "2530397125000", "2530324200000", "129476821069431200");
CPU(cpu2_0, "0", "2530407125000", "2530334100000", "129476821079431200");
CPU(cpu2_1, "1", "1204000", "1150000", "129476821079431200");
CPU(cpu2_2, "2", "2529000000000", "2528990000000", "129476821079431200");
CPU(cpu2_t, "_Total", "2530755024720", "2530681526105", "129476821079431200");

static const perf_object_t cpu_run0[] = {OBJECT(cpu0_0), OBJECT(cpu0_1),
                                         OBJECT(cpu0_t)};
static const perf_object_t cpu_run1[] = {OBJECT(cpu1_1), OBJECT(cpu1_t),
                                         OBJECT(cpu1_0)};
static const perf_object_t cpu_run2[] = {OBJECT(cpu2_0), OBJECT(cpu2_1),
                                         OBJECT(cpu2_2), OBJECT(cpu2_t)};
static const perf_run_t cpu_runs[] = {RUN(cpu_run0), RUN(cpu_run1),
                                      RUN(cpu_run2)};
static const perf_qualifier_t cpu_qualifiers[] = {
    {"PercentProcessorTime", PERF_100NSEC_TIMER_INV},
    {"PercentIdleTime", PERF_100NSEC_TIMER},
};
const perf_recording_t perf_recording_processor = {
    "Win32_PerfRawData_PerfOS_Processor",
    cpu_qualifiers,
    COUNT(cpu_qualifiers),
    cpu_runs,
    COUNT(cpu_runs),
    0,
};

/* ---- Win32_PerfRawData_PerfDisk_LogicalDisk ----
 * Constructed, all of it: no raw sample of this class was found
 * published. Types and CounterTypes as the class defines them (uint32:
 * DiskReadsPersec, AvgDisksecPerRead and its base, AvgDiskBytesPerRead's
 * base, PercentFreeSpace and its base, FreeMegabytes). The free space of
 * C: matches the formatted sample of a real host in
 * maier/circonus-agent, internal/builtins/collector/windows/wmi/
 * logical_disk.go (FreeMegabytes 201468, PercentFreeSpace 82).
 * Frequency_PerfTime 3579545 (the ACPI PM timer's, as hosts without an
 * invariant TSC report), so that a cook that assumes 10 MHz shows.
 * AvgDisksecPerRead counts Timestamp_PerfTime ticks; PercentDiskTime_Base
 * runs with Timestamp_Sys100NS. _Total sums the drives (uint32 sums
 * wrap, as perflib's do).
 *   run 1 (10 s later): C: reads 1280 times (5 MiB), writes 10 MiB, 12 %
 *     busy; D: reads nothing (AvgDisksecPerRead_Base unchanged: a zero
 *     base delta);
 *   run 2 (10 s later): C:'s uint32 AvgDisksecPerRead wrapped past
 *     2^32; E: is new (a USB drive plugged in). */
#define DISK(id, name, rbytes, wbytes, reads, sec, bytes, busy, free, total,   \
             perf_time, stamp)                                                 \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U64("DiskReadBytesPersec", rbytes),                                      \
      U64("DiskWriteBytesPersec", wbytes),                                     \
      U32("DiskReadsPersec", reads),                                           \
      U32("AvgDisksecPerRead", sec),                                           \
      U32("AvgDisksecPerRead_Base", reads),                                    \
      U64("AvgDiskBytesPerRead", bytes),                                       \
      U32("AvgDiskBytesPerRead_Base", reads),                                  \
      U64("PercentDiskTime", busy),                                            \
      U64("PercentDiskTime_Base", stamp),                                      \
      U32("PercentFreeSpace", free),                                           \
      U32("PercentFreeSpace_Base", total),                                     \
      U32("FreeMegabytes", free),                                              \
      U64("Timestamp_PerfTime", perf_time),                                    \
      U64("Frequency_PerfTime", "3579545"),                                    \
      U64("Timestamp_Sys100NS", stamp),                                        \
      U64("Frequency_Sys100NS", "10000000"),                                   \
  }

DISK(disk0_c, "C:", "48213766144", "73019850752", "2815342", "4289500000",
     "48213766144", "39876543210", "201468", "244821", "1289345678901",
     "133716612800000000");
DISK(disk0_d, "D:", "1048576000", "524288000", "25600", "71582", "1048576000",
     "104857600", "512000", "953866", "1289345678901", "133716612800000000");
DISK(disk0_t, "_Total", "49262342144", "73544138752", "2840942", "4289571582",
     "49262342144", "39981400810", "713468", "1198687", "1289345678901",
     "133716612800000000");
DISK(disk1_c, "C:", "48266194944", "73030336512", "2816622", "4291332709",
     "48266194944", "39888543210", "201460", "244821", "1289381474351",
     "133716612900000000");
DISK(disk1_d, "D:", "1048576000", "524288000", "25600", "71582", "1048576000",
     "104857600", "512000", "953866", "1289381474351", "133716612900000000");
DISK(disk1_t, "_Total", "49314770944", "73554624512", "2842222", "4291404291",
     "49314770944", "39993400810", "713460", "1198687", "1289381474351",
     "133716612900000000");
DISK(disk2_c, "C:", "48270290944", "73030344704", "2816722", "365413",
     "48270290944", "39891543210", "201455", "244821", "1289417269801",
     "133716613000000000");
DISK(disk2_d, "D:", "1048576000", "524353536", "25600", "71582", "1048576000",
     "104900000", "512000", "953866", "1289417269801", "133716613000000000");
DISK(disk2_e, "E:", "1000", "0", "2", "1500", "1000", "20000", "30000", "30520",
     "1289417269801", "133716613000000000");
DISK(disk2_t, "_Total", "49318867944", "73554698240", "2842324", "438495",
     "49318867944", "39996463210", "743455", "1229207", "1289417269801",
     "133716613000000000");

static const perf_object_t disk_run0[] = {OBJECT(disk0_c), OBJECT(disk0_d),
                                          OBJECT(disk0_t)};
static const perf_object_t disk_run1[] = {OBJECT(disk1_c), OBJECT(disk1_d),
                                          OBJECT(disk1_t)};
static const perf_object_t disk_run2[] = {OBJECT(disk2_c), OBJECT(disk2_d),
                                          OBJECT(disk2_e), OBJECT(disk2_t)};
static const perf_run_t disk_runs[] = {RUN(disk_run0), RUN(disk_run1),
                                       RUN(disk_run2)};
static const perf_qualifier_t disk_qualifiers[] = {
    {"DiskReadBytesPersec", PERF_COUNTER_BULK_COUNT},
    {"DiskWriteBytesPersec", PERF_COUNTER_BULK_COUNT},
    {"DiskReadsPersec", PERF_COUNTER_COUNTER},
    {"AvgDisksecPerRead", PERF_AVERAGE_TIMER},
    {"AvgDisksecPerRead_Base", PERF_AVERAGE_BASE},
    {"AvgDiskBytesPerRead", PERF_AVERAGE_BULK},
    {"AvgDiskBytesPerRead_Base", PERF_AVERAGE_BASE},
    {"PercentDiskTime", PERF_PRECISION_100NS_TIMER},
    {"PercentDiskTime_Base", PERF_LARGE_RAW_BASE},
    {"PercentFreeSpace", PERF_RAW_FRACTION},
    {"PercentFreeSpace_Base", PERF_RAW_BASE},
    {"FreeMegabytes", PERF_COUNTER_RAWCOUNT},
};
const perf_recording_t perf_recording_logical_disk = {
    "Win32_PerfRawData_PerfDisk_LogicalDisk",
    disk_qualifiers,
    COUNT(disk_qualifiers),
    disk_runs,
    COUNT(disk_runs),
    0,
};

/* ---- Win32_PerfRawData_Tcpip_NetworkInterface ----
 * Published: two consecutive samples (about 1.05 s apart) of a Windows
 * 11 Pro (build 26200) host, Name, BytesReceivedPersec, BytesSentPersec
 * and Timestamp_Sys100NS of its five interfaces, in
 * lollipopkit/flutter_server_box, crates/sbm_parser/tests/fixtures/
 * win_net.json (WMI writes "Intel(R)" as "Intel[R]" in instance names).
 * Constructed: Timestamp_PerfTime and Frequency_PerfTime, which
 * PERF_COUNTER_BULK_COUNT needs and the source did not select: a 10 MHz
 * clock (Windows 10 and later report that) advancing as
 * Timestamp_Sys100NS does; Frequency_Sys100NS 10000000.
 * BytesReceivedPersec and BytesSentPersec are uint64 bulk counts on
 * Windows Vista and later (uint32 PERF_COUNTER_COUNTER on XP). */
#define NIC(...) NIC_(__VA_ARGS__) /* lets NIC_T0 stand for two arguments */
#define NIC_(id, name, received, sent, perf_time, stamp)                       \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U64("BytesReceivedPersec", received),                                    \
      U64("BytesSentPersec", sent),                                            \
      U64("Timestamp_PerfTime", perf_time),                                    \
      U64("Frequency_PerfTime", "10000000"),                                   \
      U64("Timestamp_Sys100NS", stamp),                                        \
      U64("Frequency_Sys100NS", "10000000"),                                   \
  }

#define NIC_T0 "52417730211", "134288934055840000"
#define NIC_T1 "52428260211", "134288934066370000"
NIC(nic0_a, "Realtek Gaming 2.5GbE Family Controller", "0", "0", NIC_T0);
NIC(nic0_b, "Realtek PCIe GbE Family Controller", "0", "0", NIC_T0);
NIC(nic0_c, "Realtek USB FE Family Controller", "0", "0", NIC_T0);
NIC(nic0_d, "Realtek USB FE Family Controller _2", "0", "0", NIC_T0);
NIC(nic0_w, "Intel[R] Wi-Fi 6 AX200 160MHz", "704834947", "2416231230", NIC_T0);
NIC(nic1_a, "Realtek Gaming 2.5GbE Family Controller", "0", "0", NIC_T1);
NIC(nic1_b, "Realtek PCIe GbE Family Controller", "0", "0", NIC_T1);
NIC(nic1_c, "Realtek USB FE Family Controller", "0", "0", NIC_T1);
NIC(nic1_d, "Realtek USB FE Family Controller _2", "0", "0", NIC_T1);
NIC(nic1_w, "Intel[R] Wi-Fi 6 AX200 160MHz", "704836663", "2416234467", NIC_T1);

static const perf_object_t nic_run0[] = {OBJECT(nic0_a), OBJECT(nic0_b),
                                         OBJECT(nic0_c), OBJECT(nic0_d),
                                         OBJECT(nic0_w)};
static const perf_object_t nic_run1[] = {OBJECT(nic1_a), OBJECT(nic1_b),
                                         OBJECT(nic1_c), OBJECT(nic1_d),
                                         OBJECT(nic1_w)};
static const perf_run_t nic_runs[] = {RUN(nic_run0), RUN(nic_run1)};
static const perf_qualifier_t nic_qualifiers[] = {
    {"BytesReceivedPersec", PERF_COUNTER_BULK_COUNT},
    {"BytesSentPersec", PERF_COUNTER_BULK_COUNT},
};
const perf_recording_t perf_recording_network = {
    "Win32_PerfRawData_Tcpip_NetworkInterface",
    nic_qualifiers,
    COUNT(nic_qualifiers),
    nic_runs,
    COUNT(nic_runs),
    0,
};

/* ---- Win32_PerfRawData_PerfOS_System ----
 * Published: run 0, one sample of a real host in Checkmk/checkmk,
 * tests/unit/checks/generictests/datasets/
 * wmi_cpuload_server_windows_cpuload_regression.py (the agent's
 * [system_perf] table). Note Timestamp_Object (UTC) and
 * Timestamp_Sys100NS (local time) differ by two hours there, as on real
 * hosts: PERF_ELAPSED_TIME must use Timestamp_Object. The agent printed
 * SystemCallsPersec as -1438646331, a uint32 read as signed (WMI sends
 * uint32 as VT_I4): 2856320965 here. Name is NULL for this singleton.
 * Constructed: run 1, 10 s later: SystemUpTime (the boot time) unchanged,
 * the clocks advanced by 10 s at their frequencies, counters advanced. */
#define SYSTEM(id, object_time, perf_time, sys_time, threads, queue, switches, \
               calls, quota)                                                   \
  static const perf_property_t id[] = {                                        \
      STR("Name", NULL),                                                       \
      U64("SystemUpTime", "131087385121255994"),                               \
      U64("Timestamp_Object", object_time),                                    \
      U64("Frequency_Object", "10000000"),                                     \
      U64("Timestamp_PerfTime", perf_time),                                    \
      U64("Frequency_PerfTime", "1757890"),                                    \
      U64("Timestamp_Sys100NS", sys_time),                                     \
      U64("Frequency_Sys100NS", "10000000"),                                   \
      U32("Processes", "59"),                                                  \
      U32("Threads", threads),                                                 \
      U32("ProcessorQueueLength", queue),                                      \
      U32("ContextSwitchesPersec", switches),                                  \
      U32("SystemCallsPersec", calls),                                         \
      U32("PercentRegistryQuotaInUse", quota),                                 \
      U32("PercentRegistryQuotaInUse_Base", "714429781"),                      \
  }

SYSTEM(system0, "131090689667831652", "580911371748", "131090761667830000",
       "762", "0", "515871527", "2856320965", "50230448");
SYSTEM(system1, "131090689767831652", "580928950648", "131090761767830000",
       "764", "1", "515919738", "2856452737", "50231856");

static const perf_object_t system_run0[] = {OBJECT(system0)};
static const perf_object_t system_run1[] = {OBJECT(system1)};
static const perf_run_t system_runs[] = {RUN(system_run0), RUN(system_run1)};
static const perf_qualifier_t system_qualifiers[] = {
    {"SystemUpTime", PERF_ELAPSED_TIME},
    {"Processes", PERF_COUNTER_RAWCOUNT},
    {"Threads", PERF_COUNTER_RAWCOUNT},
    {"ProcessorQueueLength", PERF_COUNTER_RAWCOUNT},
    {"ContextSwitchesPersec", PERF_COUNTER_COUNTER},
    {"SystemCallsPersec", PERF_COUNTER_COUNTER},
    {"PercentRegistryQuotaInUse", PERF_RAW_FRACTION},
    {"PercentRegistryQuotaInUse_Base", PERF_RAW_BASE},
};
const perf_recording_t perf_recording_system = {
    "Win32_PerfRawData_PerfOS_System",
    system_qualifiers,
    COUNT(system_qualifiers),
    system_runs,
    COUNT(system_runs),
    0,
};

/* ---- Win32_PerfRawData_PerfProc_Process ----
 * Published: the Idle process of run 0 (IDProcess 0, % Processor Time
 * 106881107812500, Working Set 8192, at the object's PerfTime
 * 133716612800215149 in 100 ns units, which WMI gives as
 * Timestamp_Sys100NS) in a perflib dump of the Process object of a
 * Windows 11 host, quoted in netdata/netdata,
 * src/collectors/apps.plugin/apps_os_windows.c (the comment at its top).
 * WMI's class is made from that same perflib object.
 * Constructed: the other processes, and run 1, 2 s later. As in WMI:
 * a second process of one image is "svchost#1", _Total and Idle both have
 * IDProcess 0, and Idle's time exceeds 100 % of one CPU (15 idle cores).
 * In run 1 the process that was svchost#1 (2268) has exited and a new
 * svchost (3312) took the name (its counter is far below the old one's),
 * conhost has exited, notepad is new, and _Total went down (it sums the
 * processes alive now). */
#define PROC(id, name, pid, busy, working_set, stamp)                          \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U32("IDProcess", pid),                                                   \
      U64("PercentProcessorTime", busy),                                       \
      U64("WorkingSet", working_set),                                          \
      U64("Timestamp_Sys100NS", stamp),                                        \
      U64("Frequency_Sys100NS", "10000000"),                                   \
  }

#define PROC_T0 "133716612800215149"
#define PROC_T1 "133716612820215149"
PROC(proc0_idle, "Idle", "0", "106881107812500", "8192", PROC_T0);
PROC(proc0_system, "System", "4", "4120937500", "2891776", PROC_T0);
PROC(proc0_svc, "svchost", "1204", "78125000", "24576000", PROC_T0);
PROC(proc0_svc1, "svchost#1", "2268", "1562500000", "61440000", PROC_T0);
PROC(proc0_con, "conhost", "6012", "156250", "7274496", PROC_T0);
PROC(proc0_total, "_Total", "0", "106886869531250", "96190464", PROC_T0);
PROC(proc1_idle, "Idle", "0", "106881407812500", "8192", PROC_T1);
PROC(proc1_system, "System", "4", "4122500000", "2891776", PROC_T1);
PROC(proc1_svc, "svchost", "1204", "81250000", "24600576", PROC_T1);
PROC(proc1_svc1, "svchost#1", "3312", "312500", "5120000", PROC_T1);
PROC(proc1_note, "notepad", "7020", "468750", "15728640", PROC_T1);
PROC(proc1_total, "_Total", "0", "106885612343750", "48349184", PROC_T1);

static const perf_object_t proc_run0[] = {
    OBJECT(proc0_idle), OBJECT(proc0_system), OBJECT(proc0_svc),
    OBJECT(proc0_svc1), OBJECT(proc0_con),    OBJECT(proc0_total),
};
static const perf_object_t proc_run1[] = {
    OBJECT(proc1_idle), OBJECT(proc1_system), OBJECT(proc1_svc),
    OBJECT(proc1_svc1), OBJECT(proc1_note),   OBJECT(proc1_total),
};
static const perf_run_t proc_runs[] = {RUN(proc_run0), RUN(proc_run1)};
static const perf_qualifier_t proc_qualifiers[] = {
    {"IDProcess", PERF_COUNTER_RAWCOUNT},
    {"PercentProcessorTime", PERF_100NSEC_TIMER},
    {"WorkingSet", PERF_COUNTER_LARGE_RAWCOUNT},
};
const perf_recording_t perf_recording_process = {
    "Win32_PerfRawData_PerfProc_Process",
    proc_qualifiers,
    COUNT(proc_qualifiers),
    proc_runs,
    COUNT(proc_runs),
    0,
};

const perf_recording_t *const perf_recordings_all[] = {
    &perf_recording_processor, &perf_recording_logical_disk,
    &perf_recording_network,   &perf_recording_system,
    &perf_recording_process,
};
const size_t perf_recordings_all_num = COUNT(perf_recordings_all);
