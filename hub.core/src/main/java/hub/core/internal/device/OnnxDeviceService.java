package hub.core.internal.device;

import hub.api.Device;
import hub.api.DeviceInfo;
import hub.api.DeviceSelection;
import hub.api.DeviceService;
import hub.api.DeviceUnavailableException;
import hub.runtime.InferenceRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Decides between GPU and CPU: the GPU is usable when ONNX Runtime offers the CUDA (or TensorRT) provider and the
 * driver shows a GPU. Probed once, on first question, so that starting the hub loads no native library.
 */
@Component(service = {DeviceService.class, OnnxDeviceService.class}, configurationPid = "hub.device")
@Designate(ocd = DeviceConfig.class)
public class OnnxDeviceService implements DeviceService {
    private final InferenceRuntime runtime;
    private final Supplier<List<String>> gpuProbe;
    private volatile DeviceConfig config;
    private volatile DeviceInfo info;

    /**
     * @param runtime the inference runtime
     * @param config settings
     */
    @Activate
    public OnnxDeviceService(@Reference InferenceRuntime runtime, DeviceConfig config) {
        this(runtime, config, () -> GpuProbe.gpus(Path.of("/proc")));
    }

    OnnxDeviceService(InferenceRuntime runtime, DeviceConfig config, Supplier<List<String>> gpuProbe) {
        this.runtime = runtime;
        this.config = config;
        this.gpuProbe = gpuProbe;
    }

    @Modified
    void modified(DeviceConfig newConfig) {
        this.config = newConfig;
    }

    /** @return the current settings */
    public DeviceConfig config() {
        return config;
    }

    @Override
    public DeviceInfo info() {
        DeviceInfo i = info;
        if (i == null) {
            synchronized (this) {
                i = info;
                if (i == null) {
                    i = probe();
                    info = i;
                }
            }
        }
        return i;
    }

    private DeviceInfo probe() {
        Set<String> providers = runtime.availableProviders();
        List<String> gpus = gpuProbe.get();
        boolean gpuProvider = providers.contains(InferenceRuntime.CUDA) || providers.contains(InferenceRuntime.TENSORRT);
        Device recommended;
        String reason;
        if (gpuProvider && !gpus.isEmpty()) {
            recommended = Device.GPU;
            reason = "CUDA execution provider available and " + gpus.size() + " GPU(s) present: " + String.join(", ", gpus);
        } else if (!gpuProvider && !gpus.isEmpty()) {
            recommended = Device.CPU;
            reason = "a GPU is present but this ONNX Runtime build has no CUDA provider "
                    + "(build with -Pgpu for the onnxruntime_gpu flavour)";
        } else if (gpuProvider) {
            recommended = Device.CPU;
            reason = "CUDA execution provider available but no NVIDIA GPU found";
        } else {
            recommended = Device.CPU;
            reason = "no GPU execution provider in this ONNX Runtime build and no NVIDIA GPU found";
        }
        return new DeviceInfo("ONNX Runtime " + runtime.version(), List.copyOf(providers), !gpus.isEmpty(), gpus,
                recommended, reason);
    }

    @Override
    public double gpuMemoryUsage() {
        return info().gpuPresent() ? GpuProbe.memoryFraction() : -1;
    }

    @Override
    public DeviceSelection resolve(Device requested) {
        DeviceInfo i = info();
        return switch (requested) {
            case CPU -> new DeviceSelection(requested, Device.CPU, "CPU requested", false);
            case AUTO -> new DeviceSelection(requested, i.recommended(), "AUTO: " + i.reason(), false);
            case GPU -> {
                if (i.recommended() == Device.GPU) {
                    yield new DeviceSelection(requested, Device.GPU, "GPU requested and usable", false);
                }
                if (config.strict()) {
                    throw new DeviceUnavailableException("GPU requested but unusable (strict mode): " + i.reason());
                }
                yield new DeviceSelection(requested, Device.CPU, "GPU requested but unusable, falling back to CPU: "
                        + i.reason(), true);
            }
        };
    }
}
