package io.quorate.config;

import java.util.Set;
import java.util.regex.Pattern;

/** Reads a {@code mailflow:} block into a {@link MailflowCheck}. */
final class MailflowCheckReader {
  private static final Set<String> KEYS =
      Set.of("smtp", "from", "to", "imap", "deadlineMs", "degradedAfterMs");
  private static final Set<String> SMTP_KEYS = Set.of("tlsMode", "ehloName", "login", "tls");
  private static final Set<String> IMAP_KEYS =
      Set.of("address", "port", "tlsMode", "login", "mailbox", "tls");

  /** RFC 5321 §4.1.2 dot-atom local part; quoted local parts are not supported. */
  private static final Pattern LOCAL =
      Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

  /** RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its angle brackets. */
  static final int MAX_ADDRESS = 254;

  private MailflowCheckReader() {}

  /** The check; {@code timeoutMs} is the target's (null when it was invalid). */
  static MailflowCheck read(YamlNode block, int port, Long timeoutMs, ReadContext ctx) {
    int mark = block.errors().count();
    if (!block.present()) {
      block.error("required");
      return null;
    }
    if (!block.mapping(KEYS)) {
      return null;
    }
    MailflowCheck.Smtp smtp = smtp(block.get("smtp"), port, ctx);
    String from = address(block.get("from"));
    String to = address(block.get("to"));
    MailflowCheck.Imap imap = imap(block.get("imap"), ctx);
    Long deadline = deadlineMs(block.get("deadlineMs"), timeoutMs);
    Long degraded = degradedAfterMs(block.get("degradedAfterMs"), deadline);
    if (block.errors().since(mark)) {
      return null;
    }
    return new MailflowCheck(smtp, from, to, imap, deadline, degraded);
  }

  private static MailflowCheck.Smtp smtp(YamlNode node, int port, ReadContext ctx) {
    int mark = node.errors().count();
    node.mapping(SMTP_KEYS);
    TlsMode mode = StreamCheckReader.tlsMode(node.get("tlsMode"), port);
    String ehlo = TlsPolicyReader.host(node.get("ehloName"));
    Login login = StreamCheckReader.login(node.get("login"), mode, ctx);
    TlsPolicy tls = StreamCheckReader.sessionTls(node.get("tls"), mode, ctx);
    if (node.errors().since(mark)) {
      return null;
    }
    return new MailflowCheck.Smtp(
        mode, ehlo == null ? SmtpCheck.DEFAULT_EHLO_NAME : ehlo, login, tls);
  }

  private static MailflowCheck.Imap imap(YamlNode node, ReadContext ctx) {
    int mark = node.errors().count();
    if (!node.requirePresent() || !node.mapping(IMAP_KEYS)) {
      return null;
    }
    String address = TlsPolicyReader.host(node.get("address"));
    if (address == null && !node.get("address").present()) {
      node.get("address").error("required");
    }
    String wanted = node.get("tlsMode").peekString();
    int fallback = "implicit".equals(wanted) ? 993 : 143;
    Long port = node.get("port").integer(1, 65_535, (long) fallback);
    TlsMode mode =
        StreamCheckReader.tlsMode(node.get("tlsMode"), port == null ? 0 : port.intValue());
    Login login = null;
    if (node.get("login").requirePresent()) {
      login = StreamCheckReader.login(node.get("login"), mode, ctx);
    }
    String mailbox = node.get("mailbox").nonEmptyString();
    TlsPolicy tls = StreamCheckReader.sessionTls(node.get("tls"), mode, ctx);
    if (node.errors().since(mark)) {
      return null;
    }
    return new MailflowCheck.Imap(
        address,
        port.intValue(),
        mode,
        login,
        mailbox == null ? ImapCheck.DEFAULT_MAILBOX : mailbox,
        tls);
  }

  /** A mailbox {@code local@domain}: dot-atom local part, a host name or IP literal domain. */
  static String address(YamlNode node) {
    String a = node.requiredString();
    if (a == null) {
      return null;
    }
    int at = a.lastIndexOf('@');
    String problem = null;
    if (a.length() > MAX_ADDRESS) {
      problem = "longer than " + MAX_ADDRESS + " characters";
    } else if (at <= 0 || !LOCAL.matcher(a.substring(0, at)).matches()) {
      problem = "must be an address local@domain (dot-atom local part)";
    } else {
      String domain = Names.hostProblem(a.substring(at + 1));
      problem = domain == null ? null : "domain: " + domain;
    }
    if (problem != null) {
      node.error(problem);
      return null;
    }
    return a;
  }

  /** {@code deadlineMs}: 1000..3600000, and room for it plus the margin in the target timeout. */
  private static Long deadlineMs(YamlNode node, Long timeoutMs) {
    Long v =
        node.integer(
            Target.MIN_INTERVAL_MS,
            MailflowCheck.MAX_DEADLINE_MS,
            MailflowCheck.DEFAULT_DEADLINE_MS);
    if (v != null && timeoutMs != null && v + MailflowCheck.MARGIN_MS > timeoutMs) {
      String what = node.present() ? "" : "default " + v + " ";
      node.error(
          what
              + "needs timeoutMs >= deadlineMs + "
              + MailflowCheck.MARGIN_MS
              + " (timeoutMs is "
              + timeoutMs
              + ")");
      return null;
    }
    return v;
  }

  private static Long degradedAfterMs(YamlNode node, Long deadline) {
    Long v = node.integer();
    if (v == null) {
      return null;
    }
    if (v <= 0) {
      node.error("must be > 0");
    } else if (deadline != null && v >= deadline) {
      node.error("must be < deadlineMs (" + deadline + ")");
    }
    return v;
  }
}
