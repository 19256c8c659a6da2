package hub.shell.internal.commands;

import hub.api.ArtifactStore;
import hub.api.DeviceService;
import hub.api.ModelHub;
import hub.api.ModelRegistry;
import hub.api.access.ApiKeys;
import hub.api.embedding.EmbeddingRegistry;
import hub.api.embedding.VectorIndex;
import hub.api.inference.Inference;
import hub.api.manifest.Manifests;
import java.util.function.Supplier;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.osgi.framework.BundleContext;

/**
 * The services the commands call (each command is a thin layer over them). Each is obtained when a command first
 * calls it: {@code hub version} or {@code hub --help} activates none of the hub's components.
 *
 * @param registry the catalog
 * @param hub the runtime facade
 * @param inference the one request path for tasks
 * @param devices devices
 * @param store the cache
 * @param embeddings embedding services
 * @param index vector collections
 * @param keys API keys
 * @param manifests manifest sync
 * @param plugins the plug-ins folder
 * @param fleet the hubs sharing this hub's state
 * @param transfer export and import of the shared state
 * @param mirrors the fleet's mirrors of model artifacts
 * @param health the health check executor, when Felix Health Checks run (else null)
 * @param context the shell bundle's context (versions, health checks by name)
 */
public record Services(Supplier<ModelRegistry> registry, Supplier<ModelHub> hub, Supplier<Inference> inference,
        Supplier<DeviceService> devices, Supplier<ArtifactStore> store, Supplier<EmbeddingRegistry> embeddings,
        Supplier<VectorIndex> index, Supplier<ApiKeys> keys, Supplier<Manifests> manifests,
        Supplier<hub.api.plugin.PluginManager> plugins, Supplier<hub.api.fleet.Fleet> fleet,
        Supplier<hub.api.state.StateTransfer> transfer, Supplier<hub.api.mirror.ModelMirrors> mirrors,
        Supplier<HealthCheckExecutor> health, BundleContext context) {
}
