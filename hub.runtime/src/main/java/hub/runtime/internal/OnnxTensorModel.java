package hub.runtime.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import hub.api.task.Tensor;
import hub.api.task.TensorModel;
import hub.api.task.TensorSpec;
import hub.api.task.TensorType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX Runtime session as raw tensors: the request's bytes become ONNX tensors of the graph's own element types
 * (checked against the graph's inputs first, so that a wrong name, type or shape is named in the error rather than
 * left to ONNX Runtime's message), and every output is read back as little-endian bytes.
 */
public final class OnnxTensorModel implements TensorModel {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;

    /**
     * @param env the environment
     * @param session an open session, still owned by the caller
     * @throws OrtException when the session cannot describe itself
     */
    public OnnxTensorModel(OrtEnvironment env, OrtSession session) throws OrtException {
        this.env = env;
        this.session = session;
        this.inputs = specs(session.getInputInfo());
        this.outputs = specs(session.getOutputInfo());
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public List<Tensor> run(List<Tensor> given, Set<String> wanted) {
        Map<String, TensorSpec> byName = new HashMap<>();
        inputs.forEach(s -> byName.put(s.name(), s));
        Map<String, OnnxTensor> feed = new HashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (String w : wanted) {
            if (outputs.stream().noneMatch(o -> o.name().equals(w))) {
                throw new IllegalArgumentException("unknown output '" + w + "' (outputs: "
                        + outputs.stream().map(TensorSpec::name).toList() + ")");
            }
        }
        outputs.stream().map(TensorSpec::name).filter(n -> wanted.isEmpty() || wanted.contains(n)).forEach(names::add);
        try {
            for (Tensor t : given) {
                TensorSpec spec = byName.get(t.name());
                if (spec == null) {
                    throw new IllegalArgumentException("unknown input '" + t.name() + "' (inputs: "
                            + inputs.stream().map(TensorSpec::name).toList() + ")");
                }
                if (feed.containsKey(t.name())) {
                    throw new IllegalArgumentException("input '" + t.name() + "' given twice");
                }
                if (spec.type() != t.type()) {
                    throw new IllegalArgumentException("input '" + t.name() + "' is " + spec.type() + ", got "
                            + t.type());
                }
                if (!spec.accepts(t.shape())) {
                    throw new IllegalArgumentException("input '" + t.name() + "' has shape " + spec.shape()
                            + " (-1: any size), got " + Arrays.toString(t.shape()));
                }
                feed.put(t.name(), tensor(t));
            }
            List<String> missing = inputs.stream().map(TensorSpec::name).filter(n -> !feed.containsKey(n)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("missing input" + (missing.size() > 1 ? "s " : " ") + missing);
            }
            try (OrtSession.Result r = session.run(feed, names)) {
                List<Tensor> out = new ArrayList<>();
                for (Map.Entry<String, OnnxValue> e : r) {
                    out.add(read(e.getKey(), e.getValue()));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(Tensor t) throws OrtException {
        if (t.type() == TensorType.BYTES) {
            List<byte[]> elements = t.elements();
            String[] strings = new String[elements.size()];
            for (int i = 0; i < strings.length; i++) {
                strings[i] = new String(elements.get(i), StandardCharsets.UTF_8);
            }
            return OnnxTensor.createTensor(env, strings, t.shape());
        }
        ByteBuffer src = t.data();
        if (src.isDirect() && (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || t.type().size() == 1)) {
            // the request's own bytes (a protocol surface reads bodies into direct buffers): no copy
            return OnnxTensor.createTensor(env, src.order(ByteOrder.nativeOrder()), t.shape(),
                    javaType(t.name(), t.type()));
        }
        ByteBuffer data = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || t.type().size() == 1) {
            data.put(src);
        } else {
            swap(src, data, t.type().size());
        }
        data.flip();
        return OnnxTensor.createTensor(env, data, t.shape(), javaType(t.name(), t.type()));
    }

    private static Tensor read(String name, OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor t)) {
            throw new IllegalArgumentException("output '" + name + "' is a " + value.getType()
                    + ", not a tensor: the raw protocol serves tensors only");
        }
        TensorInfo info = t.getInfo();
        TensorType type = type(name, info.onnxType);
        long[] shape = info.getShape();
        if (type == TensorType.BYTES) {
            List<byte[]> elements = new ArrayList<>();
            flatten(t.getValue(), elements);
            return Tensor.bytes(name, shape, elements);
        }
        ByteBuffer raw = t.getByteBuffer(); // a copy, ours to keep
        if (raw.order() == ByteOrder.LITTLE_ENDIAN || type.size() == 1) {
            return new Tensor(name, type, shape, raw);
        }
        ByteBuffer out = ByteBuffer.allocate(raw.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        swap(raw, out, type.size());
        return new Tensor(name, type, shape, out.flip());
    }

    private static void flatten(Object value, List<byte[]> out) {
        if (value instanceof String s) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof Object[] a) {
            for (Object o : a) {
                flatten(o, out);
            }
        }
    }

    private static void swap(ByteBuffer src, ByteBuffer dst, int size) {
        byte[] e = new byte[size];
        while (src.remaining() >= size) {
            src.get(e);
            for (int i = size - 1; i >= 0; i--) {
                dst.put(e[i]);
            }
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        List<TensorSpec> out = new ArrayList<>();
        for (NodeInfo n : nodes.values()) {
            if (n.getInfo() instanceof TensorInfo t) {
                List<Long> shape = new ArrayList<>();
                for (long d : t.getShape()) {
                    shape.add(d < 0 ? -1L : d);
                }
                TensorType type;
                try {
                    type = type(n.getName(), t.onnxType);
                } catch (IllegalArgumentException e) {
                    continue; // an element type the protocol cannot name (complex, 8-bit floats)
                }
                out.add(new TensorSpec(n.getName(), type, shape));
            }
        }
        return List.copyOf(out);
    }

    private static TensorType type(String name, TensorInfo.OnnxTensorType t) {
        return switch (t) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> TensorType.BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> TensorType.UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> TensorType.UINT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> TensorType.UINT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> TensorType.UINT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> TensorType.INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> TensorType.INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> TensorType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> TensorType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> TensorType.FP16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> TensorType.FP32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> TensorType.FP64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> TensorType.BYTES;
            default -> throw new IllegalArgumentException("tensor '" + name + "' has element type " + t
                    + ", which the protocol cannot carry");
        };
    }

    private static OnnxJavaType javaType(String name, TensorType t) {
        return switch (t) {
            case BOOL -> OnnxJavaType.BOOL;
            case UINT8 -> OnnxJavaType.UINT8;
            case INT8 -> OnnxJavaType.INT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case FP16 -> OnnxJavaType.FLOAT16;
            case FP32 -> OnnxJavaType.FLOAT;
            case FP64 -> OnnxJavaType.DOUBLE;
            default -> throw new IllegalArgumentException("input '" + name + "': ONNX Runtime's Java API cannot"
                    + " create " + t + " tensors");
        };
    }
}
