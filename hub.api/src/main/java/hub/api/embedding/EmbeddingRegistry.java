package hub.api.embedding;

import hub.api.UnloadResult;
import hub.api.task.ImageInput;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Tracks every {@link VisionEmbeddingService} registered in the framework, runs them with usage tracking, and
 * unloads their models from the runtime: all of them, one service's, one model, by memory pressure, by idle time, or
 * least recently used first until memory is free.
 */
@ProviderType
public interface EmbeddingRegistry {
    /** @return the services registered now, by id */
    List<EmbeddingServiceInfo> services();

    /**
     * @param id service id
     * @return the service, if registered
     */
    Optional<VisionEmbeddingService> service(String id);

    /**
     * @param service service id, or null for the first one registered (by id)
     * @param model model reference, or null for the service's default
     * @param images encoded images
     * @param batchSize images per inference run at most (below 1: the service's choice)
     * @return one result per image
     * @throws hub.api.HubException when no such service is registered, or the model cannot be used
     */
    List<EmbeddingResult> embed(String service, String model, List<ImageInput> images, int batchSize);

    /** @return usage per model that is offered, used or loaded */
    List<EmbeddingModelUsage> usage();

    /** @return what unloading every loaded embedding model did */
    List<UnloadResult> unloadAll();

    /**
     * @param service service id
     * @return what unloading that service's loaded models did
     */
    List<UnloadResult> unloadService(String service);

    /**
     * @param model model reference
     * @return what unloading it did (empty when it was not loaded)
     */
    List<UnloadResult> unloadModel(String model);

    /**
     * Unloads idle (unleased, unpinned) embedding models, least recently used first, while the runtime's memory use
     * of a device is above the threshold.
     *
     * @param threshold fraction 0..1
     * @return what was unloaded
     */
    List<UnloadResult> unloadUnderPressure(double threshold);

    /**
     * @param cpuIdle unload CPU models idle at least this long
     * @param gpuIdle unload GPU models idle at least this long
     * @return what was unloaded
     */
    List<UnloadResult> unloadIdle(Duration cpuIdle, Duration gpuIdle);

    /**
     * Unloads idle embedding models, least recently used first, until at least {@code bytes} have been freed.
     *
     * @param bytes memory wanted
     * @return what was unloaded
     */
    List<UnloadResult> unloadLeastRecentlyUsed(long bytes);
}
