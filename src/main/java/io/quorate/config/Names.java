package io.quorate.config;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.xbill.DNS.Address;

/** Checks of identifiers, DNS names and regular expressions; each returns a problem or null. */
final class Names {
  static final int MAX_ID_LENGTH = 63;
  static final String ID_PATTERN_TEXT = "[a-z0-9][a-z0-9._-]*";
  private static final Pattern ID = Pattern.compile(ID_PATTERN_TEXT);
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_-]+");

  /** RFC 1035 §2.3.4: 63 octets per label; 255 octets on the wire is 253 characters of text. */
  private static final int MAX_LABEL = 63;

  private static final int MAX_NAME = 253;

  private Names() {}

  /** Target, group, region and token ids: {@code [a-z0-9][a-z0-9._-]*}, at most 63 chars. */
  static String idProblem(String id) {
    if (id.length() > MAX_ID_LENGTH) {
      return "must be at most " + MAX_ID_LENGTH + " characters";
    }
    if (!ID.matcher(id).matches()) {
      return "must match " + ID_PATTERN_TEXT;
    }
    return null;
  }

  /**
   * A DNS name in presentation form, absolute or not: labels of letters, digits, {@code -} and
   * {@code _} (service labels such as {@code _dmarc}), a leading {@code *} wildcard label.
   */
  static String dnsNameProblem(String name) {
    if (name.equals(".")) {
      return null;
    }
    String text = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (text.length() > MAX_NAME) {
      return "name has " + text.length() + " characters (max " + MAX_NAME + ")";
    }
    String[] labels = text.split("\\.", -1);
    for (int i = 0; i < labels.length; i++) {
      String label = labels[i];
      if (label.isEmpty()) {
        return "empty label in DNS name";
      }
      if (label.length() > MAX_LABEL) {
        return "label "
            + (i + 1)
            + " has "
            + label.length()
            + " characters (max "
            + MAX_LABEL
            + ")";
      }
      boolean wildcard = i == 0 && label.equals("*");
      if (!wildcard && !LABEL.matcher(label).matches()) {
        return "label " + (i + 1) + " has characters other than letters, digits, - and _";
      }
    }
    return null;
  }

  /** An IP address literal (v4 or v6) or a DNS host name; never resolved. */
  static String hostProblem(String host) {
    if (isIpLiteral(host)) {
      return null;
    }
    return dnsNameProblem(host);
  }

  /** {@code host:port} or {@code [v6]:port} with a port in 1..65535; a problem or null. */
  static String hostPortProblem(String s) {
    int colon = s.lastIndexOf(':');
    String host = colon > 0 ? s.substring(0, colon) : "";
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = colon > 0 ? s.substring(colon + 1) : "";
    boolean portOk = port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1;
    portOk = portOk && Integer.parseInt(port) <= 65_535;
    if (host.isEmpty() || hostProblem(host) != null || !portOk) {
      return "must be host:port with a port between 1 and 65535";
    }
    return null;
  }

  /** A DNS name as Quorate compares names: lower-case, without the trailing dot. */
  static String normalName(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** Whether normalised {@code name} is {@code zone} or below it. */
  static boolean inZone(String name, String zone) {
    return name.equals(zone) || name.endsWith("." + zone);
  }

  static boolean isIpLiteral(String host) {
    return Address.toByteArray(host, Address.IPv4) != null
        || Address.toByteArray(host, Address.IPv6) != null;
  }

  /** A regular expression that {@link Pattern} compiles. */
  static String regexProblem(String regex) {
    try {
      Pattern.compile(regex);
      return null;
    } catch (PatternSyntaxException e) {
      String where = e.getIndex() >= 0 ? " at index " + e.getIndex() : "";
      return "invalid regular expression: " + e.getDescription() + where;
    }
  }

  /** Records {@code value} as seen at {@code node}; reports a duplicate of an earlier one. */
  static void unique(YamlNode node, String what, String value, Map<String, String> seen) {
    String first = seen.putIfAbsent(value, node.path());
    if (first != null) {
      node.error("duplicate " + what + " \"" + value + "\" (first at " + first + ")");
    }
  }

  /** Reads a required id at {@code node}, checks its form and uniqueness; null when invalid. */
  static String id(YamlNode node, String what, Map<String, String> seen) {
    String id = node.requiredString();
    if (id == null) {
      return null;
    }
    String problem = idProblem(id);
    if (problem != null) {
      node.error(problem);
      return null;
    }
    unique(node, what, id, seen);
    return id;
  }
}
