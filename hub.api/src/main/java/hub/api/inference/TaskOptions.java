package hub.api.inference;

import hub.api.Device;

/**
 * How to run a task; each field has a "the model decides" value.
 *
 * @param threshold minimum confidence (detect, faces), NaN for the model's
 * @param top classes per image (classify), below 1 for 5
 * @param service embedding service id (embed), null for the first registered
 * @param batch images per session run at most (embed), below 1 for the model's choice
 * @param device where the model runs, null for AUTO
 */
public record TaskOptions(float threshold, int top, String service, int batch, Device device) {
    /** The model's own settings on the automatically chosen device. */
    public static final TaskOptions DEFAULT = new TaskOptions(Float.NaN, 5, null, 0, Device.AUTO);

    /** Checks ranges. */
    public TaskOptions {
        if (!Float.isNaN(threshold) && (threshold < 0 || threshold > 1)) {
            throw new IllegalArgumentException("threshold " + threshold + " out of range 0..1");
        }
        top = top < 1 ? 5 : top;
        device = device == null ? Device.AUTO : device;
    }

    /**
     * @param t minimum confidence 0..1, or NaN
     * @return these options with that threshold
     */
    public TaskOptions withThreshold(float t) {
        return new TaskOptions(t, top, service, batch, device);
    }

    /**
     * @param k classes per image
     * @return these options with that count
     */
    public TaskOptions withTop(int k) {
        return new TaskOptions(threshold, k, service, batch, device);
    }

    /**
     * @param id embedding service id, or null
     * @param size images per run, or 0
     * @return these options with that service and batch size
     */
    public TaskOptions withService(String id, int size) {
        return new TaskOptions(threshold, top, id, size, device);
    }

    /**
     * @param d the device
     * @return these options on that device
     */
    public TaskOptions withDevice(Device d) {
        return new TaskOptions(threshold, top, service, batch, d);
    }
}
