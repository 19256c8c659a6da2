/** Running the Felix health checks for the hub's surfaces: the shell's {@code health} and the HTTP API. */
@Export
@Version("1.0.0")
package hub.core.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
