package io.quorate.probe.http;

import io.netty.util.NetUtil;
import io.quorate.probe.ErrorKind;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Redirect handling for the HTTP probe (RFC 9110 §15.4): resolves a Location against the current
 * hop and refuses targets a health probe must never be steered to — link-local and cloud metadata
 * addresses (SSRF: a compromised or misconfigured site must not make every region fetch {@code
 * http://169.254.169.254/}).
 */
final class Redirects {
  private static final Set<Integer> REDIRECT_CODES = Set.of(301, 302, 303, 307, 308);
  private static final Set<String> METADATA_NAMES =
      Set.of("metadata.google.internal", "metadata.goog", "metadata");
  private static final byte[] EC2_V6_METADATA =
      NetUtil.createByteArrayFromIpAddressString("fd00:ec2::254");

  private Redirects() {}

  static boolean isRedirect(int status) {
    return REDIRECT_CODES.contains(status);
  }

  /**
   * The hop a redirect leads to. Same scheme, name and port as {@code origin} connect again to the
   * origin's address (the member under test); anything else connects to the named host.
   *
   * @throws HttpProbeException PROTOCOL for an unusable Location, ASSERTION for a refused target
   */
  static HttpHop next(HttpHop from, HttpHop origin, String location) throws HttpProbeException {
    URI uri;
    try {
      uri = URI.create(from.url()).resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new HttpProbeException(ErrorKind.PROTOCOL, "invalid Location header: " + location);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new HttpProbeException(
          ErrorKind.ASSERTION, "redirect to unsupported scheme refused: " + location);
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new HttpProbeException(ErrorKind.PROTOCOL, "invalid Location header: " + location);
    }
    host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (isForbidden(host)) {
      throw new HttpProbeException(
          ErrorKind.ASSERTION, "redirect to link-local/metadata address refused: " + location);
    }
    boolean https = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : (https ? 443 : 80);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    boolean sameOrigin =
        https == origin.https()
            && port == origin.port()
            && host.equalsIgnoreCase(origin.hostName());
    String connectTo = sameOrigin ? origin.connectHost() : host;
    return new HttpHop(https, connectTo, port, host, path, sameOrigin);
  }

  /**
   * Whether {@code host} (a name or an IP literal; names are never resolved here) is a link-local
   * or cloud metadata address: 169.254.0.0/16 (RFC 3927, includes 169.254.169.254), fe80::/10 (RFC
   * 4291 §2.5.6), fd00:ec2::254 (EC2 IMDS over IPv6), their IPv4-mapped forms, and the well-known
   * metadata host names.
   */
  static boolean isForbidden(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    if (METADATA_NAMES.contains(h)) {
      return true;
    }
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(h);
    if (ip == null) {
      return false;
    }
    if (ip.length == 16 && isV4Mapped(ip)) {
      ip = new byte[] {ip[12], ip[13], ip[14], ip[15]};
    }
    if (ip.length == 4) {
      return (ip[0] & 0xff) == 169 && (ip[1] & 0xff) == 254;
    }
    boolean linkLocal = (ip[0] & 0xff) == 0xfe && (ip[1] & 0xc0) == 0x80;
    return linkLocal || java.util.Arrays.equals(ip, EC2_V6_METADATA);
  }

  private static boolean isV4Mapped(byte[] ip) {
    for (int i = 0; i < 10; i++) {
      if (ip[i] != 0) {
        return false;
      }
    }
    return (ip[10] & 0xff) == 0xff && (ip[11] & 0xff) == 0xff;
  }
}
