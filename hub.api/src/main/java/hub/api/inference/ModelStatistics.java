package hub.api.inference;

import hub.api.ModelRef;

/**
 * What the request path counted for one model since the hub started, as Triton's statistics report it.
 *
 * @param ref the model
 * @param success requests that returned a result
 * @param failure requests that failed after the model was resolved (a load, access or model error, a bad input)
 * @param inferences images or tensor batches served (a request with four images counts four)
 * @param executions runs of the model (requests that reached the model)
 * @param requestNanos time from receipt to answer, summed over successful requests
 * @param queueNanos time spent before the model ran (resolving, waiting for a load or a lease), summed likewise
 * @param computeNanos time spent running the task (pre-processing, the graph, post-processing), summed likewise
 * @param lastInferenceMillis epoch milliseconds of the latest successful request, 0 if none
 */
public record ModelStatistics(ModelRef ref, long success, long failure, long inferences, long executions,
        long requestNanos, long queueNanos, long computeNanos, long lastInferenceMillis) {
}
