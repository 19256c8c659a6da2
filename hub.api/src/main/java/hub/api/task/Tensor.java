package hub.api.task;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A tensor as raw bytes: the form of the Open Inference Protocol's binary data extension, so that a surface can pass
 * a request's bytes to a model without converting element by element. Fixed-size elements are little-endian in
 * row-major order; {@link TensorType#BYTES} elements are each a 4-byte little-endian length and that many bytes.
 *
 * @param name the tensor's name
 * @param type its element type
 * @param shape its dimensions (none negative)
 * @param data its elements; read from its position to its limit, never changed
 */
public record Tensor(String name, TensorType type, long[] shape, ByteBuffer data) {
    /**
     * Checks that the data holds exactly the elements the shape says.
     *
     * @throws IllegalArgumentException naming the tensor and the sizes that disagree
     */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape "
                        + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, d);
        }
        if (type != TensorType.BYTES) {
            if (count * type.size() != data.remaining()) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " of "
                        + type + " needs " + count * type.size() + " bytes, got " + data.remaining());
            }
        } else {
            int at = data.position();
            long n = 0;
            while (at < data.limit()) {
                if (data.limit() - at < 4) {
                    throw new IllegalArgumentException("tensor '" + name + "': BYTES element " + n
                            + " is cut short (a 4-byte length must precede each element)");
                }
                int len = data.getInt(at);
                if (len < 0 || len > data.limit() - at - 4) {
                    throw new IllegalArgumentException("tensor '" + name + "': BYTES element " + n + " says " + len
                            + " bytes, " + (data.limit() - at - 4) + " are left");
                }
                at += 4 + len;
                n++;
            }
            if (n != count) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                        + " needs " + count + " BYTES elements, got " + n);
            }
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** @return the number of elements */
    public long count() {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        return count;
    }

    /** @return the elements of a {@link TensorType#BYTES} tensor */
    public List<byte[]> elements() {
        if (type != TensorType.BYTES) {
            throw new IllegalStateException("tensor '" + name + "' is " + type + ", not BYTES");
        }
        ByteBuffer b = data();
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] e = new byte[b.getInt()];
            b.get(e);
            out.add(e);
        }
        return out;
    }

    /**
     * @param name the tensor's name
     * @param shape its dimensions
     * @param elements the byte strings, as many as the shape says
     * @return a {@link TensorType#BYTES} tensor
     */
    public static Tensor bytes(String name, long[] shape, List<byte[]> elements) {
        int size = 0;
        for (byte[] e : elements) {
            size += 4 + e.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] e : elements) {
            b.putInt(e.length).put(e);
        }
        return new Tensor(name, TensorType.BYTES, shape, b.flip());
    }

    /**
     * @param name the tensor's name
     * @param shape its dimensions
     * @param values the elements in row-major order
     * @return an {@link TensorType#FP32} tensor
     */
    public static Tensor fp32(String name, long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(name, TensorType.FP32, shape, b);
    }

    /**
     * @param name the tensor's name
     * @param shape its dimensions
     * @param values the elements in row-major order
     * @return an {@link TensorType#INT64} tensor
     */
    public static Tensor int64(String name, long[] shape, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(name, TensorType.INT64, shape, b);
    }

    /**
     * @param name the tensor's name
     * @param texts the strings, UTF-8 encoded, as a one-dimensional tensor
     * @return a {@link TensorType#BYTES} tensor
     */
    public static Tensor text(String name, List<String> texts) {
        return bytes(name, new long[] {texts.size()},
                texts.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** @return the elements as floats, for {@link TensorType#FP32} */
    public float[] floats() {
        if (type != TensorType.FP32) {
            throw new IllegalStateException("tensor '" + name + "' is " + type + ", not FP32");
        }
        float[] out = new float[(int) count()];
        data().asFloatBuffer().get(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
                && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + type + " " + Arrays.toString(shape) + "]";
    }
}
