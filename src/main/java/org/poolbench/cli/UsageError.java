package org.poolbench.cli;

/** An error the user caused (bad flag, name, number or file): reported in one line, exit status 2. */
final class UsageError extends RuntimeException {
    UsageError(String message) {
        super(message);
    }
}
