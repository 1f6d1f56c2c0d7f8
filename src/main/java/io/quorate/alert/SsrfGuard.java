package io.quorate.alert;

import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Refuses webhook targets that resolve to addresses inside the agent's own network (server-side
 * request forgery): loopback, link-local, private, unique-local, unspecified, multicast and cloud
 * metadata addresses, unless the URL's host is explicitly allowed. The host is resolved once, off
 * the event loop, and the caller connects to exactly the address that was checked, so a second
 * lookup cannot return another one (DNS rebinding).
 */
public final class SsrfGuard {
  private static final byte[] EC2_V6_METADATA = v6("fd00:ec2::254");
  private static final List<String> METADATA_V4 = List.of("169.254.169.254", "100.100.100.200");

  private final Vertx vertx;
  private final List<String> allowHosts;

  /**
   * @param allowHosts host names or IP literals (as written in the URL, brackets optional) that may
   *     resolve to any address
   */
  public SsrfGuard(Vertx vertx, List<String> allowHosts) {
    this.vertx = vertx;
    this.allowHosts = allowHosts.stream().map(SsrfGuard::normalise).toList();
  }

  /** Refused by the guard; carries a message fit for a {@link DeliveryResult} detail. */
  public static final class AddressRefusedException extends Exception {
    public AddressRefusedException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Resolves {@code host} (a name, or an IP literal with or without brackets) with the system
   * resolver on a worker thread and returns the address to connect to: the first one, after every
   * resolved address has been checked. Fails with {@link AddressRefusedException} when any is
   * forbidden and the host is not allowed, or with {@link UnknownHostException}.
   */
  public Future<InetAddress> resolve(String host) {
    String h = normalise(host);
    boolean allowed = allowHosts.contains(h);
    return vertx
        .executeBlocking(() -> InetAddress.getAllByName(h), false)
        .compose(
            all -> {
              if (!allowed) {
                for (InetAddress a : all) {
                  String why = forbidden(a);
                  if (why != null) {
                    return Future.failedFuture(
                        new AddressRefusedException(
                            "address "
                                + a.getHostAddress()
                                + " is "
                                + why
                                + "; add the host to allowHosts to allow it"));
                  }
                }
              }
              return Future.succeededFuture(all[0]);
            });
  }

  /**
   * Why {@code a} must not be contacted, or {@code null} when it is a public address. IPv4-mapped
   * IPv6 addresses arrive here as IPv4 (the JDK converts them).
   */
  public static String forbidden(InetAddress a) {
    String literal = a.getHostAddress();
    if (METADATA_V4.contains(literal) || Arrays.equals(a.getAddress(), EC2_V6_METADATA)) {
      return "a cloud metadata address";
    }
    if (a.isAnyLocalAddress() || isZeroNetwork(a)) {
      return "unspecified";
    }
    if (a.isLoopbackAddress()) {
      return "loopback"; // 127/8 (RFC 1122 §3.2.1.3), ::1 (RFC 4291 §2.5.3)
    }
    if (a.isLinkLocalAddress()) {
      return "link-local"; // 169.254/16 (RFC 3927), fe80::/10 (RFC 4291 §2.5.6)
    }
    if (a.isMulticastAddress() || isBroadcast(a)) {
      return "multicast";
    }
    if (a.isSiteLocalAddress() || isUniqueLocal(a)) {
      return "private"; // 10/8, 172.16/12, 192.168/16 (RFC 1918), fc00::/7 (RFC 4193)
    }
    if (a instanceof Inet6Address && isV4Compatible(a.getAddress())) {
      return "an IPv4-compatible IPv6 address";
    }
    return null;
  }

  private static boolean isZeroNetwork(InetAddress a) {
    return a instanceof Inet4Address && a.getAddress()[0] == 0; // 0/8, RFC 1122 §3.2.1.3
  }

  private static boolean isBroadcast(InetAddress a) {
    return a instanceof Inet4Address && a.getHostAddress().equals("255.255.255.255");
  }

  private static boolean isUniqueLocal(InetAddress a) {
    return a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
  }

  /** ::a.b.c.d (deprecated, RFC 4291 §2.5.5.1): would reach the embedded IPv4 address. */
  private static boolean isV4Compatible(byte[] ip) {
    for (int i = 0; i < 12; i++) {
      if (ip[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * A host as compared with {@code allowHosts}: lower case, without brackets or a trailing dot; an
   * IP literal in its canonical form (so {@code ::1} matches {@code [0:0::1]}).
   */
  static String normalise(String host) {
    String h = host.toLowerCase(Locale.ROOT).trim();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(h); // literals only: never a lookup
    if (ip != null) {
      try {
        return InetAddress.getByAddress(ip).getHostAddress();
      } catch (UnknownHostException e) {
        return h; // cannot happen for 4 or 16 bytes
      }
    }
    return h;
  }

  private static byte[] v6(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
