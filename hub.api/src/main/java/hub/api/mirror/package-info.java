/**
 * Mirrors of model artifacts for a fleet: a model version's verified files uploaded to an object store inside the
 * fleet's network ({@code s3://BUCKET/PREFIX}) and recorded in the shared catalog, so that every hub pulls from there
 * before the origin, always verifying the catalog's checksums.
 */
@Export
@Version("1.0.0")
package hub.api.mirror;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
