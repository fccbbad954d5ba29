/* The SQL Server pack (conf/packs/mssql.conf) through pack_test.h: its five
 * queries, as the file has them, served from recorded samples of the
 * default instance's classes and cooked by the CounterType each property
 * reports; every expected value is worked out by hand from the samples.
 *
 * Sources of the samples. Real: the numbers of a SQL Server 2012 named
 * instance (VEEAMSQL2012) recorded on 19.08.2020 14:25:04 UTC in Checkmk's
 * tests (github.com/Checkmk/checkmk,
 * tests/unit/cmk/base/plugins/agent_based/test_mssql_counters.py at
 * 2399551d86caeb51d213ff6b1dff0dfadbc4d812, GPLv2: only its numbers are
 * used here, as facts, in rows written for this test). They were read
 * from sys.dm_os_performance_counters, which holds the same raw counter
 * values the performance classes publish: Buffer cache hit ratio and its
 * base, Page writes/sec, Batch Requests/sec, SQL Compilations/sec, SQL
 * Re-Compilations/sec; the Locks _Total instance's Lock Waits/sec,
 * Number of Deadlocks/sec, Lock Wait Time (ms), Average Wait Time (ms)
 * and its base; tempdb's data, log and log-used sizes (KB) and
 * Transactions/sec; and the database name VeeamBackup. That is one
 * sample, the first run of each query.
 * Constructed (each recording's comment says which): everything else, every
 * later run, the clock (Timestamp_PerfTime at Frequency_PerfTime 10 MHz, as
 * Windows 10 and later report it), General Statistics, Page reads/sec,
 * tempdb's Percent Log Used and Active Transactions, VeeamBackup's values.
 *
 * CounterType qualifiers are the cntr_type values SQL Server is known to
 * report for these counters in sys.dm_os_performance_counters (winperf.h's
 * numbers; not read from a Windows host's WMI class here):
 * 65792 PERF_COUNTER_LARGE_RAWCOUNT, 272696576 PERF_COUNTER_BULK_COUNT,
 * 537003264 PERF_LARGE_RAW_FRACTION over 1073939712 PERF_LARGE_RAW_BASE,
 * 1073874176 PERF_AVERAGE_BULK. Every value is uint64, as 64-bit
 * ("LARGE", BULK) counters are in WMI. */
#include "unit.h"

#include "pack_test.h"

#include <math.h>

#define U64(name, text)                                                        \
  { name, CIM_UINT64, text }
#define STR(name, text)                                                        \
  { name, CIM_STRING, text }
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

#define LARGE_RAWCOUNT 65792u
#define BULK_COUNT 272696576u
#define LARGE_RAW_FRACTION 537003264u
#define LARGE_RAW_BASE 1073939712u
#define AVERAGE_BULK 1073874176u

/* The clock of every class, constructed: run 1 is 60 s after run 0
 * (600,000,000 ticks of 10 MHz), run 2 30 s after run 1. */
#define FREQ U64("Frequency_PerfTime", "10000000")
#define T0 U64("Timestamp_PerfTime", "8123456789012")
#define T1 U64("Timestamp_PerfTime", "8124056789012")
#define T2 U64("Timestamp_PerfTime", "8124356789012")

#define CLASS(prefix) "Win32_PerfRawData_MSSQLSERVER_SQLServer" prefix
#define RECORDING(var, class_name, quals, runs_array)                          \
  static const perf_recording_t var = {                                        \
      class_name, quals, COUNT(quals), runs_array, COUNT(runs_array), 0}

/* ---- General Statistics: constructed, all of it (no public sample has
 * these counters). 37 then 41 user connections; 30 logins and 27
 * logouts in the 60 s; 2 sessions blocked in run 1. */
#define GENERAL(id, users, blocked, logins, logouts, stamp)                    \
  static const perf_property_t id[] = {U64("UserConnections", users),          \
                                       U64("Processesblocked", blocked),       \
                                       U64("LoginsPersec", logins),            \
                                       U64("LogoutsPersec", logouts),          \
                                       stamp,                                  \
                                       FREQ}
