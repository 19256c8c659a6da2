package hub.api.state;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Shared state: documents by kind and key, written in transactions, and append-only records, with notifications of
 * changes made by any hub that shares the store. Every write is all or nothing.
 */
@ProviderType
public interface StateStore {
    /** @return where the state is, for messages and {@code hub fleet}: never a password */
    String describe();

    /**
     * @param kind a kind of document
     * @return every document of the kind, by key
     * @throws StateUnavailableException when the store cannot be read
     */
    Map<String, String> documents(StateKind kind);

    /**
     * @param kind a kind of document
     * @param key its key
     * @return the document, if any
     * @throws StateUnavailableException when the store cannot be read
     */
    default Optional<String> document(StateKind kind, String key) {
        return Optional.ofNullable(documents(kind).get(key));
    }

    /**
     * Writes documents of one kind in one transaction: every put and removal, or none.
     *
     * @param kind the kind
     * @param puts documents to create or replace, by key
     * @param removals keys to remove
     * @throws StateUnavailableException when the store cannot be written (nothing changed)
     * @throws IllegalArgumentException when a document is not JSON
     */
    void write(StateKind kind, Map<String, String> puts, Set<String> removals);

    /**
     * Creates documents whose keys must be free, in one transaction: all of them, or none when any key is taken
     * (two hubs registering the same model version at once: one wins, the other is told).
     *
     * @param kind the kind
     * @param docs the documents, by key
     * @return the keys that were taken already; when not empty, nothing was written
     * @throws StateUnavailableException when the store cannot be written (nothing changed)
     * @throws IllegalArgumentException when a document is not JSON
     */
    Set<String> create(StateKind kind, Map<String, String> docs);

    /**
     * Appends a record.
     *
     * @param kind the kind
     * @param key what it is about (a model name, an alias)
     * @param json the record
     * @throws StateUnavailableException when the store cannot be written
     */
    void append(RecordKind kind, String key, String json);

    /**
     * @param kind the kind
     * @param key what they are about, or null for all
     * @param limit the most recent this many, oldest first
     * @return the records
     * @throws StateUnavailableException when the store cannot be read
     */
    List<String> records(RecordKind kind, String key, int limit);

    /**
     * @param kind the kind
     * @param limit the most recent this many, oldest first
     * @return the records with the key each was appended under (to copy them to another store)
     * @throws StateUnavailableException when the store cannot be read
     */
    List<Map.Entry<String, String>> recordEntries(RecordKind kind, int limit);

    /**
     * A cheap check for stores that can tell at once whether a kind changed (the files store: the files' times), so a
     * copy is never behind another process's write; stores that rely on notifications answer -1.
     *
     * @param kind a kind of document
     * @return a number that differs whenever the kind's documents changed, or -1
     */
    default long version(StateKind kind) {
        return -1;
    }

    /**
     * Follows changes: the listener gets the kind of every change a hub sharing the store commits (this one
     * included), and every kind after the store was unreachable and is back (to catch up).
     *
     * @param listener called on a thread of the store's; it must return quickly
     * @return closing it stops the notifications
     */
    AutoCloseable watch(Consumer<StateKind> listener);
}
