/* The batch's duplicates stage: samples of one run that share an
 * identifier (type and type instance). Called by wmi_batch_finish, on the
 * thread that finishes the batch. */
#ifndef WMI_DUPLICATES_H
#define WMI_DUPLICATES_H

#include "wmi_batch.h"

/* Keeps the first sample of every identifier, in their order. The others
 * of the same Result are added into it with Duplicates "sum" (raw counters
 * before they are cooked, values before Scale and Shift; a sum that does
 * not fit 64 bits fails, with a warning); otherwise, and always across
 * Results, they are dropped with a warning once per type and instance
 * (with ObjectsFrom, the objects' differences are added up, those that
 * have none left out: wmi_batch_objects.h). A
 * cooked instance that several objects give fails: its counters could not
 * be paired from run to run. Frees what it drops. */
void wmi_duplicates_merge(wmi_batch_t *batch, const wmi_job_t *job,
                          wmi_complaints_t *complaints);

#endif
