package hub.core.internal.shell;

import hub.core.json.Json;
import hub.core.internal.manifest.ManifestSync;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code hub:sync} and {@code hub:clean}: ensure or remove the models a manifest lists. */
@Component(service = ManifestCommands.class, immediate = true, property = {"osgi.command.scope=hub",
        "osgi.command.function=sync", "osgi.command.function=clean"})
public class ManifestCommands {
    private static final String ABSENT = "";
    private final ManifestSync manifests;

    /**
     * @param manifests the manifest service
     */
    @Activate
    public ManifestCommands(@Reference ManifestSync manifests) {
        this.manifests = manifests;
    }

    /**
     * @param session for the working directory
     * @param profile profile to sync
     * @param model only this model
     * @param verifyOnly download nothing, verify what is cached
     * @param offline download nothing, fail listing what is missing
     * @param json JSON output
     * @param file the manifest
     * @return one line per model
     */
    @Descriptor("ensure the models of a manifest are cached and verified (CI_MINIMAL_MODELS=true selects 'minimal')")
    public String sync(CommandSession session,
            @Descriptor("profile to sync") @Parameter(names = {"-p", "--profile"}, absentValue = ABSENT) String profile,
            @Descriptor("only this model") @Parameter(names = {"-m", "--model"}, absentValue = ABSENT) String model,
            @Descriptor("download nothing; re-hash what is cached") @Parameter(names = {"--verify-only"}, presentValue = "true", absentValue = "false") boolean verifyOnly,
            @Descriptor("download nothing; fail listing what is missing") @Parameter(names = {"--offline"}, presentValue = "true", absentValue = "false") boolean offline,
            @Descriptor("JSON output") @Parameter(names = {"--json"}, presentValue = "true", absentValue = "false") boolean json,
            @Descriptor("manifest file") String file) {
        List<ManifestSync.Line> lines = manifests.sync(path(session, file), new ManifestSync.Options(
                profile.isEmpty() ? null : profile, model.isEmpty() ? null : model, verifyOnly, offline));
        return json ? Json.write(lines) : render(lines);
    }

    /**
     * @param session for the working directory
     * @param model only this model
     * @param file the manifest
     * @return what was removed
     */
    @Descriptor("remove the cached files of a manifest's models")
    public String clean(CommandSession session,
            @Descriptor("only this model") @Parameter(names = {"-m", "--model"}, absentValue = ABSENT) String model,
            @Descriptor("manifest file") String file) {
        return render(manifests.clean(path(session, file), model.isEmpty() ? null : model));
    }

    private static String render(List<ManifestSync.Line> lines) {
        List<List<String>> rows = new ArrayList<>();
        lines.forEach(l -> rows.add(List.of(l.ref().toString(), l.outcome())));
        return Format.table(List.of("MODEL", "RESULT"), rows);
    }

    private static Path path(CommandSession session, String file) {
        Path p = Path.of(file);
        Object cwd = session == null ? null : session.currentDir();
        return p.isAbsolute() || !(cwd instanceof Path dir) ? p.toAbsolutePath() : dir.resolve(p);
    }
}
