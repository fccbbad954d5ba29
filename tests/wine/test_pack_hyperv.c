/* The Hyper-V pack (conf/packs/hyperv.conf) through pack_test.h: its six
 * queries served from recorded samples, cooked with the pack's own
 * Results, every value worked out by hand below.
 *
 * hyperv_vm's class, Msvm_ComputerSystem, is in root\virtualization\v2,
 * which Wine 8 refuses at ConnectServer (WBEM_E_INVALID_NAMESPACE), before
 * the services hook where the recordings wrapper sits: the case names it
 * as a stand-in namespace, connected to root\cimv2 underneath, so that the
 * wrapper serves the class there. The query's WHERE (Caption = 'Virtual
 * Machine') is not applied by the wrapper: the recording holds what
 * Windows would return for it. */
#include "unit.h"

#include "pack_test.h"
#include "perf_rows.h"

#include <math.h>

/* Constructed, every class: no public recording of these classes was
 * found. Property names are microsoft/wmi's (server2019 and server23h2);
 * instance names follow windows_exporter (v0.14.0 collector/hyperv.go:
 * "<VM name>:Hv VP <n>"; the current internal/collector/hyperv/
 * hyperv_hypervisor_logical_processor.go: "Hv LP <n>"); the disk and
 * switch names are made up. CounterTypes are those the pack's header
 * names (inferred there). Run 1 is 10 s after run 0. */

/* ---- Win32_PerfRawData_HvStats_HyperVHypervisorLogicalProcessor ----
 * PERF_PRECISION_100NS_TIMER: every counter's _Base is the sample's time
 * in 100 ns, 100,000,000 apart (10 s). LP 0 ran 25 % (guest 20, hypervisor
 * 5), LP 1 75 % (guest 70, hypervisor 5). _Total is the two summed,
 * counters and bases, so it cooks to their average. */
#define LP(id, name, total, guest, hv, base)                                   \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U64("PercentTotalRunTime", total),                                       \
      U64("PercentTotalRunTime_Base", base),                                   \
      U64("PercentGuestRunTime", guest),                                       \
      U64("PercentGuestRunTime_Base", base),                                   \
      U64("PercentHypervisorRunTime", hv),                                     \
      U64("PercentHypervisorRunTime_Base", base),                              \
  }

LP(lp0_0, "Hv LP 0", "1800000000000", "1500000000000", "300000000000",
   "5000000000000");
LP(lp0_1, "Hv LP 1", "900000000000", "700000000000", "200000000000",
   "5000000000000");
LP(lp0_t, "_Total", "2700000000000", "2200000000000", "500000000000",
   "10000000000000");
LP(lp1_0, "Hv LP 0", "1800025000000", "1500020000000", "300005000000",
   "5000100000000");
LP(lp1_1, "Hv LP 1", "900075000000", "700070000000", "200005000000",
   "5000100000000");
LP(lp1_t, "_Total", "2700100000000", "2200090000000", "500010000000",
   "10000200000000");

static const perf_object_t lp_run0[] = {OBJECT(lp0_0), OBJECT(lp0_1),
                                        OBJECT(lp0_t)};
static const perf_object_t lp_run1[] = {OBJECT(lp1_0), OBJECT(lp1_1),
                                        OBJECT(lp1_t)};
static const perf_run_t lp_runs[] = {RUN(lp_run0), RUN(lp_run1)};

static const perf_qualifier_t processor_qualifiers[] = {
    {"PercentTotalRunTime", PERF_PRECISION_100NS_TIMER},
    {"PercentTotalRunTime_Base", PERF_LARGE_RAW_BASE},
    {"PercentGuestRunTime", PERF_PRECISION_100NS_TIMER},
    {"PercentGuestRunTime_Base", PERF_LARGE_RAW_BASE},
    {"PercentHypervisorRunTime", PERF_PRECISION_100NS_TIMER},
    {"PercentHypervisorRunTime_Base", PERF_LARGE_RAW_BASE},
};

static const perf_recording_t logical_processors = {
    "Win32_PerfRawData_HvStats_HyperVHypervisorLogicalProcessor",
    processor_qualifiers,
    COUNT(processor_qualifiers),
    lp_runs,
    COUNT(lp_runs),
    0,
};

/* ---- Win32_PerfRawData_HvStats_HyperVHypervisorVirtualProcessor ----
 * The same counters (the query's WHERE leaves out _Total, so the
 * recording has none). web01's VP 0 ran 12.5 % (guest 12, hypervisor
 * 0.5), sql01's VP 0 90 % (guest 88, hypervisor 2); test02 started
 * between the runs: its VP is new in run 1. */
