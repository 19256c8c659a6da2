package hub.api;

import java.util.List;

/**
 * What this machine offers for inference.
 *
 * @param runtime the inference runtime and its version (e.g. "ONNX Runtime 1.29.0")
 * @param providers execution providers the runtime offers (CPU, CUDA, TensorRT, ...)
 * @param gpuPresent whether an NVIDIA GPU is visible to the process
 * @param gpus GPU names, when known
 * @param recommended the device AUTO resolves to
 * @param reason why that device is recommended
 */
public record DeviceInfo(String runtime, List<String> providers, boolean gpuPresent, List<String> gpus,
        Device recommended, String reason) {
    /** Freezes the lists. */
    public DeviceInfo {
        providers = List.copyOf(providers);
        gpus = List.copyOf(gpus);
    }
}
