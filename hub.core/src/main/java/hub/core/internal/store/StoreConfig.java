package hub.core.internal.store;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Artifact store settings (PID {@code hub.store}). */
@ObjectClassDefinition(name = "Hub artifact store", description = "Model cache and downloads")
public @interface StoreConfig {
    /** @return cache directory; empty means {@code <hub home>/cache} */
    @AttributeDefinition(description = "Cache directory (empty: <hub home>/cache)")
    String cacheDir() default "";

    /** @return size limit of the cache in GB */
    @AttributeDefinition(description = "Cache size limit in GB")
    double maxSizeGb() default 10.0;

    /** @return allow plain http sources */
    @AttributeDefinition(description = "Allow plain http:// sources")
    boolean allowHttp() default false;

    /** @return local Maven repository for maven: sources; empty means ~/.m2/repository */
    @AttributeDefinition(description = "Local Maven repository for maven: sources (empty: ~/.m2/repository)")
    String mavenLocalRepository() default "";

    /** @return remote Maven repository used when an artifact is absent locally */
    @AttributeDefinition(description = "Remote Maven repository for maven: sources missing locally")
    String mavenRemoteRepository() default "https://repo.maven.apache.org/maven2";

    /** @return connect and read timeout in seconds */
    @AttributeDefinition(description = "Connect and read timeout in seconds")
    int timeoutSeconds() default 30;
}
