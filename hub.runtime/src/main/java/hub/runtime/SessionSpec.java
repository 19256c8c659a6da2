package hub.runtime;

/**
 * How to open an ONNX Runtime session.
 *
 * @param gpu append the CUDA execution provider (TensorRT first when {@code tensorRt})
 * @param gpuDeviceId CUDA device index
 * @param tensorRt try TensorRT before CUDA
 * @param intraOpThreads threads inside one operator, 0 for the runtime's default
 * @param interOpThreads threads across operators, 0 for the runtime's default
 */
public record SessionSpec(boolean gpu, int gpuDeviceId, boolean tensorRt, int intraOpThreads, int interOpThreads) {
    /** CPU with the runtime's default threading. */
    public static final SessionSpec CPU = new SessionSpec(false, 0, false, 0, 0);

    /** Rejects negative values. */
    public SessionSpec {
        if (gpuDeviceId < 0 || intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("negative device id or thread count");
        }
    }
}