GENERAL(general0, "37", "0", "51230", "51193", T0);
GENERAL(general1, "41", "2", "51260", "51220", T1);
static const perf_object_t general_run0[] = {{general0, COUNT(general0)}};
static const perf_object_t general_run1[] = {{general1, COUNT(general1)}};
static const perf_run_t general_runs[] = {{general_run0, 1}, {general_run1, 1}};
static const perf_qualifier_t general_types[] = {
    {"UserConnections", LARGE_RAWCOUNT},
    {"Processesblocked", LARGE_RAWCOUNT},
    {"LoginsPersec", BULK_COUNT},
    {"LogoutsPersec", BULK_COUNT},
};
RECORDING(general, CLASS("GeneralStatistics"), general_types, general_runs);

/* ---- Buffer Manager. Run 0: hit ratio 3090 over 3090, page life
 * expectancy 12890, page writes 3066377 real; page reads 1862004
 * constructed. Run 1 constructed, 60 s later: 2940 over 3000, 1500 pages
 * read and 2700 written. Run 2 constructed, 30 s later: SQL Server
 * restarted in between, so its counters start again from small values. */
#define BUFFER(id, hit, base, ple, reads, writes, stamp)                       \
  static const perf_property_t id[] = {U64("Buffercachehitratio", hit),        \
                                       U64("Buffercachehitratio_Base", base),  \
                                       U64("Pagelifeexpectancy", ple),         \
                                       U64("PagereadsPersec", reads),          \
                                       U64("PagewritesPersec", writes),        \
                                       stamp,                                  \
                                       FREQ}
BUFFER(buffer0, "3090", "3090", "12890", "1862004", "3066377", T0);
BUFFER(buffer1, "2940", "3000", "12950", "1863504", "3069077", T1);
BUFFER(buffer2, "59", "80", "21", "5120", "310", T2);
static const perf_object_t buffer_run0[] = {{buffer0, COUNT(buffer0)}};
static const perf_object_t buffer_run1[] = {{buffer1, COUNT(buffer1)}};
static const perf_object_t buffer_run2[] = {{buffer2, COUNT(buffer2)}};
static const perf_run_t buffer_runs[] = {
    {buffer_run0, 1}, {buffer_run1, 1}, {buffer_run2, 1}};
static const perf_qualifier_t buffer_types[] = {
    {"Buffercachehitratio", LARGE_RAW_FRACTION},
    {"Buffercachehitratio_Base", LARGE_RAW_BASE},
    {"Pagelifeexpectancy", LARGE_RAWCOUNT},
    {"PagereadsPersec", BULK_COUNT},
    {"PagewritesPersec", BULK_COUNT},
};
RECORDING(buffer, CLASS("BufferManager"), buffer_types, buffer_runs);

/* ---- SQL Statistics. Run 0 real: 22476651 batches, 2189403
 * compilations, 272134 recompilations. Run 1 constructed, 60 s later:
 * 7200 batches, 900 compilations, 60 recompilations more. */
#define SQLSTATS(id, batches, compilations, recompilations, stamp)             \
  static const perf_property_t id[] = {                                        \
      U64("BatchRequestsPersec", batches),                                     \
      U64("SQLCompilationsPersec", compilations),                              \
      U64("SQLReCompilationsPersec", recompilations), stamp, FREQ}
SQLSTATS(sql0, "22476651", "2189403", "272134", T0);
SQLSTATS(sql1, "22483851", "2190303", "272194", T1);
static const perf_object_t sql_run0[] = {{sql0, COUNT(sql0)}};
static const perf_object_t sql_run1[] = {{sql1, COUNT(sql1)}};
static const perf_run_t sql_runs[] = {{sql_run0, 1}, {sql_run1, 1}};
static const perf_qualifier_t sql_types[] = {
    {"BatchRequestsPersec", BULK_COUNT},
    {"SQLCompilationsPersec", BULK_COUNT},
    {"SQLReCompilationsPersec", BULK_COUNT},
};
RECORDING(sqlstats, CLASS("SQLStatistics"), sql_types, sql_runs);

