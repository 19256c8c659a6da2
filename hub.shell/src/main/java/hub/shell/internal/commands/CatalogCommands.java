package hub.shell.internal.commands;

import hub.api.AccessTier;
import hub.api.ArtifactCheck;
import hub.api.ArtifactException;
import hub.api.ChecksumMismatchException;
import hub.api.CleanupReport;
import hub.api.DownloadRecord;
import hub.api.Family;
import hub.api.LocalModel;
import hub.api.ModelDescriptor;
import hub.api.ModelQuery;
import hub.api.ModelRef;
import hub.api.ModelsMissingException;
import hub.api.PullOptions;
import hub.api.TransferProgress;
import hub.api.ValidationReport;
import hub.api.VerificationLevel;
import hub.api.manifest.ManifestLine;
import hub.api.manifest.SyncOptions;
import hub.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Catalog and cache commands. */
final class CatalogCommands {
    private CatalogCommands() {
    }

    @Command(name = "list", aliases = "ls", description = "List the catalog's models (a tier shows its own and lower tiers).")
    static final class ListModels extends JsonCmd {
        @Option(names = {"-f", "--family"}, paramLabel = "FAMILY", completionCandidates = Candidates.Families.class,
                description = "only this family: ${COMPLETION-CANDIDATES}")
        String family;
        @Option(names = {"-t", "--tag"}, paramLabel = "TAG", description = "only models with this tag")
        String tag;
        @Option(names = "--tier", paramLabel = "TIER", completionCandidates = Candidates.Tiers.class,
                description = "only models this tier may use: ${COMPLETION-CANDIDATES}")
        String tier;

        ListModels(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            ModelQuery q = new ModelQuery(family == null ? null : Family.of(family), blank(tag),
                    tier == null ? null : AccessTier.parse(tier));
            List<ModelDescriptor> models = s.registry().get().list(q);
            if (json) {
                return Json.write(models);
            }
            if (models.isEmpty()) {
                List<String> families = new ArrayList<>();
                new Candidates.Families(new Ctx(s, session)).forEach(families::add);
                if (family != null && !families.contains(family)) {
                    throw new IllegalArgumentException("no model family '" + family + "'"
                            + hub.core.text.Suggestions.hint(family, families) + "; families: " + String.join(", ", families));
                }
                return "no models match";
            }
            return Format.models(models);
        }
    }

    @Command(name = "info", description = "Show a model's catalog entry, status, versions, files with checksums and loader.")
    static final class Info extends JsonCmd {
        @Parameters(paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class, description = "the model")
        String ref;

        Info(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            return output(s.hub().get().info(ModelRef.parse(ref)), i -> Format.info((hub.api.ModelInfo) i));
        }
    }

    @Command(name = "device", description = "Show ONNX Runtime's version, execution providers, GPUs and the recommended device.")
    static final class DeviceCmd extends JsonCmd {

        DeviceCmd(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            return output(s.devices().get().info(), i -> Format.device((hub.api.DeviceInfo) i));
        }
    }

    @Command(name = "register", description = "Register custom models from a YAML or JSON descriptor (one model, or a models: list).")
    static final class Register extends Cmd {
        @Parameters(paramLabel = "FILE", description = "descriptor file (.yaml, .yml or .json)")
        Path file;

        Register(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            List<ModelDescriptor> done = s.registry().get().register(session.path(file.toString()));
            return "registered " + String.join(", ", done.stream().map(d -> d.ref().toString()).toList());
        }
    }

    @Command(name = "unregister", description = "Remove a custom entry from the catalog (built-in entries stay).")
    static final class Unregister extends Cmd {
        @Parameters(paramLabel = "NAME@VERSION", completionCandidates = Candidates.Models.class, description = "the entry")
        String ref;

        Unregister(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            return "unregistered " + s.registry().get().unregister(ModelRef.parse(ref)).ref();
        }
    }

    @Command(name = "cache", description = "Show the cache: directory, limit, use, free disk, and each cached version.")
    static final class Cache extends JsonCmd {

        Cache(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            return output(s.store().get().cacheInfo(), c -> Format.cache((hub.api.CacheInfo) c));
        }
    }

    @Command(name = "pull", description = "Download and verify a model's files into the cache, showing progress on stderr.")
    static final class Pull extends Cmd {
        @Parameters(paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class, description = "the model")
        String ref;
        @Option(names = {"-f", "--force"}, description = "download again even when a verified copy is cached")
        boolean force;
        @Option(names = "--verify", paramLabel = "LEVEL", completionCandidates = Candidates.Levels.class,
                description = "${COMPLETION-CANDIDATES} (default: the store's setting, sha256)")
        String verification;

