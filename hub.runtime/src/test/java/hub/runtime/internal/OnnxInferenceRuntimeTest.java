package hub.runtime.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import static org.junit.Assert.assertThrows;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.runtime.GraphOptimization;
import hub.runtime.InferenceRuntime;
import hub.runtime.SessionSpec;
import java.lang.annotation.Annotation;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Loads the real ONNX Runtime native library and runs a real model (MNIST from ../shared/models). */
public class OnnxInferenceRuntimeTest {
    private static Path models() {
        String p = System.getenv("HUB_TEST_MODELS");
        return Path.of(p != null ? p : System.getProperty("hub.test.models", "../../shared/models"));
    }

    @Test
    public void offersTheCpuProviderAndOneSharedEnvironment() {
        OnnxInferenceRuntime rt = new OnnxInferenceRuntime();
        assertEquals("1.29.0", rt.version());
        assertTrue(rt.availableProviders().toString(), rt.availableProviders().contains(InferenceRuntime.CPU));
        assertSame(rt.environment(), rt.environment());
    }

    @Test
    public void runsMnistOnTheCpu() throws Exception {
        Path mnist = models().resolve("classification/mnist-8.onnx");
        assumeTrue("skipped: real model fixtures not found at " + mnist + " (set HUB_TEST_MODELS)", Files.isRegularFile(mnist));
        OnnxInferenceRuntime rt = new OnnxInferenceRuntime();
        try (OrtSession s = rt.createSession(mnist, new SessionSpec(false, 0, false, 1, 1))) {
            assertEquals("Input3", s.getInputNames().iterator().next());
            float[] zeros = new float[28 * 28];
            try (OnnxTensor in = OnnxTensor.createTensor(rt.environment(), FloatBuffer.wrap(zeros), new long[] {1, 1, 28, 28});
                    OrtSession.Result out = s.run(Map.of("Input3", in))) {
                float[][] logits = (float[][]) out.get(0).getValue();
                assertArrayEquals(new int[] {1, 10}, new int[] {logits.length, logits[0].length});
            }
        }
    }

    @Test
    public void runsMnistOnTheGpuWhereOneIsUsable() throws Exception {
        Path mnist = models().resolve("classification/mnist-8.onnx");
        assumeTrue("skipped: real model fixtures not found at " + mnist, Files.isRegularFile(mnist));
        OnnxInferenceRuntime rt = new OnnxInferenceRuntime();
        assumeTrue("skipped: this ONNX Runtime build has no CUDA provider (build with -Pgpu on a machine with CUDA)",
                rt.availableProviders().contains(InferenceRuntime.CUDA));
        assumeTrue("skipped: no NVIDIA GPU visible (/dev/nvidia0 missing)", Files.exists(Path.of("/dev/nvidia0")));
        try (OrtSession s = rt.createSession(mnist, new SessionSpec(true, 0, false, 0, 0))) {
            rt.warmUp(s, 28);
        }
    }

    private static SessionConfig config(int gpuDeviceId, boolean tensorRt, String optimization) {
        return new SessionConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SessionConfig.class;
            }

            @Override
            public int gpuDeviceId() {
                return gpuDeviceId;
            }

            @Override
            public boolean tensorRt() {
                return tensorRt;
            }

