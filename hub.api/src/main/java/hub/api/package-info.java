/**
 * Vision Model Hub public API: model descriptors, references, statuses and the services the hub provides
 * ({@link hub.api.ModelRegistry}, {@link hub.api.ArtifactStore}, {@link hub.api.ChecksumService},
 * {@link hub.api.DeviceService} and the {@link hub.api.ModelHub} facade).
 */
@Export
@Version("1.4.0")
package hub.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