LP(vp0_w, "web01:Hv VP 0", "400000000000", "390000000000", "10000000000",
   "5000000000000");
LP(vp0_s, "sql01:Hv VP 0", "3000000000000", "2900000000000", "100000000000",
   "5000000000000");
LP(vp1_w, "web01:Hv VP 0", "400012500000", "390012000000", "10000500000",
   "5000100000000");
LP(vp1_s, "sql01:Hv VP 0", "3000090000000", "2900088000000", "100002000000",
   "5000100000000");
LP(vp1_t, "test02:Hv VP 0", "1000000", "900000", "100000", "5000100000000");

static const perf_object_t vp_run0[] = {OBJECT(vp0_w), OBJECT(vp0_s)};
static const perf_object_t vp_run1[] = {OBJECT(vp1_s), OBJECT(vp1_t),
                                        OBJECT(vp1_w)};
static const perf_run_t vp_runs[] = {RUN(vp_run0), RUN(vp_run1)};

static const perf_recording_t virtual_processors = {
    "Win32_PerfRawData_HvStats_HyperVHypervisorVirtualProcessor",
    processor_qualifiers,
    COUNT(processor_qualifiers),
    vp_runs,
    COUNT(vp_runs),
    0,
};

/* ---- ..._HyperVVirtualMachineHealthSummary ----
 * PERF_COUNTER_RAWCOUNT: five VMs healthy; then one of them critical. */
static const perf_property_t health0[] = {U32("HealthOk", "5"),
                                          U32("HealthCritical", "0")};
static const perf_property_t health1[] = {U32("HealthOk", "4"),
                                          U32("HealthCritical", "1")};
static const perf_object_t health_run0[] = {OBJECT(health0)};
static const perf_object_t health_run1[] = {OBJECT(health1)};
static const perf_run_t health_runs[] = {RUN(health_run0), RUN(health_run1)};
static const perf_qualifier_t health_qualifiers[] = {
    {"HealthOk", PERF_COUNTER_RAWCOUNT},
    {"HealthCritical", PERF_COUNTER_RAWCOUNT},
};
static const perf_recording_t health = {
    "Win32_PerfRawData_VmmsVirtualMachineStats_"
    "HyperVVirtualMachineHealthSummary",
    health_qualifiers,
    COUNT(health_qualifiers),
    health_runs,
    COUNT(health_runs),
    0,
};

/* ---- Win32_PerfRawData_NvspSwitchStats_HyperVVirtualSwitch ----
 * PERF_COUNTER_BULK_COUNT over a 10 MHz Timestamp_PerfTime, 100,000,000
 * ticks (10 s) apart. "External vSwitch" is busy, "Default Switch" idle. */
#define SWITCH(id, name, stamp, rx, tx, rx_packets, tx_packets, rx_dropped,    \
               tx_dropped)                                                     \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U64("Timestamp_PerfTime", stamp),                                        \
      U64("Frequency_PerfTime", "10000000"),                                   \
      U64("BytesReceivedPersec", rx),                                          \
      U64("BytesSentPersec", tx),                                              \
      U64("PacketsReceivedPersec", rx_packets),                                \
      U64("PacketsSentPersec", tx_packets),                                    \
      U64("DroppedPacketsIncomingPersec", rx_dropped),                         \
      U64("DroppedPacketsOutgoingPersec", tx_dropped),                         \
  }

SWITCH(sw0_e, "External vSwitch", "8640000000000", "98765432100", "45678901234",
       "80000000", "60000000", "1200", "300");
SWITCH(sw0_d, "Default Switch", "8640000000000", "123456", "654321", "1000",
       "900", "0", "0");
SWITCH(sw1_e, "External vSwitch", "8640100000000", "98777432100", "45684901234",
       "80010000", "60006000", "1250", "300");
SWITCH(sw1_d, "Default Switch", "8640100000000", "123456", "654321", "1000",
       "900", "0", "0");