        Pull(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() throws InterruptedException {
            PullOptions options = new PullOptions(force, verification == null ? null
                    : VerificationLevel.parse(verification), session.offline());
            // transfers report from their own threads: queue the progress and draw it from the command's thread
            BlockingQueue<Object> progress = new LinkedBlockingQueue<>();
            CompletableFuture<LocalModel> pulling = s.store().get().pullAsync(ModelRef.parse(ref), options,
                    new hub.api.ProgressListener() {
                        @Override
                        public void onProgress(TransferProgress p) {
                            progress.add(p);
                        }

                        @Override
                        public void onRetry(hub.api.TransferRetry r) {
                            progress.add(r);
                        }
                    }).toCompletableFuture();
            ProgressBar bar = new ProgressBar(session.err(), session.errTerminal());
            while (!pulling.isDone() || !progress.isEmpty()) {
                if (session.cancelled()) {
                    pulling.cancel(true); // stops the transfers no other pull waits for
                    throw new ArtifactException("pull of " + ref + " cancelled; the next pull resumes where it stopped",
                            null);
                }
                Object p = progress.poll(100, TimeUnit.MILLISECONDS);
                if (p instanceof TransferProgress t) {
                    bar.onProgress(t);
                } else if (p instanceof hub.api.TransferRetry r) {
                    bar.onRetry(r);
                }
            }
            LocalModel m;
            try {
                m = pulling.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : e;
            }
            long bytes = m.files().values().stream().mapToLong(CatalogCommands::size).sum();
            return "pulled " + m.descriptor().ref() + ": " + m.files().size() + " file(s), " + Format.bytes(bytes)
                    + " in " + m.modelFile().getParent();
        }
    }

    @Command(name = "verify", description = "Re-hash a cached model's files; exit 9 on a mismatch, 8 when a file is missing.")
    static final class Verify extends JsonCmd {
        @Parameters(paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class, description = "the model")
        String ref;

        Verify(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            ValidationReport r = s.store().get().validate(ModelRef.parse(ref));
            String text = json ? Json.write(r) : Format.validation(r);
            for (ArtifactCheck c : r.artifacts()) {
                if (c.message().equals("missing")) {
                    throw new ModelsMissingException(List.of(r.ref() + " " + c.role() + ": " + c.file() + " missing"));
                }
                if (c.message().equals("checksum mismatch")) {
                    throw new ChecksumMismatchException(r.ref() + " " + c.role(), c.expectedSha256(), c.actualSha256(),
                            false);
                }
                if (!c.ok()) {
                    throw new ArtifactException(r.ref() + " " + c.role() + ": " + c.message(), null);
                }
            }
            return text;
        }
    }

    @Command(name = "rm", description = "Remove a model's cached files (every version when none is given).")
    static final class Remove extends Cmd {
        @Parameters(paramLabel = "NAME[@VERSION]", completionCandidates = Candidates.Models.class, description = "the model")
        String ref;

        Remove(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            List<ModelRef> removed = s.store().get().remove(ModelRef.parse(ref));
            return removed.isEmpty() ? "nothing cached for " + ref
                    : "removed " + String.join(", ", removed.stream().map(ModelRef::toString).toList());
        }
    }

    @Command(name = "cleanup", description = "Remove orphan partial files, files no entry owns and files that fail verification.")
    static final class Cleanup extends JsonCmd {

        Cleanup(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            CleanupReport r = s.store().get().cleanup();
            if (json) {
                return Json.write(r);
            }
            return r.removed().isEmpty() ? "nothing to clean up"
                    : String.join("\n", r.removed()) + "\nfreed " + Format.bytes(r.bytesFreed());
        }
    }

    @Command(name = "history", description = "Show download records: start, end, bytes, resumed offset, outcome, error.")
    static final class History extends JsonCmd {
        @Parameters(paramLabel = "NAME", arity = "0..1", completionCandidates = Candidates.Models.class,
                description = "only this model")
        String name;

        History(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            List<DownloadRecord> h = s.store().get().history(name == null ? null : ModelRef.validateName(name));
            if (json) {
                return Json.write(h);
            }
            return h.isEmpty() ? "no downloads recorded" + (name == null ? "" : " for " + name) : Format.history(h);
        }
    }

    @Command(name = "sync", description = "Ensure the models of a manifest are cached and verified "
            + "(CI_MINIMAL_MODELS=true selects its 'minimal' profile).")
    static final class Sync extends JsonCmd {
        @Parameters(paramLabel = "FILE", description = "the manifest (YAML)")
        Path file;
        @Option(names = {"-p", "--profile"}, paramLabel = "PROFILE", description = "only this profile")
        String profile;
        @Option(names = {"-m", "--model"}, paramLabel = "NAME", completionCandidates = Candidates.Models.class,
                description = "only this model")
        String model;
        @Option(names = "--verify-only", description = "download nothing; re-hash what is cached")
        boolean verifyOnly;

        Sync(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            List<ManifestLine> lines = s.manifests().get().sync(session.path(file.toString()),
                    new SyncOptions(blank(profile), blank(model), verifyOnly, session.offline()));
            return json ? Json.write(lines) : render(lines);
        }
    }

    @Command(name = "clean", description = "Remove the cached files of a manifest's models.")
    static final class Clean extends Cmd {
        @Parameters(paramLabel = "FILE", description = "the manifest (YAML)")
        Path file;
        @Option(names = {"-m", "--model"}, paramLabel = "NAME", completionCandidates = Candidates.Models.class,
                description = "only this model")
        String model;

        Clean(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            return render(s.manifests().get().clean(session.path(file.toString()), blank(model)));
        }
    }

    private static String render(List<ManifestLine> lines) {
        List<List<String>> rows = new ArrayList<>();
        lines.forEach(l -> rows.add(List.of(l.ref().toString(), l.outcome())));
        return rows.isEmpty() ? "no models selected" : Format.table(List.of("MODEL", "RESULT"), rows);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
