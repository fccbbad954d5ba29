/* The collectd glue: module_register and the callbacks. It turns the
 * stanza into the config model, starts the backend at init, and in the read
 * callback dispatches every completed result waiting in the cache, once,
 * in order. It never calls COM and never waits on WMI, except in collectd's
 * test read (-T), the dry run: that one read waits, bounded, for every
 * query and prints what it got (wmi_dryrun_wait.h). What it dispatches
 * besides results lives beside it: ReportStats in wmi_stats.c, the
 * notifications in wmi_notify.c, both named by wmi_plugin_identity.c. */
#include "wmi_backend.h"
#include "wmi_cache.h"
#include "wmi_config.h"
#include "wmi_dryrun_wait.h"
#include "wmi_health.h"
#include "wmi_log.h"
#include "wmi_notify.h"
#include "wmi_plugin_identity.h"
#include "wmi_stats.h"

#include "plugin.h"
#include "utils/common/common.h"

#include <inttypes.h>

static wmi_config_t *config;
static bool config_failed;
static wmi_cache_t *cache;
static wmi_backend_t *backend;
static wmi_stats_t *stats; /* NULL without ReportStats */
static cdtime_t read_interval;
static wmi_health_t read_health; /* the read thread keeps up */
static uint64_t dropped_total;
/* collectd -T only (NULL otherwise): made at init before the backend,
 * which borrows it as it borrows the cache, and freed at shutdown with the
 * cache, once the backend stopped cleanly. The backend's host threads
 * write into it (it has its own lock); the read callback reads it. */
static wmi_dryrun_t *dry_run;
static cdtime_t started; /* monotonic, when the backend started */

static void log_to_collectd(int level, const char *message) {
  plugin_log(level, "%s", message);
}

static int wmi_config_cb(oconfig_item_t *ci) {
  wmi_log_set_sink(log_to_collectd);
  if (config == NULL)
    config = wmi_config_new();
  if (config == NULL || wmi_config_parse(config, ci) != 0) {
    config_failed = true;
    return -1;
  }
  return 0;
}

static const data_set_t *lookup_type(const char *type, void *ctx) {
  (void)ctx;
  return plugin_get_ds(type);
}

static void dispatch_batch(const wmi_batch_t *batch, void *ctx) {
  (void)ctx;
  const wmi_job_t *job = &config->jobs[batch->job];
  value_list_t vl = VALUE_LIST_INIT;
  vl.time = batch->time; /* the run's slot: evenly spaced series */
  vl.interval = job->interval;
  sstrncpy(vl.plugin, "wmi", sizeof(vl.plugin));
  wmi_plugin_identity(job, vl.host, vl.plugin_instance);
  for (size_t s = 0; s < batch->samples_num; s++) {
    const wmi_sample_t *sample = &batch->samples[s];
    sstrncpy(vl.type, sample->result->type, sizeof(vl.type));
    sstrncpy(vl.type_instance, sample->type_instance, sizeof(vl.type_instance));
    vl.values = sample->values;
    vl.values_len = sample->result->values_from_num;
    plugin_dispatch_values(&vl);
  }
}

/* Results dropped because the read thread fell behind by more than the
 * cache's depth: logged once, and once more when it keeps up again. */
static void report_drops(uint64_t dropped, bool took_any) {
  dropped_total += dropped;
  uint64_t unreported = 0;
  if (dropped > 0 && wmi_health_failed(&read_health, cdtime(), &unreported))
    wmi_log(LOG_WARNING,
            "collectd's read thread fell more than %d intervals behind: "
            "%" PRIu64 " result(s) dropped so far, the oldest first",
            WMI_CACHE_DEPTH, dropped_total);
  else if (dropped == 0 && took_any && wmi_health_succeeded(&read_health))
    wmi_log(LOG_NOTICE, "collectd's read thread keeps up again");
}

/* The dry run's one read: results dispatched as they come, the report on
 * stdout. -1 when a query has not the values it needs (failed, timed out,
 * not finished): collectd -T then exits 1, for a pre-deploy check. */
static int dry_run_read(uint64_t *dropped) {
  size_t not_ok = 0;
  wmi_dryrun_wait_t wait = {
      .config = config,
      .backend = backend,
      .cache = cache,
      .record = dry_run,
      .started = started,
      .dispatch = dispatch_batch,
      .identity = wmi_plugin_identity,
      .local_host = hostname_g,
      .out = stdout,
      .dropped = dropped,
      .not_ok = &not_ok,
  };
  wmi_dryrun_wait(&wait);
  return not_ok > 0 ? -1 : 0;
}