/* ---- Locks, instance _Total only (the pack's WHERE picks it; the
 * wrapper ignores WHERE, so no other instance is recorded). Run 0 real:
 * 938 lock waits, 19 deadlocks, 354413 ms waited, the average's 354413
 * over its base 938. Run 1 constructed, 60 s later: 12 waits of 4800 ms
 * in all, 3 deadlocks. */
#define LOCKS(id, waits, deadlocks, waited, stamp)                             \
  static const perf_property_t id[] = {                                        \
      STR("Name", "_Total"),                                                   \
      U64("LockWaitsPersec", waits),                                           \
      U64("NumberofDeadlocksPersec", deadlocks),                               \
      U64("AverageWaitTimems", waited),                                        \
      U64("AverageWaitTimems_Base", waits),                                    \
      U64("LockWaitTimems", waited),                                           \
      stamp,                                                                   \
      FREQ}
LOCKS(locks0, "938", "19", "354413", T0);
LOCKS(locks1, "950", "22", "359213", T1);
static const perf_object_t locks_run0[] = {{locks0, COUNT(locks0)}};
static const perf_object_t locks_run1[] = {{locks1, COUNT(locks1)}};
static const perf_run_t locks_runs[] = {{locks_run0, 1}, {locks_run1, 1}};
static const perf_qualifier_t locks_types[] = {
    {"LockWaitsPersec", BULK_COUNT},
    {"NumberofDeadlocksPersec", BULK_COUNT},
    {"AverageWaitTimems", AVERAGE_BULK},
    {"AverageWaitTimems_Base", LARGE_RAW_BASE},
    {"LockWaitTimems", BULK_COUNT},
};
RECORDING(locks, CLASS("Locks"), locks_types, locks_runs);

/* ---- Databases, without _Total (as the pack's WHERE asks). tempdb run
 * 0: data 164928 KB, log 13624 KB, log used 629 KB, 24410428
 * transactions, real; Percent Log Used 4 (629 of 13624 is 4.6 %, which
 * SQL Server truncates) and 3 active transactions constructed.
 * VeeamBackup (a real database name of that host): constructed, 1 GiB of
 * data, 256 MiB of log. Run 1 constructed, 60 s later, in the other
 * order (paired by Name, not by position): tempdb 3000 transactions
 * more, 702 KB of log used (5 %); VeeamBackup 360 more, 24576 KB of log
 * used (9 %). */
#define DATABASE(id, name, data, log, used, percent, transactions, active,     \
                 stamp)                                                        \
  static const perf_property_t id[] = {                                        \
      STR("Name", name),                                                       \
      U64("DataFilesSizeKB", data),                                            \
      U64("LogFilesSizeKB", log),                                              \
      U64("LogFilesUsedSizeKB", used),                                         \
      U64("PercentLogUsed", percent),                                          \
      U64("TransactionsPersec", transactions),                                 \
      U64("ActiveTransactions", active),                                       \
      stamp,                                                                   \
      FREQ}
DATABASE(tempdb0, "tempdb", "164928", "13624", "629", "4", "24410428", "3", T0);
DATABASE(veeam0, "VeeamBackup", "1048576", "262144", "20480", "7", "5120000",
         "0", T0);
DATABASE(veeam1, "VeeamBackup", "1048576", "262144", "24576", "9", "5120360",
         "2", T1);
DATABASE(tempdb1, "tempdb", "164928", "13624", "702", "5", "24413428", "1", T1);
static const perf_object_t databases_run0[] = {{tempdb0, COUNT(tempdb0)},
                                               {veeam0, COUNT(veeam0)}};
static const perf_object_t databases_run1[] = {{veeam1, COUNT(veeam1)},
                                               {tempdb1, COUNT(tempdb1)}};
static const perf_run_t databases_runs[] = {{databases_run0, 2},
                                            {databases_run1, 2}};
