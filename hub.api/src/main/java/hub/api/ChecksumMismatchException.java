package hub.api;

/** A downloaded or cached file does not match its published or recorded SHA-256, or its declared size. */
public class ChecksumMismatchException extends ArtifactException {
    private static final long serialVersionUID = 1L;
    private final String expected;
    private final String actual;

    /**
     * @param what the model version and artifact
     * @param expected expected SHA-256
     * @param actual computed SHA-256
     * @param deleted whether the file was deleted (a fresh download) or left for inspection (a cache check)
     */
    public ChecksumMismatchException(String what, String expected, String actual, boolean deleted) {
        super("checksum mismatch for " + what + ": expected sha256 " + expected + ", actual " + actual
                + (deleted ? " (the download was deleted)" : ""), null);
        this.expected = expected;
        this.actual = actual;
    }

    private ChecksumMismatchException(String message, String expected, String actual) {
        super(message, null);
        this.expected = expected;
        this.actual = actual;
    }

    /**
     * A file of the wrong size: the same failure as a wrong checksum (exit 9).
     *
     * @param what the model version and artifact
     * @param expected the declared size in bytes
     * @param actual the size received, or announced by the server
     * @param announced whether the server announced it (nothing was downloaded) rather than sent it (deleted)
     * @return the exception
     */
    public static ChecksumMismatchException size(String what, long expected, long actual, boolean announced) {
        return new ChecksumMismatchException("size mismatch for " + what + ": expected " + expected + " bytes, "
                + (announced ? "the server announces " + actual + " (nothing was downloaded)"
                        : "got " + actual + " (the download was deleted)"), expected + " bytes", actual + " bytes");
    }

    /** @return the expected SHA-256 */
    public String expected() {
        return expected;
    }

    /** @return the computed SHA-256 */
    public String actual() {
        return actual;
    }

    @Override
    public String code() {
        return "checksum-mismatch";
    }

    @Override
    public int exitCode() {
        return 9;
    }
}
