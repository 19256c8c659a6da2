package hub.api.inference;

import hub.api.Device;
import hub.api.ModelRef;
import hub.api.task.Tensor;
import java.util.List;

/**
 * The outputs of one raw run of a model's graph.
 *
 * @param ref the model that ran
 * @param device where it ran
 * @param outputs the outputs asked for (all when none were named), in the graph's order
 */
public record TensorResult(ModelRef ref, Device device, List<Tensor> outputs) {
    /** Copies the list. */
    public TensorResult {
        outputs = List.copyOf(outputs);
    }
}
