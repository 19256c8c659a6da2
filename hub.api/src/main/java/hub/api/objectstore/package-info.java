/**
 * Object stores reached by a URI scheme ({@code s3://BUCKET/KEY}): where model artifacts may come from and where a
 * fleet's mirror keeps them. A bundle provides an {@link hub.api.objectstore.ObjectStore} service per scheme (the hub
 * ships {@code hub.store.s3} for S3 and S3-compatible stores); the hub's artifact store reads through it with the same
 * guarantees as any other source (ranged, resumed, verified in the same pass, published atomically). No client
 * library type appears here.
 */
@Export
@Version("1.0.0")
package hub.api.objectstore;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
