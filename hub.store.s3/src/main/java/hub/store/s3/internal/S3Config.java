package hub.store.s3.internal;

/**
 * The S3 settings, read from the {@code hub.store} configuration ({@code HOME/config/hub.store.cfg}) beside the
 * artifact store's own; every one may be left empty, and the AWS environment variables and profile files are used.
 */
public @interface S3Config {
    /** @return the endpoint URL of an S3-compatible store; empty: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS */
    String s3Endpoint() default "";

    /** @return the region; empty: AWS_REGION, AWS_DEFAULT_REGION, the profile's, else us-east-1 */
    String s3Region() default "";

    /** @return path-style requests (ENDPOINT/BUCKET/KEY), as S3-compatible stores on one host need */
    boolean s3PathStyle() default false;

    /** @return the access key id; empty: AWS_ACCESS_KEY_ID, else the profile files */
    String s3AccessKeyId() default "";

    /** @return a file whose first line is the secret access key (the secret never sits in configuration) */
    String s3SecretKeyFile() default "";

    /** @return the profile of ~/.aws/credentials and ~/.aws/config; empty: AWS_PROFILE, else default */
    String s3Profile() default "";

    /** @return connect and read timeout in seconds (the artifact store's setting) */
    int timeoutSeconds() default 30;

    /** @return the part size of multipart uploads in MiB (at least 5, S3's minimum) */
    int s3PartSizeMb() default 16;
}