            @Override
            public String graphOptimization() {
                return optimization;
            }
        };
    }

    private static LoadRequest request(Path file, Device device, int intra, int inter) {
        ModelDescriptor d = new ModelDescriptor("mnist", "8", Family.CLASSIFICATION, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", file.toUri(), null, -1, null)), null, null);
        return new LoadRequest(d, Map.of("model", file), device, intra, inter);
    }

    /** Every call the runtime makes on the session options, in order. */
    private static List<String> options(SessionSpec spec) throws OrtException {
        List<String> calls = new ArrayList<>();
        OnnxInferenceRuntime.apply(spec, new OnnxInferenceRuntime.OptionsTarget() {
            @Override
            public void optimization(OrtSession.SessionOptions.OptLevel level) {
                calls.add("optimization " + level);
            }

            @Override
            public void intraOpThreads(int n) {
                calls.add("intra " + n);
            }

            @Override
            public void interOpThreads(int n) {
                calls.add("inter " + n);
            }

            @Override
            public void tensorRt(int deviceId) {
                calls.add("tensorrt " + deviceId);
            }

            @Override
            public void cuda(int deviceId) {
                calls.add("cuda " + deviceId);
            }
        });
        return calls;
    }

    @Test
    public void theConfiguredGpuIdTensorRtAndOptimisationReachTheSessionOptions() throws Exception {
        OnnxInferenceRuntime rt = new OnnxInferenceRuntime(config(3, true, "extended"));
        Path file = Path.of("model.onnx");
        SessionSpec gpu = rt.spec(request(file, Device.GPU, 2, 1));
        assertEquals(new SessionSpec(true, 3, true, 2, 1, GraphOptimization.EXTENDED), gpu);
        assertEquals(List.of("optimization EXTENDED_OPT", "intra 2", "inter 1", "tensorrt 3", "cuda 3"), options(gpu));
        // a CPU request gets no GPU provider, whatever the configuration says
        assertEquals(List.of("optimization EXTENDED_OPT"), options(rt.spec(request(file, Device.CPU, 0, 0))));
        // new settings apply to the next session
        rt.modified(config(1, false, "NONE"));
        assertEquals(List.of("optimization NO_OPT", "cuda 1"), options(rt.spec(request(file, Device.GPU, 0, 0))));
        // the defaults: device 0, CUDA alone, every optimisation
        assertEquals(List.of("optimization ALL_OPT", "cuda 0"),
                options(new OnnxInferenceRuntime().spec(request(file, Device.GPU, 0, 0))));
    }

    @Test
    public void aBadSettingIsNamedAndTheDefaultsApply() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxInferenceRuntime.Settings.of(config(0, false, "fast")));
        assertTrue(e.getMessage(), e.getMessage().contains("graphOptimization") && e.getMessage().contains("'fast'"));
        e = assertThrows(IllegalArgumentException.class, () -> OnnxInferenceRuntime.Settings.of(config(-1, false, "all")));
        assertTrue(e.getMessage(), e.getMessage().contains("gpuDeviceId"));
        // the runtime itself stays up, with the defaults (a warning names the setting)
        assertEquals(OnnxInferenceRuntime.Settings.DEFAULTS, new OnnxInferenceRuntime(config(7, true, "fast")).settings());
        OnnxInferenceRuntime rt = new OnnxInferenceRuntime(config(2, true, "basic"));
        rt.modified(config(-1, true, "basic"));
        assertEquals(OnnxInferenceRuntime.Settings.DEFAULTS, rt.settings());
    }

    @Test
    public void aGpuRequestReachesOnnxRuntimeItself() throws Exception {
        Path mnist = models().resolve("classification/mnist-8.onnx");
        assumeTrue("skipped: real model fixtures not found at " + mnist, Files.isRegularFile(mnist));
        OnnxInferenceRuntime rt = new OnnxInferenceRuntime(config(0, false, "all"));
        LoadRequest gpu = request(mnist, Device.GPU, 1, 1);
        if (!rt.availableProviders().contains(InferenceRuntime.CUDA)) {
            // the CPU build: asking for CUDA is ONNX Runtime's own refusal, so the option did reach it
            OrtException e = assertThrows(OrtException.class, () -> rt.open(gpu).close());
            assertTrue(e.getMessage(), e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("cuda"));
            return;
        }
        assumeTrue("skipped: no NVIDIA GPU visible (/dev/nvidia0 missing)", Files.exists(Path.of("/dev/nvidia0")));
        try (OrtSession s = rt.open(gpu)) {
            rt.warmUp(s, 28);
        }
    }

    @Test
    public void opensTheRequestsFileOnTheCpu() throws Exception {
        Path mnist = models().resolve("classification/mnist-8.onnx");
        assumeTrue("skipped: real model fixtures not found at " + mnist, Files.isRegularFile(mnist));
        OnnxInferenceRuntime rt = new OnnxInferenceRuntime(config(5, true, "basic"));
        try (OrtSession s = rt.open(request(mnist, Device.CPU, 1, 1))) {
            rt.warmUp(s, 28);
        }
    }
}
