package io.quorate.config;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Reads the check blocks of stream targets: {@code tcp}, {@code tls}, {@code smtp}, ... */
final class StreamCheckReader {
  private static final Set<String> TCP_KEYS = Set.of("expectBanner", "send", "tls");
  private static final Set<String> SMTP_KEYS =
      Set.of("tlsMode", "ehloName", "requireAuth", "login", "tls");
  private static final Set<String> IMAP_KEYS = Set.of("tlsMode", "login", "mailbox", "tls");
  private static final Set<String> POP3_KEYS = Set.of("tlsMode", "login", "tls");
  private static final Set<String> LOGIN_KEYS = Set.of("username", "password");
  private static final List<String> MODES =
      Arrays.stream(TlsMode.values()).map(TlsMode::wireName).toList();

  private StreamCheckReader() {}

  static TcpCheck tcp(YamlNode block, ReadContext ctx) {
    int mark = block.errors().count();
    block.mapping(TCP_KEYS);
    String banner = regex(block.get("expectBanner"));
    String send = block.get("send").string();
    YamlNode tlsNode = block.get("tls");
    TlsPolicy tls = tlsNode.present() ? TlsPolicyReader.read(tlsNode, ctx) : null;
    return block.errors().since(mark) ? null : new TcpCheck(banner, send, tls);
  }

  static TlsCheck tls(YamlNode block, ReadContext ctx) {
    // the tls target's block is the policy itself: tls: {serverName: ..., warnDays: ...}
    TlsPolicy policy = TlsPolicyReader.read(block, ctx);
    return policy == null ? null : new TlsCheck(policy);
  }

  static SmtpCheck smtp(YamlNode block, int port, ReadContext ctx) {
    int mark = block.errors().count();
    block.mapping(SMTP_KEYS);
    TlsMode mode = tlsMode(block.get("tlsMode"), port);
    String ehlo = TlsPolicyReader.host(block.get("ehloName"));
    Boolean requireAuth = block.get("requireAuth").bool(false);
    Login login = login(block.get("login"), mode, ctx);
    TlsPolicy tls = sessionTls(block.get("tls"), mode, ctx);
    if (block.errors().since(mark)) {
      return null;
    }
    String name = ehlo == null ? SmtpCheck.DEFAULT_EHLO_NAME : ehlo;
    return new SmtpCheck(mode, name, requireAuth, login, tls);
  }

  static ImapCheck imap(YamlNode block, int port, ReadContext ctx) {
    int mark = block.errors().count();
    block.mapping(IMAP_KEYS);
    TlsMode mode = tlsMode(block.get("tlsMode"), port);
    Login login = login(block.get("login"), mode, ctx);
    String mailbox = block.get("mailbox").nonEmptyString();
    TlsPolicy tls = sessionTls(block.get("tls"), mode, ctx);
    if (block.errors().since(mark)) {
      return null;
    }
    return new ImapCheck(mode, login, mailbox == null ? ImapCheck.DEFAULT_MAILBOX : mailbox, tls);
  }

  static Pop3Check pop3(YamlNode block, int port, ReadContext ctx) {
    int mark = block.errors().count();
    block.mapping(POP3_KEYS);
    TlsMode mode = tlsMode(block.get("tlsMode"), port);
    Login login = login(block.get("login"), mode, ctx);
    TlsPolicy tls = sessionTls(block.get("tls"), mode, ctx);
    return block.errors().since(mark) ? null : new Pop3Check(mode, login, tls);
  }

  /** The explicit mode, or the conventional one for the port (implicit on 465/993/995). */
  static TlsMode tlsMode(YamlNode node, int port) {
    String s = node.string();
    if (s == null) {
      return TlsMode.defaultFor(port);
    }
    TlsMode mode = TlsMode.parse(s);
    if (mode == null) {
      node.error("must be one of " + MODES);
    }
    return mode;
  }

  /** An optional regular expression, checked to compile. */
  static String regex(YamlNode node) {
    String regex = node.nonEmptyString();
    if (regex == null) {
      return null;
    }
    String problem = Names.regexProblem(regex);
    if (problem != null) {
      node.error(problem);
      return null;
    }
    return regex;
  }

  static Login login(YamlNode node, TlsMode mode, ReadContext ctx) {
    if (!node.mapping(LOGIN_KEYS)) {
      return null;
    }
    if (mode == TlsMode.NONE) {
      node.error("requires TLS (tlsMode none would send the password in clear)");
    }
    String username = node.get("username").requiredString();
    Secret password = ctx.secret(node.get("password"));
    return username == null || password == null ? null : new Login(username, password);
  }

  static TlsPolicy sessionTls(YamlNode node, TlsMode mode, ReadContext ctx) {
    if (node.present() && mode == TlsMode.NONE) {
      node.error("not used when tlsMode is none");
      return null;
    }
    return TlsPolicyReader.read(node, ctx);
  }
}
