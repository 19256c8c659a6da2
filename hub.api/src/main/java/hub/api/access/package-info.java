/**
 * Access to the hub's surfaces: API keys, each with an access tier and optionally the admin role, kept as hashes by
 * the {@link hub.api.access.ApiKeys} service.
 */
@Export
@Version("1.3.0")
package hub.api.access;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
