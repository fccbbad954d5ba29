/* The batch's per-object cooking stage, for Results with ObjectsFrom:
 * perflib renumbers repeated instance names ("svchost#2" becomes
 * "svchost#1" when "svchost#1" exits), so a sum of raw counters per name
 * is paired with a sum of other processes whenever one starts or exits.
 * Here each object's raw counters are cooked against the same object's
 * sample of the previous completed run, paired by the key the convert
 * stage built (Result, type instance and the ObjectsFrom values), before
 * the duplicates stage adds the cooked values up per instance
 * (wmi_duplicates.h). Called by wmi_batch_finish, on the thread that
 * finishes the batch. */
#ifndef WMI_BATCH_OBJECTS_H
#define WMI_BATCH_OBJECTS_H

#include "wmi_batch.h"

/* Cooks every sample that has an object key (cook is not NULL then),
 * within the run's history (wmi_history_begin .. end), and frees the keys.
 * An object without a previous sample (new, or the first run) or whose
 * counters went backwards adds nothing this run: its members becomes 0.
 * Several objects with one key in a run cannot be paired: they fail, so
 * their instance gives no value, with a warning once per instance. */
void wmi_batch_cook_objects(wmi_batch_t *batch, const wmi_job_t *job,
                            wmi_complaints_t *complaints, wmi_cook_t *cook);

#endif
