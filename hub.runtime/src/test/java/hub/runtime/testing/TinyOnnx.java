package hub.runtime.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes small ONNX models as protobuf bytes by hand (ModelProto, GraphProto, NodeProto, ValueInfoProto, TensorProto),
 * so that a test can run the real runtime on a model whose output it can compute. Shared with the loaders' tests
 * through this module's test jar.
 */
public final class TinyOnnx {
    /** A dimension written as the symbolic batch dimension {@code N}. */
    public static final long DYNAMIC = -1;

    private TinyOnnx() {
    }

    /** x [batch, channels, size, size] -> GlobalAveragePool -> Flatten -> Softmax -> y [batch, channels]. */
    public static byte[] channelMeanSoftmax(int channels, int size, boolean dynamicBatch) {
        long batch = dynamicBatch ? DYNAMIC : 1;
        return model(new Proto()
                .message(1, node("GlobalAveragePool", "pooled", "x"))
                .message(1, node("Flatten", "flat", "pooled"))
                .message(1, node("Softmax", "y", "flat"))
                .string(2, "channel-mean-softmax")
                .message(11, value("x", batch, channels, size, size))
                .message(12, value("y", batch, channels)));
    }

    /** x [batch, 3, size, size] reshaped to y [batch, rows, 3 * size * size / rows]: each output is its input. */
    public static byte[] reshape(int size, int rows, boolean dynamicBatch) {
        long batch = dynamicBatch ? DYNAMIC : 1;
        return model(new Proto()
                .message(1, node("Reshape", "y", "x", "shape"))
                .string(2, "reshape")
                .message(5, int64Tensor("shape", 0, rows, -1))
                .message(11, value("x", batch, 3, size, size))
                .message(12, value("y", batch, rows, 3L * size * size / rows)));
    }

    /**
     * A TF-object-detection-style SSD: image_tensor uint8 [1, H, W, 3] in (unused), constant detection_boxes
     * [1, n, 4] (normalised ymin, xmin, ymax, xmax), detection_classes [1, n], detection_scores [1, n] and
     * num_detections [1] out.
     */
    public static byte[] ssd(float[][] boxes, float[] classes, float[] scores) {
        int n = scores.length;
        float[] flat = new float[n * 4];
        for (int i = 0; i < n; i++) {
            System.arraycopy(boxes[i], 0, flat, i * 4, 4);
        }
        Proto input = new Proto().string(1, "image_tensor").message(2, new Proto().message(1, new Proto().varint(1, 2)
                .message(2, new Proto().message(1, new Proto().varint(1, 1)).message(1, new Proto().string(2, "H"))
                        .message(1, new Proto().string(2, "W")).message(1, new Proto().varint(1, 3))))); // 2 = UINT8
        return model(new Proto()
                .message(1, node("Identity", "detection_boxes", "b"))
                .message(1, node("Identity", "detection_classes", "c"))
                .message(1, node("Identity", "detection_scores", "s"))
                .message(1, node("Identity", "num_detections", "k"))
                .string(2, "ssd")
                .message(5, floatTensor("b", new long[] {1, n, 4}, flat))
                .message(5, floatTensor("c", new long[] {1, n}, classes))
                .message(5, floatTensor("s", new long[] {1, n}, scores))
                .message(5, floatTensor("k", new long[] {1}, new float[] {n}))
                .message(11, input)
                .message(12, value("detection_boxes", 1, n, 4))
                .message(12, value("detection_classes", 1, n))
                .message(12, value("detection_scores", 1, n))
                .message(12, value("num_detections", 1)));
    }

    /** A FLOAT TensorProto (an initializer). */
    public static Proto floatTensor(String name, long[] dims, float[] values) {
        Proto p = new Proto();
        for (long d : dims) {
            p.varint(1, d);
        }
        p.varint(2, 1); // data_type 1 = FLOAT
        for (float v : values) {
            p.fixed32(4, Float.floatToIntBits(v));
        }
        return p.string(8, name);
    }

    /** A ModelProto (IR 8, opset 13) around a graph. */
    public static byte[] model(Proto graph) {
        return new Proto().varint(1, 8).message(8, new Proto().string(1, "").varint(2, 13))
                .string(2, "hub-test").message(7, graph).bytes();
    }

    /** A NodeProto: operator, one output, inputs. */
    public static Proto node(String op, String output, String... inputs) {
        Proto p = new Proto();
        for (String in : inputs) {
            p.string(1, in);
        }
        return p.string(2, output).string(4, op);
    }

    /** A float ValueInfoProto; {@link #DYNAMIC} dimensions are written as {@code N}. */
    public static Proto value(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, d == DYNAMIC ? new Proto().string(2, "N") : new Proto().varint(1, d));
        }
        Proto tensor = new Proto().varint(1, 1).message(2, shape); // elem_type 1 = FLOAT
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** A ValueInfoProto of any ONNX element type (1 FLOAT, 2 UINT8, 6 INT32, 7 INT64, 8 STRING, 9 BOOL, 10 FLOAT16...). */
    public static Proto typed(String name, int elemType, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, d == DYNAMIC ? new Proto().string(2, "N") : new Proto().varint(1, d));
        }
        Proto tensor = new Proto().varint(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /**
     * One Identity per element type: input {@code in_T} to output {@code out_T} for each of FP32, FP16, INT64, INT32,
     * UINT8, BOOL and BYTES (string), each of shape [N, 3] (N dynamic): every output is its input.
     */
    public static byte[] identities() {
        Proto graph = new Proto();
        String[] names = {"fp32", "fp16", "int64", "int32", "uint8", "bool", "bytes"};
        int[] types = {1, 10, 7, 6, 2, 9, 8};
        for (String n : names) {
            graph.message(1, node("Identity", "out_" + n, "in_" + n));
        }
        graph.string(2, "identities");
        for (int i = 0; i < names.length; i++) {
            graph.message(11, typed("in_" + names[i], types[i], DYNAMIC, 3));
        }
        for (int i = 0; i < names.length; i++) {
            graph.message(12, typed("out_" + names[i], types[i], DYNAMIC, 3));
        }
        return model(graph);
    }

    /** A one-dimensional INT64 TensorProto (an initializer). */
    public static Proto int64Tensor(String name, long... values) {
        Proto p = new Proto().varint(1, values.length).varint(2, 7); // data_type 7 = INT64
        for (long v : values) {
            p.varint(7, v);
        }
        return p.string(8, name);
    }

    /** A protobuf message being written. */
    public static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Proto varint(int field, long v) {
            tag(field, 0);
            raw(v);
            return this;
        }

        public Proto fixed32(int field, int v) {
            tag(field, 5);
            for (int i = 0; i < 4; i++) {
                out.write((v >>> (8 * i)) & 0xff);
            }
            return this;
        }

        public Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        public Proto message(int field, Proto m) {
            return bytes(field, m.bytes());
        }

        private Proto bytes(int field, byte[] b) {
            tag(field, 2);
            raw(b.length);
            out.writeBytes(b);
            return this;
        }

        private void tag(int field, int wire) {
            raw(((long) field << 3) | wire);
        }

        private void raw(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        public byte[] bytes() {
            return out.toByteArray();
        }
    }
}
