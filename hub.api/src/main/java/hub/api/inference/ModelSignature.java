package hub.api.inference;

import hub.api.Device;
import hub.api.Family;
import hub.api.ModelRef;
import hub.api.task.TensorSpec;
import java.util.List;

/**
 * What a model is and takes, as a protocol surface describes it.
 *
 * @param ref the catalog model the name resolved to (an alias's target for an alias)
 * @param family its family
 * @param loaded whether it is loaded now (ready for requests without a load)
 * @param device where it runs when loaded, else {@link Device#AUTO}
 * @param inputs the inputs of its graph (empty when not loaded and not asked to load, or when it has no graph)
 * @param outputs the outputs of its graph (likewise)
 * @param tasks the tasks it runs on images ({@link Task#id()}), in the order the hub prefers them (empty when not
 *        loaded and not asked to load)
 */
public record ModelSignature(ModelRef ref, Family family, boolean loaded, Device device, List<TensorSpec> inputs,
        List<TensorSpec> outputs, List<String> tasks) {
    /** Copies the lists. */
    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        tasks = List.copyOf(tasks);
    }
}
