package io.quorate.probe.tls;

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
      return dot > 0 && host.substring(dot + 1).equals(pattern.substring(2))
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

  static boolean isIpLiteral(String s) {
    return s.matches("[0-9.]+") && s.chars().filter(ch -> ch == '.').count() == 3
        || s.contains(":");
  }

  private static String canonicalIp(String s) {
    try {
      // only called on literals: getByName does not resolve them
      return InetAddress.getByName(s.replace("[", "").replace("]", "")).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return s;
    }
  }
}
