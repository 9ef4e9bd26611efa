package org.poolbench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poolbench.pool.soak.Soak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code soak}: seeded rounds of every fault against every pool operation (see {@link Soak}); prints a table per
 * fault and writes it as CSV. Exit status 1 if any round hung, lost, duplicated or got a wrong result, left a
 * worker behind, or saw an exception other than the documented one.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Fault-inject the process pool: rounds of every fault against map, imap, imapUnordered, applyAsync, apply.")
final class SoakCommand implements Callable<Integer> {

    @Option(names = "--rounds", description = "Rounds to run (one fault each), default ${DEFAULT-VALUE}.")
    String rounds = "100";

    @Option(names = "--seed", description = "Seed of the rounds' random choices, default ${DEFAULT-VALUE}.")
    String seed = "7";

    @Option(names = "--transport", description = "How tasks reach the workers: pipe or shared-memory, default ${DEFAULT-VALUE}.")
    String transport = "pipe";

    @Option(names = "--out", description = "CSV file to write the table to (its directory must exist).")
    Path out;

    @Override
    public Integer call() throws IOException, InterruptedException {
        int n;
        try {
            n = Integer.parseInt(rounds.strip());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new UsageError("--rounds: '" + rounds + "' is not a positive integer; e.g. --rounds 100");
        }
        long s;
        try {
            s = Long.parseLong(seed.strip());
        } catch (NumberFormatException e) {
            throw new UsageError("--seed: '" + seed + "' is not an integer");
        }
        if (out != null) {
            Path dir = out.toAbsolutePath().getParent();
            if (dir == null || !Files.isDirectory(dir) || Files.isDirectory(out)) {
                throw new UsageError("--out: '" + out + "' is not a file in an existing directory");
            }
        }
        org.poolbench.pool.ProcessPool.Transport via;
        try {
            via = org.poolbench.pool.ProcessPool.Transport.of(transport.strip(), "--transport:");
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        Map<Soak.Fault, Soak.Tally> tallies = Soak.run(n, s, via, System.out);
        System.out.println();
        System.out.println("soak: " + n + " rounds, seed " + s + ", transport " + via.label());
        Soak.table(tallies).forEach(System.out::println);
        if (out != null) {
            Files.write(out, Soak.csv(tallies));
            System.out.println("soak: wrote " + out);
        }
        boolean bad = tallies.values().stream().anyMatch(t -> t.clean < t.rounds || t.hangs > 0 || t.wrong > 0
                || t.duplicated > 0 || t.lost > 0 || t.orphans > 0 || t.recovered < t.rounds);
        return bad ? 1 : 0;
    }
}
