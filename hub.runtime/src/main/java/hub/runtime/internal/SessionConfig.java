package hub.runtime.internal;

/**
 * The session settings the runtime reads from PID {@code hub.device} (the same configuration the device service
 * reads; its metatype, with every attribute described, is hub.core's {@code DeviceConfig}).
 */
public @interface SessionConfig {
    /** @return the CUDA device index sessions run on */
    int gpuDeviceId() default 0;

    /** @return put the TensorRT provider before CUDA */
    boolean tensorRt() default false;

    /** @return ONNX Runtime's graph optimisation level: none, basic, extended or all */
    String graphOptimization() default "all";
}