static const perf_object_t sw_run0[] = {OBJECT(sw0_e), OBJECT(sw0_d)};
static const perf_object_t sw_run1[] = {OBJECT(sw1_e), OBJECT(sw1_d)};
static const perf_run_t sw_runs[] = {RUN(sw_run0), RUN(sw_run1)};
static const perf_qualifier_t sw_qualifiers[] = {
    {"BytesReceivedPersec", PERF_COUNTER_BULK_COUNT},
    {"BytesSentPersec", PERF_COUNTER_BULK_COUNT},
    {"PacketsReceivedPersec", PERF_COUNTER_BULK_COUNT},
    {"PacketsSentPersec", PERF_COUNTER_BULK_COUNT},
    {"DroppedPacketsIncomingPersec", PERF_COUNTER_BULK_COUNT},
    {"DroppedPacketsOutgoingPersec", PERF_COUNTER_BULK_COUNT},
};
static const perf_recording_t switches = {
    "Win32_PerfRawData_NvspSwitchStats_HyperVVirtualSwitch",
    sw_qualifiers,
    COUNT(sw_qualifiers),
    sw_runs,
    COUNT(sw_runs),
    0,
};

/* ---- Win32_PerfRawData_Counters_HyperVVirtualStorageDevice ----
 * One disk, 10 s apart on a 10 MHz clock: 52,428,800 bytes read and
 * 10,485,760 written; 6400 reads and 2560 writes (PERF_COUNTER_COUNTER);
 * one more error; 3 requests queued (PERF_COUNTER_LARGE_RAWCOUNT, the
 * pack reads whatever type the class gives); Latency PERF_AVERAGE_TIMER:
 * 896 operations (Latency_Base) took 17,920,000 ticks in all. */
#define DISK "D:-Hyper-V-web01-web01.vhdx"
#define DISK_ID "D_-Hyper-V-web01-web01_vhdx"
#define VHD(id, stamp, read, written, reads, writes, errors, queue, latency,   \
            latency_base)                                                      \
  static const perf_property_t id[] = {                                        \
      STR("Name", DISK),                                                       \
      U64("Timestamp_PerfTime", stamp),                                        \
      U64("Frequency_PerfTime", "10000000"),                                   \
      U64("Timestamp_Sys100NS", "133500000000000000"),                         \
      U64("ReadBytesPersec", read),                                            \
      U64("WriteBytesPersec", written),                                        \
      U32("ReadOperationsPerSec", reads),                                      \
      U32("WriteOperationsPerSec", writes),                                    \
      U32("ErrorCount", errors),                                               \
      U64("QueueLength", queue),                                               \
      U32("Latency", latency),                                                 \
      U32("Latency_Base", latency_base),                                       \
  }

VHD(vhd0, "8640000000000", "52428800000", "10485760000", "6400000", "2560000",
    "0", "2", "1000000000", "8960000");
VHD(vhd1, "8640100000000", "52481228800", "10496245760", "6406400", "2562560",
    "1", "3", "1017920000", "8960896");

static const perf_object_t vhd_run0[] = {OBJECT(vhd0)};
static const perf_object_t vhd_run1[] = {OBJECT(vhd1)};
static const perf_run_t vhd_runs[] = {RUN(vhd_run0), RUN(vhd_run1)};
static const perf_qualifier_t vhd_qualifiers[] = {
    {"ReadBytesPersec", PERF_COUNTER_BULK_COUNT},
    {"WriteBytesPersec", PERF_COUNTER_BULK_COUNT},
    {"ReadOperationsPerSec", PERF_COUNTER_COUNTER},
    {"WriteOperationsPerSec", PERF_COUNTER_COUNTER},
    {"ErrorCount", PERF_COUNTER_RAWCOUNT},
    {"QueueLength", PERF_COUNTER_LARGE_RAWCOUNT},
    {"Latency", PERF_AVERAGE_TIMER},
    {"Latency_Base", PERF_AVERAGE_BASE},
};
static const perf_recording_t storage = {
    "Win32_PerfRawData_Counters_HyperVVirtualStorageDevice",
    vhd_qualifiers,
    COUNT(vhd_qualifiers),
    vhd_runs,
    COUNT(vhd_runs),
    0,
};

/* ---- Msvm_ComputerSystem (root\virtualization\v2) ----
 * Not a performance class: no qualifiers, values from the first run.
 * Three VMs, two of them named web01 (Hyper-V allows it; their IDs, Name,
 * differ). Run 1: the first web01 paused (9), sql01 started (2), test02
 * running but its storage lost: RunningCritical (32785), HealthState
 * Critical failure (25). The IDs are made up. */
