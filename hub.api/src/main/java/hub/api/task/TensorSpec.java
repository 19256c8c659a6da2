package hub.api.task;

import java.util.List;
import java.util.Objects;

/**
 * What a model takes or gives: a tensor's name, element type and shape.
 *
 * @param name the tensor's name in the model
 * @param type its element type
 * @param shape its dimensions, -1 where a dimension is dynamic
 */
public record TensorSpec(String name, TensorType type, List<Long> shape) {
    /** Checks and copies. */
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = List.copyOf(shape);
    }

    /**
     * @param dims the shape as given
     * @return whether a tensor of these dimensions fits this one (same rank, equal where not dynamic)
     */
    public boolean accepts(long[] dims) {
        if (dims.length != shape.size()) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (shape.get(i) >= 0 && shape.get(i) != dims[i]) {
                return false;
            }
        }
        return true;
    }
}