static const perf_qualifier_t databases_types[] = {
    {"DataFilesSizeKB", LARGE_RAWCOUNT},
    {"LogFilesSizeKB", LARGE_RAWCOUNT},
    {"LogFilesUsedSizeKB", LARGE_RAWCOUNT},
    {"PercentLogUsed", LARGE_RAWCOUNT},
    {"TransactionsPersec", BULK_COUNT},
    {"ActiveTransactions", LARGE_RAWCOUNT},
};
RECORDING(databases, CLASS("Databases"), databases_types, databases_runs);

static const char *const queries[] = {"mssql_general",   "mssql_buffer",
                                      "mssql_sql",       "mssql_locks",
                                      "mssql_databases", NULL};
static const perf_recording_t *const recordings[] = {
    &general, &buffer, &sqlstats, &locks, &databases};

#define OPS "operations_per_second"

/* PERF_COUNTER_BULK_COUNT: (N1 - N0) * 10,000,000 / 600,000,000, the
 * difference over 60 s. Three runs: the recordings of two runs repeat
 * their second in run 2, where nothing is checked. */
static const pack_expect_t expected[] = {
    /* mssql_general (constructed) */
    {"mssql_general", 0, "current_connections", "user", 37.0,
     "UserConnections 37, a raw count: a value on the first run", 0},
    {"mssql_general", 1, "current_connections", "user", 41.0,
     "UserConnections 41", 0},
    {"mssql_general", 1, "count", "processes_blocked", 2.0,
     "Processesblocked 2", 0},
    {"mssql_general", 0, OPS, "logins", NAN,
     "first run: a rate needs a previous sample", 0},
    {"mssql_general", 1, OPS, "logins", 0.5,
     "51260 - 51230 = 30 logins in 60 s: 0.5/s", 0},
    {"mssql_general", 1, OPS, "logouts", 0.45,
     "51220 - 51193 = 27 logouts in 60 s: 0.45/s", 0},

    /* mssql_buffer */
    {"mssql_buffer", 0, "cache_ratio", "buffer_cache_hit", 100.0,
     "real 3090 over 3090: 100 * 3090 / 3090 = 100 %, from one sample", 0},
    {"mssql_buffer", 0, "duration", "page_life_expectancy", 12890.0,
     "real Pagelifeexpectancy 12890 s, a raw count", 0},
    {"mssql_buffer", 0, OPS, "page_writes", NAN,
     "first run: a rate needs a previous sample", 0},
    {"mssql_buffer", 1, "cache_ratio", "buffer_cache_hit", 98.0,
     "100 * 2940 / 3000 = 98 %: this sample only, not a difference", 0},
    {"mssql_buffer", 1, "duration", "page_life_expectancy", 12950.0,
     "Pagelifeexpectancy 12950 s", 0},
    {"mssql_buffer", 1, OPS, "page_reads", 25.0,
     "1863504 - 1862004 = 1500 pages in 60 s: 25/s", 0},
    {"mssql_buffer", 1, OPS, "page_writes", 45.0,
     "3069077 - real 3066377 = 2700 pages in 60 s: 45/s", 0},
    {"mssql_buffer", 2, "cache_ratio", "buffer_cache_hit", 73.75,
     "after a restart 100 * 59 / 80 = 73.75 %", 0},
    {"mssql_buffer", 2, "duration", "page_life_expectancy", 21.0,
     "after a restart Pagelifeexpectancy 21 s", 0},
    {"mssql_buffer", 2, OPS, "page_reads", NAN,
     "5120 < 1863504: went backwards (restart), no value, no spike", 0},
    {"mssql_buffer", 2, OPS, "page_writes", NAN,
     "310 < 3069077: went backwards (restart), no value, no spike", 0},

    /* mssql_sql */
    {"mssql_sql", 0, OPS, "batch_requests", NAN,
     "first run: a rate needs a previous sample", 0},
    {"mssql_sql", 0, OPS, "compilations", NAN, "first run", 0},
    {"mssql_sql", 1, OPS, "batch_requests", 120.0,
     "22483851 - real 22476651 = 7200 batches in 60 s: 120/s", 0},
    {"mssql_sql", 1, OPS, "compilations", 15.0,
     "2190303 - real 2189403 = 900 in 60 s: 15/s", 0},
    {"mssql_sql", 1, OPS, "recompilations", 1.0,
     "272194 - real 272134 = 60 in 60 s: 1/s", 0},

    /* mssql_locks */
    {"mssql_locks", 0, OPS, "lock_waits", NAN, "first run", 0},
    {"mssql_locks", 0, "duration", "lock_wait_average", NAN,
     "first run: PERF_AVERAGE_BULK needs a previous sample", 0},
    {"mssql_locks", 0, "total_time_in_ms", "lock_wait", 354413.0,
     "real LockWaitTimems 354413, uncooked: a derive from the first run", 0},
    {"mssql_locks", 1, OPS, "lock_waits", 0.2,
     "950 - real 938 = 12 waits in 60 s: 0.2/s", 0},
    {"mssql_locks", 1, OPS, "deadlocks", 0.05,
     "22 - real 19 = 3 deadlocks in 60 s: 0.05/s", 0},
    {"mssql_locks", 1, "duration", "lock_wait_average", 0.4,
     "(359213 - 354413) / (950 - 938) = 4800 ms / 12 = 400 ms, x 0.001: "
     "0.4 s",
     0},
    {"mssql_locks", 1, "total_time_in_ms", "lock_wait", 359213.0,
     "LockWaitTimems 359213, the total as it is", 0},

    /* mssql_databases */
    {"mssql_databases", 0, "file_size", "data-tempdb", 168886272.0,
     "real 164928 KB x 1024 = 168,886,272 bytes", 0},
    {"mssql_databases", 0, "file_size", "log-tempdb", 13950976.0,
     "real 13624 KB x 1024 = 13,950,976 bytes", 0},
    {"mssql_databases", 0, "bytes", "log_used-tempdb", 644096.0,
     "real 629 KB x 1024 = 644,096 bytes", 0},
    {"mssql_databases", 0, "percent", "log_used-tempdb", 4.0,
     "PercentLogUsed 4, a raw count", 0},
    {"mssql_databases", 0, "count", "active_transactions-tempdb", 3.0,
     "ActiveTransactions 3", 0},
    {"mssql_databases", 0, OPS, "transactions-tempdb", NAN, "first run", 0},
    {"mssql_databases", 0, "file_size", "data-VeeamBackup", 1073741824.0,
     "1048576 KB x 1024 = 1 GiB", 0},
    {"mssql_databases", 1, OPS, "transactions-tempdb", 50.0,
     "24413428 - real 24410428 = 3000 in 60 s: 50/s (paired by Name)", 0},
    {"mssql_databases", 1, OPS, "transactions-VeeamBackup", 6.0,
     "5120360 - 5120000 = 360 in 60 s: 6/s (paired by Name)", 0},
    {"mssql_databases", 1, "bytes", "log_used-tempdb", 718848.0,
     "702 KB x 1024 = 718,848 bytes", 0},
    {"mssql_databases", 1, "bytes", "log_used-VeeamBackup", 25165824.0,
     "24576 KB x 1024 = 24 MiB", 0},
    {"mssql_databases", 1, "percent", "log_used-VeeamBackup", 9.0,
     "PercentLogUsed 9", 0},
    {"mssql_databases", 1, "count", "active_transactions-VeeamBackup", 2.0,
     "ActiveTransactions 2", 0},
};

/* Every database series carries its database's name: none without it. */
static const char *const absent[] = {"file_size-data",
                                     "file_size-log",
                                     "bytes-log_used",
                                     "percent-log_used",
                                     OPS "-transactions",
                                     "count-active_transactions",
                                     NULL};

static const pack_case_t mssql = {
    .pack = "mssql.conf",
    .queries = queries,
    .recordings = recordings,
    .recordings_num = COUNT(recordings),
    .runs = 3,
    .expected = expected,
    .expected_num = COUNT(expected),
    .absent = absent,
};

int main(void) { return pack_test_main(&mssql, 1, "pack_mssql"); }
