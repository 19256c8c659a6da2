package hub.api.task;

import java.util.List;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A model's raw graph: tensors in, tensors out, with no pre- or post-processing. The protocol surfaces (the Open
 * Inference Protocol) run a model through it; a loader offers it for the session of its model's main file
 * ({@code hub.runtime}'s {@code InferenceRuntime.tensors(session)} builds one).
 */
@ConsumerType
public interface TensorModel {
    /** @return the inputs the graph takes, in its order */
    List<TensorSpec> inputs();

    /** @return the outputs the graph gives, in its order */
    List<TensorSpec> outputs();

    /**
     * Runs the graph once.
     *
     * @param inputs every input, by name, of a type and shape its spec accepts
     * @param outputs the outputs wanted, empty for all
     * @return the outputs, in the order of {@link #outputs()}
     * @throws IllegalArgumentException naming the input that is unknown, missing or of the wrong type or shape, or
     *         an unknown output
     */
    List<Tensor> run(List<Tensor> inputs, Set<String> outputs);
}
