package hub.api.state;

/** The kinds of append-only records. */
public enum RecordKind {
    /** One line per transfer attempt and outcome. */
    DOWNLOADS,
    /** One line per alias switch. */
    ALIAS_HISTORY
}
