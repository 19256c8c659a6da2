package hub.shell.internal;

import hub.shell.internal.commands.Session;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The commands in a Gogo shell, where the hub's bundles run in someone's framework: {@code hub:detect dog.jpg},
 * {@code hub:list --json}... One Gogo function per command, each handing its words to the same command line.
 */
@Component(immediate = true)
public class GogoCommands {
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    /**
     * @param context where the functions are registered
     * @param cli the commands
     */
    @Activate
    public GogoCommands(BundleContext context, @Reference HubCli cli) {
        for (String name : cli.commands()) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("osgi.command.scope", "hub");
            props.put("osgi.command.function", name);
            Function f = (CommandSession session, List<Object> arguments) -> {
                List<String> args = new ArrayList<>();
                args.add(name);
                arguments.forEach(a -> args.add(String.valueOf(a)));
                PrintStream out = session.getConsole();
                Object dir = session.currentDir();
                Session s = new Session(out, out, dir instanceof Path p ? p : Path.of("").toAbsolutePath(), false,
                        false, 80, false, null);
                int status = cli.execute(args, s);
                return status == 0 ? null : "exit " + status;
            };
            registrations.add(context.registerService(Function.class, f, props));
        }
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // gone already
            }
        }
    }
}
