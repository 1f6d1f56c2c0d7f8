package io.quorate.demo;

import java.util.regex.Pattern;

/**
 * The demo's SMTP subset (RFC 5321): 220 greeting, EHLO (multi-line, advertising PIPELINING and,
 * before TLS only, STARTTLS), HELO, STARTTLS (RFC 3207), NOOP, RSET, QUIT; anything else is 502. No
 * mail is ever accepted. A forced close is announced with 421 (RFC 5321 §3.8).
 */
final class SmtpDialect implements MailDialect {
  /** A domain or an address literal (RFC 5321 §4.1.2), at most 253 characters. */
  private static final Pattern HELO_NAME =
      Pattern.compile(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?"
              + "|\\[[A-Za-z0-9.:]{1,64}])");

  private final String host;

  SmtpDialect(String host) {
    this.host = host;
  }

  @Override
  public String name() {
    return "smtp";
  }

  @Override
  public String greeting() {
    return "220 " + host + " ESMTP Quorate demo\r\n";
  }

  @Override
  public Reply answer(String line, boolean tls) {
    Command c = Command.parse(line);
    return switch (c.verb()) {
      case "EHLO" -> validName(c.args()) ? Reply.of(ehlo(c.args(), tls)) : syntax("EHLO domain");
      case "HELO" -> validName(c.args()) ? Reply.of("250 " + host + "\r\n") : syntax("HELO domain");
      case "STARTTLS" -> startTls(c.args(), tls);
      case "NOOP" -> Reply.of("250 OK\r\n"); // RFC 5321 §4.1.1.9: a parameter is ignored
      case "RSET" -> c.args().isEmpty() ? Reply.of("250 OK\r\n") : syntax("RSET");
      case "QUIT" -> Reply.close("221 " + host + " closing connection\r\n");
      default -> Reply.of("502 Command not implemented\r\n");
    };
  }

  /** RFC 5321 §4.1.1.1; after TLS, STARTTLS is no longer offered (RFC 3207 §4.2). */
  private String ehlo(String client, boolean tls) {
    return "250-"
        + host
        + " greets "
        + client
        + "\r\n"
        + (tls ? "250 PIPELINING\r\n" : "250-PIPELINING\r\n250 STARTTLS\r\n");
  }

  private static Reply startTls(String args, boolean tls) {
    if (tls) {
      return Reply.of("503 TLS already active\r\n");
    }
    if (!args.isEmpty()) {
      return Reply.of("501 Syntax: STARTTLS takes no parameters\r\n"); // RFC 3207 §4
    }
    return Reply.startTls("220 Ready to start TLS\r\n");
  }

  private static boolean validName(String name) {
    return name.length() <= 253 && HELO_NAME.matcher(name).matches();
  }

  private static Reply syntax(String usage) {
    return Reply.of("501 Syntax: " + usage + "\r\n");
  }

  @Override
  public String lineTooLong() {
    return "421 " + host + " line too long, closing connection\r\n";
  }

  @Override
  public String tooManyCommands() {
    return "421 " + host + " too many commands, closing connection\r\n";
  }

  @Override
  public String idle() {
    return "421 " + host + " idle for too long, closing connection\r\n";
  }

  @Override
  public String busy() {
    return "421 " + host + " too many connections, try again later\r\n";
  }
}
