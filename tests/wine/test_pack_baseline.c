/* The shipped baseline (conf/wmi.conf) through pack_test.h, as the query
 * packs are tested: its network query, served from the recorded
 * Win32_PerfRawData_Tcpip_NetworkInterface samples of
 * tests/wine/fakes/perf_recordings.c, cooked with its own Results. */
#include "unit.h"

#include "pack_test.h"
#include "perf_recordings.h"

#include <math.h>

#define WIFI "Intel_R__Wi-Fi_6_AX200_160MHz"

static const char *const queries[] = {"network", NULL};
static const perf_recording_t *const recordings[] = {&perf_recording_network};

/* PERF_COUNTER_BULK_COUNT over Timestamp_PerfTime at 10 MHz:
 * 52428260211 - 52417730211 = 10,530,000 ticks (1.053 s). The recording
 * has two runs; a third repeats the second. */
static const pack_expect_t expected[] = {
    {"network", 0, "gauge", "rx_bytes_per_second-" WIFI, NAN,
     "first run: nothing to cook against", 0},
    {"network", 1, "gauge", "rx_bytes_per_second-" WIFI,
     1716.0 * 10000000.0 / 10530000.0,
     "704836663 - 704834947 = 1716 bytes in 1.053 s", 0},
    {"network", 1, "gauge", "tx_bytes_per_second-" WIFI,
     3237.0 * 10000000.0 / 10530000.0,
     "2416234467 - 2416231230 = 3237 bytes in 1.053 s", 0},
    {"network", 1, "gauge",
     "rx_bytes_per_second-Realtek_PCIe_GbE_Family_Controller", 0.0,
     "an idle interface: 0", 0},
    {"network", 2, "gauge", "tx_bytes_per_second-" WIFI, NAN,
     "the same sample again: no time passed, no value", 0},
};

static const char *const absent[] = {"if_octets", "gauge-" WIFI, NULL};

static const pack_case_t baseline = {
    .pack = "../wmi.conf",
    .queries = queries,
    .recordings = recordings,
    .recordings_num = 1,
    .runs = 3,
    .expected = expected,
    .expected_num = sizeof(expected) / sizeof(expected[0]),
    .absent = absent,
};

int main(void) { return pack_test_main(&baseline, 1, "pack_baseline"); }
