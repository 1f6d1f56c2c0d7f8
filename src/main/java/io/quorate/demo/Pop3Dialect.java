package io.quorate.demo;

import java.util.Set;

/**
 * The demo's POP3 subset (RFC 1939, RFC 2449, RFC 2595): {@code +OK} greeting, CAPA (listing STLS
 * before TLS), STLS, QUIT; anything else is {@code -ERR}. There is no maildrop and no login.
 */
final class Pop3Dialect implements MailDialect {
  private static final Set<String> COMMANDS = Set.of("CAPA", "STLS", "QUIT");

  private final String host;

  Pop3Dialect(String host) {
    this.host = host;
  }

  @Override
  public String name() {
    return "pop3";
  }

  @Override
  public String greeting() {
    return "+OK " + host + " Quorate demo POP3 ready\r\n";
  }

  @Override
  public Reply answer(String line, boolean tls) {
    Command c = Command.parse(line);
    if (!COMMANDS.contains(c.verb())) {
      return Reply.of("-ERR command not supported by the demo server\r\n");
    }
    if (!c.args().isEmpty()) {
      return Reply.of("-ERR " + c.verb() + " takes no arguments\r\n");
    }
    return switch (c.verb()) {
      case "CAPA" -> Reply.of(capa(tls));
      case "STLS" ->
          tls
              ? Reply.of("-ERR Command not permitted when TLS active\r\n") // RFC 2595 §4
              : Reply.startTls("+OK Begin TLS negotiation\r\n");
      case "QUIT" -> Reply.close("+OK " + host + " signing off\r\n");
      default -> throw new IllegalStateException(c.verb());
    };
  }

  /** RFC 2449 §5: a multi-line answer ending with "."; STLS is not offered once TLS is up. */
  private static String capa(boolean tls) {
    return "+OK Capability list follows\r\n"
        + (tls ? "" : "STLS\r\n")
        + "IMPLEMENTATION Quorate-demo\r\n"
        + ".\r\n";
  }

  @Override
  public String lineTooLong() {
    return "-ERR line too long\r\n";
  }

  @Override
  public String tooManyCommands() {
    return "-ERR too many commands\r\n";
  }

  @Override
  public String idle() {
    return "-ERR idle for too long\r\n";
  }

  @Override
  public String busy() {
    return "-ERR too many connections, try again later\r\n";
  }
}
