package io.quorate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Reads a {@code dns:} block into a {@link DnsCheck}. */
final class DnsCheckReader {
  private static final Set<String> KEYS =
      Set.of(
          "name",
          "qtype",
          "transport",
          "expectRcode",
          "authoritative",
          "recursionDesired",
          "answer",
          "consistency");
  private static final Set<String> ANSWER_KEYS =
      Set.of("equals", "contains", "count", "nonEmpty", "minTtl", "maxTtl");
  private static final Set<String> CONSISTENCY_KEYS = Set.of("zone", "servers");
  private static final List<String> TRANSPORTS = List.of("udp", "tcp");
  static final String DEFAULT_QTYPE = "A";
  private static final long MAX_TTL = Integer.MAX_VALUE;
  private static final long MAX_COUNT = 65_535;

  private DnsCheckReader() {}

  /** The check; {@code name} is required even when the whole block is missing. */
  static DnsCheck read(YamlNode block) {
    int mark = block.errors().count();
    block.mapping(KEYS);
    String name = dnsName(block.get("name"), true);
    String qtype = mnemonic(block.get("qtype"), DEFAULT_QTYPE, true);
    String transport = block.get("transport").nonEmptyString();
    if (transport != null && !TRANSPORTS.contains(transport)) {
      block.get("transport").error("must be one of " + TRANSPORTS);
    }
    String rcode = mnemonic(block.get("expectRcode"), DnsCheck.DEFAULT_RCODE, false);
    Boolean aa = block.get("authoritative").bool(false);
    Boolean rd = block.get("recursionDesired").bool(false);
    DnsCheck.AnswerAssertions answer = answer(block.get("answer"));
    DnsCheck.Consistency consistency = consistency(block.get("consistency"));
    if (block.errors().since(mark)) {
      return null;
    }
    String tr = transport == null ? DnsCheck.DEFAULT_TRANSPORT : transport;
    return new DnsCheck(name, qtype, tr, rcode, aa, rd, answer, consistency);
  }

  /** A DNS name; {@code null} when absent (with "required" when {@code required}) or invalid. */
  static String dnsName(YamlNode node, boolean required) {
    String name = required ? node.requiredString() : node.nonEmptyString();
    if (name == null) {
      return null;
    }
    String problem = Names.dnsNameProblem(name);
    if (problem != null) {
      node.error(problem);
      return null;
    }
    return name;
  }

  /** A type or RCODE mnemonic known to dnsjava, in its canonical spelling. */
  private static String mnemonic(YamlNode node, String fallback, boolean isType) {
    String s = node.nonEmptyString();
    if (s == null) {
      return fallback;
    }
    int value = isType ? Type.value(s) : Rcode.value(s);
    if (value < 0) {
      node.error(isType ? "unknown DNS type \"" + s + "\"" : "unknown RCODE \"" + s + "\"");
      return null;
    }
    return isType ? Type.string(value) : Rcode.string(value);
  }

  private static DnsCheck.AnswerAssertions answer(YamlNode node) {
    if (!node.mapping(ANSWER_KEYS)) {
      return DnsCheck.AnswerAssertions.NONE;
    }
    List<String> equals = values(node.get("equals"));
    List<String> contains = values(node.get("contains"));
    Long count = node.get("count").integer(0, MAX_COUNT, null);
    Boolean nonEmpty = node.get("nonEmpty").bool(false);
    Long minTtl = node.get("minTtl").integer(0, MAX_TTL, null);
    Long maxTtl = node.get("maxTtl").integer(0, MAX_TTL, null);
    if (minTtl != null && maxTtl != null && maxTtl < minTtl) {
      node.get("maxTtl").error("must be >= minTtl (" + minTtl + ")");
    }
    Integer n = count == null ? null : count.intValue();
    return new DnsCheck.AnswerAssertions(
        equals, contains, n, Boolean.TRUE.equals(nonEmpty), minTtl, maxTtl);
  }

  /** A list of RDATA strings in presentation form; {@code null} when absent. */
  private static List<String> values(YamlNode node) {
    List<YamlNode> items = node.items();
    if (items == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (YamlNode item : items) {
      String v = item.nonEmptyString();
      if (v != null) {
        out.add(v);
      }
    }
    return List.copyOf(out);
  }

  private static DnsCheck.Consistency consistency(YamlNode node) {
    if (!node.mapping(CONSISTENCY_KEYS)) {
      return null;
    }
    String zone = dnsName(node.get("zone"), true);
    List<String> servers = new ArrayList<>();
    for (YamlNode item : node.get("servers").itemsOrEmpty()) {
      String server = item.nonEmptyString();
      if (server != null && hostPort(item, server)) {
        servers.add(server);
      }
    }
    return new DnsCheck.Consistency(zone, List.copyOf(servers));
  }

  /** {@code host:port} or {@code [v6]:port}. */
  private static boolean hostPort(YamlNode node, String s) {
    String problem = Names.hostPortProblem(s);
    if (problem != null) {
      node.error(problem);
      return false;
    }
    return true;
  }
}