static int wmi_read_cb(user_data_t *ud) {
  (void)ud;
#ifdef WMI_BENCH_READ_TIMING
  cdtime_t began = cdtime();
#endif
  uint64_t dropped = 0;
  bool took_any = false;
  int status = 0;
  if (dry_run != NULL) {
    status = dry_run_read(&dropped);
  } else {
    wmi_batch_t *batch = wmi_cache_take(cache, &dropped);
    took_any = batch != NULL;
    while (batch != NULL) {
      wmi_batch_t *next = batch->next;
      dispatch_batch(batch, NULL);
      wmi_batch_free(batch);
      batch = next;
    }
  }
  report_drops(dropped, took_any);
  wmi_notify_flush();
  if (stats != NULL)
    wmi_stats_dispatch(stats, backend, cache, wmi_backend_monotonic(),
                       read_interval / 2);
#ifdef WMI_BENCH_READ_TIMING
  wmi_log(LOG_INFO, "read callback took %.0f us",
          CDTIME_T_TO_DOUBLE(cdtime() - began) * 1e6);
#endif
  return status; /* 0 but in a dry run with a query not ok */
}

static int wmi_shutdown_cb(void) {
  bool clean = wmi_backend_stop(backend);
  backend = NULL;
  wmi_notify_close();
  wmi_stats_free(stats);
  stats = NULL;
  if (clean) { /* else a thread or a sink of WMI's may still use these */
    wmi_dryrun_free(dry_run);
    wmi_cache_free(cache);
    wmi_config_free(config);
  }
  dry_run = NULL;
  cache = NULL;
  config = NULL;
  wmi_log(LOG_INFO, "stopped%s",
          clean ? "" : " (state of stuck WMI calls left allocated)");
  return 0;
}

/* Frees what a failed init left; the plugin then stays inactive. */
static int refuse_to_start(void) {
  wmi_dryrun_free(dry_run);
  wmi_cache_free(cache);
  wmi_config_free(config);
  dry_run = NULL;
  cache = NULL;
  config = NULL;
  wmi_log(LOG_ERR, "not started");
  return -1;
}

/* This machine's names, for telling local Address values from remote. */
static void machine_names(char names[3][256], const char *list[4]) {
  static const COMPUTER_NAME_FORMAT formats[3] = {
      ComputerNameNetBIOS, ComputerNameDnsHostname,
      ComputerNameDnsFullyQualified};
  size_t n = 0;
  for (size_t i = 0; i < 3; i++) {
    DWORD len = 256;
    if (GetComputerNameExA(formats[i], names[i], &len) && len > 0)
      list[n++] = names[i];
  }
  list[n] = NULL;
}

static int wmi_init_cb(void) {
  wmi_log_set_sink(log_to_collectd);
  if (config_failed) {
    wmi_log(LOG_ERR, "the configuration has errors (see above)");
    return refuse_to_start();
  }
  if (config == NULL)
    config = wmi_config_new();
  char names[3][256];
  const char *list[4];
  machine_names(names, list);
  if (config == NULL || wmi_config_finish(config, lookup_type, NULL,
                                          plugin_get_interval(), list) != 0)
    return refuse_to_start();

  cache = wmi_cache_new(config->jobs_num, WMI_CACHE_DEPTH);
  if (wmi_dryrun_requested(global_option_get("ReadThreads")) &&
      (dry_run = wmi_dryrun_new(config)) == NULL)
    return refuse_to_start();
  if (config->report_stats &&
      (stats = wmi_stats_new(config, wmi_backend_monotonic())) == NULL)
    return refuse_to_start();
  wmi_notify_open();
  wmi_backend_options_t options = {
      .config = config,
      .cache = cache,
      .health_hook = wmi_notify_health,
      .health_hook_ctx = config,
      .dry_run = dry_run,
  };
  wmi_backend_start_result_t result =
      cache ? wmi_backend_start(&options, &backend) : WMI_BACKEND_FAILED;
  /* The jobs' first slots are at the end of start, after its probe of COM
   * (seconds under Wine): a dry run's bound counts from there. */
  started = wmi_backend_monotonic();
  if (result != WMI_BACKEND_STARTED) {
    wmi_notify_close();
    wmi_stats_free(stats);
    stats = NULL;
  }
  if (result == WMI_BACKEND_FAILED_THREAD_STUCK) {
    /* a stuck thread may still use them */
    dry_run = NULL;
    cache = NULL;
    config = NULL;
    return -1;
  }
  if (result != WMI_BACKEND_STARTED)
    return refuse_to_start();

  /* Read as often as the most frequent job produces, so results wait in
   * the cache for at most one of its intervals. */
  read_interval = 0;
  for (size_t i = 0; i < config->jobs_num; i++)
    if (read_interval == 0 || config->jobs[i].interval < read_interval)
      read_interval = config->jobs[i].interval;
  plugin_register_complex_read(NULL, "wmi", wmi_read_cb, read_interval, NULL);
  plugin_register_shutdown("wmi", wmi_shutdown_cb);
  wmi_log(LOG_INFO, "%zu queries on %zu hosts started%s", config->queries_num,
          config->hosts_num,
          dry_run ? " (dry run: collectd -T; the read waits for them)" : "");
  return 0;
}

__declspec(dllexport) void module_register(void) {
  plugin_register_complex_config("wmi", wmi_config_cb);
  plugin_register_init("wmi", wmi_init_cb);
}
