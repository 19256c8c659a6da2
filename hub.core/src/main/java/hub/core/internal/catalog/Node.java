package hub.core.internal.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import hub.api.InvalidDescriptorException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML or JSON value that remembers its line, so that every error can name file, line and field. Values
 * are {@code Map<String, Node>}, {@code List<Node>}, String, Number, Boolean or null.
 *
 * @param value the value
 * @param line 1-based line where it starts
 * @param text a scalar as written in the document (so {@code version: 1.10} reads as {@code 1.10}, not the number
 *        1.1, and {@code 010} as {@code 010}, not 8), or null for maps, lists and null
 */
public record Node(Object value, int line, String text) {
    /**
     * @param value the value
     * @param line 1-based line
     */
    public Node(Object value, int line) {
        this(value, line, value instanceof String || value instanceof Number || value instanceof Boolean
                ? String.valueOf(value) : null);
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * @param in the document
     * @param source its name for errors
     * @param yaml parse as YAML (JSON is a subset, so YAML reads both)
     * @return the root node
     */
    public static Node parse(InputStream in, String source, boolean yaml) {
        try (JsonParser p = (yaml ? YAML : JSON).createParser(in)) {
            if (p.nextToken() == null) {
                throw new InvalidDescriptorException(source, 1, null, "the file is empty");
            }
            Node root = read(p);
            if (p.nextToken() != null) {
                throw new InvalidDescriptorException(source, line(p), null, "unexpected content after the document");
            }
            return root;
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InvalidDescriptorException(source, line, null, "malformed " + (yaml ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidDescriptorException(source, 0, null, "cannot read: " + e.getMessage());
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private static Node read(JsonParser p) throws IOException {
        int line = line(p);
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Node> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    map.put(key, read(p));
                }
                return new Node(map, line);
            }
            case START_ARRAY: {
                List<Node> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p));
                }
                return new Node(list, line);
            }
            case VALUE_STRING:
                return new Node(p.getText(), line);
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new Node(p.getNumberValue(), line, p.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new Node(p.getBooleanValue(), line, p.getText());
            case VALUE_NULL:
                return new Node(null, line);
            default:
                throw new JsonParseProblem(p, "unexpected " + t);
        }
    }

    /** Lets {@link #read} report a token problem with its location. */
    private static final class JsonParseProblem extends JsonProcessingException {
        private static final long serialVersionUID = 1L;

        JsonParseProblem(JsonParser p, String message) {
            super(message, p.currentTokenLocation());
        }
    }

    /** @return the value as plain Java (maps, lists, scalars), dropping line numbers */
    public Object plain() {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, ((Node) v).plain()));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(n -> ((Node) n).plain()).toList();
        }
        return value;
    }
}
