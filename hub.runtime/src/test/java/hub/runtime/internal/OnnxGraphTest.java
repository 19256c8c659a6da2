package hub.runtime.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import hub.runtime.OnnxGraph;
import hub.runtime.SessionSpec;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Exposing a tensor inside a real model (mnist-8's second pooling layer) as an output. */
public class OnnxGraphTest {
    private static Path mnist() {
        Path p = Path.of(System.getProperty("hub.test.models", "../../shared/models")).resolve("classification/mnist-8.onnx");
        assumeTrue("skipped: real model fixture not found: " + p, Files.isRegularFile(p));
        return p;
    }

    @Test
    public void innerTensorsBecomeOutputsAndTheOriginalOutputStaysTheSame() throws Exception {
        Path file = mnist();
        byte[] model = Files.readAllBytes(file);
        assertTrue(OnnxGraph.nodeOutputs(model).contains("Pooling160_Output_0"));
        assertEquals(List.of("Plus214_Output_0"), OnnxGraph.graphOutputs(model));
        byte[] edited = OnnxGraph.withOutputs(model, List.of("Pooling160_Output_0"));
        assertEquals(List.of("Plus214_Output_0", "Pooling160_Output_0"), OnnxGraph.graphOutputs(edited));
        OnnxInferenceRuntime runtime = new OnnxInferenceRuntime();
        SessionSpec cpu = new SessionSpec(false, 0, false, 1, 1);
        float[] digit = new float[28 * 28];
        for (int y = 6; y < 22; y++) {
            digit[y * 28 + 14] = 255; // a vertical stroke: a "1"
        }
        try (OrtSession plain = runtime.createSession(file, cpu);
                OrtSession withFeatures = runtime.createSession(file, cpu, List.of("Pooling160_Output_0"));
                OnnxTensor in = OnnxTensor.createTensor(runtime.environment(), FloatBuffer.wrap(digit), new long[] {1, 1, 28, 28});
                OrtSession.Result a = plain.run(Map.of("Input3", in));
                OrtSession.Result b = withFeatures.run(Map.of("Input3", in))) {
            float[] logits = ((float[][]) a.get(0).getValue())[0];
            assertArrayEquals(logits, ((float[][]) b.get("Plus214_Output_0").orElseThrow().getValue())[0], 1e-4f);
            OnnxTensor features = (OnnxTensor) b.get("Pooling160_Output_0").orElseThrow();
            assertArrayEquals(new long[] {1, 16, 4, 4}, ((TensorInfo) features.getInfo()).getShape());
        }
    }

    @Test
    public void unknownTensorsAndNonModelsAreRefusedByName() throws Exception {
        byte[] model = Files.readAllBytes(mnist());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxGraph.withOutputs(model, List.of("pool5")));
        assertTrue(e.getMessage(), e.getMessage().contains("no tensor named 'pool5'")
                && e.getMessage().contains("Pooling160_Output_0"));
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> OnnxGraph.nodeOutputs("this is not a model".getBytes()));
        assertTrue(g.getMessage(), g.getMessage().startsWith("not an ONNX model"));
    }
}