#define WEB01_A "4A1F2C9E-0B6D-4E8A-9C3B-7D5E1F2A3B4C"
#define WEB01_B "0C6E1D2F-7A8B-4C9D-8E0F-1A2B3C4D5E6F"
#define SQL01 "9B8A7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D"
#define TEST02 "11223344-5566-4778-899A-ABBCCDDEEFF0"
#define VM(id, name, guid, state, health)                                      \
  static const perf_property_t id[] = {                                        \
      STR("Caption", "Virtual Machine"),                                       \
      STR("ElementName", name),                                                \
      STR("Name", guid),                                                       \
      U16("EnabledState", state),                                              \
      U16("HealthState", health),                                              \
  }

VM(vm0_a, "web01", WEB01_A, "2", "5");
VM(vm0_b, "web01", WEB01_B, "3", "5");
VM(vm0_s, "sql01", SQL01, "3", "5");
VM(vm0_t, "test02", TEST02, "6", "5");
VM(vm1_a, "web01", WEB01_A, "9", "5");
VM(vm1_b, "web01", WEB01_B, "3", "5");
VM(vm1_s, "sql01", SQL01, "2", "5");
VM(vm1_t, "test02", TEST02, "32785", "25");

static const perf_object_t vm_run0[] = {OBJECT(vm0_a), OBJECT(vm0_b),
                                        OBJECT(vm0_s), OBJECT(vm0_t)};
static const perf_object_t vm_run1[] = {OBJECT(vm1_a), OBJECT(vm1_b),
                                        OBJECT(vm1_s), OBJECT(vm1_t)};
static const perf_run_t vm_runs[] = {RUN(vm_run0), RUN(vm_run1)};
static const perf_recording_t vms = {
    "Msvm_ComputerSystem", NULL, 0, vm_runs, COUNT(vm_runs), 0,
};

static const char *const queries[] = {"hyperv_lp",
                                      "hyperv_vp",
                                      "hyperv_vm_health",
                                      "hyperv_switch",
                                      "hyperv_storage",
                                      "hyperv_vm",
                                      NULL};
static const perf_recording_t *const recordings[] = {&logical_processors,
                                                     &virtual_processors,
                                                     &health,
                                                     &switches,
                                                     &storage,
                                                     &vms};
static const char *const namespaces[] = {"root\\virtualization\\v2", NULL};

#define BPS "_bytes_per_second-External_vSwitch"

/* PERF_PRECISION_100NS_TIMER: 100 * (N1 - N0) / (B1 - B0), B1 - B0 =
 * 100,000,000 (200,000,000 for _Total); PERF_COUNTER_BULK_COUNT and
 * PERF_COUNTER_COUNTER: (N1 - N0) * 10,000,000 / 100,000,000, per second;
 * PERF_AVERAGE_TIMER: (N1 - N0) / 10,000,000 / (B1 - B0), seconds. */
