package hub.oip.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hub.api.task.Tensor;
import hub.api.task.TensorType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol's request and response bodies: JSON with tensor data as (nested or flat) arrays in
 * row-major order, or the binary tensor data extension (a JSON header of {@code Inference-Header-Content-Length}
 * bytes, then each binary input's {@code binary_data_size} bytes in order; BYTES elements as a 4-byte little-endian
 * length and the bytes). In JSON, a BYTES element is a string (its UTF-8 bytes) or {@code {"b64": "..."}}.
 */
final class OipCodec {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    /** An output the client asked for, and whether as binary data. */
    record Wanted(String name, boolean binary) {
    }

    /** A parsed inference request. */
    record Request(String id, JsonNode parameters, List<Tensor> inputs, List<Wanted> outputs, boolean binaryOutput) {
        /** @return a request parameter as text, or null */
        String parameter(String name) {
            JsonNode v = parameters == null ? null : parameters.get(name);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    private OipCodec() {
    }

    /**
     * @param body the whole request body (binary inputs become slices of it: a direct buffer reaches ONNX Runtime
     *        without a copy)
     * @param headerLength the JSON header's length, or -1 when all of it is JSON
     * @return the request
     * @throws IllegalArgumentException naming what is wrong
     */
    static Request parse(ByteBuffer body, int headerLength) {
        int length = body.remaining();
        int jsonLength = headerLength < 0 ? length : headerLength;
        if (jsonLength > length) {
            throw new IllegalArgumentException("Inference-Header-Content-Length is " + headerLength + " but the body has "
                    + length + " bytes");
        }
        byte[] json = new byte[jsonLength];
        body.duplicate().get(json);
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the request is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("the request is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the request must be a JSON object with \"inputs\"");
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new IllegalArgumentException("\"inputs\" must be a non-empty array");
        }
        int offset = jsonLength;
        List<Tensor> tensors = new ArrayList<>();
        for (JsonNode in : inputs) {
            String name = text(in, "name", "input");
            TensorType type = TensorType.of(text(in, "datatype", "input '" + name + "'"));
            long[] shape = shape(in.get("shape"), name);
            JsonNode size = in.path("parameters").get("binary_data_size");
            if (size != null && !size.isNull()) {
                if (!size.canConvertToLong() || size.asLong() < 0 || size.asLong() > length - offset) {
                    throw new IllegalArgumentException("input '" + name + "': binary_data_size " + size + " but "
                            + (length - offset) + " bytes of binary data are left");
                }
                int n = (int) size.asLong();
                ByteBuffer part = body.duplicate();
                part.position(body.position() + offset).limit(body.position() + offset + n);
                tensors.add(new Tensor(name, type, shape, part.slice()));
                offset += n;
            } else {
                JsonNode data = in.get("data");
                if (data == null) {
                    throw new IllegalArgumentException("input '" + name + "' has neither \"data\" nor a"
                            + " binary_data_size parameter");
                }
                tensors.add(fromJson(name, type, shape, data));
            }
        }
        if (offset != length) {
            throw new IllegalArgumentException((length - offset) + " bytes of binary data are not claimed by any"
                    + " input's binary_data_size");
        }
        JsonNode parameters = root.get("parameters");
        boolean binaryAll = parameters != null && parameters.path("binary_data_output").asBoolean(false);
        List<Wanted> wanted = new ArrayList<>();
        JsonNode outputs = root.get("outputs");
        if (outputs != null && !outputs.isNull()) {
            if (!outputs.isArray()) {
                throw new IllegalArgumentException("\"outputs\" must be an array");
            }
            for (JsonNode o : outputs) {
                JsonNode binary = o.path("parameters").get("binary_data");
                wanted.add(new Wanted(text(o, "name", "output"), binary == null ? binaryAll : binary.asBoolean()));
            }
        }
        JsonNode id = root.get("id");
        return new Request(id == null || id.isNull() ? null : id.asText(), parameters, tensors, wanted, binaryAll);
    }

