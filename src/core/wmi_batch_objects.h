/* The batch's per-object cooking stage, for Results with ObjectsFrom:
 * perflib renumbers repeated instance names ("svchost#2" becomes
 * "svchost#1" when "svchost#1" exits), so a sum of raw counters per name
 * is paired with a sum of other processes whenever one starts or exits.
 * Here each object's raw counters are paired with the same object's
 * sample of the previous completed run, by the key the convert stage
 * built (Result, type instance and the ObjectsFrom values), and turned
 * into differences; the duplicates stage adds them up per instance
 * (wmi_duplicates.h) and the cook stage applies the formula once to the
 * sums (wmi_batch_cook.h). Called by wmi_batch_finish, on the thread that
 * finishes the batch. */
#ifndef WMI_BATCH_OBJECTS_H
#define WMI_BATCH_OBJECTS_H

#include "wmi_batch.h"

/* Turns the raw counters of every sample that has an object key (cook is
 * not NULL then) into its part of its instance's sum, within the run's
 * history (wmi_history_begin .. end), and frees the keys: for a counter
 * type that reads two samples, the differences since the same object's
 * previous sample (wmi_counter_difference); for the others, the reading
 * itself. An object that needs a previous sample and has none (new, or the
 * first run), or whose counters went backwards, adds nothing this run:
 * its members becomes 0. Several objects with one key in a run cannot be
 * paired: they fail, so their instance gives no value, with a warning
 * once per instance (its end reported by wmi_batch_cook). */
void wmi_batch_difference_objects(wmi_batch_t *batch, const wmi_job_t *job,
                                  wmi_complaints_t *complaints,
                                  wmi_cook_t *cook);

#endif
