package hub.api.inference;

import hub.api.Device;
import hub.api.ModelRef;
import hub.api.task.ImageResult;
import java.util.List;

/**
 * What a task returned: the model that ran (the one leased, whatever the alias points to by now) and one result or
 * error per image, in the order given. This record is also the result document every surface shows.
 *
 * @param model the model version that produced the results
 * @param device where it ran
 * @param results one per image
 * @param <T> the result per image
 */
public record InferenceResult<T>(ModelRef model, Device device, List<ImageResult<T>> results) {
    /** Copies the results. */
    public InferenceResult {
        results = List.copyOf(results);
    }
}
