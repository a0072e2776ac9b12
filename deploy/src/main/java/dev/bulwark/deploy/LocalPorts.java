package dev.bulwark.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds out whether a loopback port can be listened on, and picks free ones for a stack that asked for port 0. */
final class LocalPorts {

    private LocalPorts() {}

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As the servers do: connections of a stack that just stopped (TIME_WAIT) do not make the port busy.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
