package org.poolbench.ipc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The server process behind a {@link Manager}: CPython's {@code multiprocessing.managers.SyncManager} server. It
 * holds named lists and maps of byte values and answers {@link Connection} requests from any number of processes,
 * one virtual thread per connection; each request is applied under the lock of the list or map it names, so
 * concurrent clients never lose an update.
 *
 * <p>Started by {@link Manager#start()} as {@code java -cp <class path> org.poolbench.ipc.ManagerServer}. It writes
 * its address as the first line on stdout, and exits when its stdin reaches end of file, which happens when the
 * starting process closes the manager or dies, however it dies; the socket file goes with it.
 *
 * <p>Its listener admits processes of the same user only ({@link Listener}). At most {@value #DEFAULT_MAX_CLIENTS}
 * clients are served at once (the system property {@code poolbench.manager.maxClients} of the server JVM changes
 * it); one more is closed at once, with a line on stderr. A value's stated length is checked against the bytes of its
 * request before anything is allocated.
 */
public final class ManagerServer {

    static final byte LIST_APPEND = 1;
    static final byte LIST_GET = 2;
    static final byte LIST_SIZE = 3;
    static final byte LIST_POP = 4;
    static final byte LIST_ALL = 5;
    static final byte LIST_SET = 6;
    static final byte LIST_CLEAR = 10;
    static final byte DICT_PUT = 7;
    static final byte DICT_GET = 8;
    static final byte DICT_SIZE = 9;

    static final byte OK = 0;
    static final byte INDEX_ERROR = 1;
    static final byte ERROR = 2;

    static final int DEFAULT_MAX_CLIENTS = 1024;

    private final Map<String, List<byte[]>> lists = new ConcurrentHashMap<>();
    private final Map<String, Map<String, byte[]>> dicts = new ConcurrentHashMap<>();

    private ManagerServer() {
    }

    public static void main(String[] args) throws IOException {
        ManagerServer server = new ManagerServer();
        int maxClients = Integer.getInteger("poolbench.manager.maxClients", DEFAULT_MAX_CLIENTS);
        Semaphore clients = new Semaphore(maxClients);
        InputStream stdin = System.in;
        try (Listener listener = Listener.open()) {
            System.out.println(listener.address());
            System.out.flush();
            System.setOut(System.err);
            Thread.ofPlatform().daemon().name("manager-accept").start(() -> {
                try {
                    while (true) {
                        Connection c = listener.accept();
                        if (!clients.tryAcquire()) {
                            System.err.println("manager: " + maxClients + " clients connected already; one more"
                                    + " refused");
                            c.close();
                            continue;
                        }
                        Thread.ofVirtual().name("manager-client").start(() -> {
                            try {
                                server.serve(c);
                            } finally {
                                clients.release();
                            }
                        });
                    }
                } catch (IOException e) {
                    // the listener was closed: shutting down
                }
            });
            while (stdin.read() >= 0) {
                // nothing is sent on stdin; end of file means the owner is gone
            }
        }
        System.exit(0);
    }

    private void serve(Connection c) {
        try (c) {
            while (true) {
                byte[] request;
                try {
                    request = c.recv();
                } catch (EOFException e) {
                    return;
                }
                c.send(answer(request));
            }
        } catch (IOException e) {
            // the client went away mid-request: nothing to answer
        }
    }

    private byte[] answer(byte[] request) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(request));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        DataOutputStream out = new DataOutputStream(bytes);
        byte op = in.readByte();
        String name = in.readUTF();
        try {
            out.writeByte(OK);
            if (op <= LIST_SET || op == LIST_CLEAR) {
                List<byte[]> list = lists.computeIfAbsent(name, n -> new ArrayList<>());
                synchronized (list) {
                    switch (op) {
                        case LIST_APPEND -> {
                            list.add(readValue(in));
                            out.writeInt(list.size());
                        }
                        case LIST_GET -> writeValue(out, list.get(index(in.readInt(), list.size())));
                        case LIST_SIZE -> out.writeInt(list.size());
                        case LIST_POP -> writeValue(out, list.remove(index(list.size() - 1, list.size())));
                        case LIST_ALL -> {
                            out.writeInt(list.size());
                            for (byte[] v : list) {
                                writeValue(out, v);
                            }
                        }
                        case LIST_SET -> list.set(index(in.readInt(), list.size()), readValue(in));
                        case LIST_CLEAR -> list.clear();
                        default -> throw new IllegalArgumentException("unknown list request " + op);
                    }
                }
            } else {
                Map<String, byte[]> dict = dicts.computeIfAbsent(name, n -> new HashMap<>());
                synchronized (dict) {
                    switch (op) {
                        case DICT_PUT -> {
                            String key = in.readUTF();
                            out.writeBoolean(dict.put(key, readValue(in)) != null);
                        }
                        case DICT_GET -> {
                            byte[] v = dict.get(in.readUTF());
                            out.writeBoolean(v != null);
                            if (v != null) {
                                writeValue(out, v);
                            }
                        }
                        case DICT_SIZE -> out.writeInt(dict.size());
                        default -> throw new IllegalArgumentException("unknown request " + op);
                    }
                }
            }
        } catch (IndexOutOfBoundsException e) {
            return error(INDEX_ERROR, e.getMessage());
        } catch (RuntimeException e) {
            return error(ERROR, e.toString());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static int index(int i, int size) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("list index " + i + " out of range (size " + size + ")");
        }
        return i;
    }

    private static byte[] error(byte kind, String message) {
        byte[] text = String.valueOf(message).getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[1 + text.length];
        out[0] = kind;
        System.arraycopy(text, 0, out, 1, text.length);
        return out;
    }

    /** A value from a request or an answer already in memory: a stated length beyond its bytes is refused. */
    static byte[] readValue(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IllegalArgumentException("a value of " + length + " bytes stated where " + in.available()
                    + " remain");
        }
        byte[] v = new byte[length];
        in.readFully(v);
        return v;
    }

    static void writeValue(DataOutputStream out, byte[] v) throws IOException {
        out.writeInt(v.length);
        out.write(v);
    }
}
