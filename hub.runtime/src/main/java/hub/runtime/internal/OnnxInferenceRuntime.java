package hub.runtime.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import hub.api.Device;
import hub.api.spi.LoadRequest;
import hub.runtime.GraphOptimization;
import hub.runtime.InferenceRuntime;
import hub.runtime.SessionSpec;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * The ONNX Runtime environment, created lazily and once, with DJL's engine on top when it can be made; and every
 * loader's sessions, opened with the device settings of PID {@code hub.device}.
 */
@Component(service = InferenceRuntime.class, configurationPid = "hub.device")
public class OnnxInferenceRuntime implements InferenceRuntime {
    private static final System.Logger LOG = System.getLogger(OnnxInferenceRuntime.class.getName());

    private volatile OrtEnvironment environment;
    private volatile Settings settings;

    /** The configured part of every session's settings. */
    record Settings(int gpuDeviceId, boolean tensorRt, GraphOptimization optimization) {
        static final Settings DEFAULTS = new Settings(0, false, GraphOptimization.ALL);

        static Settings of(SessionConfig c) {
            if (c.gpuDeviceId() < 0) {
                throw new IllegalArgumentException("hub.device gpuDeviceId must be 0 or more, not " + c.gpuDeviceId());
            }
            GraphOptimization level;
            try {
                level = GraphOptimization.valueOf(c.graphOptimization().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hub.device graphOptimization must be none, basic, extended or all, "
                        + "not '" + c.graphOptimization() + "'");
            }
            return new Settings(c.gpuDeviceId(), c.tensorRt(), level);
        }
    }

    /** A runtime with the default settings (CUDA device 0, no TensorRT, every graph optimisation). */
    public OnnxInferenceRuntime() {
        this.settings = Settings.DEFAULTS;
    }

    /**
     * @param config the {@code hub.device} settings; a bad one is reported and the defaults are used, so that a typo
     *        in a configuration file never takes every model down with the runtime
     */
    @Activate
    public OnnxInferenceRuntime(SessionConfig config) {
        this.settings = checked(config);
    }

    /** New settings apply to sessions opened from now on; open ones keep theirs. */
    @Modified
    void modified(SessionConfig config) {
        this.settings = checked(config);
    }

    /** @return the settings this runtime uses now */
    Settings settings() {
        return settings;
    }

