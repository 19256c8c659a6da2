package hub.runtime.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OrtSession;
import hub.api.task.Tensor;
import hub.api.task.TensorModel;
import hub.api.task.TensorSpec;
import hub.api.task.TensorType;
import hub.runtime.SessionSpec;
import hub.runtime.testing.TinyOnnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.Test;

/** A real ONNX Runtime session as raw tensors: every datatype the protocol needs goes through Identity unchanged. */
public class OnnxTensorModelTest {
    private static final long[] SHAPE = {2, 3};

    @Test
    public void everyDatatypeRoundTripsThroughIdentity() throws Exception {
        Path file = Files.createTempFile("identities", ".onnx");
        Files.write(file, TinyOnnx.identities());
        OnnxInferenceRuntime rt = new OnnxInferenceRuntime();
        try (OrtSession s = rt.createSession(file, new SessionSpec(false, 0, false, 1, 1))) {
            TensorModel m = rt.tensors(s);
            assertEquals(7, m.inputs().size());
            TensorSpec fp16 = m.inputs().stream().filter(i -> i.name().equals("in_fp16")).findFirst().orElseThrow();
            assertEquals(TensorType.FP16, fp16.type());
            assertEquals(List.of(-1L, 3L), fp16.shape());
            List<Tensor> inputs = new ArrayList<>();
            inputs.add(Tensor.fp32("in_fp32", SHAPE, new float[] {1.5f, -2, 3, 4, 5, Float.MAX_VALUE}));
            inputs.add(raw("in_fp16", TensorType.FP16, 12));
            inputs.add(Tensor.int64("in_int64", SHAPE, new long[] {Long.MIN_VALUE, -1, 0, 1, 2, Long.MAX_VALUE}));
            inputs.add(raw("in_int32", TensorType.INT32, 24));
            inputs.add(raw("in_uint8", TensorType.UINT8, 6));
            ByteBuffer bools = ByteBuffer.wrap(new byte[] {1, 0, 1, 1, 0, 0});
            inputs.add(new Tensor("in_bool", TensorType.BOOL, SHAPE, bools));
            inputs.add(Tensor.bytes("in_bytes", SHAPE, List.of("a".getBytes(), "".getBytes(), "ünï".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8), "d".getBytes(), "e".getBytes(), "f".getBytes())));
            List<Tensor> out = m.run(inputs, Set.of());
            assertEquals(7, out.size());
            for (Tensor o : out) {
                Tensor in = inputs.stream().filter(i -> i.name().equals("in_" + o.name().substring(4))).findFirst()
                        .orElseThrow();
                assertEquals(o.name(), in.type(), o.type());
                assertEquals(o.name(), List.of(2L, 3L), List.of(o.shape()[0], o.shape()[1]));
                assertEquals(o.name(), in.data(), o.data());
            }
            // only the outputs asked for
            assertEquals(List.of("out_bool"), m.run(inputs, Set.of("out_bool")).stream().map(Tensor::name).toList());
            // clear errors before ONNX Runtime sees anything
            List<Tensor> wrongType = new ArrayList<>(inputs);
            wrongType.set(0, raw("in_fp32", TensorType.FP64, 48));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> m.run(wrongType, Set.of())).getMessage()
                    .contains("input 'in_fp32' is FP32, got FP64"));
            List<Tensor> wrongShape = new ArrayList<>(inputs);
            wrongShape.set(0, Tensor.fp32("in_fp32", new long[] {3, 2}, new float[6]));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> m.run(wrongShape, Set.of())).getMessage()
                    .contains("has shape [-1, 3]"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> m.run(inputs.subList(1, 7), Set.of()))
                    .getMessage().contains("missing input [in_fp32]"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> m.run(inputs, Set.of("nope"))).getMessage()
                    .contains("unknown output 'nope'"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Tensor raw(String name, TensorType type, int bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < bytes; i++) {
            b.put((byte) (i * 37 + 11));
        }
        if (type == TensorType.FP16) {
            b.clear();
            for (int i = 0; i < bytes / 2; i++) {
                b.putShort((short) (0x3c00 + i)); // 1.0, 1.0009...: finite halves
            }
        }
        return new Tensor(name, type, SHAPE, b.flip());
    }
}
