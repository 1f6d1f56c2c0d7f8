package io.quorate.demo;

import java.util.Set;

/**
 * The demo's IMAP subset (RFC 9051, RFC 3501): an {@code OK} greeting carrying the capabilities,
 * CAPABILITY, STARTTLS (RFC 9051 §6.2.1), NOOP, LOGOUT; any other command is {@code BAD}. There are
 * no mailboxes and no login ({@code LOGINDISABLED}). A forced close is an untagged {@code BYE} (RFC
 * 9051 §7.1.5).
 */
final class ImapDialect implements MailDialect {
  /** Longest tag echoed back. */
  static final int MAX_TAG = 64;

  private static final Set<String> COMMANDS = Set.of("CAPABILITY", "NOOP", "STARTTLS", "LOGOUT");

  private final String host;

  ImapDialect(String host) {
    this.host = host;
  }

  @Override
  public String name() {
    return "imap";
  }

  @Override
  public String greeting() {
    return "* OK [CAPABILITY " + capabilities(false) + "] " + host + " Quorate demo IMAP ready\r\n";
  }

  /** Before TLS STARTTLS is offered; after it, it must not be (RFC 9051 §6.2.1). */
  private static String capabilities(boolean tls) {
    return tls ? "IMAP4rev1 LOGINDISABLED" : "IMAP4rev1 STARTTLS LOGINDISABLED";
  }

  @Override
  public Reply answer(String line, boolean tls) {
    int sp = line.indexOf(' ');
    String tag = sp < 0 ? line : line.substring(0, sp);
    if (!validTag(tag)) {
      return Reply.of("* BAD invalid or missing tag\r\n"); // RFC 9051 §7.1.3
    }
    if (sp < 0) {
      return Reply.of(tag + " BAD missing command\r\n");
    }
    Command c = Command.parse(line.substring(sp + 1));
    if (!COMMANDS.contains(c.verb())) {
      return Reply.of(tag + " BAD command not supported by the demo server\r\n");
    }
    if (!c.args().isEmpty()) {
      return Reply.of(tag + " BAD " + c.verb() + " takes no arguments\r\n");
    }
    return switch (c.verb()) {
      case "CAPABILITY" ->
          Reply.of("* CAPABILITY " + capabilities(tls) + "\r\n" + tag + " OK CAPABILITY done\r\n");
      case "NOOP" -> Reply.of(tag + " OK NOOP done\r\n");
      case "STARTTLS" ->
          tls
              ? Reply.of(tag + " BAD TLS already active\r\n")
              : Reply.startTls(tag + " OK Begin TLS negotiation now\r\n");
      case "LOGOUT" ->
          Reply.close("* BYE " + host + " logging out\r\n" + tag + " OK LOGOUT done\r\n");
      default -> throw new IllegalStateException(c.verb());
    };
  }

  /**
   * RFC 9051 §9: tag = 1*(ASTRING-CHAR except "+"), i.e. printable ASCII without atom-specials; it
   * is echoed back, so it is also bounded.
   */
  static boolean validTag(String tag) {
    if (tag.isEmpty() || tag.length() > MAX_TAG) {
      return false;
    }
    for (int i = 0; i < tag.length(); i++) {
      char ch = tag.charAt(i);
      if (ch <= 0x20 || ch >= 0x7f || "(){%*\"\\+".indexOf(ch) >= 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String lineTooLong() {
    return "* BYE line too long\r\n";
  }

  @Override
  public String tooManyCommands() {
    return "* BYE too many commands\r\n";
  }

  @Override
  public String idle() {
    return "* BYE idle for too long\r\n";
  }

  @Override
  public String busy() {
    return "* BYE too many connections, try again later\r\n";
  }
}
