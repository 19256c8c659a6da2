package hub.embedding.internal;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hub.api.Device;
import hub.api.spi.LoadedModel;
import hub.runtime.InferenceRuntime;

/** An open embedding model: owns its ONNX session and closes it exactly once. */
final class ImageEmbeddingModel implements LoadedModel {
    private final OrtSession session;
    private final Device device;
    private final InferenceRuntime runtime;
    private final int inputSize;

    ImageEmbeddingModel(OrtSession session, Device device, InferenceRuntime runtime, int inputSize) {
        this.session = session;
        this.device = device;
        this.runtime = runtime;
        this.inputSize = inputSize;
    }

    @Override
    public void warmUp() throws Exception {
        runtime.warmUp(session, inputSize);
    }

    OrtSession session() {
        return session;
    }

    @Override
    public Device device() {
        return device;
    }


    @Override
    public synchronized void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the embedding session failed", e);
        }
    }
}
