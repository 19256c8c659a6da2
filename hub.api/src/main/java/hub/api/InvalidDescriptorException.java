package hub.api;

/** A model descriptor (a registration file, a manifest) is malformed or inconsistent. */
public class InvalidDescriptorException extends HubException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final int line;
    private final String field;

    /**
     * @param source the file or origin of the descriptor
     * @param line 1-based line, or 0 when unknown
     * @param field the offending field path (e.g. {@code artifacts[0].sha256}), or null
     * @param problem what is wrong
     */
    public InvalidDescriptorException(String source, int line, String field, String problem) {
        super(source + (line > 0 ? ":" + line : "") + (field == null ? "" : ": field '" + field + "'") + ": " + problem);
        this.source = source;
        this.line = line;
        this.field = field;
    }

    /** @return the file or origin */
    public String source() {
        return source;
    }

    /** @return the 1-based line, or 0 */
    public int line() {
        return line;
    }

    /** @return the offending field, or null */
    public String field() {
        return field;
    }

    @Override
    public String code() {
        return "invalid-descriptor";
    }

    @Override
    public int exitCode() {
        return 4;
    }
}
