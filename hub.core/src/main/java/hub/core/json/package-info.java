/**
 * The hub's JSON form of API records, shared by its surfaces: the shell's {@code --json} and the HTTP API
 * ({@code hub.http}). Only strings cross this package's boundary; Jackson stays inside.
 */
@Export
@Version("1.0.0")
package hub.core.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
