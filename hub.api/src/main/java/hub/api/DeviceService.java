package hub.api;

import org.osgi.annotation.versioning.ProviderType;

/** Which devices can run models, and what a requested device resolves to. */
@ProviderType
public interface DeviceService {
    /** @return providers, GPUs and the recommendation */
    DeviceInfo info();

    /**
     * Resolves a requested device: AUTO to GPU when usable, else CPU; GPU to CPU with a reason when no GPU is usable,
     * unless strict mode is configured.
     *
     * @param requested the device asked for
     * @return the device to use and why
     * @throws DeviceUnavailableException in strict mode when the GPU is asked for and unusable
     */
    DeviceSelection resolve(Device requested);

    /**
     * @return the fraction of GPU memory in use (the fullest GPU), or -1 when there is no GPU or it cannot be read
     */
    default double gpuMemoryUsage() {
        return -1;
    }
}
