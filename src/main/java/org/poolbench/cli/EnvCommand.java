package org.poolbench.cli;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poolbench.results.Environment;
import picocli.CommandLine.Command;

/** {@code env}: prints what environment.csv would record about this machine and JVM. */
@Command(name = "env", mixinStandardHelpOptions = true, description = "Print the environment a run records.")
final class EnvCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        Map<String, String> env = Environment.capture("-", "-", Instant.now());
        env.forEach((k, v) -> System.out.println(k + "," + v));
        return 0;
    }
}