    private static Settings checked(SessionConfig config) {
        try {
            return Settings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "{0}; sessions are opened with the defaults (gpuDeviceId 0, tensorRt false, "
                    + "graphOptimization all) until it is fixed", e.getMessage());
            return Settings.DEFAULTS;
        }
    }

    @Override
    public SessionSpec spec(LoadRequest request) {
        Settings s = settings;
        return new SessionSpec(request.device() == Device.GPU, s.gpuDeviceId(), s.tensorRt(), request.intraOpThreads(),
                request.interOpThreads(), s.optimization());
    }

    @Override
    public hub.api.task.TensorModel tensors(OrtSession session) throws OrtException {
        return new OnnxTensorModel(environment(), session);
    }

    @Override
    public String version() {
        return environment().getVersion();
    }

    @Override
    public Set<String> availableProviders() {
        EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        Set<String> names = new LinkedHashSet<>();
        for (OrtProvider p : providers) {
            names.add(providerName(p));
        }
        return names;
    }

    static String providerName(OrtProvider p) {
        return switch (p) {
            case CPU -> CPU;
            case CUDA -> CUDA;
            case TENSOR_RT -> TENSORRT;
            default -> p.name().toUpperCase(Locale.ROOT).replace("_", "");
        };
    }

    @Override
    public OrtEnvironment environment() {
        OrtEnvironment env = environment;
        if (env == null) {
            synchronized (this) {
                env = environment;
                if (env == null) {
                    env = create();
                    environment = env;
                }
            }
        }
        return env;
    }

    private OrtEnvironment create() {
        // DJL's engine must create the environment before anything else does, and it finds its engine through
        // ServiceLoader on the context class loader: point that at this bundle, where DJL and its engine live.
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(OnnxInferenceRuntime.class.getClassLoader());
        try {
            ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("OnnxRuntime");
            LOG.log(Level.DEBUG, "DJL engine {0} {1} ready", engine.getEngineName(), engine.getVersion());
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "DJL's ONNX Runtime engine is unavailable; plain ONNX Runtime still works: {0}",
                    e.toString());
        } finally {
            t.setContextClassLoader(previous);
        }
        return OrtEnvironment.getEnvironment();
    }

    @Override
    public void warmUp(OrtSession session, int dynamicSize) throws OrtException {
        OrtEnvironment env = environment();
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, NodeInfo> in : session.getInputInfo().entrySet()) {
                if (!(in.getValue().getInfo() instanceof TensorInfo t)) {
                    throw new OrtException("input " + in.getKey() + " is not a tensor; cannot warm up");
                }
                long[] shape = t.getShape().clone();
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    if (shape[i] < 0) {
                        shape[i] = i == 0 ? 1 : dynamicSize;
                    }
                    count *= shape[i];
                }
                inputs.put(in.getKey(), zeros(env, t.type, shape, (int) count));
            }
            try (OrtSession.Result r = session.run(inputs)) {
                r.size(); // the outputs themselves do not matter
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor zeros(OrtEnvironment env, OnnxJavaType type, long[] shape, int count) throws OrtException {
        return switch (type) {
            case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.allocate(count), shape);
            case DOUBLE -> OnnxTensor.createTensor(env, DoubleBuffer.allocate(count), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.allocate(count), shape);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.allocate(count), shape);
            case UINT8, INT8 -> OnnxTensor.createTensor(env, ByteBuffer.allocate(count), shape, type);
            default -> throw new OrtException("cannot warm up an input of type " + type);
        };
    }

    @Override
    public OrtSession createSession(Path model, SessionSpec spec) throws OrtException {
        try (OrtSession.SessionOptions options = options(spec)) {
            return environment().createSession(model.toString(), options);
        }
    }

    @Override
    public OrtSession createSession(Path model, SessionSpec spec, java.util.Collection<String> extraOutputs)
            throws OrtException, java.io.IOException {
        if (extraOutputs.isEmpty()) {
            return createSession(model, spec);
        }
        byte[] edited = hub.runtime.OnnxGraph.withOutputs(java.nio.file.Files.readAllBytes(model), extraOutputs);
        try (OrtSession.SessionOptions options = options(spec)) {
            return environment().createSession(edited, options);
        }
    }

    private static OrtSession.SessionOptions options(SessionSpec spec) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            apply(spec, new OptionsTarget() {
                @Override
                public void optimization(OrtSession.SessionOptions.OptLevel level) throws OrtException {
                    options.setOptimizationLevel(level);
                }

                @Override
                public void intraOpThreads(int n) throws OrtException {
                    options.setIntraOpNumThreads(n);
                }

                @Override
                public void interOpThreads(int n) throws OrtException {
                    options.setInterOpNumThreads(n);
                }

                @Override
                public void tensorRt(int deviceId) throws OrtException {
                    options.addTensorrt(deviceId);
                }

                @Override
                public void cuda(int deviceId) throws OrtException {
                    options.addCUDA(deviceId);
                }
            });
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
        return options;
    }

    /** Where a spec's settings go: ONNX Runtime's session options, or a test's record of them. */
    interface OptionsTarget {
        void optimization(OrtSession.SessionOptions.OptLevel level) throws OrtException;

        void intraOpThreads(int n) throws OrtException;

        void interOpThreads(int n) throws OrtException;

        void tensorRt(int deviceId) throws OrtException;

        void cuda(int deviceId) throws OrtException;
    }

    /** The one translation of a spec into session options; providers in priority order (TensorRT, CUDA, CPU). */
    static void apply(SessionSpec spec, OptionsTarget target) throws OrtException {
        target.optimization(switch (spec.optimization()) {
            case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
            case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
        });
        if (spec.intraOpThreads() > 0) {
            target.intraOpThreads(spec.intraOpThreads());
        }
        if (spec.interOpThreads() > 0) {
            target.interOpThreads(spec.interOpThreads());
        }
        if (spec.gpu()) {
            if (spec.tensorRt()) {
                target.tensorRt(spec.gpuDeviceId());
            }
            target.cuda(spec.gpuDeviceId());
        }
    }
}
