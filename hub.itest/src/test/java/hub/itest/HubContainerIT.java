package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import hub.api.ArtifactSpec;
import hub.api.LoaderUnavailableException;
import hub.api.SwitchException;
import hub.api.task.Classifier;
import hub.api.task.DetectionOptions;
import hub.api.task.Detector;
import hub.api.task.ImageInput;
import hub.runtime.GraphOptimization;
import hub.runtime.InferenceRuntime;
import hub.runtime.SessionSpec;
import hub.api.spi.LoadRequest;
import hub.api.Device;
import hub.api.LoaderParameters;
import hub.api.ModelLease;
import hub.api.SwitchResult;
import hub.api.UnloadResult;
import hub.api.Family;
import hub.api.HubEvents;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelQuery;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Starts the hub's real bundles in Felix and checks components, commands and loader hot-plugging. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HubContainerIT {
    @Inject
    private BundleContext context;
    @Inject
    private ServiceComponentRuntime scr;
    @Inject
    private ModelRegistry registry;
    @Inject
    private ModelHub hub;
    @Inject
    private CommandProcessor commands;
    @Inject
    private InferenceRuntime runtime;
    @Inject
    private org.osgi.service.cm.ConfigurationAdmin configAdmin;

    /** @return the run bundles of hub.bndrun in a fresh home */
    @Configuration
    public Option[] config() {
        return HubOptions.hub(HubOptions.freshHome("container"));
    }

    @Test
    public void everyHubComponentIsActive() {
        List<String> seen = new ArrayList<>();
        List<String> notActive = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("hub.")) {
                continue;
            }
            assertEquals(b.getSymbolicName() + " state", Bundle.ACTIVE, b.getState());
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                seen.add(d.name);
                assertTrue(d.name + " is disabled", scr.isComponentEnabled(d));
                var configs = scr.getComponentConfigurationDTOs(d);
                // components that run only when configured (the PostgreSQL store: hub.state store=postgresql)
                boolean configRequired = "require".equals(d.configurationPolicy);
                if (configs.isEmpty() && !configRequired) {
                    notActive.add(d.name + " (no configuration)");
                }
                for (ComponentConfigurationDTO c : configs) {
                    // a delayed component nobody has used yet is satisfied, which is as good
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        notActive.add(d.name + " state " + c.state + " unsatisfied " + Arrays.toString(c.unsatisfiedReferences));
                    }
                }
            }
        }
        assertTrue("not active: " + notActive, notActive.isEmpty());
        for (String expected : List.of("hub.core.internal.catalog.CatalogRegistry",
                "hub.core.internal.store.FileArtifactStore", "hub.core.internal.store.Sha256ChecksumService",
                "hub.core.internal.device.OnnxDeviceService", "hub.core.internal.runtime.DefaultModelHub",
                "hub.shell.internal.HubCli", "hub.runtime.internal.OnnxInferenceRuntime",
                "hub.loader.yolo.internal.YoloLoader", "hub.loader.resnet.internal.ResnetLoader",
                "hub.loader.ocr.internal.OcrLoader", "hub.loader.face.internal.FaceLoader",
                "hub.loader.resnet.internal.BackboneEmbeddingLoader", "hub.embedding.internal.EmbeddingRegistryImpl",
                "hub.embedding.internal.FaceEmbeddingService", "hub.embedding.internal.ImageEmbeddingService",
                "hub.core.internal.index.FileVectorIndex", "hub.core.internal.health.HubHealthCheck",
                "hub.shell.internal.GogoCommands", "hub.shell.internal.Launcher")) {
            assertTrue(expected + " missing from " + seen, seen.contains(expected));
        }
    }

    /**
     * SCR picks the constructor it injects by its number of parameters alone: a second public constructor of the same
     * size makes activation depend on the order the JVM lists constructors in (CI saw CatalogRegistry fail with
     * "Constructor argument 0 ... has unsupported type java.nio.file.Path").
     */
    @Test
    public void everyInjectedConstructorIsTheOnlyOneOfItsSize() throws Exception {
        List<String> ambiguous = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("hub.")) {
                continue;
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                if (d.init == 0) {
                    continue;
                }
                long same = Arrays.stream(b.loadClass(d.implementationClass).getConstructors())
                        .filter(c -> c.getParameterCount() == d.init).count();
                if (same != 1) {
                    ambiguous.add(d.implementationClass + " has " + same + " public constructors of " + d.init);
                }
            }
        }
        assertTrue(ambiguous.toString(), ambiguous.isEmpty());
    }

    @Test
    public void listCommandListsTheCatalog() throws Exception {
        String table = HubOptions.run(commands, "hub:list");
        for (String name : List.of("yolov8n", "yolov8s", "resnet50", "mobilenetv2", "pp-ocrv4", "tesseract-eng",
                "yunet", "sface")) {
            assertTrue(name + " missing from:\n" + table, table.contains(name));
        }
        String ocr = HubOptions.run(commands, "hub:list --family ocr --json");
        assertTrue(ocr, ocr.contains("\"pp-ocrv4\"") && !ocr.contains("\"yolov8n\""));
        assertEquals(registry.list(ModelQuery.ALL).size(), table.lines().count() - 1);
    }

    @Test
    public void loaderBundleCanLeaveAndComeBackWhileTheHubRuns() throws Exception {
        Bundle yolo = Arrays.stream(context.getBundles()).filter(b -> "hub.loader.yolo".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        String location = yolo.getLocation();
        assertTrue(hub.availableFamilies().contains(Family.DETECTION));
        assertTrue(hub.info(ModelRef.parse("yolov8n")).loaderAvailable());

        yolo.stop();
        HubOptions.awaitTrue("detection gone after stop", () -> !hub.availableFamilies().contains(Family.DETECTION));
        assertFalse(hub.info(ModelRef.parse("yolov8n")).loaderAvailable());
        assertTrue("other families stay", hub.availableFamilies().contains(Family.CLASSIFICATION));

        yolo.uninstall();
        assertFalse(hub.availableFamilies().contains(Family.DETECTION));

        Bundle again = context.installBundle(location);
        again.start();
        HubOptions.awaitTrue("detection back after reinstall", () -> hub.availableFamilies().contains(Family.DETECTION));
        assertTrue(hub.info(ModelRef.parse("yolov8n")).loaderAvailable());
        assertNotNull(HubOptions.run(commands, "hub:info yolov8n"));
    }

    @Test
    public void pullsPostAnEventForEachStatusChange() throws Exception {
        java.nio.file.Path src = java.nio.file.Files.createTempFile("model", ".onnx");
        java.nio.file.Files.write(src, new byte[] {1, 2, 3, 4, 5});
        registry.register(new ModelDescriptor("evented", "1", Family.DETECTION, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", src.toUri(), null, 5, "m.onnx")), null, null));
        List<String> topics = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.Dictionary<String, Object> props = new java.util.Hashtable<>();
        props.put(org.osgi.service.event.EventConstants.EVENT_TOPIC, HubEvents.ARTIFACT_TOPICS);
        var reg = context.registerService(org.osgi.service.event.EventHandler.class, e -> {
            if ("evented".equals(e.getProperty(HubEvents.MODEL))) {
                topics.add(e.getTopic());
            }
        }, props);
        try {
            hub.ensureReady(ModelRef.parse("evented@1"), null);
            HubOptions.awaitTrue("READY event", () -> topics.contains("hub/artifact/READY"));
            assertEquals(List.of("hub/artifact/DOWNLOADING", "hub/artifact/VALIDATING", "hub/artifact/READY"), topics);
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void loadSwitchAndUnloadPostEventsWithTheRealLoader() throws Exception {
        java.nio.file.Path yunet = java.nio.file.Path.of(System.getProperty("hub.test.models", "../../shared/models"))
                .resolve("face/yunet-2023mar.onnx");
        org.junit.Assume.assumeTrue("skipped: real model fixtures not found at " + yunet,
                java.nio.file.Files.isRegularFile(yunet));
        registry.register(new ModelDescriptor("yunet-events", "1", Family.FACE, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", yunet.toUri(), null, -1, null)),
                new LoaderParameters(java.util.Map.of("inputSize", 640)), null));
        List<String> topics = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.Dictionary<String, Object> props = new java.util.Hashtable<>();
        props.put(org.osgi.service.event.EventConstants.EVENT_TOPIC,
                new String[] {HubEvents.MODEL_TOPIC_PREFIX + "*", HubEvents.SWITCH_TOPIC});
        var reg = context.registerService(org.osgi.service.event.EventHandler.class, e -> {
            if ("yunet-events".equals(e.getProperty(HubEvents.MODEL)) || e.getTopic().equals(HubEvents.SWITCH_TOPIC)) {
                topics.add(e.getTopic() + (e.getProperty(HubEvents.REASON) == null ? "" : ":" + e.getProperty(HubEvents.REASON)));
            }
        }, props);
        try {
            ModelRef ref = ModelRef.parse("yunet-events@1");
            try (ModelLease lease = hub.load(ref, Device.AUTO)) {
                assertEquals(Device.CPU, lease.device());
            }
            SwitchResult r = hub.switchModels(java.util.Map.of("face", ref), Device.AUTO);
            assertTrue(r.warmUp().get(ref).toNanos() > 0);
            assertEquals(UnloadResult.Outcome.UNLOADED, hub.unload(ref).outcome());
            HubOptions.awaitTrue("events", () -> topics.size() >= 3);
            assertEquals(List.of("hub/model/LOADED", "hub/alias/SWITCHED", "hub/model/UNLOADED:request"), topics);
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void aSwitchToACorruptModelFileChangesNothing() throws Exception {
        java.nio.file.Path yunet = java.nio.file.Path.of(System.getProperty("hub.test.models", "../../shared/models"))
                .resolve("face/yunet-2023mar.onnx");
        org.junit.Assume.assumeTrue("skipped: real model fixtures not found at " + yunet,
                java.nio.file.Files.isRegularFile(yunet));
        java.nio.file.Path corrupt = java.nio.file.Files.createTempFile("corrupt", ".onnx");
        byte[] garbage = java.nio.file.Files.readAllBytes(yunet);
        java.util.Arrays.fill(garbage, 0, 4096, (byte) 0x5a);
        java.nio.file.Files.write(corrupt, garbage);
        registry.register(new ModelDescriptor("face-good", "1", Family.FACE, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", yunet.toUri(), null, -1, null)), null, null));
        registry.register(new ModelDescriptor("face-corrupt", "1", Family.FACE, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", corrupt.toUri(), null, -1, null)), null, null));
        hub.switchModels(java.util.Map.of("face", ModelRef.parse("face-good@1")), Device.AUTO);
        SwitchException e = org.junit.Assert.assertThrows(SwitchException.class,
                () -> hub.switchModels(java.util.Map.of("face", ModelRef.parse("face-corrupt@1")), Device.AUTO));
        assertTrue(e.getMessage(), e.getMessage().contains("face-corrupt@1"));
        assertEquals(ModelRef.parse("face-good@1"), hub.aliases().get("face"));
        try (ModelLease l = hub.lease("face", null)) {
            assertEquals(ModelRef.parse("face-good@1"), l.descriptor().ref());
        }
    }

    @Test
    public void detectionGoesAndComesBackWithItsBundleWhileOtherFamiliesKeepWorking() throws Exception {
        java.nio.file.Path models = java.nio.file.Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        java.nio.file.Path yolo = models.resolve("detection/yolov8n-int8.onnx");
        java.nio.file.Path mnist = models.resolve("classification/mnist-8.onnx");
        java.nio.file.Path dog = models.resolveSibling("images").resolve("dog.jpg");
        org.junit.Assume.assumeTrue("skipped: real model fixtures not found at " + models,
                java.nio.file.Files.isRegularFile(yolo) && java.nio.file.Files.isRegularFile(dog));
        registry.register(new ModelDescriptor("yolo-dyn", "1", Family.DETECTION, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", yolo.toUri(), null, -1, null)), null, null));
        registry.register(new ModelDescriptor("mnist-dyn", "1", Family.CLASSIFICATION, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", mnist.toUri(), null, -1, null)), null, null));
        ModelRef det = ModelRef.parse("yolo-dyn@1");
        ModelRef cls = ModelRef.parse("mnist-dyn@1");
        List<ImageInput> image = List.of(new ImageInput("dog.jpg", java.nio.file.Files.readAllBytes(dog)));
        var runtimeRef = context.getServiceReference(InferenceRuntime.class);
        Object runtimeBefore = context.getService(runtimeRef);
        Object environmentBefore = ((InferenceRuntime) runtimeBefore).environment();
        long runtimeBundle = runtimeRef.getBundle().getBundleId();
        try (ModelLease l = hub.load(det, Device.CPU)) {
            assertTrue(l.require(Detector.class).detect(image, DetectionOptions.DEFAULTS)
                    .get(0).value().stream().anyMatch(d -> d.label().equals("dog")));
        }
        Bundle bundle = Arrays.stream(context.getBundles()).filter(b -> "hub.loader.yolo".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        String location = bundle.getLocation();
        bundle.uninstall();
        LoaderUnavailableException gone = org.junit.Assert.assertThrows(LoaderUnavailableException.class,
                () -> hub.load(det, Device.CPU));
        assertTrue(gone.getMessage(), gone.getMessage().contains("no loader for family 'detection'"));
        try (ModelLease l = hub.load(cls, Device.CPU)) {
            assertEquals(10, l.require(Classifier.class).classify(image, 10).get(0).value().size());
        }
        context.installBundle(location).start();
        HubOptions.awaitTrue("detection back", () -> hub.availableFamilies().contains(Family.DETECTION));
        try (ModelLease l = hub.load(det, Device.CPU)) {
            assertTrue(l.require(Detector.class).detect(image, DetectionOptions.DEFAULTS)
                    .get(0).value().stream().anyMatch(d -> d.label().equals("dog")));
        }
        var runtimeAfter = context.getServiceReference(InferenceRuntime.class);
        assertEquals("hub.runtime was not refreshed", runtimeBundle, runtimeAfter.getBundle().getBundleId());
        assertSame("same runtime service", runtimeBefore, context.getService(runtimeAfter));
        assertSame("same ONNX Runtime environment: the native library was not reloaded", environmentBefore,
                ((InferenceRuntime) context.getService(runtimeAfter)).environment());
    }

    @Test
    public void aThirdPartyPluginAddsItsFamilyWhileTheHubRuns() throws Exception {
        java.nio.file.Path mnist = java.nio.file.Path.of(System.getProperty("hub.test.models", "../../shared/models"))
                .resolve("classification/mnist-8.onnx");
        org.junit.Assume.assumeTrue("skipped: real model fixtures not found", java.nio.file.Files.isRegularFile(mnist));
        java.nio.file.Path plugin;
        try (var s = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("hub.itest.bundles")))) {
            plugin = s.filter(p -> p.getFileName().toString().startsWith("org.example.digits")).findFirst().orElseThrow();
        }
        Family digits = Family.of("digits");
        assertFalse(hub.availableFamilies().contains(digits));
        registry.register(new ModelDescriptor("mnist-digits", "8", digits, null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", mnist.toUri(), null, -1, null)), null, null));
        Bundle b = context.installBundle(plugin.toUri().toString());
        b.start();
        try {
            HubOptions.awaitTrue("digits family", () -> hub.availableFamilies().contains(digits));
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 22));
            g.drawString("3", 8, 22);
            g.dispose();
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", png);
            try (ModelLease l = hub.load(ModelRef.parse("mnist-digits@8"), Device.CPU)) {
                assertEquals("3", l.require(Classifier.class).classify(List.of(new ImageInput("3.png", png.toByteArray())), 1)
                        .get(0).value().get(0).label());
            }
        } finally {
            b.uninstall();
        }
        assertFalse(hub.availableFamilies().contains(digits));
    }

    @Test
    public void theHubDeviceSettingsReachTheSessionsTheRuntimeOpens() throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of("model.onnx");
        ModelDescriptor d = new ModelDescriptor("settings-probe", "1", Family.DETECTION, null, null, null, null, null,
                null, List.of(new ArtifactSpec("model", file.toUri(), null, -1, null)), null, null);
        LoadRequest gpu = new LoadRequest(d, java.util.Map.of("model", file), Device.GPU, 2, 1);
        assertEquals(new SessionSpec(true, 0, false, 2, 1, GraphOptimization.ALL),
                runtime.spec(gpu));
        var c = configAdmin.getConfiguration("hub.device", "?");
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put("gpuDeviceId", 1);
        props.put("tensorRt", true);
        props.put("graphOptimization", "extended");
        c.update(props);
        try {
            SessionSpec want = new SessionSpec(true, 1, true, 2, 1,
                    GraphOptimization.EXTENDED);
            long until = System.currentTimeMillis() + 10_000;
            while (!want.equals(runtime.spec(gpu)) && System.currentTimeMillis() < until) {
                Thread.sleep(50);
            }
            assertEquals("Configuration Admin's hub.device reaches the runtime", want, runtime.spec(gpu));
        } finally {
            c.delete();
        }
    }
}
