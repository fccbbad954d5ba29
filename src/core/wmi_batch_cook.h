/* The batch's last stage: cooks the raw counters of Results with
 * CounterType against the previous completed run, applies the Scale and
 * Shift that waited for it (cooked or summed values), and drops the
 * samples left without a value. Called by wmi_batch_finish, on the thread
 * that finishes the batch. */
#ifndef WMI_BATCH_COOK_H
#define WMI_BATCH_COOK_H

#include "wmi_batch.h"

/* Pairs each cooked instance with its sample of the previous completed run
 * (in cook's history; cook is NULL only when no Result cooks), by Result,
 * type instance and how many objects were added up. An instance without
 * one (new, the first run) or whose counters went backwards gives no value
 * this time. With ObjectsFrom the raw counters are the sums of the
 * objects' differences (wmi_batch_objects.h), cooked by the formula once;
 * an instance none of whose objects has any has no value. Call within the
 * run's history (wmi_history_begin .. end). A scaled value the data source
 * cannot hold is dropped with a warning once per result, property and
 * instance. An instance that gives a value again ends the earlier stages'
 * warnings about it (a sum that did not fit, objects that shared an
 * ObjectsFrom key), once. Frees what it drops; keeps the order. */
void wmi_batch_cook(wmi_batch_t *batch, const wmi_job_t *job,
                    wmi_complaints_t *complaints, wmi_cook_t *cook);

#endif
