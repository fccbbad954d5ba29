/* The collectd glue: module_register and the callbacks. It turns the
 * stanza into the config model, starts the backend at init, and in the read
 * callback dispatches what the cache holds that is new. It never calls COM
 * and never waits on WMI. */
#include "wmi_backend.h"
#include "wmi_cache.h"
#include "wmi_config.h"
#include "wmi_log.h"
#include "wmi_naming.h"

#include "plugin.h"
#include "utils/common/common.h"

static wmi_config_t *config;
static bool config_failed;
static wmi_cache_t *cache;
static wmi_backend_t *backend;
static const wmi_batch_t **taken; /* room for one batch per job */

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

static int wmi_read_cb(user_data_t *ud) {
  (void)ud;
  size_t n = wmi_cache_take_new(cache, taken);
  for (size_t i = 0; i < n; i++) {
    const wmi_batch_t *batch = taken[i];
    const wmi_job_t *job = &config->jobs[batch->job];
    value_list_t vl = VALUE_LIST_INIT;
    vl.time = batch->time; /* the run's slot: evenly spaced series */
    vl.interval = job->interval;
    sstrncpy(vl.plugin, "wmi", sizeof(vl.plugin));
    wmi_name_sanitize(vl.plugin_instance, sizeof(vl.plugin_instance),
                      job->query->plugin_instance);
    if (!wmi_host_is_local(job->host)) /* else collectd's Hostname */
      wmi_name_sanitize(vl.host, sizeof(vl.host), job->host->name);
    for (size_t s = 0; s < batch->samples_num; s++) {
      const wmi_sample_t *sample = &batch->samples[s];
      sstrncpy(vl.type, sample->result->type, sizeof(vl.type));
      sstrncpy(vl.type_instance, sample->type_instance,
               sizeof(vl.type_instance));
      vl.values = sample->values;
      vl.values_len = sample->result->values_from_num;
      plugin_dispatch_values(&vl);
    }
    wmi_cache_release(cache, batch);
  }
  return 0;
}

static int wmi_shutdown_cb(void) {
  bool clean = wmi_backend_stop(backend);
  backend = NULL;
  if (clean) { /* else WMI may still call a sink that points into these */
    wmi_cache_free(cache);
    wmi_config_free(config);
    free(taken);
  }
  cache = NULL;
  config = NULL;
  taken = NULL;
  wmi_log(LOG_INFO, "stopped%s", clean ? "" : " (WMI kept result sinks)");
  return 0;
}

/* Frees what a failed init left; the plugin then stays inactive. */
static int refuse_to_start(void) {
  wmi_cache_free(cache);
  wmi_config_free(config);
  free(taken);
  cache = NULL;
  config = NULL;
  taken = NULL;
  return -1;
}

static int wmi_init_cb(void) {
  wmi_log_set_sink(log_to_collectd);
  if (config_failed) {
    wmi_log(LOG_ERR, "the configuration has errors (see above); the plugin "
                     "is not started");
    return refuse_to_start();
  }
  if (config == NULL)
    config = wmi_config_new();
  cdtime_t interval = plugin_get_interval();
  if (config == NULL ||
      wmi_config_finish(config, lookup_type, NULL, interval) != 0)
    return refuse_to_start();

  cache = wmi_cache_new(config->jobs_num);
  taken = calloc(config->jobs_num ? config->jobs_num : 1, sizeof(*taken));
  wmi_backend_options_t options = {.config = config, .cache = cache};
  if (cache == NULL || taken == NULL ||
      wmi_backend_start(&options, &backend) != 0)
    return refuse_to_start();

  /* Read as often as the most frequent job produces, so no run's result
   * is replaced before it was dispatched. */
  cdtime_t read_interval = 0;
  for (size_t i = 0; i < config->jobs_num; i++)
    if (read_interval == 0 || config->jobs[i].interval < read_interval)
      read_interval = config->jobs[i].interval;
  plugin_register_complex_read(NULL, "wmi", wmi_read_cb, read_interval, NULL);
  plugin_register_shutdown("wmi", wmi_shutdown_cb);
  wmi_log(LOG_INFO, "%zu queries on %zu hosts started", config->queries_num,
          config->hosts_num);
  return 0;
}

__declspec(dllexport) void module_register(void) {
  plugin_register_complex_config("wmi", wmi_config_cb);
  plugin_register_init("wmi", wmi_init_cb);
}
