package hub.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hub.api.spi.LoadRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The process's one ONNX Runtime. The native library is loaded on first use, not when the bundle starts, so that
 * commands which never run a model start fast.
 * <p>
 * A loader opens its sessions with {@link #open(LoadRequest)} (or {@link #open(LoadRequest, Path)} for a model's
 * other files): the device and threads come from the request, the GPU index, TensorRT and the graph optimisation
 * level from this runtime's configuration (PID {@code hub.device}), so a loader never builds session options.
 */
@ProviderType
public interface InferenceRuntime {
    /** Provider name of the CPU execution provider. */
    String CPU = "CPU";
    /** Provider name of the CUDA execution provider. */
    String CUDA = "CUDA";
    /** Provider name of the TensorRT execution provider. */
    String TENSORRT = "TENSORRT";

    /** @return the ONNX Runtime version, e.g. {@code 1.29.0} */
    String version();

    /**
     * @return execution providers compiled into this ONNX Runtime build ({@link #CPU}, {@link #CUDA},
     *         {@link #TENSORRT}, ...); offering one does not mean its hardware and libraries are present
     */
    Set<String> availableProviders();

    /** @return the shared environment (created through DJL first, so DJL's engine works too) */
    OrtEnvironment environment();

    /**
     * @param request what the hub asks a loader to open
     * @return the settings its sessions are opened with: the request's device and threads, the configured GPU
     *         index, TensorRT flag and graph optimisation level
     */
    SessionSpec spec(LoadRequest request);

    /**
     * Opens the request's main model file as configured ({@link #spec(LoadRequest)}).
     *
     * @param request what the hub asks the loader to open
     * @return the session, owned by the caller
     * @throws OrtException when the model or the execution provider cannot be opened
     */
    default OrtSession open(LoadRequest request) throws OrtException {
        return open(request, request.modelFile());
    }

    /**
     * Opens another file of the request (a recogniser beside a detector, say) as configured.
     *
     * @param request what the hub asks the loader to open
     * @param model one of the request's files
     * @return the session, owned by the caller
     * @throws OrtException when the model or the execution provider cannot be opened
     */
    default OrtSession open(LoadRequest request, Path model) throws OrtException {
        return createSession(model, spec(request));
    }

    /**
     * Opens a file of the request as configured, with inner tensors as extra outputs (see {@link OnnxGraph}).
     *
     * @param request what the hub asks the loader to open
     * @param model one of the request's files
     * @param extraOutputs inner tensors to return as well (empty: the plain session)
     * @return the session, owned by the caller
     * @throws OrtException when ONNX Runtime cannot open it
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException if the model has no tensor of one of those names
     */
    default OrtSession open(LoadRequest request, Path model, Collection<String> extraOutputs)
            throws OrtException, IOException {
        return createSession(model, spec(request), extraOutputs);
    }

    /**
     * Opens a session with explicit settings (tests and tools; loaders use {@link #open(LoadRequest)}). With
     * {@code spec.gpu()} the CUDA provider is appended; if that fails the exception says why,
     * and the caller decides whether to fall back to the CPU.
     *
     * @param model an ONNX file
     * @param spec device and threads
     * @return the session, owned by the caller
     * @throws OrtException when the model or the provider cannot be opened
     */
    OrtSession createSession(Path model, SessionSpec spec) throws OrtException;

    /**
     * A session whose outputs also include tensors computed inside the graph (see {@link OnnxGraph}), for features
     * such as a backbone's pooled layer.
     *
     * @param model the ONNX file
     * @param spec device and threads
     * @param extraOutputs inner tensors to return as well (empty: the plain session)
     * @return an open session, the caller's to close
     * @throws OrtException if ONNX Runtime cannot create it
     * @throws java.io.IOException if the file cannot be read
     * @throws IllegalArgumentException if the model has no tensor of one of those names
     */
    OrtSession createSession(Path model, SessionSpec spec, Collection<String> extraOutputs)
            throws OrtException, IOException;

    /**
     * Runs one inference on zero-filled inputs of the session's own input shapes (dynamic batch dimensions as 1,
     * other dynamic dimensions as {@code dynamicSize}), so that the first real request pays no lazy initialisation.
     *
     * @param session an open session
     * @param dynamicSize size for dynamic non-batch dimensions (e.g. the model's input size)
     * @throws OrtException when the model cannot run
     */
    void warmUp(OrtSession session, int dynamicSize) throws OrtException;

    /**
     * How many images one run of this session may take: {@code wanted} where the first input's batch dimension is
     * dynamic, else 1.
     *
     * @param session an open session
     * @param wanted the batch size the caller would like (values below 1 count as 1)
     * @return the batch size to use
     * @throws OrtException if the session cannot describe its input
     */
    default int batchLimit(OrtSession session, int wanted) throws OrtException {
        var info = session.getInputInfo().values().iterator().next().getInfo();
        return info instanceof ai.onnxruntime.TensorInfo t && t.getShape().length > 0 && t.getShape()[0] < 0
                ? Math.max(1, wanted) : 1;
    }

    /**
     * The session as raw tensors, for the protocol surfaces: a loader returns it from
     * {@code LoadedModel.task(TensorModel.class)} for its main session.
     *
     * @param session an open session, still owned by the caller
     * @return its graph's inputs and outputs, and runs on raw tensors
     * @throws OrtException if the session cannot describe its inputs and outputs
     */
    hub.api.task.TensorModel tensors(OrtSession session) throws OrtException;
}
