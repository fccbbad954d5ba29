/* Raw performance samples of real Windows hosts (and, where no second
 * consecutive sample was published, plausible ones constructed next to
 * them), for the services wrapper of perf_services.h. perf_recordings.c
 * says where each value came from. Expected cooked values are not here:
 * tests work them out by hand. */
#ifndef PERF_RECORDINGS_H
#define PERF_RECORDINGS_H

#include "perf_services.h"

/* Win32_PerfRawData_PerfOS_Processor: Name, PercentProcessorTime
 * (PERF_100NSEC_TIMER_INV), PercentIdleTime (PERF_100NSEC_TIMER),
 * Timestamp_Sys100NS, Frequency_Sys100NS. 3 runs. */
extern const perf_recording_t perf_recording_processor;

/* Win32_PerfRawData_PerfDisk_LogicalDisk: PERF_COUNTER_BULK_COUNT,
 * PERF_COUNTER_COUNTER, PERF_AVERAGE_TIMER, PERF_AVERAGE_BULK,
 * PERF_PRECISION_100NS_TIMER, PERF_RAW_FRACTION, PERF_COUNTER_RAWCOUNT
 * with their bases, timestamps and frequencies. 3 runs. */
extern const perf_recording_t perf_recording_logical_disk;

/* Win32_PerfRawData_Tcpip_NetworkInterface: BytesReceivedPersec and
 * BytesSentPersec (PERF_COUNTER_BULK_COUNT). 2 runs. */
extern const perf_recording_t perf_recording_network;

/* Win32_PerfRawData_PerfOS_System: SystemUpTime (PERF_ELAPSED_TIME),
 * PercentRegistryQuotaInUse (PERF_RAW_FRACTION), counters and raw counts.
 * 2 runs. */
extern const perf_recording_t perf_recording_system;

/* Win32_PerfRawData_PerfProc_Process: Name, IDProcess, PercentProcessorTime
 * (PERF_100NSEC_TIMER), WorkingSet (PERF_COUNTER_LARGE_RAWCOUNT). 2 runs. */
extern const perf_recording_t perf_recording_process;

/* All of the above, for perf_services_wrap. */
extern const perf_recording_t *const perf_recordings_all[];
extern const size_t perf_recordings_all_num;

#endif
