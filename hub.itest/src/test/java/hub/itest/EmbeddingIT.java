package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.HubException;
import hub.api.LoadedModelInfo;
import hub.api.LoaderParameters;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.UnloadResult;
import hub.api.embedding.EmbeddingModelUsage;
import hub.api.embedding.EmbeddingRegistry;
import hub.api.embedding.EmbeddingResult;
import hub.api.embedding.EmbeddingServiceInfo;
import hub.api.embedding.VectorIndex;
import hub.api.task.ImageInput;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.inject.Inject;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The embedding framework in the running hub on real models: the face service (YuNet + the 512-d embedder from
 * ../shared/models), the image service on a backbone's inner tensor (mnist-8), a third-party embedding service bundle
 * coming and going, Felix health checks, the unloader operations, and the vector index through the commands.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EmbeddingIT {
    @Inject
    private BundleContext context;
    @Inject
    private ModelRegistry registry;
    @Inject
    private ModelHub hub;
    @Inject
    private EmbeddingRegistry embeddings;
    @Inject
    private VectorIndex index;
    @Inject
    private HealthCheckExecutor health;
    @Inject
    private ConfigurationAdmin configAdmin;
    @Inject
    private CommandProcessor commands;

    private static Path models;
    private static Path images;

    /** @return the run bundles of hub.bndrun in a fresh home */
    @Configuration
    public Option[] config() {
        return HubOptions.hub(HubOptions.freshHome("embedding"));
    }

    @Before
    public void fixtures() throws Exception {
        models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        images = models.resolveSibling("images");
        assumeTrue("skipped: real model fixtures not found at " + models,
                Files.isRegularFile(models.resolve("face/faceplugin-embed-512.onnx")));
        if (registry.find(ModelRef.parse("faceplugin@1")).isPresent()) {
            return;
        }
        registry.register(new ModelDescriptor("yunet-test", "1", Family.FACE, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", models.resolve("face/yunet-2023mar.onnx").toUri(), null, -1, null)),
                null, null));
        registry.register(new ModelDescriptor("faceplugin", "1", Family.FACE, "face recognition embeddings (512-d)",
                null, null, Set.of("embedding"), null, null, List.of(new ArtifactSpec("model",
                        models.resolve("face/faceplugin-embed-512.onnx").toUri(), null, -1, null)),
                new LoaderParameters(Map.of("dimension", 512)), null));
        registry.register(new ModelDescriptor("mnist-embed", "8", Family.EMBEDDING, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", models.resolve("classification/mnist-8.onnx").toUri(), null, -1, null)),
                new LoaderParameters(Map.of("featureOutput", "Pooling160_Output_0_reshape0", "dimension", 256)), null));
        var face = configAdmin.getConfiguration("hub.embedding.face", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("detector", "yunet-test@1");
        props.put("defaultModel", "faceplugin@1");
        face.update(props);
        HubOptions.awaitTrue("face service configured", () -> embeddings.services().stream()
                .anyMatch(s -> s.id().equals("face") && s.defaultModel().equals("faceplugin@1")));
    }

    private static ImageInput photo(String name) throws Exception {
        return new ImageInput(name, Files.readAllBytes(images.resolve(name)));
    }

    private static ImageInput flipped(String name) throws Exception {
        BufferedImage img = ImageIO.read(images.resolve(name).toFile());
        AffineTransform flip = AffineTransform.getScaleInstance(-1, 1);
        flip.translate(-img.getWidth(), 0);
        BufferedImage out = new AffineTransformOp(flip, AffineTransformOp.TYPE_BILINEAR).filter(img, null);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(out, "png", png);
        return new ImageInput("flipped-" + name, png.toByteArray());
    }

    private static float cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return (float) dot;
    }

    @Test
    public void theSameFaceIsCloserThanAnotherAndABadImageKeepsItsOwnError() throws Exception {
        List<EmbeddingResult> r = embeddings.embed("face", null, List.of(photo("astronaut.png"), flipped("astronaut.png"),
                new ImageInput("broken.jpg", new byte[] {(byte) 0xff, (byte) 0xd8, 0, 1}), photo("camera.png"),
                photo("chelsea.png")), 2);
        assertEquals(5, r.size());
        assertEquals("faceplugin@1", r.get(0).model());
        assertEquals(512, r.get(0).dimension());
        assertNotNull(r.get(2).error());
        assertNull(r.get(2).vector());
        assertEquals("no face found", r.get(4).error());
        float same = cosine(r.get(0).vector(), r.get(1).vector());
        float other = cosine(r.get(0).vector(), r.get(3).vector());
        assertTrue("same face " + same + " vs other " + other, same > other + 0.3f);
        HubException e = assertThrows(HubException.class,
                () -> embeddings.embed("nobody", null, List.of(photo("camera.png")), 0));
        assertTrue(e.getMessage(), e.getMessage().contains("no embedding service 'nobody'"));
    }

    @Test
    public void theImageServiceEmbedsThroughABackbonesInnerTensor() throws Exception {
        List<EmbeddingResult> r = embeddings.embed("image", "mnist-embed@8", List.of(photo("dog.jpg"),
                new ImageInput("empty.png", new byte[0]), photo("horses.jpg")), 0);
        assertEquals(256, r.get(0).dimension());
        assertEquals("empty image", r.get(1).error());
        assertEquals(256, r.get(2).vector().length);
        EmbeddingServiceInfo image = embeddings.services().stream().filter(s -> s.id().equals("image")).findFirst()
                .orElseThrow();
        assertTrue(image.models().stream().anyMatch(m -> m.model().equals("mnist-embed@8") && m.dimension() == 256));
        assertTrue(image.models().stream().anyMatch(m -> m.model().equals("mobilenetv2-embed@7")));
    }

    @Test
    public void aThirdPartyEmbeddingServiceComesAndGoesWithItsBundle() throws Exception {
        Path plugin;
        try (var s = Files.list(Path.of(System.getProperty("hub.itest.bundles")))) {
            plugin = s.filter(p -> p.getFileName().toString().startsWith("org.example.digits")).findFirst().orElseThrow();
        }
        registry.register(new ModelDescriptor("mnist-digits", "8", Family.of("digits"), null, null, null, null, null,
                null, List.of(new ArtifactSpec("model", models.resolve("classification/mnist-8.onnx").toUri(), null, -1,
                        null)), null, null));
        Bundle b = context.installBundle(plugin.toUri().toString());
        try {
            b.start();
            HubOptions.awaitTrue("digits service registered", () -> ids().contains("digits"));
            EmbeddingServiceInfo digits = embeddings.services().stream().filter(s -> s.id().equals("digits"))
                    .findFirst().orElseThrow();
            assertEquals("org.example.digits", digits.bundle());
            assertEquals("example.org", digits.metadata().author());
            HubOptions.awaitTrue("digits healthy", () -> embeddings.service("digits").orElseThrow().health().healthy());
            assertTrue(healthOf("embedding service digits").isOk());
            assertEquals(10, embeddings.embed("digits", null, List.of(photo("coffee.png")), 0).get(0).dimension());

            b.stop();
            HubOptions.awaitTrue("digits service gone", () -> !ids().contains("digits"));
            assertTrue("its health check left with it", health.execute(HealthCheckSelector.tags("embedding")).stream()
                    .noneMatch(x -> x.getHealthCheckMetadata().getName().equals("embedding service digits")));
            assertTrue("the hub's own services stay", ids().containsAll(List.of("face", "image")));

            b.start();
            HubOptions.awaitTrue("digits service back", () -> ids().contains("digits"));
        } finally {
            b.uninstall();
        }
        HubOptions.awaitTrue("digits service gone with its bundle", () -> !ids().contains("digits"));
    }

    private Set<String> ids() {
        return embeddings.services().stream().map(EmbeddingServiceInfo::id).collect(Collectors.toSet());
    }

    private org.apache.felix.hc.api.Result healthOf(String name) {
        return health.execute(HealthCheckSelector.names(name)).stream().findFirst()
                .map(HealthCheckExecutionResult::getHealthCheckResult).orElseThrow(() -> new AssertionError(name));
    }

    @Test
    public void eachEmbeddingServiceReportsItsHealthThroughFelixHealthChecks() throws Exception {
        HubOptions.awaitTrue("face healthy", () -> healthOf("embedding service face").isOk());
        assertTrue(healthOf("hub core").isOk());
        List<HealthCheckExecutionResult> all = health.execute(HealthCheckSelector.tags("embedding"));
        assertTrue(all.size() >= 2);
        String out = HubOptions.run(commands, "hub:health --tags embedding");
        assertTrue(out, out.contains("embedding service face") && out.contains("OK"));
        String embedders = HubOptions.run(commands, "hub:embedders");
        assertTrue(embedders, embedders.contains("face") && embedders.contains("image")
                && embedders.contains("faceplugin@1") && embedders.contains("healthy"));

        // a service whose default model leaves the catalog reports why it is unhealthy
        var image = configAdmin.getConfiguration("hub.embedding.image", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("defaultModel", "no-such-model@1");
        image.update(props);
        try {
            HubOptions.awaitTrue("image unhealthy", () -> !healthOf("embedding service image").isOk());
            String reason = healthOf("embedding service image").iterator().next().getMessage();
            assertTrue(reason, reason.contains("no-such-model@1"));
        } finally {
            image.delete();
        }
        HubOptions.awaitTrue("image healthy again", () -> healthOf("embedding service image").isOk());
    }

    private Set<String> loadedRefs() {
        return hub.loaded().stream().map(i -> i.ref().toString()).collect(Collectors.toSet());
    }

    private void loadBoth() throws Exception {
        embeddings.embed("image", "mnist-embed@8", List.of(photo("dog.jpg")), 0);
        Thread.sleep(20);
        embeddings.embed("face", null, List.of(photo("camera.png")), 0);
        assertTrue(loadedRefs().containsAll(List.of("mnist-embed@8", "faceplugin@1", "yunet-test@1")));
    }

    private static Set<String> refs(List<UnloadResult> r) {
        return r.stream().filter(x -> x.outcome() == UnloadResult.Outcome.UNLOADED).map(x -> x.ref().toString())
                .collect(Collectors.toSet());
    }

    @Test
    public void theUnloaderOperationsEachDoWhatTheySay() throws Exception {
        loadBoth();
        assertEquals(Set.of("mnist-embed@8"), refs(embeddings.unloadModel("mnist-embed@8")));
        assertFalse(loadedRefs().contains("mnist-embed@8"));

        loadBoth();
        assertEquals(Set.of("faceplugin@1"), refs(embeddings.unloadService("face")));
        assertTrue("the face detector is the face family's, not the service's", loadedRefs().contains("yunet-test@1"));
        assertTrue(loadedRefs().contains("mnist-embed@8"));

        loadBoth();
        assertEquals(Set.of(), refs(embeddings.unloadIdle(Duration.ofHours(1), Duration.ofHours(1))));
        assertEquals(Set.of("mnist-embed@8", "faceplugin@1"), refs(embeddings.unloadIdle(Duration.ZERO, Duration.ZERO)));

        loadBoth();
        assertEquals("below the threshold nothing goes", Set.of(), refs(embeddings.unloadUnderPressure(1.0)));
        assertEquals(Set.of("mnist-embed@8", "faceplugin@1"), refs(embeddings.unloadUnderPressure(0.0)));

        loadBoth();
        assertEquals("the least recently used goes first", Set.of("mnist-embed@8"),
                refs(embeddings.unloadLeastRecentlyUsed(1)));
        assertTrue(loadedRefs().contains("faceplugin@1"));

        loadBoth();
        try (var held = hub.load(ModelRef.parse("mnist-embed@8"), Device.CPU)) {
            assertEquals("a model in use is not idle", Set.of("faceplugin@1"),
                    refs(embeddings.unloadIdle(Duration.ZERO, Duration.ZERO)));
        }
        loadBoth();
        assertEquals(Set.of("mnist-embed@8", "faceplugin@1"), refs(embeddings.unloadAll()));
        assertTrue(loadedRefs().contains("yunet-test@1"));

        List<EmbeddingModelUsage> usage = embeddings.usage();
        EmbeddingModelUsage face = usage.stream().filter(u -> u.model().equals("faceplugin@1")).findFirst().orElseThrow();
        assertTrue(face.requests() >= 6);
        assertFalse(face.loaded());
        assertNotNull(face.lastUsed());
        for (LoadedModelInfo i : hub.loaded()) {
            hub.unload(i.ref());
        }
    }

    @Test
    public void aFaceGalleryAnswersWhoIsThisThroughTheCommands() throws Exception {
        Path dir = Files.createTempDirectory("gallery");
        Files.copy(images.resolve("astronaut.png"), dir.resolve("eileen.png"));
        Files.copy(images.resolve("camera.png"), dir.resolve("cameraman.png"));
        Files.write(dir.resolve("query.png"), flipped("astronaut.png").data());
        String added = HubOptions.run(commands, "hub:index add gallery " + dir.resolve("eileen.png") + " " + dir.resolve("cameraman.png")
                + " --service face");
        assertTrue(added, added.contains("eileen.png") && added.contains("added"));
        String list = HubOptions.run(commands, "hub:index list");
        assertTrue(list, list.contains("gallery") && list.contains("512"));
        String found = HubOptions.run(commands, "hub:search gallery " + dir.resolve("query.png") + " --top 1");
        assertTrue(found, found.lines().skip(1).findFirst().orElse("").startsWith("eileen.png"));
        String json = HubOptions.run(commands, "hub:index search gallery " + dir.resolve("query.png") + " --json");
        assertTrue(json, json.contains("\"collection\"") && json.indexOf("eileen.png") < json.indexOf("cameraman.png"));
        assertTrue(HubOptions.run(commands, "hub:index rm gallery cameraman.png").contains("removed cameraman.png"));
        assertEquals(1, index.entries("gallery").size());
        String embed = HubOptions.run(commands, "hub:embed --service face " + dir.resolve("eileen.png"));
        assertTrue(embed, embed.contains("faceplugin@1") && embed.contains("512"));
        // the collection lives in the hub home and survives a new index instance
        assertTrue(Files.isRegularFile(Path.of(context.getProperty("hub.home")).resolve("index/gallery.vec")));
    }
}
