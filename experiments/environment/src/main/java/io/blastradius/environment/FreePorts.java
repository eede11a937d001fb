package io.blastradius.environment;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free loopback ports, asked of the kernel, for the replica's listeners. Ports handed to another program
 * to bind (a Docker engine) must be released first: close the reservation before that program binds them.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** Ports held open until closed, so that nothing else binds them meanwhile and none is handed out twice. */
    public static Reservation reserve() {
        return new Reservation();
    }

    /** Free ports, each held by an open socket until {@link #close()}. */
    public static final class Reservation implements AutoCloseable {
        private final List<ServerSocket> held = new ArrayList<>();

        public int next() {
            try {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new EnvironmentException("no free loopback port: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
        }
    }
}
