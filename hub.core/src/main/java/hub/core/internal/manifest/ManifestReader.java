package hub.core.internal.manifest;

import hub.api.InvalidDescriptorException;
import hub.api.ModelDescriptor;
import hub.api.ModelRef;
import hub.api.Provenance;
import hub.api.VerificationLevel;
import hub.core.internal.catalog.DescriptorCodec;
import hub.core.internal.catalog.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a manifest, naming file, line and field in every error:
 *
 * <pre>
 * cache_dir: models            # optional, relative to the manifest
 * verification: sha256         # none, size or sha256
 * models:
 *   - yolov8n@8.2.0            # a catalog reference
 *   - name: my-embedder        # a source spec
 *     version: "1"
 *     family: embedding
 *     source: hf://org/repo    # files are resolved below it
 *     revision: 0123abc        # hf revision (default main)
 *     files:
 *       - {path: model.onnx, sha256: ..., size: 123}
 *       - {path: labels.txt, role: labels}
 * profiles:
 *   minimal: [yolov8n]
 * </pre>
 */
final class ManifestReader {
    private static final Set<String> TOP = Set.of("cache_dir", "verification", "models", "profiles");
    private static final Set<String> SPEC = Set.of("name", "version", "family", "task", "description", "license",
            "tags", "tier", "devices", "parameters", "source", "revision", "files", "ref");
    private static final Set<String> FILE = Set.of("path", "role", "sha256", "size");

    private ManifestReader() {
    }

