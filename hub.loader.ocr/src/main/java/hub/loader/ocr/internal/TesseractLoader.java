package hub.loader.ocr.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelFamily;
import hub.api.spi.ModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Component;

/**
 * The second {@code ocr} engine: Tesseract (descriptors with {@code engine: tesseract}; the model artifact is a
 * {@code LANG.traineddata} file, the {@code language} parameter names it). The engine is the system's libtesseract
 * (Debian: {@code libtesseract5}), reached through JNA; it is looked up on the first load, so the hub starts and the
 * PaddleOCR engine works without it.
 */
@Component(service = ModelLoader.class)
@ModelFamily("ocr")
public class TesseractLoader implements ModelLoader {
    private volatile TesseractApi api;

    @Override
    public boolean accepts(ModelDescriptor descriptor) {
        return descriptor.parameters().string("engine").map("tesseract"::equals).orElse(false);
    }

    /** The native library, bound once per loader instance. */
    TesseractApi api() {
        TesseractApi a = api;
        if (a == null) {
            synchronized (this) {
                a = api;
                if (a == null) {
                    try {
                        a = Native.load("tesseract", TesseractApi.class);
                    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                        throw new IllegalStateException("Tesseract's native library is not available (Debian: apt-get "
                                + "install libtesseract5; JNA must be installed in the hub): " + e.getMessage(), e);
                    }
                    api = a;
                }
            }
        }
        return a;
    }

    @Override
    public LoadedModel open(LoadRequest request) throws IOException {
        String language = request.descriptor().parameters().string("language").orElse("eng");
        if (!language.matches("[A-Za-z0-9_+]+")) {
            throw new IllegalArgumentException("bad Tesseract language '" + language + "'");
        }
        Path data = dataDir(request.modelFile(), language);
        TesseractApi a = api();
        Pointer handle = a.TessBaseAPICreate();
        // Tesseract prints its diagnostics to stderr unless told otherwise
        a.TessBaseAPISetVariable(handle, "debug_file", "/dev/null");
        if (a.TessBaseAPIInit3(handle, data.toString(), language) != 0) {
            a.TessBaseAPIDelete(handle);
            throw new IllegalArgumentException("Tesseract " + a.TessVersion() + " could not load " + request.modelFile()
                    + " as language '" + language + "' (not a traineddata file for this version?)");
        }
        a.TessBaseAPISetPageSegMode(handle, TesseractApi.PSM_AUTO);
        return new TesseractModel(a, handle, request.descriptor().parameters().integer("dpi", 300));
    }

    /**
     * Tesseract finds {@code LANG.traineddata} in a data directory: the cached file's own directory when it has that
     * name, else a private directory with a link of that name to it.
     */
    static Path dataDir(Path modelFile, String language) throws IOException {
        String wanted = language + ".traineddata";
        if (modelFile.getFileName().toString().equals(wanted)) {
            return modelFile.getParent();
        }
        Path dir = Files.createTempDirectory("hub-tessdata");
        Files.createSymbolicLink(dir.resolve(wanted), modelFile.toAbsolutePath());
        dir.toFile().deleteOnExit();
        dir.resolve(wanted).toFile().deleteOnExit();
        return dir;
    }
}
