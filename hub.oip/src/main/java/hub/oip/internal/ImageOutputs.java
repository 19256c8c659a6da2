package hub.oip.internal;

import hub.api.task.Box;
import hub.api.task.Classification;
import hub.api.task.Detection;
import hub.api.task.Face;
import hub.api.task.ImageResult;
import hub.api.task.Point;
import hub.api.task.Tensor;
import hub.api.task.TextLine;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A family pipeline's typed results as output tensors, one row per object found over all the request's images and
 * {@code image_index} saying which image each row belongs to. Boxes are {@code [x1, y1, x2, y2]} in the image's pixels.
 * <ul>
 * <li>detect: {@code boxes} FP32 [N,4], {@code scores} FP32 [N], {@code labels} BYTES [N], {@code class_ids} INT64
 * [N], {@code image_index} INT64 [N]</li>
 * <li>classify: {@code labels}, {@code scores}, {@code class_ids}, {@code image_index}</li>
 * <li>ocr: {@code text} BYTES [N], {@code scores} FP32 [N], {@code polygons} FP32 [N,4,2], {@code image_index}</li>
 * <li>faces: {@code boxes}, {@code scores}, {@code landmarks} FP32 [N,5,2], {@code image_index}</li>
 * </ul>
 */
final class ImageOutputs {
    private ImageOutputs() {
    }

    /** The output names of a task, in order. */
    static List<String> names(String task) {
        return switch (task) {
            case "detect" -> List.of("boxes", "scores", "labels", "class_ids", "image_index");
            case "classify" -> List.of("labels", "scores", "class_ids", "image_index");
            case "ocr" -> List.of("text", "scores", "polygons", "image_index");
            case "faces" -> List.of("boxes", "scores", "landmarks", "image_index");
            default -> throw new IllegalArgumentException("no outputs for task " + task);
        };
    }

    @SuppressWarnings("unchecked")
    static List<Tensor> of(String task, List<? extends ImageResult<?>> results) {
        List<float[]> boxes = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<byte[]> texts = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        List<Long> index = new ArrayList<>();
        List<float[]> points = new ArrayList<>();
        int pointCount = task.equals("faces") ? 5 : 4;
        for (int i = 0; i < results.size(); i++) {
            ImageResult<?> r = results.get(i);
            if (r.error() != null) {
                throw new IllegalArgumentException(r.source() + ": " + r.error());
            }
            for (Object o : (List<Object>) r.value()) {
                index.add((long) i);
                if (o instanceof Detection d) {
                    boxes.add(corners(d.box()));
                    scores.add(d.score());
                    texts.add(utf8(d.label()));
                    ids.add((long) d.classId());
                } else if (o instanceof Classification c) {
                    scores.add(c.probability());
                    texts.add(utf8(c.label()));
                    ids.add((long) c.index());
                } else if (o instanceof TextLine t) {
                    texts.add(utf8(t.text()));
                    scores.add(t.confidence());
                    points.add(flat(t.polygon(), pointCount));
                } else if (o instanceof Face f) {
                    boxes.add(corners(f.box()));
                    scores.add(f.score());
                    points.add(flat(f.landmarks(), pointCount));
                }
            }
        }
        long n = index.size();
        List<Tensor> out = new ArrayList<>();
        for (String name : names(task)) {
            out.add(switch (name) {
                case "boxes" -> Tensor.fp32(name, new long[] {n, 4}, concat(boxes, 4));
                case "scores" -> Tensor.fp32(name, new long[] {n}, floats(scores));
                case "labels", "text" -> Tensor.bytes(name, new long[] {n}, texts);
                case "class_ids" -> Tensor.int64(name, new long[] {n}, ids.stream().mapToLong(Long::longValue).toArray());
                case "image_index" -> Tensor.int64(name, new long[] {n},
                        index.stream().mapToLong(Long::longValue).toArray());
                case "polygons", "landmarks" -> Tensor.fp32(name, new long[] {n, pointCount, 2},
                        concat(points, pointCount * 2));
                default -> throw new IllegalStateException(name);
            });
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }

    private static float[] corners(Box b) {
        return new float[] {b.x(), b.y(), b.x() + b.width(), b.y() + b.height()};
    }

    /** Points as x, y pairs, padded with the last point (or zeros) or cut to {@code count}. */
    private static float[] flat(List<Point> points, int count) {
        float[] out = new float[count * 2];
        for (int i = 0; i < count && !points.isEmpty(); i++) {
            Point p = points.get(Math.min(i, points.size() - 1));
            out[2 * i] = p.x();
            out[2 * i + 1] = p.y();
        }
        return out;
    }

    private static float[] concat(List<float[]> rows, int width) {
        float[] out = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * width, width);
        }
        return out;
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
