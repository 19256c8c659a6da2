package hub.loader.resnet.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes small ONNX models as protobuf bytes by hand: enough of ModelProto for a chain of single-input operators,
 * so a test can run the real runtime on a model whose output it can compute.
 */
final class TinyOnnx {
    private TinyOnnx() {
    }

    /** x [1, channels, size, size] -> GlobalAveragePool -> Flatten -> Softmax -> y [1, channels]. */
    static byte[] channelMeanSoftmax(int channels, int size) {
        Proto graph = new Proto()
                .message(1, node("x", "pooled", "GlobalAveragePool"))
                .message(1, node("pooled", "flat", "Flatten"))
                .message(1, node("flat", "y", "Softmax"))
                .string(2, "channel-mean-softmax")
                .message(11, value("x", 1, channels, size, size))
                .message(12, value("y", 1, channels));
        return new Proto().varint(1, 8).message(8, new Proto().string(1, "").varint(2, 13))
                .string(2, "hub-test").message(7, graph).bytes();
    }

    private static Proto node(String in, String out, String op) {
        return new Proto().string(1, in).string(2, out).string(4, op);
    }

    private static Proto value(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, new Proto().varint(1, d));
        }
        Proto tensor = new Proto().varint(1, 1).message(2, shape); // elem_type 1 = FLOAT
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** A protobuf message being written. */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long v) {
            tag(field, 0);
            raw(v);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
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

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
