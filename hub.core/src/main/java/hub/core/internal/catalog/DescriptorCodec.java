package hub.core.internal.catalog;

import hub.api.AccessTier;
import hub.api.ArtifactSpec;
import hub.api.Device;
import hub.api.Family;
import hub.api.InvalidDescriptorException;
import hub.api.LoaderParameters;
import hub.api.ModelDescriptor;
import hub.api.Provenance;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps descriptor documents (YAML or JSON, one model or a {@code models:} list) to {@link ModelDescriptor}s and
 * back. Unknown fields are errors, so a typo never silently drops a setting; every error names file, line and field.
 */
public final class DescriptorCodec {
    private static final Set<String> MODEL_FIELDS = Set.of("name", "version", "family", "task", "description",
            "license", "tags", "tier", "devices", "artifacts", "parameters", "provenance");
    private static final Set<String> ARTIFACT_FIELDS = Set.of("role", "source", "sha256", "size", "file");
    private static final Set<String> PROVENANCE_FIELDS = Set.of("origin", "publisher", "homepage",
            "checksumPublished", "note");

    private DescriptorCodec() {
    }

    /**
     * @param in the document
     * @param source its name (file path) for errors
     * @param origin provenance origin to set ({@link Provenance#BUILTIN}, {@link Provenance#CUSTOM}, ...)
     * @return the descriptors, in document order
     * @throws InvalidDescriptorException naming file, line and field
     */
    public static List<ModelDescriptor> read(java.io.InputStream in, String source, String origin) {
        Node root = Node.parse(in, source, true);
        Map<String, Node> top = object(root, source, null);
        List<ModelDescriptor> out = new ArrayList<>();
        if (top.containsKey("models")) {
            if (top.size() != 1) {
                String extra = top.keySet().stream().filter(k -> !k.equals("models")).findFirst().orElseThrow();
                throw new InvalidDescriptorException(source, top.get(extra).line(), extra,
                        "unknown field next to 'models'");
            }
            List<Node> list = list(top.get("models"), source, "models");
            if (list.isEmpty()) {
                throw new InvalidDescriptorException(source, top.get("models").line(), "models", "the list is empty");
            }
            for (int i = 0; i < list.size(); i++) {
                out.add(model(list.get(i), source, "models[" + i + "].", origin));
            }
        } else {
            out.add(model(root, source, "", origin));
        }
        return out;
    }

    /**
     * @param node a model's map node
     * @param source file name for errors
     * @param path field path prefix (e.g. {@code models[2].})
     * @param origin provenance origin
     * @return the descriptor
     */
    public static ModelDescriptor model(Node node, String source, String path, String origin) {
        Map<String, Node> m = object(node, source, path.isEmpty() ? null : path.substring(0, path.length() - 1));
        unknown(m, MODEL_FIELDS, source, path);
        String name = required(m, "name", source, path, node);
        String version = required(m, "version", source, path, node);
        try {
            hub.api.ModelRef.validateName(name);
        } catch (IllegalArgumentException e) {
            throw fail(source, m.get("name"), path + "name", e.getMessage());
        }
        Family family;
        try {
            family = Family.of(required(m, "family", source, path, node));
        } catch (IllegalArgumentException e) {
            throw fail(source, m.get("family"), path + "family", e.getMessage());
        }
        AccessTier tier = null;
        if (m.containsKey("tier")) {
            try {
                tier = AccessTier.parse(scalar(m.get("tier"), source, path + "tier"));
            } catch (IllegalArgumentException e) {
                throw fail(source, m.get("tier"), path + "tier", e.getMessage());
            }
        }
        Set<Device> devices = new LinkedHashSet<>();
        if (m.containsKey("devices")) {
            List<Node> ds = list(m.get("devices"), source, path + "devices");
            for (int i = 0; i < ds.size(); i++) {
                try {
                    devices.add(Device.parse(scalar(ds.get(i), source, path + "devices[" + i + "]")));
                } catch (IllegalArgumentException e) {
                    throw fail(source, ds.get(i), path + "devices[" + i + "]", e.getMessage());
                }
            }
        }
        Set<String> tags = new LinkedHashSet<>();
        if (m.containsKey("tags")) {
            List<Node> ts = list(m.get("tags"), source, path + "tags");
            for (int i = 0; i < ts.size(); i++) {
                tags.add(scalar(ts.get(i), source, path + "tags[" + i + "]"));
            }
        }
        if (!m.containsKey("artifacts")) {
            throw fail(source, node, path + "artifacts", "missing (at least one artifact with role 'model')");
        }
        List<Node> arts = list(m.get("artifacts"), source, path + "artifacts");
        List<ArtifactSpec> artifacts = new ArrayList<>();
        for (int i = 0; i < arts.size(); i++) {
            artifacts.add(artifact(arts.get(i), source, path + "artifacts[" + i + "]", arts.size() == 1));
        }
        LoaderParameters parameters = null;
        if (m.containsKey("parameters")) {
            Node pn = m.get("parameters");
            Map<String, Node> pm = object(pn, source, path + "parameters");
            Map<String, Object> values = new LinkedHashMap<>();
            pm.forEach((k, v) -> values.put(k, v.plain()));
            try {
                parameters = new LoaderParameters(values);
            } catch (IllegalArgumentException e) {
                throw fail(source, pn, path + "parameters", e.getMessage());
            }
        }
        Provenance provenance = provenance(m.get("provenance"), source, path + "provenance", origin);
        try {
            return new ModelDescriptor(name, version, family, opt(m, "task", source, path),
                    opt(m, "description", source, path), opt(m, "license", source, path), tags, tier, devices,
                    artifacts, parameters, provenance);
        } catch (IllegalArgumentException | NullPointerException e) {
            String field = e.getMessage() != null && e.getMessage().contains("artifact") ? path + "artifacts" : null;
            throw fail(source, field == null ? node : m.get("artifacts"), field, e.getMessage());
        }
    }

