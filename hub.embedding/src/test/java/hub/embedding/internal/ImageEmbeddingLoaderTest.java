package hub.embedding.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assume.assumeTrue;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadRequest;
import hub.api.spi.LoadedModel;
import hub.runtime.internal.OnnxInferenceRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Opens a real embedding model through the real ONNX Runtime and closes it. */
public class ImageEmbeddingLoaderTest {
    static Path models() {
        String p = System.getenv("HUB_TEST_MODELS");
        return Path.of(p != null ? p : System.getProperty("hub.test.models", "../../shared/models"));
    }

    @Test
    public void opensAndClosesARealModelOnTheCpu() throws Exception {
        Path model = models().resolve("face/faceplugin-embed-512.onnx");
        assumeTrue("skipped: real model fixture not found: " + model + " (set HUB_TEST_MODELS)", Files.isRegularFile(model));
        ModelDescriptor d = new ModelDescriptor("m", "1", Family.of("embedding"), null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", model.toUri(), null, -1, null)), null, null);
        ImageEmbeddingLoader loader = new ImageEmbeddingLoader(new OnnxInferenceRuntime());
        try (LoadedModel m = loader.open(new LoadRequest(d, Map.of("model", model), Device.CPU, 1, 1))) {
            assertEquals(Device.CPU, m.device());
            assertFalse(m.task(String.class).isPresent());
            m.warmUp(); // one real inference on a zero input of the model's own shape
        }
    }

}
