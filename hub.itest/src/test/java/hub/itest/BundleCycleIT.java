package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hub.api.ArtifactSpec;
import hub.api.Family;
import hub.api.ModelDescriptor;
import hub.api.ModelHub;
import hub.api.ModelRef;
import hub.api.ModelRegistry;
import hub.api.embedding.EmbeddingRegistry;
import hub.api.task.ImageInput;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * A plug-in's bundle leaves nothing behind: after it served a model (a loader, an embedding service, a real ONNX
 * session) and was uninstalled, its class loader is collected. What a bundle cycle would otherwise keep (a cache, a
 * thread, a service reference, a native object) holds the class loader and everything it loaded.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleCycleIT {
    @Inject
    private BundleContext context;
    @Inject
    private ModelRegistry registry;
    @Inject
    private ModelHub hub;
    @Inject
    private EmbeddingRegistry embeddings;

    /** @return the run bundles of hub.bndrun in a fresh home */
    @Configuration
    public Option[] config() {
        return HubOptions.hub(HubOptions.freshHome("cycle"));
    }

    @Test
    public void anUninstalledPluginsClassLoaderIsCollected() throws Exception {
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path mnist = models.resolve("classification/mnist-8.onnx");
        assumeTrue("skipped: real model fixtures not found at " + models, Files.isRegularFile(mnist));
        Path plugin;
        try (var s = Files.list(Path.of(System.getProperty("hub.itest.bundles")))) {
            plugin = s.filter(p -> p.getFileName().toString().startsWith("org.example.digits")).findFirst().orElseThrow();
        }
        registry.register(new ModelDescriptor("mnist-cycle", "8", Family.of("digits"), null, null, null, null, null, null,
                List.of(new ArtifactSpec("model", mnist.toUri(), null, -1, null)), null, null));
        byte[] png = Files.readAllBytes(models.resolveSibling("images").resolve("coffee.png"));
        WeakReference<ClassLoader> loader = null;
        for (int cycle = 0; cycle < 3; cycle++) {
            Bundle b = context.installBundle(plugin.toUri().toString());
            b.start();
            HubOptions.awaitTrue("digits service registered", () -> embeddings.services().stream()
                    .anyMatch(s -> s.id().equals("digits")));
            // the plug-in serves: its loader opens a real session, its embedding service leases it
            assertEquals(10, embeddings.embed("digits", "mnist-cycle@8", List.of(new ImageInput("coffee.png", png)), 0)
                    .get(0).dimension());
            assertTrue(hub.loaded().stream().anyMatch(m -> m.ref().equals(ModelRef.parse("mnist-cycle@8"))));
            loader = new WeakReference<>(b.adapt(BundleWiring.class).getClassLoader());
            b.uninstall();
            refresh(b);
            HubOptions.awaitTrue("its model closed with its loader", () -> hub.loaded().stream()
                    .noneMatch(m -> m.ref().equals(ModelRef.parse("mnist-cycle@8"))));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (loader.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        if (loader.get() != null) {
            Path dump = Path.of("target", "bundle-cycle-leak.hprof").toAbsolutePath();
            Files.deleteIfExists(dump);
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpHeap(dump.toString(), true);
            throw new AssertionError("the uninstalled plug-in's class loader is still reachable; heap dump: " + dump);
        }
    }

    private void refresh(Bundle b) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(b), e -> done.countDown());
        assertTrue("refresh done", done.await(30, TimeUnit.SECONDS));
    }
}