    static Manifest read(Path file) {
        String src = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidDescriptorException(src, 0, null, "no such manifest file");
        }
        Node root;
        try (InputStream in = Files.newInputStream(file)) {
            root = Node.parse(in, src, true);
        } catch (IOException e) {
            throw new InvalidDescriptorException(src, 0, null, "cannot read: " + e.getMessage());
        }
        Map<String, Node> top = map(root, src, null);
        for (Map.Entry<String, Node> e : top.entrySet()) {
            if (!TOP.contains(e.getKey())) {
                throw fail(src, e.getValue(), e.getKey(), "unknown field (expected one of " + TOP.stream().sorted().toList() + ")");
            }
        }
        Path cacheDir = null;
        if (top.containsKey("cache_dir")) {
            String d = scalar(top.get("cache_dir"), src, "cache_dir");
            Path p = Path.of(d.startsWith("~/") ? System.getProperty("user.home") + d.substring(1) : d);
            cacheDir = p.isAbsolute() ? p : file.toAbsolutePath().getParent().resolve(p).normalize();
        }
        VerificationLevel level = null;
        if (top.containsKey("verification")) {
            try {
                level = VerificationLevel.parse(scalar(top.get("verification"), src, "verification"));
            } catch (IllegalArgumentException e) {
                throw fail(src, top.get("verification"), "verification", e.getMessage());
            }
        }
        if (!top.containsKey("models")) {
            throw fail(src, root, "models", "missing (the list of models to ensure)");
        }
        List<Manifest.Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Node> models = list(top.get("models"), src, "models");
        for (int i = 0; i < models.size(); i++) {
            Manifest.Entry e = entry(models.get(i), src, "models[" + i + "]");
            if (!names.add(e.name())) {
                throw fail(src, models.get(i), "models[" + i + "]", "model '" + e.name() + "' is listed twice");
            }
            entries.add(e);
        }
        Map<String, List<String>> profiles = new LinkedHashMap<>();
        if (top.containsKey("profiles")) {
            for (Map.Entry<String, Node> p : map(top.get("profiles"), src, "profiles").entrySet()) {
                List<String> members = new ArrayList<>();
                List<Node> list = list(p.getValue(), src, "profiles." + p.getKey());
                for (int i = 0; i < list.size(); i++) {
                    String field = "profiles." + p.getKey() + "[" + i + "]";
                    String m = scalar(list.get(i), src, field);
                    String name = m.contains("@") ? m.substring(0, m.indexOf('@')) : m;
                    if (!names.contains(name)) {
                        throw fail(src, list.get(i), field, "'" + m + "' is not one of the manifest's models " + names);
                    }
                    members.add(name);
                }
                profiles.put(p.getKey(), members);
            }
        }
        return new Manifest(file.toAbsolutePath().normalize(), cacheDir, level, entries, profiles);
    }

    private static Manifest.Entry entry(Node n, String src, String path) {
        if (!(n.value() instanceof Map)) {
            ModelRef ref = ref(scalar(n, src, path), n, src, path);
            return new Manifest.Entry(ref.name(), ref, null, n.line());
        }
        Map<String, Node> m = map(n, src, path);
        for (Map.Entry<String, Node> e : m.entrySet()) {
            if (!SPEC.contains(e.getKey())) {
                throw fail(src, e.getValue(), path + "." + e.getKey(), "unknown field");
            }
        }
        if (m.containsKey("ref")) {
            if (m.size() != 1) {
                throw fail(src, n, path, "'ref' stands alone; a source spec has name, version, family, source and files");
            }
            ModelRef ref = ref(scalar(m.get("ref"), src, path + ".ref"), m.get("ref"), src, path + ".ref");
            return new Manifest.Entry(ref.name(), ref, null, n.line());
        }
        if (!m.containsKey("source") || !m.containsKey("files")) {
            throw fail(src, n, path + (m.containsKey("source") ? ".files" : ".source"),
                    "missing: a source spec needs source and files (or use a catalog reference)");
        }
        String base = scalar(m.get("source"), src, path + ".source").replaceAll("/+$", "");
        String revision = m.containsKey("revision") ? scalar(m.get("revision"), src, path + ".revision") : null;
        if (revision != null && !base.startsWith("hf:")) {
            throw fail(src, m.get("revision"), path + ".revision", "only hf:// sources have a revision");
        }
        List<Object> artifacts = new ArrayList<>();
        List<Node> files = list(m.get("files"), src, path + ".files");
        for (int i = 0; i < files.size(); i++) {
            Node f = files.get(i);
            String fp = path + ".files[" + i + "]";
            Map<String, Object> a = new LinkedHashMap<>();
            String filePath;
            if (f.value() instanceof Map) {
                Map<String, Node> fm = map(f, src, fp);
                for (Map.Entry<String, Node> e : fm.entrySet()) {
                    if (!FILE.contains(e.getKey())) {
                        throw fail(src, e.getValue(), fp + "." + e.getKey(), "unknown field (expected path, role, sha256, size)");
                    }
                }
                if (!fm.containsKey("path")) {
                    throw fail(src, f, fp + ".path", "missing");
                }
                filePath = scalar(fm.get("path"), src, fp + ".path");
                fm.forEach((k, v) -> {
                    if (!k.equals("path")) {
                        a.put(k, v.plain());
                    }
                });
            } else {
                filePath = scalar(f, src, fp);
            }
            if (filePath.contains("..") || filePath.startsWith("/")) {
                throw fail(src, f, fp + ".path", "must be a relative path inside the source without '..'");
            }
            a.putIfAbsent("role", i == 0 ? "model" : roleOf(filePath));
            a.put("source", base + "/" + filePath + (revision != null ? "@" + revision : ""));
            a.put("file", filePath.substring(filePath.lastIndexOf('/') + 1));
            artifacts.add(a);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (!k.equals("source") && !k.equals("revision") && !k.equals("files")) {
                doc.put(k, v.plain());
            }
        });
        doc.put("artifacts", artifacts);
        doc.put("provenance", Map.of("publisher", base, "note", "declared in manifest " + src));
        ModelDescriptor d = DescriptorCodec.model(new Node(toNodes(doc, n.line()).value(), n.line()), src, path + ".",
                Provenance.MANIFEST);
        return new Manifest.Entry(d.name(), d.ref(), d, n.line());
    }

    private static String roleOf(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
        int dot = base.indexOf('.');
        String r = (dot > 0 ? base.substring(0, dot) : base).replaceAll("[^a-z0-9._-]", "-");
        return r.isEmpty() || !Character.isLetter(r.charAt(0)) ? "file-" + r : r;
    }

    /** Rebuilds located nodes for a synthesized document, every node on the entry's line. */
    private static Node toNodes(Object v, int line) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Node> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, toNodes(x, line)));
            return new Node(out, line);
        }
        if (v instanceof List<?> l) {
            return new Node(l.stream().map(x -> toNodes(x, line)).toList(), line);
        }
        return new Node(v, line);
    }

    private static ModelRef ref(String text, Node n, String src, String field) {
        try {
            return ModelRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw fail(src, n, field, e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Node> map(Node n, String src, String field) {
        if (!(n.value() instanceof Map)) {
            throw fail(src, n, field, "must be a map");
        }
        return (Map<String, Node>) n.value();
    }

    @SuppressWarnings("unchecked")
    private static List<Node> list(Node n, String src, String field) {
        if (!(n.value() instanceof List)) {
            throw fail(src, n, field, "must be a list");
        }
        return (List<Node>) n.value();
    }

    private static String scalar(Node n, String src, String field) {
        if (n.value() == null || n.value() instanceof Map || n.value() instanceof List) {
            throw fail(src, n, field, "must be a single value");
        }
        return n.value().toString();
    }

    private static InvalidDescriptorException fail(String src, Node at, String field, String problem) {
        return new InvalidDescriptorException(src, at == null ? 0 : at.line(), field, problem);
    }
}