static const pack_expect_t expected[] = {
    {"hyperv_lp", 0, "percent", "total-Hv_LP_0", NAN, "first run", 0},
    {"hyperv_lp", 1, "percent", "total-Hv_LP_0", 25,
     "1800025000000 - 1800000000000 = 25,000,000 of 100,000,000", 0},
    {"hyperv_lp", 1, "percent", "guest-Hv_LP_0", 20, "20,000,000 of 10^8", 0},
    {"hyperv_lp", 1, "percent", "hypervisor-Hv_LP_0", 5, "5,000,000 of 10^8",
     0},
    {"hyperv_lp", 1, "percent", "total-Hv_LP_1", 75, "75,000,000 of 10^8", 0},
    {"hyperv_lp", 1, "percent", "guest-Hv_LP_1", 70, "70,000,000 of 10^8", 0},
    {"hyperv_lp", 1, "percent", "total-_Total", 50,
     "100,000,000 of 200,000,000: the average", 0},
    {"hyperv_vp", 1, "percent", "total-web01_Hv_VP_0", 12.5,
     "\"web01:Hv VP 0\": 12,500,000 of 10^8", 0},
    {"hyperv_vp", 1, "percent", "guest-web01_Hv_VP_0", 12, "12,000,000 of 10^8",
     0},
    {"hyperv_vp", 1, "percent", "hypervisor-web01_Hv_VP_0", 0.5,
     "500,000 of 10^8", 0},
    {"hyperv_vp", 1, "percent", "total-sql01_Hv_VP_0", 90,
     "90,000,000 of 10^8 (run 1 delivers it first: paired by name)", 0},
    {"hyperv_vp", 1, "percent", "guest-sql01_Hv_VP_0", 88, "88,000,000 of 10^8",
     0},
    {"hyperv_vp", 1, "percent", "total-test02_Hv_VP_0", NAN,
     "a VM started between the runs: no value yet", 0},
    {"hyperv_vm_health", 0, "count", "ok", 5, "a raw count, first run", 0},
    {"hyperv_vm_health", 0, "count", "critical", 0, "none critical", 0},
    {"hyperv_vm_health", 1, "count", "ok", 4, "4 now", 0},
    {"hyperv_vm_health", 1, "count", "critical", 1, "1 now", 0},
    {"hyperv_switch", 0, "gauge", "rx" BPS, NAN, "first run", 0},
    {"hyperv_switch", 1, "gauge", "rx" BPS, 1200000,
     "98777432100 - 98765432100 = 12,000,000 bytes in 10 s", 0},
    {"hyperv_switch", 1, "gauge", "tx" BPS, 600000,
     "45684901234 - 45678901234 = 6,000,000 bytes in 10 s", 0},
    {"hyperv_switch", 1, "gauge", "rx_packets_per_second-External_vSwitch",
     1000, "80010000 - 80000000 = 10,000 in 10 s", 0},
    {"hyperv_switch", 1, "gauge", "tx_packets_per_second-External_vSwitch", 600,
     "60006000 - 60000000 = 6000 in 10 s", 0},
    {"hyperv_switch", 1, "gauge", "rx_dropped_per_second-External_vSwitch", 5,
     "1250 - 1200 = 50 in 10 s", 0},
    {"hyperv_switch", 1, "gauge", "tx_dropped_per_second-External_vSwitch", 0,
     "300 - 300", 0},
    {"hyperv_switch", 1, "gauge", "rx_bytes_per_second-Default_Switch", 0,
     "an idle switch: 0", 0},
    {"hyperv_storage", 0, "errors", DISK_ID, 0,
     "a derive is the raw count, from the first run", 0},
    {"hyperv_storage", 1, "gauge", "read_bytes_per_second-" DISK_ID, 5242880,
     "52481228800 - 52428800000 = 52,428,800 bytes in 10 s (5 MiB/s)", 0},
    {"hyperv_storage", 1, "gauge", "write_bytes_per_second-" DISK_ID, 1048576,
     "10,485,760 bytes in 10 s", 0},
    {"hyperv_storage", 1, "operations_per_second", "read-" DISK_ID, 640,
     "6406400 - 6400000 = 6400 in 10 s", 0},
    {"hyperv_storage", 1, "operations_per_second", "write-" DISK_ID, 256,
     "2562560 - 2560000 = 2560 in 10 s", 0},
    {"hyperv_storage", 1, "errors", DISK_ID, 1, "raw", 0},
    {"hyperv_storage", 1, "queue_length", DISK_ID, 3, "3 now", 0},
    {"hyperv_storage", 1, "latency", DISK_ID, 0.002,
     "17,920,000 ticks / 10 MHz / 896 operations = 2 ms", 0},
    {"hyperv_vm", 0, "gauge", "state-web01-" WEB01_A, 2,
     "EnabledState 2: Running, from the first run", 0},
    {"hyperv_vm", 0, "gauge", "state-web01-" WEB01_B, 3,
     "the other web01, told apart by its ID: 3, Off", 0},
    {"hyperv_vm", 0, "gauge", "state-test02-" TEST02, 6, "6: Saved", 0},
    {"hyperv_vm", 0, "health", "test02-" TEST02, 5, "HealthState 5: OK", 0},
    {"hyperv_vm", 1, "gauge", "state-web01-" WEB01_A, 9, "9: Paused", 0},
    {"hyperv_vm", 1, "gauge", "state-sql01-" SQL01, 2, "2: Running", 0},
    {"hyperv_vm", 1, "gauge", "state-test02-" TEST02, 32785,
     "32785: RunningCritical (uint16 past 2^15)", 0},
    {"hyperv_vm", 1, "health", "test02-" TEST02, 25, "25: Critical failure", 0},
};

/* A VM's name alone is no instance: names repeat. */
static const char *const absent[] = {"gauge-state-web01", "health-web01", NULL};

static const pack_case_t hyperv = {
    .pack = "hyperv.conf",
    .queries = queries,
    .recordings = recordings,
    .recordings_num = COUNT(recordings),
    .runs = 2,
    .expected = expected,
    .expected_num = COUNT(expected),
    .absent = absent,
    .namespaces = namespaces,
};

int main(void) { return pack_test_main(&hyperv, 1, "pack_hyperv"); }
