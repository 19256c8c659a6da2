package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.Test;

/**
 * The Kubernetes manifests in {@code examples/kubernetes} (no cluster here to apply them to): each parses, and the
 * probes, ports, arguments and settings they give the hub are ones the hub serves and reads.
 */
public class KubernetesManifestsIT {
    private static final Path DIR = Path.of("..", "examples", "kubernetes");
    private static final ObjectMapper YAML = new YAMLMapper();

    private static Map<String, JsonNode> documents(String file) throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        try (var parser = new YAMLFactory().createParser(DIR.resolve(file).toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
            for (JsonNode d : docs) {
                assertTrue(file + ": " + d, d.hasNonNull("apiVersion") && d.hasNonNull("kind")
                        && d.path("metadata").hasNonNull("name"));
                byName.put(d.get("kind").asText() + "/" + d.get("metadata").get("name").asText(), d);
            }
        }
        return byName;
    }

    @Test
    public void theStatefulSetProbesTheHubsReadinessAndMountsItsSettings() throws Exception {
        Map<String, JsonNode> docs = documents("hub.yaml");
        JsonNode pod = docs.get("StatefulSet/vision-hub").at("/spec/template/spec");
        JsonNode hub = pod.at("/containers/0");
        assertEquals("/v2/health/ready", hub.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/v2/health/live", hub.at("/livenessProbe/httpGet/path").asText());
        assertEquals("http", hub.at("/ports/0/name").asText());
        assertEquals(8080, hub.at("/ports/0/containerPort").asInt());
        assertEquals(List.of("serve", "--host", "0.0.0.0", "--port", "8080"),
                YAML.convertValue(hub.get("args"), List.class));
        List<String> env = new ArrayList<>();
        hub.get("env").forEach(e -> env.add(e.get("name").asText()));
        assertTrue(env.toString(), env.contains("HUB_ADDRESS"));
        // the settings land in HOME/config, where the hub reads them (the image's HUB_HOME)
        assertTrue(Files.readString(DIR.resolve("Dockerfile")).contains("HUB_HOME=/var/lib/vision-hub"));
        List<String> mounts = new ArrayList<>();
        hub.get("volumeMounts").forEach(m -> mounts.add(m.get("mountPath").asText()));
        assertTrue(mounts.toString(), mounts.containsAll(List.of("/var/lib/vision-hub", "/var/lib/vision-hub/config")));
        assertEquals("home", docs.get("StatefulSet/vision-hub").at("/spec/volumeClaimTemplates/0/metadata/name").asText());
        for (String svc : List.of("Service/vision-hub", "Service/vision-hub-pods")) {
            assertEquals(svc, "http", docs.get(svc).at("/spec/ports/0/targetPort").asText());
        }
        assertEquals("None", docs.get("Service/vision-hub-pods").at("/spec/clusterIP").asText());
    }

    @Test
    public void theConfigMapHoldsSettingsTheHubReads() throws Exception {
        Map<String, JsonNode> docs = documents("config.yaml");
        JsonNode data = docs.get("ConfigMap/vision-hub-config").get("data");
        Properties state = new Properties();
        state.load(new java.io.StringReader(data.get("hub.state.cfg").asText()));
        assertEquals("postgresql", state.getProperty("store"));
        assertTrue(state.getProperty("url").startsWith("jdbc:postgresql://"));
        Properties store = new Properties();
        store.load(new java.io.StringReader(data.get("hub.store.cfg").asText()));
        // every key is one of the artifact store's or the S3 store's settings (both read the hub.store configuration)
        List<String> known = new ArrayList<>();
        for (Class<?> c : List.of(Class.forName("hub.core.internal.store.StoreConfig"),
                Class.forName("hub.store.s3.internal.S3Config"))) {
            for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                known.add(m.getName());
            }
        }
        for (String key : store.stringPropertyNames()) {
            assertTrue(key + " is not a hub.store setting: " + known, known.contains(key));
        }
        // the password the state settings name comes from the Secret
        JsonNode secret = docs.get("Secret/vision-hub-secrets").get("stringData");
        assertTrue(secret.has(state.getProperty("passwordEnv")));
        assertTrue(secret.has("AWS_ACCESS_KEY_ID") && secret.has("AWS_SECRET_ACCESS_KEY"));
    }

    @Test
    public void theServingRuntimeSpeaksTheOpenInferenceProtocol() throws Exception {
        Map<String, JsonNode> docs = documents("servingruntime.yaml");
        JsonNode rt = docs.get("ServingRuntime/vision-hub").get("spec");
        assertEquals("v2", rt.at("/protocolVersions/0").asText());
        assertEquals("onnx", rt.at("/supportedModelFormats/0/name").asText());
        JsonNode c = rt.at("/containers/0");
        assertEquals("kserve-container", c.get("name").asText());
        assertEquals("/v2/health/ready", c.at("/readinessProbe/httpGet/path").asText());
        assertTrue(c.at("/args/0").asText().contains("serve --host 0.0.0.0 --port 8080"));
        assertEquals("vision-hub", docs.get("InferenceService/yolov8n").at("/spec/predictor/model/runtime").asText());
    }
}
