package hub.api.task;

/**
 * Detection settings; NaN means "the model's default".
 *
 * @param threshold minimum confidence
 * @param nmsThreshold IoU above which overlapping boxes of a class are suppressed
 * @param maxDetections cap on results, 0 for no cap
 */
public record DetectionOptions(float threshold, float nmsThreshold, int maxDetections) {
    /** The model's defaults. */
    public static final DetectionOptions DEFAULTS = new DetectionOptions(Float.NaN, Float.NaN, 0);
}
