package hub.api.embedding;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Named collections of vectors, kept in the hub home: add, remove, and the k nearest by cosine similarity. A
 * collection holds vectors of one dimension; writes are atomic on disk.
 */
@ProviderType
public interface VectorIndex {
    /** @return collection names */
    List<String> collections();

    /**
     * Adds or replaces an entry.
     *
     * @param collection collection name (created on first use)
     * @param entry the entry
     * @throws IllegalArgumentException on a bad name or a dimension that differs from the collection's
     */
    void add(String collection, IndexEntry entry);

    /**
     * @param collection collection name
     * @param id entry id
     * @return whether it was there
     */
    boolean remove(String collection, String id);

    /**
     * @param collection collection name
     * @return its entries (empty when it does not exist)
     */
    List<IndexEntry> entries(String collection);

    /**
     * @param collection collection name
     * @param query vector of the collection's dimension
     * @param k how many
     * @return the k nearest entries by cosine similarity, best first
     * @throws IllegalArgumentException when the collection does not exist or the dimension differs
     */
    List<IndexMatch> search(String collection, float[] query, int k);

    /**
     * @param collection collection name
     * @return whether it existed
     */
    boolean drop(String collection);
}
