package hub.api;

/** Where a model runs. {@link #AUTO} lets the hub pick the GPU when a usable one is present, else the CPU. */
public enum Device {
    /** The host processor; always available. */
    CPU,
    /** A CUDA (or TensorRT) capable GPU through ONNX Runtime. */
    GPU,
    /** GPU when usable, else CPU. */
    AUTO;

    /**
     * Parses a device name case-insensitively.
     *
     * @param text {@code cpu}, {@code gpu}, {@code cuda} or {@code auto}
     * @return the device
     * @throws IllegalArgumentException naming the accepted values when the text is none of them
     */
    public static Device parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(java.util.Locale.ROOT);
        if (t.equals("CUDA")) {
            return GPU;
        }
        for (Device d : values()) {
            if (d.name().equals(t)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown device '" + text + "' (expected cpu, gpu or auto)");
    }
}
