package org.poolbench.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import org.poolbench.results.CsvFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/**
 * poolbench's command line: {@code run}, {@code charts}, {@code report}, {@code compare}, {@code reproduce}, {@code env}, {@code member},
 * {@code soak}.
 *
 * <p>Exit status: 0 on success, 1 when a run fails, 2 for anything the user can fix (a bad flag, name or number, an
 * unreadable or malformed CSV), reported in one line that names the bad value and the valid choices. Arguments are
 * all checked before anything is written, so a bad call never touches an earlier run.
 */
@Command(name = "poolbench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Multiprocessing against multithreading on the JVM, measured with JMH.",
        subcommands = {RunCommand.class, ChartsCommand.class, ReportCommand.class, CompareCommand.class,
                ReproduceCommand.class, EnvCommand.class, MemberCommand.class, SoakCommand.class, LessonCommand.class})
public final class Main implements Runnable {

    /** Exit status for errors the user can fix. */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (tests call this). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Main::onBadArguments);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UsageError || ex instanceof CsvFormatException
                    || ex instanceof IllegalArgumentException) {
                cmd.getErr().println("poolbench " + cmd.getCommandName() + ": " + ex.getMessage());
                return USAGE;
            }
            cmd.getErr().println("poolbench " + cmd.getCommandName() + ": error: " + ex);
            return 1;
        });
        return cli.execute(args);
    }

    private static int onBadArguments(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = ex.getMessage();
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            String bad = u.getUnmatched().isEmpty() ? "?" : u.getUnmatched().get(0);
            if (cmd.getCommandSpec().subcommands().isEmpty()) {
                String options = cmd.getCommandSpec().options().stream()
                        .map(OptionSpec::longestName).collect(Collectors.joining(", "));
                message = "unknown argument '" + bad + "'; valid options: " + options;
            } else {
                message = "unknown command '" + bad + "'; valid commands: "
                        + String.join(", ", cmd.getCommandSpec().subcommands().keySet());
            }
        }
        err.println("poolbench " + cmd.getCommandName() + ": " + message);
        return USAGE;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing command; valid commands: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** The version from the jar's manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"poolbench " + (v == null ? "dev" : v)};
        }
    }

    /** Splits a comma-separated option value, dropping blanks. */
    static List<String> list(String value) {
        return java.util.Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Parses positive integers from a comma-separated option value. */
    static List<Integer> positiveInts(String option, String value) {
        List<Integer> out = new java.util.ArrayList<>();
        for (String s : list(value)) {
            int n;
            try {
                n = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new UsageError(option + ": '" + s + "' is not a number; expected positive integers, e.g. 1,2,4");
            }
            if (n <= 0) {
                throw new UsageError(option + ": " + n + " is not a positive integer; expected e.g. 1,2,4");
            }
            out.add(n);
        }
        if (out.isEmpty()) {
            throw new UsageError(option + ": empty list; expected positive integers, e.g. 1,2,4");
        }
        return out.stream().distinct().sorted().toList();
    }
}
