package org.poolbench.ipc;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.poolbench.jvm.JavaBinary;

/**
 * A server process that holds lists and maps for other processes, and this process's proxy to it: CPython's
 * {@code multiprocessing.Manager()} with {@code manager.list()} and {@code manager.dict()}.
 *
 * <p>{@link #start()} spawns the server JVM ({@link ManagerServer}) and connects to it; this instance then owns it,
 * and {@link #close} ends it (it also ends by itself when this JVM dies, even by SIGKILL: its stdin closes). Other
 * processes, e.g. tasks in {@code ProcessPool} workers, {@link #connect} to its {@link #address()}; their
 * {@code close} only disconnects. Every call is one request and one answer over a Unix-domain socket, so a manager
 * is slower than shared memory (that is the material's claim, and {@code IpcBenchmark} measures it). Values are
 * byte arrays; {@link ListProxy#appendString} and friends carry text.
 *
 * <p>A manager may be used by many threads; their calls are serialized on its connection.
 */
public final class Manager implements AutoCloseable {

    private final Process server;
    private final String address;
    private final Connection connection;

    private Manager(Process server, String address, Connection connection) {
        this.server = server;
        this.address = address;
        this.connection = connection;
    }

    /**
     * Starts a manager server process and connects to it ({@code Manager().start()}).
     *
     * @throws IOException if it cannot be started, or did not report its address within 30 s
     */
    public static Manager start() throws IOException {
        String java = JavaBinary.command();
        Process p = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), ManagerServer.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String address = r.readLine();
            if (address == null || address.isBlank()) {
                throw new IOException("the manager server (pid " + p.pid() + ") exited before it was ready");
            }
            return new Manager(p, address, Connection.connect(address));
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Connects to a running manager at {@code address} (from another process's {@link #address()}). */
    public static Manager connect(String address) throws IOException {
        return new Manager(null, address, Connection.connect(address));
    }

    /** Where other processes {@link #connect} to. */
    public String address() {
        return address;
    }

    /** The server's process id, or -1 for a manager that was {@link #connect}ed to. */
    public long serverPid() {
        return server == null ? -1 : server.pid();
    }

    /** The list named {@code name} in the server (made empty on first use): {@code manager.list()}. */
    public ListProxy list(String name) {
        return new ListProxy(name);
    }

    /** The map named {@code name} in the server: {@code manager.dict()}. */
    public DictProxy dict(String name) {
        return new DictProxy(name);
    }

    private synchronized DataInputStream call(byte op, String name, Args args) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(op);
            out.writeUTF(name);
            args.write(out);
            out.flush();
            connection.send(bytes.toByteArray());
            byte[] answer = connection.recv();
            if (answer.length == 0) {
                throw new IOException("empty answer from the manager");
            }
            if (answer[0] != ManagerServer.OK) {
                String message = new String(answer, 1, answer.length - 1, StandardCharsets.UTF_8);
                throw answer[0] == ManagerServer.INDEX_ERROR ? new IndexOutOfBoundsException(message)
                        : new IllegalStateException("manager: " + message);
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(answer));
            in.readByte();
            return in;
        } catch (IOException e) {
            throw new UncheckedIOException("manager at " + address + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Args {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] value(DataInputStream in) {
        try {
            return ManagerServer.readValue(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int integer(DataInputStream in) {
        try {
            return in.readInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list held by the server ({@code ListProxy}). Each method is one round trip. */
    public final class ListProxy {
        private final String name;

        private ListProxy(String name) {
            this.name = name;
        }

        /** Appends; returns the new size. */
        public int append(byte[] value) {
            return integer(call(ManagerServer.LIST_APPEND, name, out -> ManagerServer.writeValue(out, value)));
        }

        public int appendString(String value) {
            return append(value.getBytes(StandardCharsets.UTF_8));
        }

        /** @throws IndexOutOfBoundsException as CPython raises {@code IndexError} */
        public byte[] get(int index) {
            return value(call(ManagerServer.LIST_GET, name, out -> out.writeInt(index)));
        }

        public void set(int index, byte[] value) {
            call(ManagerServer.LIST_SET, name, out -> {
                out.writeInt(index);
                ManagerServer.writeValue(out, value);
            });
        }

        /** Removes and returns the last item ({@code pop()}). */
        public byte[] pop() {
            return value(call(ManagerServer.LIST_POP, name, out -> { }));
        }

        public int size() {
            return integer(call(ManagerServer.LIST_SIZE, name, out -> { }));
        }

        /** Removes every item ({@code del list[:]}). */
        public void clear() {
            call(ManagerServer.LIST_CLEAR, name, out -> { });
        }

        /** A copy of every item, in one round trip ({@code list[:]}). */
        public List<byte[]> toList() {
            DataInputStream in = call(ManagerServer.LIST_ALL, name, out -> { });
            int n = integer(in);
            List<byte[]> all = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                all.add(value(in));
            }
            return all;
        }

        /** {@link #toList()} decoded as UTF-8 text. */
        public List<String> toStrings() {
            return toList().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
        }
    }

    /** A map held by the server ({@code DictProxy}). Each method is one round trip. */
    public final class DictProxy {
        private final String name;

        private DictProxy(String name) {
            this.name = name;
        }

        /** Sets {@code key}; true if it had a value before. */
        public boolean put(String key, byte[] value) {
            try {
                return call(ManagerServer.DICT_PUT, name, out -> {
                    out.writeUTF(key);
                    ManagerServer.writeValue(out, value);
                }).readBoolean();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The value of {@code key}, or null. */
        public byte[] get(String key) {
            try {
                DataInputStream in = call(ManagerServer.DICT_GET, name, out -> out.writeUTF(key));
                return in.readBoolean() ? ManagerServer.readValue(in) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public int size() {
            return integer(call(ManagerServer.DICT_SIZE, name, out -> { }));
        }
    }

    /**
     * Disconnects; the owner also ends the server (closes its stdin, waits up to 10 s, then kills it) and waits for
     * it to exit. Idempotent.
     */
    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } finally {
            if (server != null) {
                server.getOutputStream().close();
                try {
                    if (!server.waitFor(10, TimeUnit.SECONDS)) {
                        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    server.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
