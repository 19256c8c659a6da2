package hub.loader.ocr.internal;

import ai.onnxruntime.OrtSession;
import hub.api.ArtifactSpec;
import hub.api.LoaderParameters;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelFamily;
import hub.api.spi.ModelLoader;
import hub.runtime.InferenceRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Loader for the {@code ocr} family: PaddleOCR models (artifact roles {@code model} = DB detector,
 * {@code recognizer}, optional {@code classifier}, {@code keys}).
 */
@Component(service = ModelLoader.class)
@ModelFamily("ocr")
public class OcrLoader implements ModelLoader {
    private final InferenceRuntime runtime;

    /**
     * @param runtime the shared ONNX Runtime
     */
    @Activate
    public OcrLoader(@Reference InferenceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public boolean accepts(hub.api.ModelDescriptor descriptor) {
        return !descriptor.parameters().string("engine").map("tesseract"::equals).orElse(false);
    }

    @Override
    public LoadedModel open(LoadRequest request) throws Exception {
        Path recFile = request.files().get("recognizer");
        if (recFile == null) {
            throw new IllegalArgumentException("an OCR model needs a 'recognizer' artifact beside the detector");
        }
        List<OrtSession> opened = new ArrayList<>();
        try {
            OrtSession det = open(request, request.modelFile(), opened);
            OrtSession rec = open(request, recFile, opened);
            Path clsFile = request.files().get("classifier");
            OrtSession cls = clsFile == null ? null : open(request, clsFile, opened);
            LoaderParameters p = request.descriptor().parameters();
            return new PaddleOcrModel(det, rec, cls, request.device(), runtime, keys(request.files().get(ArtifactSpec.KEYS), rec),
                    p.integer("recHeight", 48), new PaddleOcrModel.DbSettings((float) p.number("binarizeThreshold", 0.3),
                            (float) p.number("boxThreshold", 0.5), (float) p.number("unclipRatio", 1.5),
                            p.integer("minSize", 3), p.integer("limitSideLen", 960),
                            (float) p.number("dropScore", 0.5)),
                    p.integer(LoaderParameters.BATCH_SIZE, 6));
        } catch (Exception e) {
            for (OrtSession s : opened) {
                s.close();
            }
            throw e;
        }
    }

    private OrtSession open(LoadRequest request, Path file, List<OrtSession> opened) throws Exception {
        OrtSession s = runtime.open(request, file);
        opened.add(s);
        return s;
    }

    /** The character list: the keys artifact, else the recogniser's {@code character} metadata. */
    static List<String> keys(Path file, OrtSession rec) throws Exception {
        if (file != null) {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        String character = rec.getMetadata().getCustomMetadata().get("character");
        if (character == null) {
            throw new IllegalArgumentException("no keys artifact and no 'character' metadata in the recogniser");
        }
        return List.of(character.split("\n"));
    }
}
