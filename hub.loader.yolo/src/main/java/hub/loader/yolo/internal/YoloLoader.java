package hub.loader.yolo.internal;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import hub.api.ArtifactSpec;
import hub.api.LoaderParameters;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelFamily;
import hub.api.spi.ModelLoader;
import hub.runtime.InferenceRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Loader for the {@code detection} family: YOLOv8, YOLOv5 and SSD layouts on the shared ONNX Runtime. */
@Component(service = ModelLoader.class)
@ModelFamily("detection")
public class YoloLoader implements ModelLoader {
    private static final Pattern NAME = Pattern.compile("(\\d+)\\s*:\\s*['\"]([^'\"]*)['\"]");
    private final InferenceRuntime runtime;

    /**
     * @param runtime the shared ONNX Runtime
     */
    @Activate
    public YoloLoader(@Reference InferenceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public LoadedModel open(LoadRequest request) throws Exception {
        OrtSession session = runtime.open(request);
        try {
            LoaderParameters p = request.descriptor().parameters();
            YoloModel.Layout layout = p.string(LoaderParameters.OUTPUT_FORMAT)
                    .map(f -> YoloModel.Layout.valueOf(f.toUpperCase(Locale.ROOT))).orElse(YoloModel.infer(session));
            return new YoloModel(session, request.device(), runtime, layout, inputSize(session, p),
                    labels(session, request.files().get(ArtifactSpec.LABELS)),
                    (float) p.number(LoaderParameters.THRESHOLD, 0.25), (float) p.number(LoaderParameters.NMS_THRESHOLD, 0.45),
                    p.integer(LoaderParameters.BATCH_SIZE, 8));
        } catch (Exception e) {
            session.close();
            throw e;
        }
    }

    private static int inputSize(OrtSession session, LoaderParameters p) throws OrtException {
        var info = session.getInputInfo().values().iterator().next().getInfo();
        if (info instanceof TensorInfo t && t.getShape().length == 4 && t.getShape()[2] > 0) {
            return (int) t.getShape()[2];
        }
        return p.integer(LoaderParameters.INPUT_SIZE, 640);
    }

    /** Class names: the labels artifact, else the model's {@code names} metadata (Ultralytics exports carry it). */
    static List<String> labels(OrtSession session, Path labelsFile) throws OrtException, IOException {
        if (labelsFile != null) {
            return Files.readAllLines(labelsFile, StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
        }
        String names = session.getMetadata().getCustomMetadata().get("names");
        if (names == null) {
            return List.of();
        }
        Map<Integer, String> byIndex = new TreeMap<>();
        Matcher m = NAME.matcher(names);
        while (m.find()) {
            byIndex.put(Integer.parseInt(m.group(1)), m.group(2));
        }
        List<String> out = new ArrayList<>();
        byIndex.forEach((i, n) -> {
            while (out.size() < i) {
                out.add("class " + out.size());
            }
            out.add(n);
        });
        return out;
    }
}
