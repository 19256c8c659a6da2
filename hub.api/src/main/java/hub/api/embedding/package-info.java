/**
 * Vision-embedding services: the {@link hub.api.embedding.VisionEmbeddingService} SPI that any bundle may register
 * (as a whiteboard service carrying its metadata as service properties), the {@link hub.api.embedding.EmbeddingRegistry}
 * that tracks them, runs them and unloads their models, and the {@link hub.api.embedding.VectorIndex} of named
 * collections of vectors kept in the hub home.
 */
@Export
@Version("1.0.0")
package hub.api.embedding;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
