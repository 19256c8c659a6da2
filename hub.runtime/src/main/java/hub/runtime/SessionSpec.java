package hub.runtime;

/**
 * How a session is opened. Loaders do not build one: {@link InferenceRuntime#spec} derives it from a load request
 * and the runtime's configuration (PID {@code hub.device}).
 *
 * @param gpu append the CUDA execution provider (TensorRT first when {@code tensorRt})
 * @param gpuDeviceId CUDA device index
 * @param tensorRt try TensorRT before CUDA
 * @param intraOpThreads threads inside one operator, 0 for the runtime's default
 * @param interOpThreads threads across operators, 0 for the runtime's default
 * @param optimization how far ONNX Runtime rewrites the graph
 */
public record SessionSpec(boolean gpu, int gpuDeviceId, boolean tensorRt, int intraOpThreads, int interOpThreads,
        GraphOptimization optimization) {
    /** CPU with the runtime's default threading. */
    public static final SessionSpec CPU = new SessionSpec(false, 0, false, 0, 0);

    /** Rejects negative values and a missing optimisation level. */
    public SessionSpec {
        if (gpuDeviceId < 0 || intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("negative device id or thread count");
        }
        if (optimization == null) {
            throw new IllegalArgumentException("no graph optimisation level");
        }
    }

    /**
     * With every graph optimisation.
     *
     * @param gpu append the CUDA execution provider
     * @param gpuDeviceId CUDA device index
     * @param tensorRt try TensorRT before CUDA
     * @param intraOpThreads threads inside one operator, 0 for the runtime's default
     * @param interOpThreads threads across operators, 0 for the runtime's default
     */
    public SessionSpec(boolean gpu, int gpuDeviceId, boolean tensorRt, int intraOpThreads, int interOpThreads) {
        this(gpu, gpuDeviceId, tensorRt, intraOpThreads, interOpThreads, GraphOptimization.ALL);
    }
}
