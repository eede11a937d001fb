package io.blastradius.faultproxy.internal;

import io.blastradius.faultproxy.FaultProxyException;


import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** {@code host:port} strings as Toxiproxy spells them. */
final class Addresses {

    private Addresses() {
    }

    static InetSocketAddress parse(String address, String field) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon < 0) {
            throw ApiError.SYSTEM.exception("address " + address + ": missing port in address (" + field + ")");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw ApiError.SYSTEM.exception("address tcp/" + address.substring(colon + 1) + ": unknown port (" + field + ")");
        }
        if (port < 0 || port > 65_535) {
            throw ApiError.SYSTEM.exception("address " + address + ": invalid port (" + field + ")");
        }
        try {
            InetAddress inet = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            return new InetSocketAddress(inet, port);
        } catch (UnknownHostException e) {
            throw ApiError.SYSTEM.exception("lookup " + host + ": no such host (" + field + ")");
        }
    }

    static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    static boolean sameEndpoint(String a, String b) {
        try {
            return parse(a, "listen").equals(parse(b, "listen"));
        } catch (FaultProxyException e) {
            return false;
        }
    }
}
