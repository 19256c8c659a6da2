package hub.api.task;

/**
 * One class of a classification result.
 *
 * @param label class name
 * @param index class index
 * @param probability softmax probability 0..1
 */
public record Classification(String label, int index, float probability) {
}
