package io.quorate.probe.dns;

import java.util.Arrays;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * A query encoded once (per check, not per probe): its wire form and what an answer must echo. Each
 * UDP exchange copies the wire form and writes its own ID into the first two bytes (RFC 1035
 * §4.1.1), so the query is never re-encoded. The {@link Message} is a template shared between
 * probes and is never modified; the TCP path clones it under a fresh ID.
 */
final class EncodedQuery {
  /** RFC 1035 §4.1.1: a message starts with a 12-byte header, the ID in its first two bytes. */
  static final int HEADER_BYTES = 12;

  private final Message message;
  private final byte[] wire;
  private final byte[] question;
  private final Record questionRecord;
  private final boolean idMayChange;

  private EncodedQuery(Message message) {
    this.message = message;
    this.wire = message.toWire(); // header and the one question: nothing else in our queries
    this.question = Arrays.copyOfRange(wire, HEADER_BYTES, wire.length);
    this.questionRecord = message.getQuestion();
    // A signature (TSIG, SIG(0): additional records) covers the ID (RFC 8945 §4.3.3): an encoded
    // message with no additional record (ARCOUNT, RFC 1035 §4.1.1) is unsigned.
    this.idMayChange = wire[10] == 0 && wire[11] == 0;
  }

  static EncodedQuery of(Message message) {
    return new EncodedQuery(message);
  }

  /** The template message (the ID in it is the caller's; exchanges use their own). */
  Message message() {
    return message;
  }

  /** The template's own ID. */
  int templateId() {
    return message.getHeader().getID();
  }

  /** Whether an exchange may send this query under an ID of its own choosing. */
  boolean idMayChange() {
    return idMayChange;
  }

  /** A fresh copy of the wire form with {@code id} in the header. */
  byte[] wireWithId(int id) {
    byte[] w = wire.clone();
    w[0] = (byte) (id >>> 8);
    w[1] = (byte) id;
    return w;
  }

  /** The question section on the wire (bytes after the header). */
  byte[] question() {
    return question;
  }

  /** The question as a record, or {@code null} for a message without one. */
  Record questionRecord() {
    return questionRecord;
  }
}
