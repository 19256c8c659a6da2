package hub.api.embedding;

import hub.api.Device;
import java.time.Instant;

/**
 * Use of one embedding model, as tracked by the registry, with its state in the runtime.
 *
 * @param service the service that offers it
 * @param model catalog reference
 * @param requests embed calls through the registry
 * @param images images embedded through the registry
 * @param lastUsed last call, or null when never used
 * @param loaded whether the runtime holds it now
 * @param device where it is loaded, or null
 * @param memoryBytes memory it holds when loaded, else 0
 */
public record EmbeddingModelUsage(String service, String model, long requests, long images, Instant lastUsed,
        boolean loaded, Device device, long memoryBytes) {
}
