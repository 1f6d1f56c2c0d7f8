package io.quorate.demo;

import java.util.Locale;

/**
 * The protocol half of one demo mail port (SMTP, IMAP or POP3): the greeting, the answer to each
 * command line, and the lines said before the server hangs up on its own. Stateless: the only
 * session state a dialect needs, whether TLS is active, is passed in. Every text it returns is
 * complete, CRLF-terminated protocol output.
 */
interface MailDialect {
  /** Protocol name for logs: smtp, imap, pop3. */
  String name();

  /** Sent as soon as a client connects. */
  String greeting();

  /** The answer to one command line (without its line end), and what to do after writing it. */
  Reply answer(String line, boolean tls);

  /** Said before closing a session whose line exceeded the limit. */
  String lineTooLong();

  /** Said before closing a session that sent more commands than allowed. */
  String tooManyCommands();

  /** Said before closing a session that was silent for too long. */
  String idle();

  /** Said (instead of the greeting) before closing a connection beyond the session limit. */
  String busy();

  /** What the session does after writing a reply. */
  enum Action {
    CONTINUE,
    /** Upgrade to TLS right after the reply (RFC 3207, RFC 2595, RFC 9051 §6.2.1). */
    START_TLS,
    CLOSE
  }

  /** A reply and the action after it. */
  record Reply(String text, Action action) {
    static Reply of(String text) {
      return new Reply(text, Action.CONTINUE);
    }

    static Reply startTls(String text) {
      return new Reply(text, Action.START_TLS);
    }

    static Reply close(String text) {
      return new Reply(text, Action.CLOSE);
    }
  }

  /** A command line split at its first space: the verb upper-cased, the rest trimmed. */
  record Command(String verb, String args) {
    static Command parse(String line) {
      int sp = line.indexOf(' ');
      String verb = sp < 0 ? line : line.substring(0, sp);
      String args = sp < 0 ? "" : line.substring(sp + 1).trim();
      return new Command(verb.toUpperCase(Locale.ROOT), args);
    }
  }
}
