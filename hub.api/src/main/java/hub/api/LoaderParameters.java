package hub.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loader parameters of a model version as a typed map: input size, normalisation, channel order, label source,
 * thresholds and whatever a loader needs. Values are strings, numbers, booleans or lists of those.
 *
 * @param values the raw values, keyed by parameter name
 */
public record LoaderParameters(Map<String, Object> values) {
    /** Input size as {@code [width, height]} or a single number for square inputs. */
    public static final String INPUT_SIZE = "inputSize";
    /** Per-channel mean subtracted after scaling, e.g. {@code [0.485, 0.456, 0.406]}. */
    public static final String MEAN = "mean";
    /** Per-channel standard deviation, e.g. {@code [0.229, 0.224, 0.225]}. */
    public static final String STD = "std";
    /** {@code RGB} or {@code BGR}. */
    public static final String CHANNEL_ORDER = "channelOrder";
    /** Factor applied to 0..255 pixel values before mean and std, e.g. {@code 0.00392156862}. */
    public static final String SCALE = "scale";
    /** Where class names come from: {@code metadata:names}, {@code artifact:labels}, or an inline list. */
    public static final String LABEL_SOURCE = "labelSource";
    /** Default confidence threshold. */
    public static final String THRESHOLD = "threshold";
    /** IoU threshold of non-maximum suppression. */
    public static final String NMS_THRESHOLD = "nmsThreshold";
    /** Output tensor layout, e.g. {@code yolov8}, {@code yolov5}, {@code ssd}. */
    public static final String OUTPUT_FORMAT = "outputFormat";
    /** Name of an output tensor to read (feature layer for embeddings, say). */
    public static final String OUTPUT_NAME = "outputName";
    /** Most images per session run where the model's batch dimension is dynamic (loaders default to 8). */
    public static final String BATCH_SIZE = "batchSize";
    /**
     * A tensor inside the model (a backbone's pooled features) whose values, averaged over any spatial dimensions and
     * L2-normalised, are the image's embedding.
     */
    public static final String FEATURE_OUTPUT = "featureOutput";

    /** No parameters. */
    public static final LoaderParameters EMPTY = new LoaderParameters(Map.of());

    /**
     * Copies and freezes the map, checking value types.
     *
     * @param values the values
     */
    public LoaderParameters {
        Map<String, Object> copy = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> copy.put(k, freeze(k, v)));
        }
        values = Collections.unmodifiableMap(copy);
    }

    private static Object freeze(String key, Object v) {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object e : list) {
                out.add(freeze(key, e));
            }
            return List.copyOf(out);
        }
        throw new IllegalArgumentException("loader parameter '" + key + "' has unsupported value " + v
                + " (strings, numbers, booleans and lists of those)");
    }

    /**
     * @param key parameter name
     * @return the string value, if set
     */
    public Optional<String> string(String key) {
        Object v = values.get(key);
        return v == null ? Optional.empty() : Optional.of(v.toString());
    }

    /**
     * @param key parameter name
     * @param fallback value when absent
     * @return the value as a double
     */
    public double number(String key, double fallback) {
        Object v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("loader parameter '" + key + "' is not a number: " + v);
        }
    }

    /**
     * @param key parameter name
     * @param fallback value when absent
     * @return the value as an int
     */
    public int integer(String key, int fallback) {
        return (int) Math.round(number(key, fallback));
    }

    /**
     * @param key parameter name
     * @return the value as a list of doubles (a single number gives a one-element array), if set
     */
    public Optional<double[]> numbers(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object e = list.get(i);
            try {
                out[i] = e instanceof Number n ? n.doubleValue() : Double.parseDouble(e.toString());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("loader parameter '" + key + "' has a non-number element: " + e);
            }
        }
        return Optional.of(out);
    }

    /**
     * @param key parameter name
     * @return the value as a list of strings, if set
     */
    public Optional<List<String>> strings(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        return Optional.of(list.stream().map(Object::toString).toList());
    }
}
