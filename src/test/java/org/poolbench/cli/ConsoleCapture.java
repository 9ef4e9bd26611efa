package org.poolbench.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures {@code System.out} and {@code System.err} around each test of a command, then puts them back:
 * {@code @RegisterExtension final ConsoleCapture console = new ConsoleCapture();}, then read {@link #out} and
 * {@link #err}.
 */
final class ConsoleCapture implements BeforeEachCallback, AfterEachCallback {

    /** What the test's code printed on standard output. */
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** What the test's code printed on standard error. */
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }
}
