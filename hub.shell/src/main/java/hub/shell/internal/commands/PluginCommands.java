package hub.shell.internal.commands;

import hub.api.plugin.PluginInfo;
import hub.core.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Plug-ins: the jars of the home's plug-ins folder, which every process of the home installs and starts. */
final class PluginCommands {
    /** How long install and remove wait for this hub to have taken the change (File Install checks every 2 s). */
    static final Duration WAIT = Duration.ofSeconds(15);

    private PluginCommands() {
    }

    @Command(name = "plugin", description = "Plug-ins (model families, embedding services) in HOME/plugins/: every process of the home runs them.",
            subcommands = {PluginInstall.class, PluginList.class, PluginRemove.class})
    static final class Plugin extends Group {
    }

    @Command(name = "install", description = "Copy a plug-in jar (a file, or maven:GROUP:ARTIFACT:VERSION) into the plug-ins folder and wait until it runs here.")
    static final class PluginInstall extends JsonCmd {
        @Parameters(paramLabel = "FILE|maven:G:A:V", description = "the bundle's jar, or its Maven coordinates (local repository, else the remote one, checked against its .sha1)")
        String source;

        PluginInstall(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            PluginInfo p = source.startsWith("maven:") ? s.plugins().get().installMaven(source, WAIT)
                    : s.plugins().get().install(session.path(source), WAIT);
            if (json) {
                return Json.write(p);
            }
            String what = p.symbolicName() + " " + p.version() + " (" + p.file() + ")";
            if ("ACTIVE".equals(p.state()) && p.problem() == null) {
                return "installed " + what + provides(p);
            }
            throw new hub.api.plugin.PluginException("installed " + what + " into the plug-ins folder, but it is "
                    + p.state() + ": " + p.problem());
        }
    }

    static String provides(PluginInfo p) {
        List<String> parts = new ArrayList<>();
        if (!p.families().isEmpty()) {
            parts.add("families " + String.join(", ", p.families()));
        }
        if (!p.embeddingServices().isEmpty()) {
            parts.add("embedding services " + String.join(", ", p.embeddingServices()));
        }
        return parts.isEmpty() ? "" : ": " + String.join("; ", parts);
    }

    @Command(name = "list", aliases = "ls", description = "The plug-ins: bundle, version, state, what it provides, and why it does not run.")
    static final class PluginList extends JsonCmd {
        PluginList(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            List<PluginInfo> all = s.plugins().get().list();
            if (json) {
                return Json.write(all);
            }
            if (all.isEmpty()) {
                return "no plug-ins in " + s.plugins().get().folder() + " (hub plugin install FILE)";
            }
            List<List<String>> rows = new ArrayList<>();
            for (PluginInfo p : all) {
                List<String> provides = new ArrayList<>(p.families());
                p.embeddingServices().forEach(e -> provides.add("embedding:" + e));
                rows.add(List.of(p.symbolicName() == null ? "-" : p.symbolicName(), p.version() == null ? "-" : p.version(),
                        p.state(), provides.isEmpty() ? "-" : String.join(",", provides), p.file(),
                        p.problem() == null ? "" : p.problem()));
            }
            return Format.table(List.of("BUNDLE", "VERSION", "STATE", "PROVIDES", "FILE", "PROBLEM"), rows);
        }
    }

    @Command(name = "remove", aliases = "rm", description = "Remove a plug-in (by bundle name or file name) from the folder; every process of the home uninstalls it.")
    static final class PluginRemove extends Cmd {
        @Parameters(paramLabel = "NAME", description = "the bundle's symbolic name or the jar's file name (hub plugin list)")
        String name;

        PluginRemove(Ctx ctx) {
            super(ctx);
        }

        @Override
        String run() {
            PluginInfo p = s.plugins().get().remove(name, WAIT);
            return "removed " + (p.symbolicName() == null ? p.file() : p.symbolicName() + " " + p.version() + " (" + p.file() + ")");
        }
    }
}