    private static ArtifactSpec artifact(Node node, String source, String path, boolean only) {
        Map<String, Node> a = object(node, source, path);
        unknown(a, ARTIFACT_FIELDS, source, path + ".");
        String role = a.containsKey("role") ? scalar(a.get("role"), source, path + ".role") : only ? ArtifactSpec.MODEL : null;
        if (role == null) {
            throw fail(source, node, path + ".role", "missing (model, labels, keys, ...)");
        }
        String src = required(a, "source", source, path + ".", node);
        URI uri;
        try {
            uri = new URI(src);
        } catch (URISyntaxException e) {
            throw fail(source, a.get("source"), path + ".source", "not a valid URI: " + e.getMessage());
        }
        String problem = sourceProblem(uri);
        if (problem != null) {
            throw fail(source, a.get("source"), path + ".source", problem);
        }
        String sha = a.containsKey("sha256") ? scalar(a.get("sha256"), source, path + ".sha256") : null;
        long size = -1;
        if (a.containsKey("size")) {
            Node sn = a.get("size");
            if (!(sn.value() instanceof Number n) || n.longValue() < 0 || n.doubleValue() != n.longValue()) {
                throw fail(source, sn, path + ".size", "must be a non-negative whole number of bytes, got " + sn.value());
            }
            size = ((Number) sn.value()).longValue();
        }
        String file = a.containsKey("file") ? scalar(a.get("file"), source, path + ".file") : null;
        try {
            return new ArtifactSpec(role, uri, sha, size, file);
        } catch (IllegalArgumentException | NullPointerException e) {
            String msg = String.valueOf(e.getMessage());
            String field = msg.contains("sha256") ? ".sha256" : msg.contains("role") ? ".role"
                    : msg.contains("scheme") ? ".source" : msg.contains("name") ? ".file" : "";
            Node at = field.isEmpty() ? node : a.getOrDefault(field.substring(1), node);
            throw fail(source, at, path + field, msg);
        }
    }

    /** The schemes the store can fetch from. */
    static final List<String> SCHEMES = List.of("https", "http", "file", "maven", "hf", "s3");