    private static String text(JsonNode node, String field, String what) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(what + " needs a string \"" + field + "\"");
        }
        return v.asText();
    }

    private static long[] shape(JsonNode shape, String name) {
        if (shape == null || !shape.isArray()) {
            throw new IllegalArgumentException("input '" + name + "' needs a \"shape\" array");
        }
        long[] out = new long[shape.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw new IllegalArgumentException("input '" + name + "': shape " + shape + " must hold"
                        + " non-negative integers");
            }
            out[i] = d.asLong();
        }
        return out;
    }

    /** A tensor from JSON data: nested arrays flattened in row-major order, each element checked against the type. */
    static Tensor fromJson(String name, TensorType type, long[] shape, JsonNode data) {
        List<JsonNode> flat = new ArrayList<>();
        flatten(data, flat);
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        if (flat.size() != count) {
            throw new IllegalArgumentException("input '" + name + "': shape " + java.util.Arrays.toString(shape)
                    + " needs " + count + " elements, \"data\" has " + flat.size());
        }
        if (type == TensorType.BYTES) {
            List<byte[]> elements = new ArrayList<>();
            for (JsonNode e : flat) {
                if (e.isTextual()) {
                    elements.add(e.asText().getBytes(StandardCharsets.UTF_8));
                } else if (e.isObject() && e.path("b64").isTextual()) {
                    try {
                        elements.add(Base64.getDecoder().decode(e.path("b64").asText()));
                    } catch (IllegalArgumentException bad) {
                        throw new IllegalArgumentException("input '" + name + "': invalid base64 in \"b64\"");
                    }
                } else {
                    throw new IllegalArgumentException("input '" + name + "': a BYTES element must be a string or"
                            + " {\"b64\": \"...\"}, got " + abbreviate(e));
                }
            }
            return Tensor.bytes(name, shape, elements);
        }
        ByteBuffer b = ByteBuffer.allocate(flat.size() * type.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode e : flat) {
            put(b, type, e, name);
        }
        return new Tensor(name, type, shape, b.flip());
    }

    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            for (JsonNode n : node) {
                flatten(n, out);
            }
        } else {
            out.add(node);
        }
    }

    private static void put(ByteBuffer b, TensorType type, JsonNode e, String name) {
        if (type == TensorType.BOOL) {
            if (e.isBoolean()) {
                b.put((byte) (e.asBoolean() ? 1 : 0));
            } else if (e.isIntegralNumber() && (e.asLong() == 0 || e.asLong() == 1)) {
                b.put((byte) e.asLong());
            } else {
                throw bad(name, type, e);
            }
            return;
        }
        if (!e.isNumber()) {
            throw bad(name, type, e);
        }
        switch (type) {
            case FP32 -> b.putFloat(e.floatValue());
            case FP64 -> b.putDouble(e.doubleValue());
            case FP16 -> b.putShort(toHalf(e.floatValue()));
            default -> {
                if (!e.isIntegralNumber()) {
                    throw bad(name, type, e);
                }
                java.math.BigInteger v = e.bigIntegerValue();
                int bits = type.size() * 8;
                boolean unsigned = type.name().startsWith("U");
                java.math.BigInteger min = unsigned ? java.math.BigInteger.ZERO
                        : java.math.BigInteger.ONE.shiftLeft(bits - 1).negate();
                java.math.BigInteger max = unsigned ? java.math.BigInteger.ONE.shiftLeft(bits).subtract(
                        java.math.BigInteger.ONE) : java.math.BigInteger.ONE.shiftLeft(bits - 1).subtract(
                        java.math.BigInteger.ONE);
                if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
                    throw new IllegalArgumentException("input '" + name + "': " + v + " is out of range for " + type);
                }
                long l = v.longValue();
                switch (type.size()) {
                    case 1 -> b.put((byte) l);
                    case 2 -> b.putShort((short) l);
                    case 4 -> b.putInt((int) l);
                    default -> b.putLong(l);
                }
            }
        }
    }

    private static IllegalArgumentException bad(String name, TensorType type, JsonNode e) {
        return new IllegalArgumentException("input '" + name + "': " + abbreviate(e) + " is not a " + type + " value");
    }

    private static String abbreviate(JsonNode e) {
        String s = e.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    // ---- responses ----

    /** A response: its JSON (the header when some output is binary) and the binary outputs that follow it. */
    record Response(byte[] json, List<ByteBuffer> tails) {
        long length() {
            long n = json.length;
            for (ByteBuffer b : tails) {
                n += b.remaining();
            }
            return n;
        }

        /** Writes it; direct buffers go through one small chunk at a time. */
        void writeTo(OutputStream out) throws IOException {
            out.write(json);
            byte[] chunk = null;
            for (ByteBuffer b : tails) {
                if (b.hasArray()) {
                    out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                    continue;
                }
                if (chunk == null) {
                    chunk = new byte[64 << 10];
                }
                ByteBuffer d = b.duplicate();
                while (d.hasRemaining()) {
                    int n = Math.min(chunk.length, d.remaining());
                    d.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        }
    }

    /**
     * @param header the response's fields before "outputs" (model_name, model_version, id, parameters)
     * @param outputs the outputs
     * @param binary for each output, whether it goes as binary data
     * @return the response
     */
    static Response response(Map<String, Object> header, List<Tensor> outputs, List<Boolean> binary)
            throws IOException {
        ByteArrayOutputStream json = new ByteArrayOutputStream(4096);
        List<ByteBuffer> tails = new ArrayList<>();
        try (JsonGenerator g = FACTORY.createGenerator(json)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : header.entrySet()) {
                g.writeFieldName(e.getKey());
                MAPPER.writeValue(g, e.getValue());
            }
            g.writeArrayFieldStart("outputs");
            for (int i = 0; i < outputs.size(); i++) {
                Tensor t = outputs.get(i);
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeStringField("datatype", t.type().name());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                if (binary.get(i)) {
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField("binary_data_size", t.data().remaining());
                    g.writeEndObject();
                    tails.add(t.data());
                } else {
                    g.writeArrayFieldStart("data");
                    writeData(g, t);
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return new Response(json.toByteArray(), tails);
    }

    private static void writeData(JsonGenerator g, Tensor t) throws IOException {
        ByteBuffer b = t.data();
        switch (t.type()) {
            case BOOL -> {
                while (b.hasRemaining()) {
                    g.writeBoolean(b.get() != 0);
                }
            }
            case UINT8 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.get() & 0xff);
                }
            }
            case INT8 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.get());
                }
            }
            case UINT16 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.getShort() & 0xffff);
                }
            }
            case INT16 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.getShort());
                }
            }
            case UINT32 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.getInt() & 0xffffffffL);
                }
            }
            case INT32 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.getInt());
                }
            }
            case UINT64 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(new java.math.BigInteger(Long.toUnsignedString(b.getLong())));
                }
            }
            case INT64 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.getLong());
                }
            }
            case FP16 -> {
                while (b.hasRemaining()) {
                    number(g, fromHalf(b.getShort()));
                }
            }
            case FP32 -> {
                while (b.hasRemaining()) {
                    number(g, b.getFloat());
                }
            }
            case FP64 -> {
                while (b.hasRemaining()) {
                    double d = b.getDouble();
                    if (Double.isFinite(d)) {
                        g.writeNumber(d);
                    } else {
                        g.writeNull();
                    }
                }
            }
            case BYTES -> {
                for (byte[] e : t.elements()) {
                    g.writeString(new String(e, StandardCharsets.UTF_8));
                }
            }
            default -> throw new IllegalStateException(t.type().name());
        }
    }

    /** JSON has no NaN or infinity: those are written as null. */
    private static void number(JsonGenerator g, float f) throws IOException {
        if (Float.isFinite(f)) {
            g.writeNumber(f);
        } else {
            g.writeNull();
        }
    }

    /** IEEE 754 half precision to single (Java 17 has no Float.float16ToFloat). */
    static float fromHalf(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant / 1024f / 16384f; // 2^-14 * mant/1024
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Single precision to half, rounding to nearest even. */
    static short toHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        if (((bits >>> 23) & 0xff) == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        if (exp >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (exp <= 0) {
            if (exp < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - exp;
            int half = mant >> shift;
            int rest = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || rest == mid && (half & 1) == 1) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = sign | (exp << 10) | (mant >> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || rest == 0x1000 && (half & 1) == 1) {
            half++;
        }
        return (short) half;
    }

    /** @return a small JSON object */
    static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> object(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }
}
