package hub.loader.ocr.internal;

import com.sun.jna.Library;
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

    /** The C library's {@code setenv}, to set OpenMP's thread limit before Tesseract brings OpenMP in. */
    interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /** OpenMP's {@code omp_get_thread_limit}, to check the limit took. */
    interface OpenMp extends Library {
        int omp_get_thread_limit();
    }

    /**
     * The native library, bound once per loader instance. Debian's libtesseract runs its LSTM on OpenMP threads (up
     * to 10 per page, whatever the machine), which fight the hub's own workers: one page took 1.8 s that way against
     * 0.3 s on one thread. So before the library (and with it libgomp, which reads its settings once, when it loads)
     * comes in, {@code OMP_THREAD_LIMIT} is set to 1 unless the hub's environment already sets it: one thread per
     * call, and the hub runs several pages at once.
     */
    TesseractApi api() {
        TesseractApi a = api;
        if (a == null) {
            synchronized (this) {
                a = api;
                if (a == null) {
                    try {
                        if (System.getenv("OMP_THREAD_LIMIT") == null) {
                            Native.load("c", CLibrary.class).setenv("OMP_THREAD_LIMIT", "1", 0);
                        }
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

    /** @return OpenMP's thread limit in this process, once Tesseract is loaded (-1 where libgomp is not found) */
    int openMpThreadLimit() {
        api();
        try {
            return Native.load("gomp", OpenMp.class).omp_get_thread_limit();
        } catch (UnsatisfiedLinkError e) {
            return -1;
        }
    }

    @Override
    public LoadedModel open(LoadRequest request) throws IOException {
        String language = request.descriptor().parameters().string("language").orElse("eng");
        if (!language.matches("[A-Za-z0-9_+]+")) {
            throw new IllegalArgumentException("bad Tesseract language '" + language + "'");
        }
        Path data = dataDir(request.modelFile(), language);
        TesseractApi a = api();
        var parameters = request.descriptor().parameters();
        int instances = parameters.integer("instances", Math.min(4, Runtime.getRuntime().availableProcessors()));
        java.util.function.Supplier<Pointer> opener = () -> engine(a, data, language, request.modelFile());
        return new TesseractModel(a, opener.get(), opener, instances, parameters.integer("dpi", 0));
    }

    /** One Tesseract instance with the language loaded, page segmentation as the command line's default. */
    private static Pointer engine(TesseractApi a, Path data, String language, Path modelFile) {
        Pointer handle = a.TessBaseAPICreate();
        // Tesseract prints its diagnostics to stderr unless told otherwise
        a.TessBaseAPISetVariable(handle, "debug_file", "/dev/null");
        if (a.TessBaseAPIInit3(handle, data.toString(), language) != 0) {
            a.TessBaseAPIDelete(handle);
            throw new IllegalArgumentException("Tesseract " + a.TessVersion() + " could not load " + modelFile
                    + " as language '" + language + "' (not a traineddata file for this version?)");
        }
        a.TessBaseAPISetPageSegMode(handle, TesseractApi.PSM_AUTO);
        return handle;
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