    /**
     * @param uri an artifact source
     * @return what is wrong with it (unknown scheme, a {@code ..} segment, no path), or null
     */
    static String sourceProblem(URI uri) {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme == null || !SCHEMES.contains(scheme)) {
            return "unsupported source scheme '" + (scheme == null ? "" : scheme + ":") + "' (expected one of "
                    + String.join(", ", SCHEMES.stream().map(x -> x + ":").toList()) + ")";
        }
        String text = uri.toString();
        // hf: and maven: name a file inside a repository: a '..' would leave it (a file: source is a path of the
        // owner's machine, resolved as written; remote callers may only name files under the configured roots)
        String path = scheme.equals("maven") ? text.substring(text.indexOf('!') + 1)
                : scheme.equals("hf") ? text.substring(scheme.length() + 1) : "";
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..") || segment.equals("%2e%2e") || segment.equalsIgnoreCase("%2E%2E")) {
                return "source '" + text + "' has a '..' segment";
            }
        }
        if ((scheme.equals("https") || scheme.equals("http")) && (uri.getHost() == null || uri.getHost().isBlank())) {
            return "source '" + text + "' has no host";
        }
        if (scheme.equals("s3") && (uri.getAuthority() == null || uri.getPath() == null || uri.getPath().length() < 2
                || uri.getPath().endsWith("/"))) {
            return "source '" + text + "' is not s3://BUCKET/KEY";
        }
        if (scheme.equals("hf") && (uri.getAuthority() == null || uri.getPath() == null || uri.getPath().length() < 2)) {
            return "source '" + text + "' is not hf://ORG/REPO/PATH[@REVISION]";
        }
        return null;
    }

    private static Provenance provenance(Node node, String source, String path, String origin) {
        if (node == null) {
            return new Provenance(origin, null, null, false, null);
        }
        Map<String, Node> p = object(node, source, path);
        unknown(p, PROVENANCE_FIELDS, source, path + ".");
        boolean published = false;
        if (p.containsKey("checksumPublished")) {
            Node b = p.get("checksumPublished");
            if (!(b.value() instanceof Boolean v)) {
                throw fail(source, b, path + ".checksumPublished", "must be true or false");
            }
            published = v;
        }
        return new Provenance(origin, opt(p, "publisher", source, path + "."), opt(p, "homepage", source, path + "."),
                published, opt(p, "note", source, path + "."));
    }

    /**
     * @param d a descriptor
     * @return a document map in the same shape {@link #read} accepts (used to persist custom entries)
     */
    public static Map<String, Object> toMap(ModelDescriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name());
        m.put("version", d.version());
        m.put("family", d.family().id());
        m.put("task", d.task());
        m.put("description", d.description());
        m.put("license", d.license());
        m.put("tags", List.copyOf(d.tags()));
        m.put("tier", d.tier().id());
        m.put("devices", d.devices().stream().map(x -> x.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList());
        List<Map<String, Object>> arts = new ArrayList<>();
        for (ArtifactSpec a : d.artifacts()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("role", a.role());
            am.put("source", a.source().toString());
            if (a.sha256() != null) {
                am.put("sha256", a.sha256());
            }
            if (a.size() >= 0) {
                am.put("size", a.size());
            }
            am.put("file", a.fileName());
            arts.add(am);
        }
        m.put("artifacts", arts);
        m.put("parameters", d.parameters().values());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("origin", d.provenance().origin());
        p.put("publisher", d.provenance().publisher());
        if (d.provenance().homepage() != null) {
            p.put("homepage", d.provenance().homepage());
        }
        p.put("checksumPublished", d.provenance().checksumPublished());
        if (d.provenance().note() != null) {
            p.put("note", d.provenance().note());
        }
        m.put("provenance", p);
        return m;
    }

    private static void unknown(Map<String, Node> m, Set<String> known, String source, String path) {
        for (Map.Entry<String, Node> e : m.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw fail(source, e.getValue(), path + e.getKey(), "unknown field (expected one of "
                        + known.stream().sorted().toList() + ")");
            }
        }
    }

    private static String required(Map<String, Node> m, String key, String source, String path, Node owner) {
        Node n = m.get(key);
        if (n == null || n.value() == null) {
            throw fail(source, n == null ? owner : n, path + key, "missing");
        }
        String s = scalar(n, source, path + key);
        if (s.isBlank()) {
            throw fail(source, n, path + key, "is empty");
        }
        return s;
    }

    private static String opt(Map<String, Node> m, String key, String source, String path) {
        Node n = m.get(key);
        return n == null || n.value() == null ? null : scalar(n, source, path + key);
    }

    private static String scalar(Node n, String source, String field) {
        Object v = n.value();
        if (v instanceof Map || v instanceof List) {
            throw fail(source, n, field, "must be a single value, not a " + (v instanceof Map ? "map" : "list"));
        }
        if (v == null) {
            throw fail(source, n, field, "is null");
        }
        // as written: an unquoted 1.10 stays "1.10", 010 stays "010"
        return n.text() != null ? n.text() : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Node> object(Node n, String source, String field) {
        if (!(n.value() instanceof Map)) {
            throw fail(source, n, field, "must be a map of fields");
        }
        return (Map<String, Node>) n.value();
    }

    @SuppressWarnings("unchecked")
    private static List<Node> list(Node n, String source, String field) {
        if (!(n.value() instanceof List)) {
            throw fail(source, n, field, "must be a list");
        }
        return (List<Node>) n.value();
    }

    private static InvalidDescriptorException fail(String source, Node at, String field, String problem) {
        return new InvalidDescriptorException(source, at == null ? 0 : at.line(), field, problem);
    }
}
