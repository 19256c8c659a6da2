package hub.runtime.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import hub.runtime.InferenceRuntime;
import hub.runtime.SessionSpec;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
