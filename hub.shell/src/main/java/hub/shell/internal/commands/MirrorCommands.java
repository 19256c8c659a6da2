package hub.shell.internal.commands;

import hub.api.ModelRef;
import hub.api.mirror.MirrorRecord;
import hub.core.json.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hub mirror}: the fleet's mirrors of model artifacts (listed), and {@code hub mirror push}. */
final class MirrorCommands {
    private MirrorCommands() {
    }

    @Command(name = "mirror", description = "List the mirrors the shared catalog records (a hub pulls from a mirror"
            + " before the origin, always verifying the catalog's checksums); push a model to one.",
            subcommands = {Push.class})
    static final class Mirror extends JsonCmd {
        Mirror(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            List<MirrorRecord> all = s.mirrors().get().list();
            if (json) {
                return Json.write(all);
            }
            if (all.isEmpty()) {
                return "no mirror is recorded (hub mirror push NAME[@VERSION] s3://BUCKET/PREFIX makes one)";
            }
            List<List<String>> rows = new ArrayList<>();
            for (MirrorRecord m : all) {
                long bytes = m.artifacts().stream().mapToLong(MirrorRecord.MirroredArtifact::size).sum();
                rows.add(List.of(m.model().toString(), m.location().toString(), m.artifacts().size() + "",
                        Format.bytes(bytes), m.pushedAt().toString(), m.pushedBy()));
            }
            return Format.table(List.of("MODEL", "LOCATION", "FILES", "SIZE", "PUSHED", "BY"), rows);
        }
    }

    @Command(name = "push", description = "Upload a model version's verified files (pulled first when not cached) to"
            + " LOCATION/NAME/VERSION/, in parts and resuming an interrupted push, and record the mirror in the shared"
            + " catalog. S3 settings: AWS_* variables, the AWS profile files, or s3* keys in config/hub.store.cfg.")
    static final class Push extends Cmd {
        @Parameters(index = "0", paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class,
                description = "the model")
        String ref;
        @Parameters(index = "1", paramLabel = "LOCATION", description = "s3://BUCKET[/PREFIX]")
        String location;

        Push(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            URI where;
            try {
                where = new URI(location);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("invalid location '" + location + "': " + e.getMessage());
            }
            long[] shown = {0};
            MirrorRecord r = s.mirrors().get().push(ModelRef.parse(ref), where, (stored, total, reused) -> {
                long now = System.nanoTime();
                if (session.errTerminal() && (now - shown[0] > 200_000_000L || stored == total)) {
                    shown[0] = now;
                    session.err().print("\rpushing " + Format.bytes(stored) + " of " + Format.bytes(total)
                            + (reused > 0 ? " (" + Format.bytes(reused) + " already there)" : "") + "   ");
                    session.err().flush();
                }
            });
            if (session.errTerminal()) {
                session.err().println();
            }
            long bytes = r.artifacts().stream().mapToLong(MirrorRecord.MirroredArtifact::size).sum();
            return "mirrored " + r.model() + ": " + r.artifacts().size() + " file(s), " + Format.bytes(bytes) + " at "
                    + r.location();
        }
    }
}
