package org.poolbench.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * The far end of {@link OverheadBenchmark}'s pipe floor: a JVM that answers every frame on stdin with the same frame
 * on stdout, in the pool's frame format ({@code [int length][byte type][body]}), and nothing else. On start it
 * writes one empty frame, so the parent can time spawn-to-ready. It exits at EOF.
 */
final class PipeEcho {
    private PipeEcho() {
    }

    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        out.writeInt(1);
        out.writeByte(0);
        out.flush();
        byte[] body = new byte[1 << 16];
        try {
            while (true) {
                int length = in.readInt();
                if (length < 1 || length > body.length) {
                    throw new IOException("corrupt frame length " + length);
                }
                in.readFully(body, 0, length);
                out.writeInt(length);
                out.write(body, 0, length);
                out.flush();
            }
        } catch (EOFException e) {
            // the parent closed the pipe: done
        }
    }
}
