package io.quorate.probe.tls;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * RFC 6125 server identity check against subjectAltName: dNSName entries (with a wildcard only as
 * the whole left-most label) for names, iPAddress entries for IP literals. The subject CN is not
 * consulted (RFC 6125 §6.4.4: not when SANs exist; modern clients never).
 */
final class HostnameMatcher {
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  private HostnameMatcher() {}

  static boolean matches(X509Certificate cert, String name) {
    boolean ip = isIpLiteral(name);
    String want = ip ? canonicalIp(name) : normalise(name);
    for (List<?> san : sans(cert)) {
      int type = (Integer) san.get(0);
      String value = String.valueOf(san.get(1));
      if (ip && type == SAN_IP && want.equals(canonicalIp(value))) {
        return true;
      }
      if (!ip && type == SAN_DNS && dnsMatch(normalise(value), want)) {
        return true;
      }
    }
    return false;
  }

  static List<String> names(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    for (List<?> san : sans(cert)) {
      out.add(String.valueOf(san.get(1)));
    }
    return out;
  }

  private static boolean dnsMatch(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      int dot = host.indexOf('.');
      return dot > 0
          && host.substring(dot + 1).equals(pattern.substring(2))
          && pattern.substring(2).contains(".");
    }
    return pattern.equals(host);
  }

  private static String normalise(String n) {
    String s = n.toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static Collection<List<?>> sans(X509Certificate cert) {
    try {
      Collection<List<?>> s = cert.getSubjectAlternativeNames();
      return s == null ? List.of() : s;
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  /** Whether {@code s} is an IPv4 or IPv6 literal (brackets allowed); never resolves anything. */
  static boolean isIpLiteral(String s) {
    return s != null && NetUtil.createByteArrayFromIpAddressString(unbracket(s)) != null;
  }

  /**
   * The canonical text of an IP literal, so {@code ::1}, {@code [::1]} and {@code 0:0:0:0:0:0:0:1}
   * compare equal. Parsed by Netty, never by {@code InetAddress.getByName}, which would resolve
   * (blocking) anything that is not a valid literal.
   */
  private static String canonicalIp(String s) {
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(unbracket(s));
    if (bytes == null) {
      return s;
    }
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return s; // only for a wrong length, which Netty never returns
    }
  }

  private static String unbracket(String s) {
    return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
  }
}
