package hub.core.internal.shell;

import hub.api.AccessTier;
import hub.api.access.ApiKey;
import hub.api.access.ApiKeys;
import hub.api.access.CreatedKey;
import hub.core.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code key create|list|revoke}: API keys for the HTTP API. */
@Component(service = KeyCommands.class, immediate = true, property = {"osgi.command.scope=hub",
        "osgi.command.function=key"})
public class KeyCommands {
    private final ApiKeys keys;

    /**
     * @param keys the key store
     */
    @Activate
    public KeyCommands(@Reference ApiKeys keys) {
        this.keys = keys;
    }

    /**
     * @param tier tier of a new key
     * @param admin admin role for a new key
     * @param label what a new key is for
     * @param json JSON output
     * @param args {@code create}, {@code list}, or {@code revoke ID}
     * @return the new key (shown once), the keys, or what was revoked
     */
    @Descriptor("API keys: create --tier lite|standard|professional [--admin] [--label L] | list | revoke ID")
    public String key(
            @Descriptor("tier of the new key") @Parameter(names = {"-t", "--tier"}, absentValue = "") String tier,
            @Descriptor("admin role: download, delete, register, switch, unload") @Parameter(names = {"--admin"}, presentValue = "true", absentValue = "false") boolean admin,
            @Descriptor("what the key is for") @Parameter(names = {"-l", "--label"}, absentValue = "") String label,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("create | list | revoke ID") String... args) {
        String op = args.length == 0 ? "list" : args[0];
        switch (op) {
            case "create" -> {
                if (tier.isBlank()) {
                    throw new IllegalArgumentException("key create needs --tier lite, standard or professional");
                }
                CreatedKey k = keys.create(AccessTier.parse(tier), admin, label);
                if (json) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("id", k.key().id());
                    doc.put("tier", k.key().tier().id());
                    doc.put("admin", k.key().admin());
                    doc.put("key", k.secret());
                    return Json.write(doc);
                }
                return k.secret() + "\n(key " + k.key().id() + ", tier " + k.key().tier().id()
                        + (k.key().admin() ? ", admin" : "") + "; shown only now: the hub keeps only its hash)";
            }
            case "list" -> {
                List<ApiKey> all = keys.list();
                if (json) {
                    return Json.write(all.stream().map(k -> Map.of("id", k.id(), "tier", k.tier().id(), "admin",
                            k.admin(), "label", k.label(), "created", k.created().toString())).toList());
                }
                List<List<String>> rows = new ArrayList<>();
                for (ApiKey k : all) {
                    rows.add(List.of(k.id(), k.tier().id(), k.admin() ? "admin" : "-", k.created().toString(), k.label()));
                }
                return rows.isEmpty() ? "no API keys" : Format.table(List.of("ID", "TIER", "ROLE", "CREATED", "LABEL"), rows);
            }
            case "revoke" -> {
                if (args.length < 2) {
                    throw new IllegalArgumentException("usage: key revoke ID");
                }
                if (!keys.revoke(args[1])) {
                    throw new IllegalArgumentException("no API key '" + args[1] + "'");
                }
                return "revoked " + args[1];
            }
            default -> throw new IllegalArgumentException("key: create, list or revoke expected, not '" + op + "'");
        }
    }
}
