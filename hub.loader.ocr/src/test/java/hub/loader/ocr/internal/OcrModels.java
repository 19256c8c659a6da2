package hub.loader.ocr.internal;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.LoaderParameters;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.runtime.internal.OnnxInferenceRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The OCR engines the tests and benchmarks open: PaddleOCR's v3 and v4 detectors and recognisers from the Maven Central
 * jar (a test dependency), in any pairing, and Tesseract with the English data from the Tess4J jar.
 */
final class OcrModels {
    private OcrModels() {
    }

    static Path fromJar(String resource) throws IOException {
        Path out = Files.createTempFile("ocr", resource.substring(resource.lastIndexOf('.')));
        out.toFile().deleteOnExit();
        try (InputStream in = OcrModels.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    /**
     * @param det "v3" or "v4": the detector
     * @param rec "v3" or "v4": the recogniser
     * @param parameters descriptor parameters
     * @return the opened, warmed-up model
     */
    static LoadedModel paddle(String det, String rec, Map<String, Object> parameters) throws Exception {
        Map<String, Path> files = Map.of("model", fromJar("models/ch_PP-OCR" + det + "_det_infer.onnx"),
                "recognizer", fromJar("models/ch_PP-OCR" + rec + "_rec_infer.onnx"),
                "classifier", fromJar("models/ch_ppocr_mobile_v2.0_cls_infer.onnx"),
                "keys", fromJar("models/ppocr_keys_v1.txt"));
        ModelDescriptor d = new ModelDescriptor("pp-ocr" + det + rec, "1", Family.OCR, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", files.get("model").toUri(), null, -1, "det.onnx"),
                        new ArtifactSpec("recognizer", files.get("recognizer").toUri(), null, -1, "rec.onnx"),
                        new ArtifactSpec("classifier", files.get("classifier").toUri(), null, -1, "cls.onnx"),
                        new ArtifactSpec("keys", files.get("keys").toUri(), null, -1, "keys.txt")),
                new LoaderParameters(parameters), null);
        LoadedModel model = new OcrLoader(new OnnxInferenceRuntime()).open(new LoadRequest(d, files, Device.CPU, 0, 0));
        model.warmUp();
        return model;
    }

    /** @return Tesseract (English), or an exception saying why it cannot open here */
    static LoadedModel tesseract(Map<String, Object> parameters) throws Exception {
        TesseractLoader loader = new TesseractLoader();
        loader.api();
        Path dir = Files.createTempDirectory("tessdata");
        dir.toFile().deleteOnExit();
        Path data = dir.resolve("eng.traineddata");
        data.toFile().deleteOnExit();
        try (InputStream in = OcrModels.class.getClassLoader().getResourceAsStream("tessdata/eng.traineddata")) {
            Files.copy(in, data, StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, Object> p = new java.util.HashMap<>(parameters);
        p.put("engine", "tesseract");
        ModelDescriptor d = new ModelDescriptor("tesseract-eng", "1", Family.OCR, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", data.toUri(), null, -1, null)), new LoaderParameters(p), null);
        return loader.open(new LoadRequest(d, Map.of("model", data), Device.CPU, 0, 0));
    }
}
