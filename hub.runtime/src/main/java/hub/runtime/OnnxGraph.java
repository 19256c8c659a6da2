package hub.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and edits the graph of an ONNX model at the protobuf level, so that a tensor computed inside the model (a
 * backbone's pooled features, say) can be fetched as an output: ONNX Runtime only returns graph outputs. Only the
 * fields needed are decoded; everything else is copied byte for byte.
 */
public final class OnnxGraph {
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_OUTPUT = 2;

    private OnnxGraph() {
    }

    /**
     * @param model the model's bytes
     * @return the names of every tensor the graph's nodes produce, in node order
     * @throws IllegalArgumentException if the bytes are not an ONNX model
     */
    public static List<String> nodeOutputs(byte[] model) {
        List<String> out = new ArrayList<>();
        for (Field node : fields(graph(model), GRAPH_NODE)) {
            for (Field o : fields(node.bytes(), NODE_OUTPUT)) {
                out.add(new String(o.bytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /**
     * @param model the model's bytes
     * @return the graph's declared outputs
     */
    public static List<String> graphOutputs(byte[] model) {
        List<String> out = new ArrayList<>();
        for (Field v : fields(graph(model), GRAPH_OUTPUT)) {
            for (Field name : fields(v.bytes(), 1)) {
                out.add(new String(name.bytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /**
     * Declares inner tensors as (float) graph outputs; names already outputs are left as they are.
     *
     * @param model the model's bytes
     * @param names tensors produced by the graph's nodes
     * @return the edited model's bytes
     * @throws IllegalArgumentException naming a tensor the graph does not produce, with some that it does
     */
    public static byte[] withOutputs(byte[] model, Collection<String> names) {
        byte[] graph = graph(model);
        Set<String> existing = new LinkedHashSet<>(graphOutputs(model));
        List<String> produced = nodeOutputs(model);
        ByteArrayOutputStream g = new ByteArrayOutputStream();
        g.writeBytes(graph);
        for (String name : names) {
            if (existing.contains(name)) {
                continue;
            }
            if (!produced.contains(name)) {
                List<String> some = produced.subList(Math.max(0, produced.size() - 8), produced.size());
                throw new IllegalArgumentException("the model has no tensor named '" + name + "' (" + produced.size()
                        + " node outputs; the last ones: " + String.join(", ", some) + ")");
            }
            // ValueInfoProto { name = 1; type = 2 { tensor_type = 1 { elem_type = 1 (FLOAT) } } }
            byte[] tensorType = message(varintField(1, 1));
            byte[] type = message(lengthField(1, tensorType));
            byte[] value = message(lengthField(1, name.getBytes(StandardCharsets.UTF_8)), lengthField(2, type));
            g.writeBytes(lengthField(GRAPH_OUTPUT, value));
            existing.add(name);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reader r = new Reader(model);
        while (r.more()) {
            int start = r.pos;
            Field f = r.next();
            if (f.number() == MODEL_GRAPH && f.wire() == 2) {
                out.writeBytes(lengthField(MODEL_GRAPH, g.toByteArray()));
            } else {
                out.write(model, start, r.pos - start);
            }
        }
        return out.toByteArray();
    }

    private static byte[] graph(byte[] model) {
        List<Field> g = fields(model, MODEL_GRAPH);
        if (g.isEmpty()) {
            throw new IllegalArgumentException("not an ONNX model: no graph");
        }
        return g.get(0).bytes();
    }

    private static List<Field> fields(byte[] message, int number) {
        List<Field> out = new ArrayList<>();
        Reader r = new Reader(message);
        while (r.more()) {
            Field f = r.next();
            if (f.number() == number && f.wire() == 2) {
                out.add(f);
            }
        }
        return out;
    }

    private static byte[] message(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] varintField(int number, long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, (long) number << 3);
        varint(out, value);
        return out.toByteArray();
    }

    private static byte[] lengthField(int number, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        varint(out, ((long) number << 3) | 2);
        varint(out, value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private record Field(int number, int wire, byte[] bytes) {
    }

    /** A protobuf field reader; length-delimited fields keep their bytes, the others are skipped. */
    private static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        boolean more() {
            return pos < b.length;
        }

        Field next() {
            long tag = varint();
            int number = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case 0 -> varint();
                case 1 -> skip(8);
                case 5 -> skip(4);
                case 2 -> {
                    long len = varint();
                    if (len < 0 || len > b.length - pos) {
                        throw new IllegalArgumentException("not an ONNX model: field " + number + " runs past the end");
                    }
                    byte[] v = java.util.Arrays.copyOfRange(b, pos, pos + (int) len);
                    pos += (int) len;
                    return new Field(number, wire, v);
                }
                default -> throw new IllegalArgumentException("not an ONNX model: wire type " + wire + " at byte " + pos);
            }
            return new Field(number, wire, null);
        }

        private void skip(int n) {
            if (n > b.length - pos) {
                throw new IllegalArgumentException("not an ONNX model: truncated");
            }
            pos += n;
        }

        private long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= b.length) {
                    throw new IllegalArgumentException("not an ONNX model: truncated");
                }
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("not an ONNX model: bad varint");
        }
    }
}
