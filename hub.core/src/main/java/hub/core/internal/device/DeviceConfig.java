package hub.core.internal.device;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Device settings (PID {@code hub.device}). The device service reads {@code strict}; hub.runtime reads the same
 * configuration for every session it opens ({@code gpuDeviceId}, {@code tensorRt}, {@code graphOptimization}).
 */
@ObjectClassDefinition(name = "Hub devices", description = "GPU/CPU selection and fallback")
public @interface DeviceConfig {
    /** @return refuse to fall back to the CPU when the GPU is requested but unusable */
    @AttributeDefinition(description = "Fail instead of falling back to the CPU when a requested GPU is unusable")
    boolean strict() default false;

    /** @return the CUDA device index */
    @AttributeDefinition(description = "CUDA device index")
    int gpuDeviceId() default 0;

    /** @return try TensorRT before CUDA */
    @AttributeDefinition(description = "Try the TensorRT provider before CUDA")
    boolean tensorRt() default false;

    /** @return ONNX Runtime's graph optimisation level */
    @AttributeDefinition(description = "ONNX Runtime graph optimisation: none, basic, extended or all")
    String graphOptimization() default "all";
}
