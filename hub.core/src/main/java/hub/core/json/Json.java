package hub.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import hub.api.AccessTier;
import hub.api.Device;
import hub.api.Family;
import hub.api.LoaderParameters;
import hub.api.ModelDescriptor;
import hub.api.ModelRef;
import hub.core.internal.catalog.DescriptorCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The hub's JSON form of API records, shared by the shell's {@code --json} and (later) the HTTP API. */
public final class Json {
    private static final ObjectMapper MAPPER = create();

    private Json() {
    }

    private static <T> JsonSerializer<T> as(Function<T, Object> f) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider p) throws IOException {
                p.defaultSerializeValue(f.apply(value), gen);
            }
        };
    }

    private static ObjectMapper create() {
        SimpleModule m = new SimpleModule("hub");
        m.addSerializer(Family.class, as(Family::id));
        m.addSerializer(ModelRef.class, as(ModelRef::toString));
        m.addSerializer(AccessTier.class, as(AccessTier::id));
        m.addSerializer(Device.class, as(d -> d.name().toLowerCase(Locale.ROOT)));
        m.addSerializer(Path.class, as(Path::toString));
        m.addSerializer(Instant.class, as(Instant::toString));
        m.addSerializer(Duration.class, as(Duration::toMillis));
        m.addSerializer(LoaderParameters.class, as(LoaderParameters::values));
        m.addSerializer(hub.api.ValidationReport.class, as(r -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ref", r.ref());
            out.put("valid", r.valid());
            out.put("artifacts", r.artifacts());
            return out;
        }));
        m.addSerializer(ModelDescriptor.class, as(d -> {
            Map<String, Object> out = new LinkedHashMap<>(DescriptorCodec.toMap(d));
            out.put("totalSize", d.totalSize());
            return out;
        }));
        return new ObjectMapper().registerModule(m).enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /**
     * @param value an API record, list or map
     * @return its indented JSON
     */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * @param value an API record, list or map
     * @return its JSON on one line (for event streams)
     */
    public static String compact(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * @param text a JSON object
     * @return its members (strings, numbers, booleans, lists, maps)
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Object> readObject(String text) {
        try {
            Object v = MAPPER.readValue(text, Object.class);
            if (!(v instanceof java.util.Map<?, ?> m)) {
                throw new IllegalArgumentException("a JSON object was expected");
            }
            return (java.util.Map<String, Object>) m;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
    }
}
