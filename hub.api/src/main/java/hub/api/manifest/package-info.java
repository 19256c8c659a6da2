/**
 * Model manifests: a project's list of models (with profiles) that {@link hub.api.manifest.Manifests} makes present
 * and verified in the cache, or removes.
 */
@Export
@Version("1.0.0")
package hub.api.manifest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
